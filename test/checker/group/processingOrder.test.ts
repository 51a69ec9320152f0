import { describe, expect, it } from 'vitest';
import { processingOrder } from '../../../src/checker/group/processingOrder.ts';
import { GroupLogBuilder, range } from './groupLogBuilder.ts';

describe('processingOrder', () => {
  it('accepts each member processing its partitions in offset order, interleaved', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-0', 'orders-1'])
      .processed('c1', 'm-1', 3, 'orders-0', [0, 1])
      .processed('c1', 'm-1', 3, 'orders-1', [4, 5])
      .processed('c1', 'm-1', 3, 'orders-0', [2, 3]);
    expect(processingOrder(b.log)).toEqual({ checker: 'processing-order', valid: true, anomalies: {}, examples: {} });
  });

  it('flags member m-1 of generation 3 processing orders-1 offset 6 again after 7', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).processed('c1', 'm-1', 3, 'orders-1', [5, 6, 7, 6]);
    expect(processingOrder(b.log)).toEqual({
      checker: 'processing-order',
      valid: false,
      anomalies: { 'nonmonotonic-processing': 1 },
      examples: {
        'nonmonotonic-processing': [
          { groupId: 'billing', partition: 'orders-1', node: 'c1', memberId: 'm-1', generation: 3, offsets: [7, 6], timeMs: [3, 4] },
        ],
      },
    });
  });

  it('flags member m-1 jumping from orders-1 offset 7 to 9', () => {
    const b = new GroupLogBuilder().owned('c1', 'm-1', 3, ['orders-1']).processed('c1', 'm-1', 3, 'orders-1', [6, 7, 9, 10]);
    expect(processingOrder(b.log)).toEqual({
      checker: 'processing-order',
      valid: false,
      anomalies: { 'processing-skip': 1 },
      examples: {
        'processing-skip': [
          { groupId: 'billing', partition: 'orders-1', node: 'c1', memberId: 'm-1', generation: 3, offsets: [7, 9], timeMs: [2, 3] },
        ],
      },
    });
  });

  it('starts a fresh run after a crash: the restarted consumer reprocesses from the last commit', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', range(0, 6))
      .down('c1')
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', range(3, 8));
    expect(processingOrder(b.log).valid).toBe(true);
  });

  it('starts a fresh run in a new generation, and only then', () => {
    const rebalanced = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', [0, 1, 2])
      .owned('c1', 'm-1', 4, ['orders-1'])
      .processed('c1', 'm-1', 4, 'orders-1', [1, 2, 3]);
    expect(processingOrder(rebalanced.log).valid).toBe(true);
    const sameGeneration = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', [0, 1, 2])
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', [1, 2, 3]);
    expect(processingOrder(sameGeneration.log).anomalies).toEqual({ 'nonmonotonic-processing': 1 });
  });

  it('ends the run of a revoked partition but not of the partitions kept', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-0', 'orders-1'])
      .processed('c1', 'm-1', 3, 'orders-0', [0, 1, 2])
      .processed('c1', 'm-1', 3, 'orders-1', [0, 1, 2])
      .owned('c1', 'm-1', 3, ['orders-0'])
      .owned('c1', 'm-1', 3, ['orders-0', 'orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', [1, 2])
      .processed('c1', 'm-1', 3, 'orders-0', [1]);
    const result = processingOrder(b.log);
    expect(result.anomalies).toEqual({ 'nonmonotonic-processing': 1 });
    expect(result.examples['nonmonotonic-processing']).toMatchObject([{ partition: 'orders-0', offsets: [2, 1] }]);
  });

  it("keeps one node's runs apart from another's", () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .owned('c2', 'm-2', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', [0])
      .processed('c2', 'm-2', 3, 'orders-1', [0])
      .processed('c1', 'm-1', 3, 'orders-1', [1])
      .processed('c2', 'm-2', 3, 'orders-1', [1]);
    expect(processingOrder(b.log).valid).toBe(true);
  });

  it("is 'unknown' when no run processed two records", () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-0', 'orders-1'])
      .processed('c1', 'm-1', 3, 'orders-0', [4])
      .processed('c1', 'm-1', 3, 'orders-1', [9])
      .down('c1')
      .processed('c1', 'm-1', 3, 'orders-1', [2]);
    expect(processingOrder(b.log).valid).toBe('unknown');
  });
});
