import { describe, expect, it } from 'vitest';
import { nonmonotonicPoll } from '../../src/checker/nonmonotonicPoll.ts';
import { TestHistory } from './TestHistory.ts';

/** Process p0 polls 1 2 3, then reads 2 again (nonmonotonic-poll-test), with `between` run in between. */
function rereadAfter(between: (h: TestHistory) => void): { h: TestHistory; first: number; second: number } {
  const h = new TestHistory();
  for (const value of ['a', 'b', 'c', 'd']) h.sendInfo('p9', 'x', value);
  const first = h.pollOk('p0', { x: [[1, 'a'], [2, 'b'], [3, 'c']] });
  between(h);
  const second = h.pollOk('p0', { x: [[2, 'b'], [3, 'c'], [4, 'd']] });
  return { h, first, second };
}

describe('nonmonotonicPoll', () => {
  it("flags a poll that starts at or before where the process's previous poll of the key ended (nonmonotonic-poll-test)", () => {
    const { h, first, second } = rereadAfter(() => {});
    expect(nonmonotonicPoll(h.ops)).toEqual({
      checker: 'nonmonotonic-poll',
      valid: false,
      anomalies: { 'nonmonotonic-poll': 1 },
      examples: {
        'nonmonotonic-poll': [{ key: 'x-0', process: 'p0', values: ['c', 'b'], offsets: [3, 2], delta: -1, ops: [first, second] }],
      },
    });
  });

  it('keeps judging across a commit, a failed assign and other processes', () => {
    const { h } = rereadAfter((h) => {
      h.commit('p0', { 'x-0': 4 });
      h.assign('p0', ['y-0'], 'fail');
      h.pollOk('p1', { x: [[0, 'z']] });
    });
    expect(nonmonotonicPoll(h.ops).anomalies).toEqual({ 'nonmonotonic-poll': 1 });
  });

  it('allows a restart after an ok or info assign or subscribe, even to the same key (Jepsen keeps keys still assigned)', () => {
    for (const between of [
      (h: TestHistory) => h.subscribe('p0', ['y']),
      (h: TestHistory) => h.assign('p0', ['y-0']),
      (h: TestHistory) => h.assign('p0', ['x-0'], 'info'),
      (h: TestHistory) => h.subscribe('p0', ['x']),
    ]) {
      expect(nonmonotonicPoll(rereadAfter(between).h.ops).anomalies).toEqual({});
    }
  });

  it('allows a restart after a crash, and after an indefinite poll (its records may be lost)', () => {
    expect(nonmonotonicPoll(rereadAfter((h) => h.crash('p0')).h.ops).valid).toBe(true);
    expect(nonmonotonicPoll(rereadAfter((h) => h.poll('p0', 'info', {})).h.ops).valid).toBe(true);
  });

  it('flags records out of order or repeated inside one poll as int-nonmonotonic-poll (int-nonmonotonic-poll-test)', () => {
    const h = new TestHistory();
    for (const value of ['a', 'b', 'c']) h.sendInfo('p9', 'x', value);
    const first = h.pollOk('p0', { x: [[3, 'c'], [1, 'a']] });
    const second = h.pollOk('p0', { x: [[2, 'b'], [3, 'c'], [3, 'c']] });
    expect(nonmonotonicPoll(h.ops)).toEqual({
      checker: 'nonmonotonic-poll',
      valid: false,
      anomalies: { 'int-nonmonotonic-poll': 2 },
      examples: {
        'int-nonmonotonic-poll': [
          { key: 'x-0', process: 'p0', values: ['c', 'a'], offsets: [3, 1], delta: -2, ops: [first, first] },
          { key: 'x-0', process: 'p0', values: ['c', 'c'], offsets: [3, 3], delta: 0, ops: [second, second] },
        ],
      },
    });
  });

  describe('in subscribe mode', () => {
    const member = (generation: number) => ({ memberId: 'm-0', generation });

    function subscribedReread(firstGeneration: number, secondGeneration?: number): TestHistory {
      const h = new TestHistory();
      h.subscribe('p0', ['x']);
      h.pollOk('p0', { x: [[0, 'a'], [1, 'b']] }, member(firstGeneration));
      h.pollOk('p0', { x: [[1, 'b']] }, secondGeneration === undefined ? undefined : member(secondGeneration));
      return h;
    }

    it('flags a re-read within one generation', () => {
      expect(nonmonotonicPoll(subscribedReread(3, 3).ops).anomalies).toEqual({ 'nonmonotonic-poll': 1 });
    });

    it('allows a re-read after a rebalance (a new generation restarts from the committed offset)', () => {
      expect(nonmonotonicPoll(subscribedReread(3, 4).ops).valid).toBe(true);
    });

    it('allows a re-read when the poll does not report its generation: a rebalance cannot be ruled out', () => {
      expect(nonmonotonicPoll(subscribedReread(3).ops).valid).toBe(true);
    });
  });

  it('passes contiguous polls, and one process re-reading what another read', () => {
    const h = new TestHistory();
    h.assign('p0', ['x-0']);
    h.pollOk('p0', { x: [[0, 'a'], [1, 'b']] });
    h.pollOk('p0', {});
    h.pollOk('p0', { x: [[2, 'c']] });
    h.pollOk('p1', { x: [[0, 'a']] });
    expect(nonmonotonicPoll(h.ops)).toEqual({ checker: 'nonmonotonic-poll', valid: true, anomalies: {}, examples: {} });
  });

  it("is 'unknown' when no consumer read a key twice", () => {
    const h = new TestHistory();
    h.pollOk('p0', { x: [[0, 'a']] });
    h.pollOk('p1', { x: [[0, 'a']] });
    expect(nonmonotonicPoll(h.ops).valid).toBe('unknown');
  });
});
