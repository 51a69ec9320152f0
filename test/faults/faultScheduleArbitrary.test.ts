import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFault, validateLinkOverride, type Fault } from '../../src/faults/Fault.ts';
import { compilePartition } from '../../src/kernel/partitions.ts';
import {
  faultScheduleArbitrary,
  type FaultScheduleConstraints,
  type FaultWindowKind,
} from '../../properties/arbitraries/faultScheduleArbitrary.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

const allKinds: FaultWindowKind[] = ['crash', 'powerLoss', 'pause', 'partition', 'link'];

const constraintsArbitrary: fc.Arbitrary<Required<FaultScheduleConstraints>> = fc.record({
  nodes: fc.uniqueArray(fc.constantFrom('b1', 'b2', 'b3', 'b4', 'c1', 'c2', 'c3'), { minLength: 1, maxLength: 7 }),
  horizonMs: fc.integer({ min: 1, max: 5000 }),
  maxWindows: fc.integer({ min: 0, max: 8 }),
  maxDurationMs: fc.integer({ min: 1, max: 2000 }),
  kinds: fc.subarray(allKinds, { minLength: 1 }),
  linkFaults: fc.constantFrom('any' as const, 'latency' as const),
});

/** Constraints whose kinds can all be drawn over their nodes (partition and link need two nodes). */
const usableConstraints = constraintsArbitrary.filter((c) => c.nodes.length >= 2 || c.kinds.some((k) => k === 'crash' || k === 'powerLoss' || k === 'pause'));

const withSchedule = usableConstraints.chain((c) => fc.tuple(fc.constant(c), faultScheduleArbitrary(c)));

type Pairing = { role: 'open' | 'close'; key: string };

/** Which window a fault opens or closes; crash and powerLoss are both closed by a restart of the node. */
function pairing(fault: Fault): Pairing {
  switch (fault.kind) {
    case 'crash':
    case 'powerLoss':
    case 'shutdown':
      return { role: 'open', key: `process:${fault.node}` };
    case 'restart':
      return { role: 'close', key: `process:${fault.node}` };
    case 'pause':
      return { role: 'open', key: `pause:${fault.node}` };
    case 'resume':
      return { role: 'close', key: `pause:${fault.node}` };
    case 'partition':
      return { role: 'open', key: 'partition' };
    case 'heal':
      return { role: 'close', key: 'partition' };
    case 'link':
      return { role: fault.reset === true ? 'close' : 'open', key: `link:${fault.from}>${fault.to}:${String(fault.bidirectional)}` };
  }
}

/**
 * Pairs every closing fault with the earliest still-open fault of its window kind. Sorted opens matched to
 * sorted closes is the pairing with the shortest longest window, so if any pairing keeps every window
 * within [1, maxDurationMs], this one does. Returns the durations.
 */
function windowDurations(faults: Fault[]): number[] {
  const open = new Map<string, number[]>();
  const durations: number[] = [];
  for (const fault of faults) {
    const { role, key } = pairing(fault);
    const starts = open.get(key) ?? [];
    if (role === 'open') {
      starts.push(fault.atMs);
      open.set(key, starts);
      continue;
    }
    const start = starts.shift();
    expect(start, `${fault.kind} at ${fault.atMs} closes a window that was never opened`).toBeDefined();
    durations.push(fault.atMs - (start as number));
  }
  for (const [key, starts] of open) expect(starts, `windows of ${key} left open`).toEqual([]);
  return durations;
}

/** Every node id a fault names. */
function namedNodes(fault: Fault): string[] {
  switch (fault.kind) {
    case 'heal':
      return [];
    case 'link':
      return [fault.from, fault.to];
    case 'partition':
      if ('groups' in fault) return fault.groups.flat();
      if ('oneWay' in fault) return [...fault.oneWay.from, ...fault.oneWay.to];
      if ('isolate' in fault) return [fault.isolate];
      return fault.majoritiesRing;
    default:
      return [fault.node];
  }
}

describe('faultScheduleArbitrary', () => {
  it('closes every window after it opens, within maxDurationMs, with windows starting before the horizon', () => {
    fc.assert(
      fc.property(withSchedule, ([c, faults]) => {
        expect(faults.length % 2).toBe(0);
        expect(faults.length).toBeLessThanOrEqual(2 * c.maxWindows);
        for (const d of windowDurations(faults)) {
          expect(d).toBeGreaterThanOrEqual(1);
          expect(d).toBeLessThanOrEqual(c.maxDurationMs);
        }
        for (const f of faults) {
          if (pairing(f).role === 'open') expect(f.atMs).toBeLessThan(c.horizonMs);
          expect(Number.isInteger(f.atMs) && f.atMs >= 0).toBe(true);
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('the window check can fail: a schedule with its closing faults moved first is caught', () => {
    const result = fc.check(
      fc.property(withSchedule, ([, faults]) => {
        const closesFirst = [...faults].sort((a, b) => Number(pairing(b).role === 'close') - Number(pairing(a).role === 'close'));
        windowDurations(closesFirst);
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(result.failed).toBe(true);
  });

  it('names only nodes from the given list, and draws only the given kinds', () => {
    fc.assert(
      fc.property(withSchedule, ([c, faults]) => {
        for (const f of faults) for (const node of namedNodes(f)) expect(c.nodes).toContain(node);
        const opened = new Set(faults.filter((f) => pairing(f).role === 'open').map((f) => f.kind));
        for (const kind of opened) expect(c.kinds).toContain(kind);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('draws partitions with two non-empty, disjoint sides that cover the nodes, and valid rings', () => {
    const nodes = ['b1', 'b2', 'b3', 'c1', 'c2'];
    fc.assert(
      fc.property(faultScheduleArbitrary({ nodes, horizonMs: 1000, kinds: ['partition'], maxWindows: 4 }), (faults) => {
        for (const f of faults) {
          if (f.kind !== 'partition') continue;
          if ('groups' in f) {
            expect(f.groups).toHaveLength(2);
            for (const side of f.groups) expect(side.length).toBeGreaterThan(0);
            expect([...f.groups.flat()].sort()).toEqual([...nodes].sort());
          } else if ('oneWay' in f) {
            expect(f.oneWay.from.length).toBeGreaterThan(0);
            expect(f.oneWay.to.length).toBeGreaterThan(0);
            expect([...f.oneWay.from, ...f.oneWay.to].sort()).toEqual([...nodes].sort());
          } else if ('isolate' in f) {
            expect(nodes).toContain(f.isolate);
          } else {
            expect([...f.majoritiesRing].sort()).toEqual([...nodes].sort());
          }
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('draws schedules that pass validateFault and compilePartition, with link settings in bounds', () => {
    fc.assert(
      fc.property(withSchedule, ([c, faults]) => {
        const known = new Set(c.nodes);
        faults.forEach((f, i) => {
          validateFault(`faults[${i}]`, f, known, 0);
          if (f.kind === 'partition') compilePartition(`faults[${i}]`, f, known);
          if (f.kind === 'link') {
            expect(f.from).not.toBe(f.to);
            if (f.reset !== true) validateLinkOverride(`faults[${i}].set`, f.set as Record<string, unknown>);
          }
        });
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('draws only node faults over a single node, since partitions and link faults need two', () => {
    fc.assert(
      fc.property(faultScheduleArbitrary({ nodes: ['solo'], horizonMs: 100 }), (faults) => {
        for (const f of faults) expect(['crash', 'powerLoss', 'restart', 'pause', 'resume']).toContain(f.kind);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('refuses an empty node list', () => {
    expect(() => faultScheduleArbitrary({ nodes: [], horizonMs: 100 })).toThrow('faultScheduleArbitrary: nodes must name at least one node');
  });

  it('shrinks a failing schedule to a single crash/restart pair starting at 0', () => {
    const arb = faultScheduleArbitrary({ nodes: ['b1', 'b2', 'b3', 'c1'], horizonMs: 2000, maxDurationMs: 500, maxWindows: 8 });
    for (const seed of [1, 2, 3]) {
      const result = fc.check(
        fc.property(arb, (faults) => !faults.some((f) => f.kind === 'crash')),
        { seed, numRuns: 500 },
      );
      expect(result.failed).toBe(true);
      expect(result.counterexample?.[0]).toEqual([
        { atMs: 0, kind: 'crash', node: 'b1' },
        { atMs: 1, kind: 'restart', node: 'b1' },
      ]);
    }
  });

  it('shrinks a schedule that fails for a partition to one isolate-the-first-node window', () => {
    const arb = faultScheduleArbitrary({ nodes: ['b1', 'b2', 'b3'], horizonMs: 2000, kinds: ['link', 'partition'] });
    const result = fc.check(
      fc.property(arb, (faults) => !faults.some((f) => f.kind === 'partition')),
      { seed: 5, numRuns: 500 },
    );
    expect(result.counterexample?.[0]).toEqual([
      { atMs: 0, kind: 'partition', isolate: 'b1' },
      { atMs: 1, kind: 'heal' },
    ]);
  });
});

describe('faultScheduleArbitrary constraints', () => {
  it('says what is wrong with its constraints instead of failing inside fast-check', () => {
    expect(() => faultScheduleArbitrary({ nodes: ['a'], horizonMs: 100, kinds: ['partition'] })).toThrow(
      'faultScheduleArbitrary: kinds ["partition"] need at least two nodes, got ["a"]',
    );
    expect(() => faultScheduleArbitrary({ nodes: ['a', 'a'], horizonMs: 100 })).toThrow('nodes must not repeat an id');
    expect(() => faultScheduleArbitrary({ nodes: ['a'], horizonMs: 0 })).toThrow('horizonMs must be an integer >= 1, got 0');
  });
});

describe('faultScheduleArbitrary for protocols on TCP', () => {
  it("with linkFaults 'latency' draws link faults that only change latency", () => {
    const arbitrary = faultScheduleArbitrary({ nodes: ['a', 'b', 'c'], horizonMs: 1_000, kinds: ['link'], linkFaults: 'latency', maxWindows: 8 });
    let links = 0;
    fc.assert(
      fc.property(arbitrary, (faults) => {
        for (const fault of faults) {
          if (fault.kind !== 'link' || fault.set === undefined) continue;
          links++;
          expect(Object.keys(fault.set)).toEqual(['latency']);
        }
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(links).toBeGreaterThan(0);
  });
});
