import { describe, expect, it } from 'vitest';
import { nonmonotonicSend } from '../../src/checker/nonmonotonicSend.ts';
import { HistoryRecorder } from '../../src/history/History.ts';
import { TestHistory } from './TestHistory.ts';

// A producer's pipelined sends: both invoked, then completed in `completionOrder`, landing at `offsets`.
function pipelined(offsets: { a: number; b: number }, completionOrder: Array<'a' | 'b'>) {
  const recorder = new HistoryRecorder();
  const invoked = {
    a: recorder.invoke('producer', 'send', { topic: 'x', key: null, value: 'a' }, 0),
    b: recorder.invoke('producer', 'send', { topic: 'x', key: null, value: 'b' }, 0),
  };
  for (const value of completionOrder) {
    recorder.complete(invoked[value], 'ok', { topic: 'x', partition: 0, offset: offsets[value], key: null, value }, 1);
  }
  return recorder.operations();
}

describe('nonmonotonicSend', () => {
  it('compares pipelined sends in send order: a retried first batch landing after the second is flagged (bug P1)', () => {
    // Completion order is monotonic (b at 10, then a at 11); send order is not.
    expect(nonmonotonicSend(pipelined({ a: 11, b: 10 }, ['b', 'a'])).examples['nonmonotonic-send']).toMatchObject([
      { process: 'producer', values: ['a', 'b'], offsets: [11, 10] },
    ]);
  });

  it('accepts pipelined sends that land in send order, whatever order they complete in', () => {
    expect(nonmonotonicSend(pipelined({ a: 10, b: 11 }, ['b', 'a'])).valid).toBe(true);
  });

  it("flags a process's send that landed before its previous send to the key (nonmonotonic-send-test)", () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 3, 'c');
    const sendD = h.sendOk('p0', 'x', 4, 'd');
    const sendA = h.sendOk('p0', 'x', 1, 'a');
    h.sendOk('p0', 'x', 2, 'b');
    expect(nonmonotonicSend(h.ops)).toEqual({
      checker: 'nonmonotonic-send',
      valid: false,
      anomalies: { 'nonmonotonic-send': 1 },
      examples: {
        'nonmonotonic-send': [{ key: 'x-0', process: 'p0', values: ['d', 'a'], offsets: [4, 1], delta: -3, ops: [sendD, sendA] }],
      },
    });
  });

  it('measures delta in known offsets, as Jepsen does, and flags landing at the same offset (delta 0)', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 4, 'a');
    h.sendOk('p0', 'x', 10, 'b');
    h.sendOk('p0', 'x', 10, 'c');
    h.sendOk('p1', 'x', 4, 'a2');
    h.sendOk('p1', 'x', 4, 'b2');
    expect(nonmonotonicSend(h.ops).examples['nonmonotonic-send']).toMatchObject([
      { process: 'p0', values: ['b', 'c'], offsets: [10, 10], delta: 0 },
      { process: 'p1', values: ['a2', 'b2'], offsets: [4, 4], delta: 0 },
    ]);
    const h2 = new TestHistory();
    h2.sendOk('p0', 'x', 10, 'b');
    h2.sendOk('p0', 'x', 4, 'a');
    expect(nonmonotonicSend(h2.ops).examples['nonmonotonic-send']).toMatchObject([{ offsets: [10, 4], delta: -1 }]);
  });

  it('keeps judging across assign, subscribe and crash: they do not change the real-time order of acknowledged sends', () => {
    // Jepsen forgets the last sends to keys a process stops consuming (the "with intermediate subscribe" cases);
    // kafka-sim does not, since a producer's acknowledged sends are ordered whatever its consumer does.
    const h = new TestHistory();
    h.sendOk('p0', 'x', 4, 'd');
    h.subscribe('p0', ['y']);
    h.assign('p0', ['y-0'], 'info');
    h.crash('p0');
    h.sendOk('p0', 'x', 1, 'a');
    expect(nonmonotonicSend(h.ops).anomalies).toEqual({ 'nonmonotonic-send': 1 });
  });

  it('passes other processes landing lower, other keys, and indefinite sends in between', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 5, 'a');
    h.sendOk('p1', 'x', 2, 'b');
    h.sendOk('p0', 'y', 0, 'c');
    h.sendInfo('p0', 'x', 'retried-later');
    h.sendOk('p0', 'x', 6, 'd');
    h.sendOk('p1', 'x', 7, 'e');
    expect(nonmonotonicSend(h.ops)).toEqual({ checker: 'nonmonotonic-send', valid: true, anomalies: {}, examples: {} });
  });

  it("is 'unknown' when no process acknowledged two sends to one key", () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'y', 0, 'b');
    h.sendOk('p1', 'x', 1, 'c');
    expect(nonmonotonicSend(h.ops).valid).toBe('unknown');
  });
});
