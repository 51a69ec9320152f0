import { describe, expect, it } from 'vitest';
import { checkAll } from '../../src/checker/checkAll.ts';
import { TestHistory } from './TestHistory.ts';

const checkerNames = ['inconsistent-offsets', 'duplicate', 'lost-write', 'unseen', 'nonmonotonic-send', 'nonmonotonic-poll', 'poll-skip', 'G1a'];

describe('checkAll', () => {
  it('passes a clean history that gives every checker something to judge', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'x', 1, 'b');
    h.sendFail('p0', 'x', 'failed');
    h.sendInfo('p0', 'x', 'never-seen');
    h.pollOk('p1', { x: [[0, 'a']] });
    h.pollOk('p1', { x: [[1, 'b']] });
    const result = checkAll(h.ops);
    expect(result.valid).toBe(true);
    expect(result.anomalies).toEqual({});
    expect(result.results.map((r) => [r.checker, r.valid])).toEqual(checkerNames.map((name) => [name, true]));
  });

  it('reports every anomaly a skipped record causes, by Jepsen name, and is invalid', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'x', 1, 'b');
    h.sendOk('p0', 'x', 2, 'c');
    h.pollOk('p1', { x: [[0, 'a']] });
    h.pollOk('p1', { x: [[2, 'c']] });
    const result = checkAll(h.ops);
    expect(result.valid).toBe(false);
    expect(result.anomalies).toEqual({ 'lost-write': 1, unseen: 1, 'poll-skip': 1 });
  });

  it("is 'unknown' when nothing is wrong but some checker had nothing to judge", () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.pollOk('p1', { x: [[0, 'a']] });
    const result = checkAll(h.ops);
    expect(result.valid).toBe('unknown');
    expect(result.results.filter((r) => r.valid === 'unknown').map((r) => r.checker)).toEqual(['nonmonotonic-send', 'nonmonotonic-poll', 'poll-skip']);
    expect(checkAll([]).results.every((r) => r.valid === 'unknown')).toBe(true);
  });

  it('is false, not unknown, when one checker fails and another had nothing to judge', () => {
    const h = new TestHistory();
    h.sendFail('p0', 'x', 'failed');
    h.pollOk('p1', { x: [[0, 'failed']] });
    const result = checkAll(h.ops);
    expect(result.valid).toBe(false);
    expect(result.anomalies).toEqual({ G1a: 1 });
  });
});
