import { describe, expect, it } from 'vitest';
import { describeFault, faultKinds, validateFault, validateLinkOverride, type Fault } from '../../src/faults/Fault.ts';
import { ArgumentError } from '../../src/kernel/argumentError.ts';

const known = new Set(['b1', 'b2', 'c1']);
const WHERE = 'world.schedule: faults[0]';

function errorOf(run: () => unknown): ArgumentError {
  try {
    run();
  } catch (err) {
    if (err instanceof ArgumentError) return err;
    throw err;
  }
  throw new Error('expected an ArgumentError');
}

const validate = (fault: unknown, nowMs = 0) => validateFault(WHERE, fault, known, nowMs);

describe('validateFault', () => {
  const valid: Fault[] = [
    { atMs: 0, kind: 'crash', node: 'b1' },
    { atMs: 10, kind: 'powerLoss', node: 'b2' },
    { atMs: 10, kind: 'restart', node: 'b1' },
    { atMs: 15, kind: 'shutdown', node: 'b1' },
    { atMs: 20.5, kind: 'pause', node: 'c1' },
    { atMs: 30, kind: 'resume', node: 'c1' },
    { atMs: 40, kind: 'partition', groups: [['b1'], ['b2', 'c1']] },
    { atMs: 40, kind: 'partition', isolate: 'b1' },
    { atMs: 50, kind: 'heal' },
    { atMs: 60, kind: 'link', from: 'b1', to: 'b2', set: { dropProbability: 0.5, latency: { kind: 'constant', ms: 20 } } },
    { atMs: 60, kind: 'link', from: 'b1', to: 'b2', bidirectional: true, set: { spike: { probability: 0.1, extraMs: 80 } } },
    { atMs: 70, kind: 'link', from: 'b2', to: 'b1', reset: true },
  ];

  for (const fault of valid) {
    it(`accepts ${describeFault(fault)}, returning the fault itself`, () => {
      expect(validate(fault)).toBe(fault);
    });
  }

  it('covers every fault kind in the list above', () => {
    expect([...new Set(valid.map((f) => f.kind))].sort()).toEqual([...faultKinds].sort());
  });

  it('rejects something that is not an object', () => {
    expect(errorOf(() => validate(null)).message).toBe(`${WHERE}: fault must be an object with atMs and kind, got null`);
    expect(errorOf(() => validate('crash')).message).toBe(`${WHERE}: fault must be an object with atMs and kind, got "crash"`);
  });

  it('rejects an atMs that is missing, not finite or before now, naming the value and the bound', () => {
    expect(errorOf(() => validate({ kind: 'heal' })).message).toBe(`${WHERE}: atMs must be a finite number >= 0, got undefined`);
    expect(errorOf(() => validate({ atMs: Number.NaN, kind: 'heal' })).message).toContain('atMs must be a finite number >= 0, got NaN');
    expect(errorOf(() => validate({ atMs: Infinity, kind: 'heal' })).message).toContain('got Infinity');
    expect(errorOf(() => validate({ atMs: '5', kind: 'heal' })).message).toContain('got "5"');
    expect(errorOf(() => validate({ atMs: 99, kind: 'heal' }, 100)).message).toBe(`${WHERE}: atMs must be a finite number >= 100, got 99`);
    expect(validate({ atMs: 100, kind: 'heal' }, 100)).toEqual({ atMs: 100, kind: 'heal' });
  });

  it('rejects an unknown kind, listing the allowed ones', () => {
    const err = errorOf(() => validate({ atMs: 0, kind: 'explode' }));
    expect(err.message).toBe(`${WHERE}: kind must be one of crash, powerLoss, shutdown, restart, pause, resume, partition, heal, link, got "explode"`);
    expect(err).toMatchObject({ where: WHERE, argument: 'kind', value: 'explode' });
    expect(errorOf(() => validate({ atMs: 0 })).message).toContain('kind must be one of');
  });

  it('rejects a node fault on an unknown or missing node, listing the known ones', () => {
    expect(errorOf(() => validate({ atMs: 0, kind: 'crash', node: 'b9' })).message).toBe(
      `${WHERE}: node must be a known node id (b1, b2, c1), got "b9"`,
    );
    expect(errorOf(() => validate({ atMs: 0, kind: 'pause' })).message).toContain('node must be a known node id (b1, b2, c1), got undefined');
    expect(errorOf(() => validateFault(WHERE, { atMs: 0, kind: 'restart', node: 'b1' }, new Set(), 0)).message).toContain(
      'node must be a known node id (none yet), got "b1"',
    );
  });

  it('rejects a link fault with an unknown end, or with neither settings nor reset', () => {
    expect(errorOf(() => validate({ atMs: 0, kind: 'link', from: 'x', to: 'b1', reset: true })).argument).toBe('from');
    expect(errorOf(() => validate({ atMs: 0, kind: 'link', from: 'b1', to: 'x', reset: true })).argument).toBe('to');
    expect(errorOf(() => validate({ atMs: 0, kind: 'link', from: 'b1', to: 'b2' })).message).toBe(
      `${WHERE}: set must be an object of link settings (or reset: true), got undefined`,
    );
    expect(errorOf(() => validate({ atMs: 0, kind: 'link', from: 'b1', to: 'b2', set: null })).message).toContain('set must be an object');
  });

  it('checks a link fault’s settings under `where.set`', () => {
    const err = errorOf(() => validate({ atMs: 0, kind: 'link', from: 'b1', to: 'b2', set: { dropProbability: 1.5 } }));
    expect(err.message).toBe(`${WHERE}.set: dropProbability must be a probability between 0 and 1, got 1.5`);
  });

  it('leaves a partition’s own shape to compilePartition', () => {
    // validateFault checks time and kind only; the World compiles the partition right after.
    const fault = { atMs: 0, kind: 'partition', groups: [['nobody']] };
    expect(validate(fault)).toBe(fault);
  });
});

describe('validateLinkOverride', () => {
  const where = 'createWorld: network.defaults';
  const check = (override: Record<string, unknown>) => validateLinkOverride(where, override);

  it('accepts an empty override and every known setting at its bounds', () => {
    expect(check({})).toEqual({});
    const full = {
      latency: { kind: 'uniform', minMs: 0, maxMs: 0 },
      spike: { probability: 1, extraMs: 0 },
      dropProbability: 0,
      duplicateProbability: 1,
      reorderProbability: 0.5,
    };
    expect(check(full)).toBe(full);
    expect(check({ latency: { kind: 'constant', ms: 0 } })).toBeDefined();
    expect(check({ latency: { kind: 'exponential', meanMs: 4 } })).toBeDefined();
    expect(check({ latency: { kind: 'exponential', meanMs: 4, minMs: 1 } })).toBeDefined();
    expect(check({ dropProbability: undefined })).toBeDefined();
  });

  // Regression (fixed): validateLinkOverride starts with Object.keys(override), which throws a bare TypeError ("Cannot convert
  // undefined or null to object") for null before any check can name the argument. It is reached from
  // createWorld: `createWorld({ seed: 1, network: { defaults: null } })` fails with that TypeError instead of
  // "createWorld: network.defaults: ... must be an object of link settings, got null". Failing input: null.
  it('rejects an override that is null with an ArgumentError naming the value', () => {
    const err = errorOf(() => check(null as never));
    expect(err.message).toContain('got null');
  });

  it('rejects an unknown setting, listing the known ones', () => {
    expect(errorOf(() => check({ jitter: 3 })).message).toBe(
      `${where}: jitter must be a known link setting (latency, spike, dropProbability, duplicateProbability, reorderProbability), got 3`,
    );
  });

  it('rejects probabilities outside [0, 1], NaN and non-numbers', () => {
    for (const key of ['dropProbability', 'duplicateProbability', 'reorderProbability']) {
      expect(errorOf(() => check({ [key]: -0.01 })).message).toBe(`${where}: ${key} must be a probability between 0 and 1, got -0.01`);
      expect(errorOf(() => check({ [key]: 1.01 })).message).toContain('got 1.01');
      expect(errorOf(() => check({ [key]: Number.NaN })).message).toContain('got NaN');
      expect(errorOf(() => check({ [key]: '0.5' })).message).toContain('got "0.5"');
    }
  });

  it('rejects negative or infinite latencies, and a uniform range upside down', () => {
    expect(errorOf(() => check({ latency: { kind: 'constant', ms: -1 } })).message).toBe(
      `${where}: latency.ms must be a finite number >= 0, got -1`,
    );
    expect(errorOf(() => check({ latency: { kind: 'constant', ms: Infinity } })).message).toContain('latency.ms must be a finite number >= 0, got Infinity');
    expect(errorOf(() => check({ latency: { kind: 'uniform', minMs: -2, maxMs: 3 } })).message).toContain('latency.minMs must be a finite number >= 0, got -2');
    expect(errorOf(() => check({ latency: { kind: 'uniform', minMs: 5, maxMs: 1 } })).message).toBe(
      `${where}: latency.maxMs must be a finite number >= 5, got 1`,
    );
    expect(errorOf(() => check({ latency: { kind: 'exponential', meanMs: -4 } })).message).toContain('latency.meanMs must be a finite number >= 0, got -4');
    expect(errorOf(() => check({ latency: { kind: 'exponential', meanMs: 4, minMs: Number.NaN } })).message).toContain('latency.minMs must be a finite number >= 0, got NaN');
  });

  it('rejects a latency that is not one of the three shapes', () => {
    expect(errorOf(() => check({ latency: { kind: 'normal', meanMs: 4 } })).message).toBe(
      `${where}: latency.kind must be { kind: 'constant', ms } | { kind: 'uniform', minMs, maxMs } | { kind: 'exponential', meanMs, minMs? }, got "normal"`,
    );
    expect(errorOf(() => check({ latency: 5 })).argument).toBe('latency');
    expect(errorOf(() => check({ latency: null })).argument).toBe('latency');
  });

  it('rejects a spike that is not an object or is out of bounds', () => {
    expect(errorOf(() => check({ spike: null })).message).toBe(`${where}: spike must be { probability, extraMs }, got null`);
    expect(errorOf(() => check({ spike: { probability: 2, extraMs: 1 } })).message).toContain('spike.probability must be a probability between 0 and 1, got 2');
    expect(errorOf(() => check({ spike: { probability: 0.5, extraMs: -1 } })).message).toContain('spike.extraMs must be a finite number >= 0, got -1');
    expect(errorOf(() => check({ spike: { probability: 0.5 } })).message).toContain('spike.extraMs must be a finite number >= 0, got undefined');
  });
});

describe('describeFault', () => {
  it('puts the time and kind first, then the other fields as JSON', () => {
    expect(describeFault({ atMs: 100, kind: 'crash', node: 'b1' })).toBe('100 ms crash {"node":"b1"}');
    expect(describeFault({ atMs: 0, kind: 'heal' })).toBe('0 ms heal {}');
    expect(describeFault({ atMs: 5, kind: 'partition', groups: [['b1'], ['b2']] })).toBe('5 ms partition {"groups":[["b1"],["b2"]]}');
    expect(describeFault({ atMs: 7, kind: 'link', from: 'b1', to: 'b2', reset: true })).toBe('7 ms link {"from":"b1","to":"b2","reset":true}');
  });

  it('cuts a very long description short', () => {
    const groups = [Array.from({ length: 40 }, (_, i) => `broker-${i}`), ['c1']];
    const text = describeFault({ atMs: 1, kind: 'partition', groups });
    expect(text.startsWith('1 ms partition {"groups":[["broker-0"')).toBe(true);
    expect(text.endsWith('...')).toBe(true);
    expect(text.length).toBe('1 ms partition '.length + 120);
  });
});

describe('link faults are checked field by field', () => {
  const known = new Set(['a', 'b']);
  const where = 'world.schedule: faults[0]';
  it('rejects a link from a node to itself', () => {
    expect(() => validateFault(where, { atMs: 0, kind: 'link', from: 'a', to: 'a', set: {} }, known, 0)).toThrow(
      'to must be a node other than from (a), got "a"',
    );
  });
  it('rejects a non-boolean bidirectional and a reset that also sets', () => {
    expect(() => validateFault(where, { atMs: 0, kind: 'link', from: 'a', to: 'b', bidirectional: 'yes', set: {} }, known, 0)).toThrow(
      'bidirectional must be true or false, got "yes"',
    );
    expect(() =>
      validateFault(where, { atMs: 0, kind: 'link', from: 'a', to: 'b', reset: true, set: { dropProbability: 5 } }, known, 0),
    ).toThrow('set must be left out when reset is true');
  });
});
