import { describe, expect, it } from 'vitest';
import { nonmonotonicPoll } from '../../src/checker/nonmonotonicPoll.ts';
import { MAX_SKIPPED_SHOWN, pollSkip } from '../../src/checker/pollSkip.ts';
import { TestHistory } from './TestHistory.ts';

/**
 * poll-skip-test: process p0 reads offsets 1 2, then 4, then 7; offsets 3 and 6 exist (another process read 3,
 * a send landed at 6); 5 may be a hole in the log. `before4` and `before7` run before those polls.
 */
function skippingReader(before4: (h: TestHistory) => void = () => {}, before7: (h: TestHistory) => void = () => {}) {
  const h = new TestHistory();
  const poll12 = h.pollOk('p0', { x: [[1, 'a'], [2, 'b']] });
  h.pollOk('p1', { x: [[3, 'c']] });
  before4(h);
  const poll4 = h.pollOk('p0', { x: [[4, 'd']] });
  before7(h);
  h.sendOk('p2', 'x', 6, 'f');
  const poll7 = h.pollOk('p0', { x: [[7, 'g']] });
  for (const value of ['a', 'b', 'c', 'd', 'g']) h.sendInfo('p3', 'x', value);
  return { h, poll12, poll4, poll7 };
}

describe('pollSkip', () => {
  it('flags successive polls of a process that jumped over offsets known to exist (poll-skip-test)', () => {
    const { h, poll12, poll4, poll7 } = skippingReader();
    expect(pollSkip(h.ops)).toEqual({
      checker: 'poll-skip',
      valid: false,
      anomalies: { 'poll-skip': 2 },
      examples: {
        'poll-skip': [
          { key: 'x-0', process: 'p0', values: ['b', 'd'], offsets: [2, 4], delta: 2, skippedOffsets: [3], skipped: ['c'], ops: [poll12, poll4] },
          // Offset 5 is unknown, so the delta counts known offsets: 2, as in Jepsen.
          { key: 'x-0', process: 'p0', values: ['d', 'g'], offsets: [4, 7], delta: 2, skippedOffsets: [6], skipped: ['f'], ops: [poll4, poll7] },
        ],
      },
    });
  });

  it('allows skips after an intermediate subscribe or (even indefinite) assign (poll-skip-test "with intermediate subscribe")', () => {
    const subscribeY = (h: TestHistory) => h.subscribe('p0', ['y']);
    const assignY = (h: TestHistory) => h.assign('p0', ['y-0'], 'info');
    expect(pollSkip(skippingReader(subscribeY, assignY).h.ops).anomalies).toEqual({});
    expect(pollSkip(skippingReader(assignY).h.ops).anomalies).toEqual({ 'poll-skip': 1 });
    // Jepsen keeps the state of keys still assigned and reports both skips here; kafka-sim's consumers may
    // seek on assign, so every key is forgotten.
    const subscribeXY = (h: TestHistory) => h.subscribe('p0', ['x', 'y']);
    const assignXY = (h: TestHistory) => h.assign('p0', ['x-0', 'y-0']);
    expect(pollSkip(skippingReader(subscribeXY, assignXY).h.ops).anomalies).toEqual({});
  });

  it('judges failed polls without moving the position (poll-skip-test "txn abort": "abort doesn\'t roll back")', () => {
    const h = new TestHistory();
    for (let offset = 0; offset <= 5; offset++) h.sendOk('p0', 'x', offset, String(offset));
    const poll0 = h.pollOk('p1', { x: [[0, '0']] });
    h.poll('p1', 'fail', { x: [[1, '1'], [2, '2']] });
    const poll34 = h.poll('p1', 'fail', { x: [[3, '3'], [4, '4']] });
    const poll5 = h.pollOk('p1', { x: [[5, '5']] });
    const result = pollSkip(h.ops);
    expect(result.anomalies).toEqual({ 'poll-skip': 2 });
    // Widest skip first, as Jepsen's report keeps the largest deltas.
    expect(result.examples['poll-skip']).toMatchObject([
      { delta: 5, skipped: ['1', '2', '3', '4'], ops: [poll0, poll5] },
      { delta: 3, skipped: ['1', '2'], ops: [poll0, poll34] },
    ]);
  });

  it('judges an indefinite poll too, then forgets the position (poll-skip-test "info can be a poll-skip")', () => {
    const h = new TestHistory();
    for (let offset = 0; offset <= 5; offset++) h.sendOk('p0', 'x', offset, String(offset));
    const poll0 = h.pollOk('p1', { x: [[0, '0']] });
    h.poll('p1', 'fail', { x: [[1, '1'], [2, '2']] });
    const poll34 = h.poll('p1', 'info', { x: [[3, '3'], [4, '4']] });
    h.pollOk('p1', { x: [[1, '1']] });
    expect(pollSkip(h.ops).examples['poll-skip']).toMatchObject([{ delta: 3, skipped: ['1', '2'], ops: [poll0, poll34] }]);
  });

  it('passes a poll that rewinds after a failed or indefinite one (poll-skip-test "txn abort": "good")', () => {
    const h = new TestHistory();
    for (let offset = 0; offset <= 2; offset++) h.sendOk('p0', 'x', offset, String(offset));
    h.pollOk('p1', { x: [[0, '0']] });
    h.poll('p1', 'fail', { x: [[1, '1'], [2, '2']] });
    h.poll('p1', 'info', { x: [[1, '1'], [2, '2']] });
    h.pollOk('p1', { x: [[1, '1'], [2, '2']] });
    expect(pollSkip(h.ops).valid).toBe(true);
    expect(nonmonotonicPoll(h.ops).valid).toBe(true);
  });

  it('flags a poll whose own records jump over a known offset as int-poll-skip (int-poll-skip-test)', () => {
    const h = new TestHistory();
    for (const value of ['a', 'b', 'd']) h.sendInfo('p1', 'x', value);
    const poll = h.pollOk('p0', { x: [[1, 'a'], [4, 'd']] });
    h.pollOk('p2', { x: [[2, 'b']] });
    expect(pollSkip(h.ops)).toEqual({
      checker: 'poll-skip',
      valid: false,
      anomalies: { 'int-poll-skip': 1 },
      examples: {
        'int-poll-skip': [{ key: 'x-0', process: 'p0', values: ['a', 'd'], offsets: [1, 4], delta: 2, skippedOffsets: [2], skipped: ['b'], ops: [poll, poll] }],
      },
    });
  });

  it('lists the first 32 skipped offsets of a wide skip; delta tells how many there were', () => {
    const h = new TestHistory();
    for (let offset = 0; offset <= 41; offset++) h.sendOk('p9', 'x', offset, `v${offset}`);
    h.pollOk('p0', { x: [[0, 'v0']] });
    h.pollOk('p0', { x: [[41, 'v41']] });
    const [only] = pollSkip(h.ops).examples['poll-skip'] as Array<{ delta: number; skippedOffsets: number[]; skipped: string[] }>;
    expect(only?.delta).toBe(41);
    expect(only?.skippedOffsets).toEqual(Array.from({ length: MAX_SKIPPED_SHOWN }, (_, i) => i + 1));
    expect(only?.skipped).toHaveLength(MAX_SKIPPED_SHOWN);
  });

  it('does not call a jump over offsets nobody ever saw a skip', () => {
    const h = new TestHistory();
    h.pollOk('p0', { x: [[1, 'a']] });
    h.pollOk('p0', { x: [[3, 'c'], [6, 'd']] });
    expect(pollSkip(h.ops).valid).toBe(true);
  });

  it('in subscribe mode, flags a skip within one generation and allows one across a rebalance', () => {
    const run = (secondGeneration: number) => {
      const h = new TestHistory();
      for (let offset = 0; offset <= 4; offset++) h.sendOk('p9', 'x', offset, String(offset));
      h.subscribe('p0', ['x']);
      h.pollOk('p0', { x: [[0, '0'], [1, '1']] }, { memberId: 'm-0', generation: 1 });
      h.pollOk('p0', { x: [[4, '4']] }, { memberId: 'm-0', generation: secondGeneration });
      return pollSkip(h.ops);
    };
    expect(run(1).anomalies).toEqual({ 'poll-skip': 1 });
    expect(run(2).valid).toBe(true);
  });

  it("passes contiguous reads, and is 'unknown' with no two reads of a key by one consumer", () => {
    const h = new TestHistory();
    h.sendOk('p9', 'x', 0, 'a');
    h.sendOk('p9', 'x', 1, 'b');
    h.pollOk('p0', { x: [[0, 'a']] });
    expect(pollSkip(h.ops).valid).toBe('unknown');
    h.pollOk('p0', { x: [[1, 'b']] });
    expect(pollSkip(h.ops)).toEqual({ checker: 'poll-skip', valid: true, anomalies: {}, examples: {} });
  });
});
