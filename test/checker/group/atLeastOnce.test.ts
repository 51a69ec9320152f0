import { describe, expect, it } from 'vitest';
import { atLeastOnce, groupDrained, MAX_UNPROCESSED_SHOWN } from '../../../src/checker/group/atLeastOnce.ts';
import { expectedRecords, GroupLogBuilder, range } from './groupLogBuilder.ts';

describe('atLeastOnce', () => {
  it('flags the records of orders-1 a commit went past though nobody processed them', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', range(0, 5))
      .commitAccepted('broker-1', 'm-1', 3, 3, { 'orders-1': 8 })
      .down('c1');
    expect(atLeastOnce(b.log, expectedRecords('orders-1', range(0, 10)))).toEqual({
      checker: 'at-least-once',
      valid: false,
      anomalies: { unprocessed: 3 },
      examples: { unprocessed: [{ partition: 'orders-1', count: 3, offsets: [5, 6, 7] }] },
    });
    // The records past the commit are late, not lost: a liveness result of their own.
    expect(groupDrained(b.log, expectedRecords('orders-1', range(0, 10)))).toEqual({
      checker: 'group-drained',
      valid: false,
      anomalies: { undrained: 2 },
      examples: { undrained: [{ partition: 'orders-1', count: 2, offsets: [8, 9] }] },
    });
  });

  it('counts what a crashed consumer had not reached, with nobody taking over, as undrained, not unprocessed', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', range(0, 5))
      .down('c1');
    expect(atLeastOnce(b.log, expectedRecords('orders-1', range(0, 10))).valid).toBe(true);
    expect(groupDrained(b.log, expectedRecords('orders-1', range(0, 10))).examples).toEqual({ undrained: [{ partition: 'orders-1', count: 5, offsets: [5, 6, 7, 8, 9] }] });
  });

  it('flags a record skipped below a later processed one as unprocessed', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).processed('c1', 'm-1', 3, 'orders-1', [0, 1, 3]);
    expect(atLeastOnce(b.log, expectedRecords('orders-1', range(0, 4))).examples).toEqual({ unprocessed: [{ partition: 'orders-1', count: 1, offsets: [2] }] });
    expect(groupDrained(b.log, expectedRecords('orders-1', range(0, 4))).valid).toBe(true);
  });

  it('accepts records processed twice when the next owner resumes from the last commit', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', range(0, 5))
      .down('c1')
      .owned('c2', 'm-2', 4, ['orders-1'])
      .processed('c2', 'm-2', 4, 'orders-1', range(3, 10));
    expect(atLeastOnce(b.log, expectedRecords('orders-1', range(0, 10))).valid).toBe(true);
  });

  it('does not expect the records an auto.offset.reset=latest skipped, and expects everything from the reset on', () => {
    // No committed offset: the member starts at the high watermark (5), as KafkaConsumer does under `latest`.
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 1, ['orders-1'])
      .reset('c1', 'm-1', 1, 'orders-1', 0, 5)
      .processed('c1', 'm-1', 1, 'orders-1', range(5, 8));
    expect(atLeastOnce(b.log, expectedRecords('orders-1', range(0, 8))).valid).toBe(true);
    // Record 8 came after the reset: it is still expected (late here, nobody got to it).
    expect(groupDrained(b.log, expectedRecords('orders-1', range(0, 9))).examples).toEqual({ undrained: [{ partition: 'orders-1', count: 1, offsets: [8] }] });
    // A reset skips only its own partition.
    expect(groupDrained(b.log, expectedRecords('orders-2', [0])).anomalies).toEqual({ undrained: 1 });
  });

  it('counts a record as processed only with the same offset and value', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).processed('c1', 'm-1', 3, 'orders-1', [0, 1]);
    const expected = [...expectedRecords('orders-1', [0]), { topic: 'orders', partition: 1, offset: 1, value: 'rewritten' }];
    expect(atLeastOnce(b.log, expected).examples).toEqual({ unprocessed: [{ partition: 'orders-1', count: 1, offsets: [1] }] });
  });

  it('counts only the given groups when groupIds are given', () => {
    const b = new GroupLogBuilder().group('audit').owned('a1', 'm-9', 1, ['orders-1']).processed('a1', 'm-9', 1, 'orders-1', [0, 1]);
    const expected = expectedRecords('orders-1', [0, 1]);
    expect(atLeastOnce(b.log, expected).valid).toBe(true);
    expect(groupDrained(b.log, expected, ['billing']).anomalies).toEqual({ undrained: 2 });
  });

  it('lists at most 20 offsets of a partition but counts them all', () => {
    const result = groupDrained([], expectedRecords('orders-1', range(0, 30)));
    expect(result.anomalies).toEqual({ undrained: 30 });
    expect(result.examples.undrained).toEqual([{ partition: 'orders-1', count: 30, offsets: range(0, MAX_UNPROCESSED_SHOWN) }]);
  });

  it("is 'unknown' when the final read found no records", () => {
    expect(atLeastOnce(new GroupLogBuilder().owned('c1', 'm-1', 1, ['orders-1']).log, []).valid).toBe('unknown');
  });
});
