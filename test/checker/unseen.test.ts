import { describe, expect, it } from 'vitest';
import { MAX_UNSEEN_MESSAGES, unseen } from '../../src/checker/unseen.ts';
import { TestHistory } from './TestHistory.ts';

describe('unseen', () => {
  it('counts acknowledged values no ok poll returned, with the messages of each key', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    const sendC = h.sendOk('p0', 'x', 2, 'c');
    const sendB = h.sendOk('p1', 'x', 1, 'b');
    const sendD = h.sendOk('p1', 'y', 0, 'd');
    h.pollOk('p2', { x: [[0, 'a']] });
    expect(unseen(h.ops)).toEqual({
      checker: 'unseen',
      valid: false,
      anomalies: { unseen: 3 },
      examples: {
        unseen: [
          {
            key: 'x-0',
            count: 2,
            messages: [
              { value: 'b', offset: 1, sendOp: sendB },
              { value: 'c', offset: 2, sendOp: sendC },
            ],
          },
          { key: 'y-0', count: 1, messages: [{ value: 'd', offset: 0, sendOp: sendD }] },
        ],
      },
    });
  });

  it('ignores indefinite and failed sends, and counts only ok polls as seeing', () => {
    const h = new TestHistory();
    h.sendInfo('p0', 'x', 'maybe');
    h.sendFail('p0', 'x', 'failed');
    h.sendOk('p0', 'x', 0, 'a');
    h.poll('p1', 'fail', { x: [[0, 'a']] });
    expect(unseen(h.ops).anomalies).toEqual({ unseen: 1 });
    h.pollOk('p1', { x: [[0, 'a']] });
    expect(unseen(h.ops)).toEqual({ checker: 'unseen', valid: true, anomalies: {}, examples: {} });
  });

  it('lists at most 32 messages of a key but counts them all', () => {
    const h = new TestHistory();
    for (let offset = 0; offset < 40; offset++) h.sendOk('p0', 'x', offset, `v${offset}`);
    const result = unseen(h.ops);
    expect(result.anomalies).toEqual({ unseen: 40 });
    const [only] = result.examples.unseen as Array<{ count: number; messages: unknown[] }>;
    expect(only?.count).toBe(40);
    expect(only?.messages).toHaveLength(MAX_UNSEEN_MESSAGES);
  });

  it("is 'unknown' when nothing was acknowledged", () => {
    const h = new TestHistory();
    h.sendInfo('p0', 'x', 'a');
    expect(unseen(h.ops).valid).toBe('unknown');
  });
});
