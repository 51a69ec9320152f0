import { describe, expect, it } from 'vitest';
import { inconsistentOffsets } from '../../src/checker/inconsistentOffsets.ts';
import { TestHistory } from './TestHistory.ts';

describe('inconsistentOffsets', () => {
  it('flags two acknowledged sends given the same offset (kafka_test.clj, version-orders "a real-world example")', () => {
    const h = new TestHistory();
    h.sendOk('379', '11', 537, '641');
    h.sendOk('363', '11', 537, '645');
    expect(inconsistentOffsets(h.ops)).toEqual({
      checker: 'inconsistent-offsets',
      valid: false,
      anomalies: { 'inconsistent-offsets': 1 },
      examples: { 'inconsistent-offsets': [{ key: '11-0', offset: 537, values: ['641', '645'] }] },
    });
  });

  it('flags a read that disagrees with another read of the same offset (version-orders-test)', () => {
    const h = new TestHistory();
    h.pollOk('p0', { x: [[0, 'a'], [1, 'b']] });
    h.pollOk('p1', { x: [[1, 'c'], [3, 'b'], [4, 'd']] });
    const result = inconsistentOffsets(h.ops);
    expect(result.anomalies).toEqual({ 'inconsistent-offsets': 1 });
    expect(result.examples['inconsistent-offsets']).toEqual([{ key: 'x-0', offset: 1, values: ['b', 'c'] }]);
  });

  it('takes no offset from an indefinite send, but a poll that returns its value places it (inconsistent-offsets-test "info conflicts")', () => {
    const h = new TestHistory();
    h.sendInfo('p0', 'x', '1');
    h.sendOk('p1', 'x', 0, '2');
    expect(inconsistentOffsets(h.ops).valid).toBe(true);

    h.pollOk('p2', { x: [[0, '1']] });
    expect(inconsistentOffsets(h.ops).examples['inconsistent-offsets']).toEqual([{ key: 'x-0', offset: 0, values: ['1', '2'] }]);
  });

  it('trusts what a failed poll returned: the broker still answered with that data', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.poll('p1', 'fail', { x: [[0, 'z']] });
    expect(inconsistentOffsets(h.ops).anomalies).toEqual({ 'inconsistent-offsets': 1 });
  });

  it('passes a consistent history, and keeps keys apart', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'y', 0, 'b');
    h.pollOk('p1', { x: [[0, 'a']], y: [[0, 'b']] });
    h.pollOk('p1', { x: [[0, 'a']] });
    expect(inconsistentOffsets(h.ops)).toEqual({ checker: 'inconsistent-offsets', valid: true, anomalies: {}, examples: {} });
  });

  it("is 'unknown' when the history places no value at any offset", () => {
    const h = new TestHistory();
    h.sendInfo('p0', 'x', 'a');
    h.pollOk('p1', {});
    expect(inconsistentOffsets(h.ops).valid).toBe('unknown');
  });
});
