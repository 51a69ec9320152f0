import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fewerRecords } from '../../properties/arbitraries/fewerRecords.ts';
import { fragileMomentArbitrary, withoutOneWindow } from '../../properties/arbitraries/kafkaFaultScheduleArbitrary.ts';
import { smallSubsets, withExtraShrinks, withLastResortShrinks } from '../../properties/arbitraries/withExtraShrinks.ts';
import { workloadCalls } from '../../src/scenario/workload.ts';
import { Rng } from '../../src/kernel/Rng.ts';
import { validateScenario } from '../../src/scenario/validateScenario.ts';
import { ScenarioError } from '../../src/scenario/ScenarioError.ts';

// The shrinks added to the drawn scenarios: a fault pattern can lose one of its windows, a workload its first
// records; neither changes what a seed draws.
describe('extra shrinks', () => {
  it('draw exactly what the base arbitrary draws', () => {
    const base = fc.record({ a: fc.integer({ min: 0, max: 1_000 }), b: fc.array(fc.nat(9), { maxLength: 5 }) });
    const wrapped = withExtraShrinks(base, (v) => (v.a > 0 ? [{ ...v, a: 0 }] : []));
    expect(fc.sample(wrapped, { numRuns: 50, seed: 5 })).toEqual(fc.sample(base, { numRuns: 50, seed: 5 }));
  });

  it('try the extra values first, reaching a counterexample the base shrinks cannot, and let the base go on shrinking', () => {
    // The extra proposes a value outside what the base draws (as a workload with its first records left out is).
    const base = fc.integer({ min: 0, max: 1_000 });
    const outside = withExtraShrinks(base, (v) => (v > 100 ? [-1] : []));
    const failsOutside = (v: number) => v < 10 && v !== -1;
    expect(fc.check(fc.property(base, failsOutside), { seed: 3, numRuns: 100 }).counterexample?.[0]).toBe(10);
    expect(fc.check(fc.property(outside, failsOutside), { seed: 3, numRuns: 100 }).counterexample?.[0]).toBe(-1);
    // An extra inside the base's domain: the base shrinks it further (without context), to the same minimum.
    const inside = withExtraShrinks(base, (v) => (v >= 507 ? [v - 500] : []));
    expect(fc.check(fc.property(inside, (v) => v < 10), { seed: 3, numRuns: 100 }).counterexample?.[0]).toBe(10);
  });

  it('as a last resort, try one, two or three windows alone once no step of the base keeps the failure', () => {
    // Fails with both 3 and 8 in two or in five or more values: from five, no single removal keeps it (four passes),
    // so fast-check's own shrinks stop at five values; the pair alone is three steps away.
    const fails = (values: readonly number[]) => values.includes(3) && values.includes(8) && (values.length === 2 || values.length >= 5);
    const base = fc.array(fc.nat(9), { maxLength: 6 });
    const start = { seed: 1, numRuns: 1, examples: [[[1, 3, 5, 8, 9]]] as [number[]][] };
    const stuck = fc.check(fc.property(base, (values) => !fails(values)), start).counterexample?.[0];
    expect(stuck).toHaveLength(5);
    const lastResort = withLastResortShrinks(base, smallSubsets);
    expect(fc.check(fc.property(lastResort, (values) => !fails(values)), start).counterexample?.[0]).toEqual([3, 8]);
    // It draws what the base draws.
    expect(fc.sample(lastResort, { numRuns: 30, seed: 5 })).toEqual(fc.sample(base, { numRuns: 30, seed: 5 }));
  });

  it('propose every single element, pair and triple of more than three, in drawn order', () => {
    expect(smallSubsets(['a', 'b', 'c'])).toEqual([]);
    const subsets = smallSubsets(['a', 'b', 'c', 'd']);
    expect(subsets).toHaveLength(4 + 6 + 4);
    expect(subsets.slice(0, 5)).toEqual([['a'], ['b'], ['c'], ['d'], ['a', 'b']]);
    expect(subsets.at(-1)).toEqual(['b', 'c', 'd']);
  });

  it('leave out one window of a fragile-moment pattern, the first first', () => {
    const [pattern] = fc.sample(fragileMomentArbitrary(fc.constant('events-0'), fc.constant(0), false), { numRuns: 1, seed: 1 });
    const [first, second] = pattern ?? [];
    expect(withoutOneWindow(pattern ?? [])).toEqual([[second], [first]]);
    expect(withoutOneWindow([first as NonNullable<typeof first>])).toEqual([]);
  });

  it('propose fewer records from either end, the most removed first', () => {
    expect(fewerRecords<{ records: number; firstRecord?: number }>({ records: 10 }, 100).map((p) => [p.firstRecord, p.records])).toEqual([
      [9, 10],
      [5, 10],
      [0, 5],
      [1, 10],
      [0, 9],
    ]);
    // The cap (the most records the drawn rate allows) bounds the range; one record left has nothing smaller.
    expect(fewerRecords({ records: 200, firstRecord: 18 }, 20).map((p) => [p.firstRecord, p.records])).toEqual([
      [19, 20],
      [18, 19],
    ]);
    expect(fewerRecords({ records: 7, firstRecord: 6 }, 100)).toEqual([]);
  });
});

describe('a workload from its firstRecord', () => {
  const calls = (firstRecord?: number) =>
    [...workloadCalls([{ id: 'producer-1', workload: { topic: 't', records: 12, ratePerSec: 10, keys: { kind: 'keyspace', size: 5 }, ...(firstRecord === undefined ? {} : { firstRecord }) } }], () => 3, 1_000, new Rng(7).fork('workload'))];

  it('sends the records from firstRecord on, each with the value, key and time it has in the whole workload', () => {
    const whole = calls();
    const tail = calls(9);
    expect(tail).toEqual(whole.slice(9));
    expect(tail.map((c) => c.command.value)).toEqual(['producer-1:9', 'producer-1:10', 'producer-1:11']);
  });

  it('is refused above records, naming the field', () => {
    const scenario = { seed: 1, brokers: 3, topics: [{ name: 't', partitions: 1, replicationFactor: 3 }], producers: [{ workload: { topic: 't', records: 5, ratePerSec: 10, keys: { kind: 'null' }, firstRecord: 6 } }] };
    expect(() => validateScenario(scenario)).toThrow(ScenarioError);
    expect(() => validateScenario(scenario)).toThrow(/producers\[0\]\.workload\.firstRecord: got 6, allowed: at most records \(5\)/);
  });
});
