import { describe, expect, it } from 'vitest';
import { MAX_EXAMPLES } from '../../src/checker/CheckResult.ts';
import { duplicate } from '../../src/checker/duplicate.ts';
import { inconsistentOffsets } from '../../src/checker/inconsistentOffsets.ts';
import { TestHistory } from './TestHistory.ts';

describe('duplicate', () => {
  it('flags a value acknowledged at one offset and read at another (duplicate-test "basic")', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 1, 'a');
    h.sendInfo('p1', 'x', 'b');
    h.pollOk('p2', { x: [[2, 'b'], [3, 'a']] });
    expect(duplicate(h.ops)).toEqual({
      checker: 'duplicate',
      valid: false,
      anomalies: { duplicate: 1 },
      examples: { duplicate: [{ key: 'x-0', value: 'a', count: 2, offsets: [1, 3] }] },
    });
  });

  it('flags every value of many that share two offsets, keeping 8 examples (duplicate-test "hash-insensitive")', () => {
    const h = new TestHistory();
    const values = Array.from({ length: 10 }, (_, i) => String(i));
    for (const value of values) {
      h.sendOk('p0', 'x', 0, value);
      h.pollOk('p1', { x: [[1, value]] });
    }
    const result = duplicate(h.ops);
    expect(result.anomalies).toEqual({ duplicate: 10 });
    expect(result.examples.duplicate).toHaveLength(MAX_EXAMPLES);
    expect(result.examples.duplicate?.[0]).toEqual({ key: 'x-0', value: '0', count: 2, offsets: [0, 1] });
    // While we are here, as Jepsen's test does: both offsets hold all ten values.
    expect(inconsistentOffsets(h.ops).examples['inconsistent-offsets']).toEqual([
      { key: 'x-0', offset: 0, values },
      { key: 'x-0', offset: 1, values },
    ]);
  });

  it("flags a duplicate that only a failed poll shows, but not a failed send's value (duplicate-test \"aborted txns\")", () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 1, '0');
    h.sendFail('p0', 'x', '1');
    h.poll('p1', 'fail', { x: [[11, '0'], [12, '1']] });
    expect(duplicate(h.ops).examples.duplicate).toEqual([{ key: 'x-0', value: '0', count: 2, offsets: [1, 11] }]);
  });

  it('passes a consumer that reads the same offsets again (that is a nonmonotonic poll, not a duplicate)', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'x', 1, 'b');
    h.pollOk('p1', { x: [[0, 'a'], [1, 'b']] });
    h.pollOk('p1', { x: [[0, 'a'], [1, 'b']] });
    h.pollOk('p2', { x: [[1, 'b']] });
    expect(duplicate(h.ops)).toEqual({ checker: 'duplicate', valid: true, anomalies: {}, examples: {} });
  });

  it('does not call one value on two partitions a duplicate: the version order is per key', () => {
    const h = new TestHistory();
    h.pollOk('p1', { 'x-0': [[0, 'a']], 'x-1': [[5, 'a']] });
    expect(duplicate(h.ops).valid).toBe(true);
  });

  it("is 'unknown' on an empty history", () => {
    expect(duplicate([]).valid).toBe('unknown');
  });
});
