import { describe, expect, it } from 'vitest';
import { finalReadLoss } from '../../src/checker/finalReadLoss.ts';
import { TestHistory } from './TestHistory.ts';

describe('finalReadLoss', () => {
  it('flags an acknowledged value read before the final read but missing from it (truncated by an unclean election)', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'x', 1, 'b');
    h.pollOk('c0', { x: [[0, 'a'], [1, 'b']] });
    const finalStart = (h.ops.at(-1)?.timeMs ?? 0) + 1;
    h.pollOk('c0', { x: [[0, 'a'], [1, 'c']] });
    const result = finalReadLoss(h.ops, finalStart);
    expect(result.valid).toBe(false);
    expect(result.anomalies).toEqual({ 'final-read-loss': 1 });
    expect(result.examples['final-read-loss']).toMatchObject([{ key: 'x-0', count: 1, messages: [{ value: 'b', offset: 1 }] }]);
  });

  it('passes when the final read returns every acknowledged value', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    const finalStart = (h.ops.at(-1)?.timeMs ?? 0) + 1;
    h.pollOk('c0', { x: [[0, 'a']] });
    expect(finalReadLoss(h.ops, finalStart)).toMatchObject({ checker: 'final-read-loss', valid: true, anomalies: {} });
  });

  it('does not judge a run without readers: there was no final read, and consumers that read everything earlier poll nothing new', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.pollOk('c0', { x: [[0, 'a']] });
    const finalStart = (h.ops.at(-1)?.timeMs ?? 0) + 1;
    h.pollOk('c0', { x: [] });
    expect(finalReadLoss(h.ops, finalStart, [])).toEqual({ checker: 'final-read-loss', valid: 'unknown', anomalies: {}, examples: {} });
    // With a reader named, the same history is judged, and the value the final read missed is reported.
    expect(finalReadLoss(h.ops, finalStart, ['c0']).anomalies).toEqual({ 'final-read-loss': 1 });
  });
});
