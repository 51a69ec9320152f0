import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Draw } from '../../../actors/producer/Draw.ts';
import { choosePartition, emptyPartitionerState, onNewBatch } from '../../../actors/producer/partitioner.ts';
import type { PartitionerOptions, PartitionerState, PartitionInput } from '../../../actors/producer/partitioner.ts';
import { partitionForKey } from '../../../src/protocol/index.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';

const constantDraw = (value: number): Draw => ({ next: () => value });
const roundRobin: PartitionerOptions = { partitioner: 'round-robin', draw: constantDraw(0) };
const sticky = (values: number[]): PartitionerOptions => {
  let i = 0;
  return { partitioner: 'sticky', draw: { next: () => values[i++ % values.length] ?? 0 } };
};
const all = (n: number) => Array.from({ length: n }, (_, i) => i);
const input = (overrides: Partial<PartitionInput> = {}): PartitionInput => ({
  topic: 't',
  key: null,
  numPartitions: 4,
  availablePartitions: all(4),
  ...overrides,
});

/** The partitions `count` null-key records go to, threading the state. */
function place(count: number, base: Partial<PartitionInput>, options: PartitionerOptions, start = emptyPartitionerState()) {
  let state: PartitionerState = start;
  const partitions: number[] = [];
  for (let i = 0; i < count; i++) {
    const choice = choosePartition(state, input(base), options);
    partitions.push(choice.partition);
    state = choice.state;
  }
  return { partitions, state };
}

describe('choosePartition', () => {
  it('uses an explicit partition, even 0, over the key and over availability', () => {
    const choice = choosePartition(emptyPartitionerState(), input({ partition: 0, key: 'k', availablePartitions: [3] }), roundRobin);
    expect(choice.partition).toBe(0);
    expect(choice.state).toEqual(emptyPartitionerState());
  });

  it('sends the same key to the same partition every time: toPositive(murmur2(utf8(key))) % all partitions', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, numPartitions) => {
        const first = choosePartition(emptyPartitionerState(), input({ key, numPartitions, availablePartitions: [] }), roundRobin);
        const again = choosePartition(first.state, input({ key, numPartitions, availablePartitions: all(numPartitions) }), roundRobin);
        return first.partition === partitionForKey(key, numPartitions) && again.partition === first.partition;
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('hashes the empty key instead of treating it as null', () => {
    expect(choosePartition(emptyPartitionerState(), input({ key: '' }), roundRobin).partition).toBe(partitionForKey('', 4));
  });

  it('keeps a keyed record on its partition even when that partition has no leader', () => {
    const key = 'foobar';
    const target = partitionForKey(key, 4);
    const others = all(4).filter((p) => p !== target);
    expect(choosePartition(emptyPartitionerState(), input({ key, availablePartitions: others }), roundRobin).partition).toBe(target);
  });

  it('spreads null keys round-robin: per-partition counts differ by at most 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (n, count, start) => {
        const { partitions } = place(count, { numPartitions: n, availablePartitions: all(n) }, { partitioner: 'round-robin', draw: constantDraw(start) });
        const counts = all(n).map((p) => partitions.filter((q) => q === p).length);
        return Math.max(...counts) - Math.min(...counts) <= 1;
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('the same spread check fails for the sticky partitioner, which keeps to one partition between batches', () => {
    const { partitions } = place(8, {}, sticky([0.3]));
    const counts = all(4).map((p) => partitions.filter((q) => q === p).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBe(8);
  });

  it('starts the round-robin counter at a drawn int and cycles in partition order, per topic', () => {
    expect(place(6, {}, roundRobin).partitions).toEqual([0, 1, 2, 3, 0, 1]);
    // 0.5 draws 2^31, which is Integer.MIN_VALUE as a Java int: toPositive gives 0.
    expect(place(3, {}, { partitioner: 'round-robin', draw: constantDraw(0.5) }).partitions).toEqual([0, 1, 2]);
    const { state } = place(2, {}, roundRobin);
    expect(place(2, { topic: 'other' }, roundRobin, state).partitions).toEqual([0, 1]);
  });

  it('counts over available partitions only (those with a leader), and over all of them when none is available', () => {
    expect(place(4, { availablePartitions: [1, 3] }, roundRobin).partitions).toEqual([1, 3, 1, 3]);
    expect(place(5, { availablePartitions: [] }, roundRobin).partitions).toEqual([0, 1, 2, 3, 0]);
  });

  it('keeps its state JSON-safe', () => {
    const { state } = place(3, {}, sticky([0.3]));
    expect(JSON.parse(JSON.stringify(place(3, {}, roundRobin, state).state))).toEqual(place(3, {}, roundRobin, state).state);
  });

  it('refuses an explicit partition outside the topic', () => {
    expect(() => choosePartition(emptyPartitionerState(), input({ partition: 4 }), roundRobin)).toThrow(/partition must be an integer in \[0, 4\)/);
    expect(() => choosePartition(emptyPartitionerState(), input({ numPartitions: 0 }), roundRobin)).toThrow(/numPartitions/);
  });
});

describe('the sticky null-key partitioner (KIP-480)', () => {
  it('stays on one partition until a new batch is needed, then moves to a different available one', () => {
    const options = sticky([0.6, 0.6, 0.1]);
    const { partitions, state } = place(5, {}, options);
    expect(partitions).toEqual([2, 2, 2, 2, 2]);
    const moved = onNewBatch(state, { topic: 't', prevPartition: 2, numPartitions: 4, availablePartitions: all(4) }, options.draw);
    // The next draw (0.6) lands on 2 again, so the loop draws once more (0.1) and moves to 0.
    expect(choosePartition(moved, input(), options).partition).toBe(0);
  });

  it('ignores a new batch on a partition that is no longer the sticky one', () => {
    const { state } = place(1, {}, sticky([0.6]));
    expect(onNewBatch(state, { topic: 't', prevPartition: 1, numPartitions: 4, availablePartitions: all(4) }, constantDraw(0))).toBe(state);
  });

  it('takes the only available partition, or any partition when none is available', () => {
    const state = emptyPartitionerState();
    expect(onNewBatch(state, { topic: 't', prevPartition: -1, numPartitions: 4, availablePartitions: [3] }, constantDraw(0)).sticky).toEqual({ t: 3 });
    expect(onNewBatch(state, { topic: 't', prevPartition: -1, numPartitions: 4, availablePartitions: [] }, constantDraw(0.5)).sticky).toEqual({ t: 2 });
  });
});
