import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Trace, formatEntry, type DropReason, type TraceEntry } from '../../src/history/Trace.ts';
import { stableStringify } from '../../src/history/stableStringify.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const CHUNK_CHARS = 1 << 16;

// Few distinct times and names, so the formatter's caches (quoted ids, the last time's text) are hit and
// missed in every run; plus any finite double and any string, so escaping and number formats are covered.
const timeArbitrary = fc.oneof(fc.constantFrom(0, -0, 1.5, 100, 0.001), fc.double({ noNaN: true, noDefaultInfinity: true }));
const nameArbitrary = fc.oneof(fc.constantFrom('broker-1', 'world', 'a"b', 'é\n'), fc.string({ unit: 'binary', maxLength: 8 }));
const jsonArbitrary = fc.jsonValue({ maxDepth: 3 });
const dropReasons: DropReason[] = ['partition', 'loss', 'crashed', 'unknown-destination'];

const entryArbitrary: fc.Arbitrary<TraceEntry> = fc.oneof(
  fc.record({ t: timeArbitrary, kind: fc.constant('sent' as const), id: fc.nat(), from: nameArbitrary, to: nameArbitrary, message: jsonArbitrary }),
  fc.record({ t: timeArbitrary, kind: fc.constantFrom('delivered' as const, 'duplicated' as const), id: fc.nat(), to: nameArbitrary }),
  fc.record({ t: timeArbitrary, kind: fc.constant('dropped' as const), id: fc.nat(), to: nameArbitrary, reason: fc.constantFrom(...dropReasons) }),
  fc.record({ t: timeArbitrary, kind: fc.constant('timer' as const), node: nameArbitrary, event: nameArbitrary }),
  fc.record({ t: timeArbitrary, kind: fc.constant('state' as const), node: nameArbitrary, value: jsonArbitrary }),
  fc.record({
    t: timeArbitrary,
    kind: fc.constant('node' as const),
    node: nameArbitrary,
    event: fc.constantFrom('added' as const, 'started' as const, 'crashed' as const, 'paused' as const, 'resumed' as const, 'powerLoss' as const),
  }),
  fc.record({ t: timeArbitrary, kind: fc.constant('fault' as const), fault: jsonArbitrary, effect: fc.constantFrom('applied' as const, 'no-op' as const) }),
  fc.record({ t: timeArbitrary, kind: fc.constant('note' as const), node: nameArbitrary, data: jsonArbitrary }),
  fc.record({ t: timeArbitrary, kind: fc.constant('call' as const), node: nameArbitrary, event: jsonArbitrary, outcome: fc.constantFrom('taken' as const, 'dropped' as const) }),
);

/** A note whose line is exactly `chars` characters long (at least 50). */
function noteOfLength(chars: number): TraceEntry {
  const skeleton = stableStringify({ t: 0, kind: 'note', node: 'n', data: '' });
  const entry: TraceEntry = { t: 0, kind: 'note', node: 'n', data: 'x'.repeat(chars - skeleton.length) };
  expect(formatEntry(entry)).toHaveLength(chars);
  return entry;
}

describe('formatEntry', () => {
  it('writes the kernel’s entries with sorted keys', () => {
    expect(formatEntry({ t: 12.5, kind: 'sent', id: 3, from: 'a', to: 'b', message: { type: 'ping', b: 1, a: 2 } })).toBe(
      '{"from":"a","id":3,"kind":"sent","message":{"a":2,"b":1,"type":"ping"},"t":12.5,"to":"b"}',
    );
    expect(formatEntry({ t: 1, kind: 'delivered', id: 0, to: 'b' })).toBe('{"id":0,"kind":"delivered","t":1,"to":"b"}');
    expect(formatEntry({ t: 1, kind: 'dropped', id: 0, to: 'b', reason: 'loss' })).toBe('{"id":0,"kind":"dropped","reason":"loss","t":1,"to":"b"}');
    expect(formatEntry({ t: 2, kind: 'timer', node: 'n', event: 'xstate.after.25.n' })).toBe(
      '{"event":"xstate.after.25.n","kind":"timer","node":"n","t":2}',
    );
  });

  it('equals stableStringify of the same entry for every entry kind', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { minLength: 1, maxLength: 20 }), (entries) => {
        // A sequence, not one entry, so the formatter's caches carry state from one line to the next.
        for (const entry of entries) expect(formatEntry(entry)).toBe(stableStringify(entry));
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('writes each kind at least once in the property above', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(entryArbitrary, (entry) => {
        kinds.add(entry.kind);
      }),
      { numRuns: 200, seed: 7 },
    );
    expect([...kinds].sort()).toEqual(['call', 'delivered', 'dropped', 'duplicated', 'fault', 'node', 'note', 'sent', 'state', 'timer']);
  });

  it('refuses a message that JSON cannot carry, naming where it is', () => {
    expect(() => formatEntry({ t: 0, kind: 'sent', id: 0, from: 'a', to: 'b', message: { type: 'x', n: Number.NaN } })).toThrow('$.n is NaN');
  });
});

describe('Trace', () => {
  it('keeps every entry in full mode and gives it back parsed and as text', () => {
    const trace = new Trace();
    const a: TraceEntry = { t: 0, kind: 'node', node: 'n', event: 'added' };
    const b: TraceEntry = { t: 3, kind: 'sent', id: 0, from: 'n', to: 'm', message: { type: 'hi', z: undefined } };
    trace.write(a);
    trace.write(b);
    expect(trace.mode).toBe('full');
    expect(trace.length).toBe(2);
    expect(trace.entries()).toEqual([a, { t: 3, kind: 'sent', id: 0, from: 'n', to: 'm', message: { type: 'hi' } }]);
    expect(trace.text()).toEqual([formatEntry(a), formatEntry(b)]);
    // text() is a copy.
    trace.text().push('junk');
    expect(trace.text()).toHaveLength(2);
  });

  it('hashes the empty trace as the SHA-256 of the empty string', () => {
    expect(new Trace().digest()).toBe(sha256(''));
    expect(new Trace('hash').digest()).toBe(sha256(''));
  });

  it('digests to the SHA-256 of its lines joined by \\n', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 30 }), (entries) => {
        const trace = new Trace();
        for (const entry of entries) trace.write(entry);
        expect(trace.digest()).toBe(sha256(entries.map((e) => stableStringify(e)).join('\n')));
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('can be digested mid-run, and writing goes on with the same running hash', () => {
    const trace = new Trace();
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      const entry: TraceEntry = { t: i, kind: 'delivered', id: i, to: 'b' };
      trace.write(entry);
      lines.push(formatEntry(entry));
      expect(trace.digest()).toBe(sha256(lines.join('\n')));
    }
    expect(trace.digest()).toBe(trace.digest());
  });

  it('digests correctly when lines fill the 64 KiB hashing chunk exactly, or fall just short or past it', () => {
    // Line lengths chosen so that the pending text (lines plus separators) lands on CHUNK_CHARS - 1, exactly
    // CHUNK_CHARS and CHUNK_CHARS + 1, in a trace and with digests taken before, at and after the boundary.
    for (const offset of [-1, 0, 1]) {
      const first = noteOfLength(CHUNK_CHARS / 2);
      const second = noteOfLength(CHUNK_CHARS / 2 - 1 + offset); // + 1 for the '\n' between them
      for (const digestBetween of [false, true]) {
        const trace = new Trace();
        trace.write(first);
        if (digestBetween) expect(trace.digest()).toBe(sha256(formatEntry(first)));
        trace.write(second);
        const third: TraceEntry = { t: 1, kind: 'delivered', id: 1, to: 'z' };
        trace.write(third);
        const text = [first, second, third].map(formatEntry).join('\n');
        expect(trace.digest()).toBe(sha256(text));
      }
    }
  });

  it('digests correctly across many chunks with random line sizes and multi-byte characters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 12_000 }), fc.constantFrom('x', 'é', '€', '😀'), fc.boolean()), { minLength: 1, maxLength: 25 }),
        (specs) => {
          const trace = new Trace();
          const lines: string[] = [];
          for (const [chars, fill, digestNow] of specs) {
            // JSON keeps 'é', '€' and '😀' as they are, so the lines carry 2-, 3- and 4-byte UTF-8.
            const entry: TraceEntry = { t: 0, kind: 'note', node: 'n', data: fill.repeat(chars) };
            trace.write(entry);
            lines.push(formatEntry(entry));
            if (digestNow) expect(trace.digest()).toBe(sha256(lines.join('\n')));
          }
          expect(trace.digest()).toBe(sha256(lines.join('\n')));
          expect(trace.length).toBe(specs.length);
        },
      ),
      { numRuns: propertyRuns(30) },
    );
  });

  it('gives the same digest in hash mode, keeping no entries but counting them', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 30 }), fc.nat({ max: 30 }), (entries, digestAt) => {
        const full = new Trace('full');
        const hashOnly = new Trace('hash');
        entries.forEach((entry, i) => {
          full.write(entry);
          hashOnly.write(entry);
          if (i === digestAt) expect(hashOnly.digest()).toBe(full.digest());
        });
        expect(hashOnly.digest()).toBe(full.digest());
        expect(hashOnly.entries()).toEqual([]);
        expect(hashOnly.text()).toEqual([]);
        expect(hashOnly.length).toBe(entries.length);
        expect(full.length).toBe(entries.length);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('gives different digests for different traces, including a reordering of the same lines', () => {
    const a: TraceEntry = { t: 0, kind: 'delivered', id: 0, to: 'b' };
    const b: TraceEntry = { t: 0, kind: 'delivered', id: 1, to: 'b' };
    const digestOf = (entries: TraceEntry[]) => {
      const trace = new Trace('hash');
      for (const e of entries) trace.write(e);
      return trace.digest();
    };
    expect(digestOf([a, b])).not.toBe(digestOf([b, a]));
    expect(digestOf([a])).not.toBe(digestOf([a, a]));
  });
});
