import { describe, expect, it } from 'vitest';
import { g1a } from '../../src/checker/g1a.ts';
import { TestHistory } from './TestHistory.ts';

describe('g1a', () => {
  it('flags an ok poll that returned the value of a failed send (g1a-test)', () => {
    const h = new TestHistory();
    const sendX = h.sendFail('p0', 'x', '2');
    h.sendFail('p0', 'y', '3');
    const poll = h.pollOk('p1', { x: [[0, '2']] });
    expect(g1a(h.ops)).toEqual({
      checker: 'G1a',
      valid: false,
      anomalies: { G1a: 1 },
      examples: { G1a: [{ key: 'x-0', value: '2', offset: 0, writerOp: sendX, readerOp: poll }] },
    });
  });

  it('matches a failed send by value even when it never learned its partition', () => {
    const h = new TestHistory();
    h.sendFail('p0', 'x', 'v');
    h.pollOk('p1', { 'x-2': [[4, 'v']] });
    expect(g1a(h.ops).anomalies).toEqual({ G1a: 1 });
  });

  it('passes reads of indefinite sends, and failed sends seen only by failed polls', () => {
    const h = new TestHistory();
    h.sendInfo('p0', 'x', 'maybe');
    h.sendFail('p0', 'x', 'failed');
    h.pollOk('p1', { x: [[0, 'maybe']] });
    h.poll('p1', 'fail', { x: [[1, 'failed']] });
    expect(g1a(h.ops)).toEqual({ checker: 'G1a', valid: true, anomalies: {}, examples: {} });
  });

  it("is 'unknown' when no ok poll returned anything", () => {
    const h = new TestHistory();
    h.sendFail('p0', 'x', 'failed');
    expect(g1a(h.ops).valid).toBe('unknown');
  });
});
