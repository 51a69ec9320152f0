import { describe, expect, it } from 'vitest';
import { nonmonotonicSend } from '../../src/checker/nonmonotonicSend.ts';
import { TestHistory } from './TestHistory.ts';

describe('nonmonotonicSend', () => {
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
