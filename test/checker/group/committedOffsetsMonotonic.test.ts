import { describe, expect, it } from 'vitest';
import { committedOffsetsMonotonic } from '../../../src/checker/group/committedOffsetsMonotonic.ts';
import { HistoryRecorder, type CommitValue, type CompletionType } from '../../../src/history/History.ts';

/** A commit as a group member reports it, with its membership. */
type MemberCommit = CommitValue & { memberId?: string; generation?: number };

/** Histories of commits: `commit` records an invocation and its completion, returning the completion's index. */
class CommitHistory {
  readonly recorder = new HistoryRecorder();
  private timeMs = 0;

  get ops() {
    return this.recorder.operations();
  }

  commit(process: string, value: MemberCommit, type: CompletionType = 'ok'): number {
    return this.complete(this.invoke(process, value), value, type);
  }

  invoke(process: string, value: MemberCommit): number {
    return this.recorder.invoke(process, 'commit', value, (this.timeMs += 1));
  }

  complete(invokeIndex: number, value: MemberCommit, type: CompletionType = 'ok'): number {
    return this.recorder.complete(invokeIndex, type, value, (this.timeMs += 1));
  }
}

const groupOf = { c1: 'billing', c2: 'billing', c3: 'audit' };

describe('committedOffsetsMonotonic', () => {
  it("flags a zombie's commit that moves the group's committed offset of orders-1 back below its successor's", () => {
    const h = new CommitHistory();
    h.commit('c1', { offsets: { 'orders-1': 5 }, memberId: 'm-1', generation: 2 });
    const successor = h.commit('c2', { offsets: { 'orders-1': 12 }, memberId: 'm-2', generation: 3 });
    const zombie = h.commit('c1', { offsets: { 'orders-1': 7 }, memberId: 'm-1', generation: 2 });
    expect(committedOffsetsMonotonic(h.ops, groupOf)).toEqual({
      checker: 'committed-offsets',
      valid: false,
      anomalies: { 'committed-offset-regression': 1 },
      examples: {
        'committed-offset-regression': [
          {
            groupId: 'billing',
            key: 'orders-1',
            earlier: { process: 'c2', op: successor, offset: 12, memberId: 'm-2', generation: 3 },
            later: { process: 'c1', op: zombie, offset: 7, memberId: 'm-1', generation: 2 },
          },
        ],
      },
    });
  });

  it('accepts commits that rise or repeat, per partition', () => {
    const h = new CommitHistory();
    h.commit('c1', { offsets: { 'orders-0': 3, 'orders-1': 10 } });
    h.commit('c2', { offsets: { 'orders-0': 3, 'orders-1': 12 } });
    h.commit('c1', { offsets: { 'orders-0': 8 } });
    expect(committedOffsetsMonotonic(h.ops, groupOf).valid).toBe(true);
  });

  it("does not compare one group's commits with another's", () => {
    const h = new CommitHistory();
    h.commit('c1', { offsets: { 'orders-1': 12 } });
    h.commit('c3', { offsets: { 'orders-1': 2 } });
    expect(committedOffsetsMonotonic(h.ops, groupOf).valid).toBe(true);
    expect(committedOffsetsMonotonic(h.ops, { c1: 'billing', c3: 'billing' }).anomalies).toEqual({ 'committed-offset-regression': 1 });
  });

  it('does not order commits whose calls overlap: one applied first may be acknowledged last (a held answer)', () => {
    // shared/regressions/zombie-commit-held-response.json: c1 commits 7 and is paused before its answer arrives;
    // meanwhile c2 commits 12, acknowledged first. The coordinator applied 7, then 12: no regression.
    const h = new CommitHistory();
    const low = { offsets: { 'orders-1': 7 } };
    const high = { offsets: { 'orders-1': 12 } };
    const lowInvoke = h.invoke('c1', low);
    h.complete(h.invoke('c2', high), high);
    h.complete(lowInvoke, low);
    expect(committedOffsetsMonotonic(h.ops, groupOf).valid).toBe(true);
  });

  it('orders a commit after every commit that completed before it was invoked', () => {
    const h = new CommitHistory();
    const high = { offsets: { 'orders-1': 12 } };
    const highOk = h.complete(h.invoke('c2', high), high);
    const low = { offsets: { 'orders-1': 7 } };
    const lowOk = h.complete(h.invoke('c1', low), low);
    const cases = committedOffsetsMonotonic(h.ops, groupOf).examples['committed-offset-regression'];
    expect(cases).toEqual([
      { groupId: 'billing', key: 'orders-1', earlier: { process: 'c2', op: highOk, offset: 12 }, later: { process: 'c1', op: lowOk, offset: 7 } },
    ]);
  });

  it('judges each commit against the latest, so one regression is reported once', () => {
    const h = new CommitHistory();
    h.commit('c1', { offsets: { 'orders-1': 10 } });
    h.commit('c2', { offsets: { 'orders-1': 5 } });
    h.commit('c2', { offsets: { 'orders-1': 7 } });
    expect(committedOffsetsMonotonic(h.ops, groupOf).anomalies).toEqual({ 'committed-offset-regression': 1 });
  });

  it('ignores failed and indefinite commits, and clients outside any group', () => {
    const h = new CommitHistory();
    h.commit('c1', { offsets: { 'orders-1': 10 } });
    h.commit('c2', { offsets: { 'orders-1': 5 } }, 'fail');
    h.commit('c2', { offsets: { 'orders-1': 5 } }, 'info');
    h.commit('solo', { offsets: { 'orders-1': 1 } });
    expect(committedOffsetsMonotonic(h.ops, groupOf).valid).toBe(true);
  });

  it("is 'unknown' when no client of a group had a commit acknowledged", () => {
    const h = new CommitHistory();
    h.commit('c1', { offsets: { 'orders-1': 10 } }, 'info');
    h.commit('solo', { offsets: { 'orders-1': 10 } });
    expect(committedOffsetsMonotonic(h.ops, groupOf).valid).toBe('unknown');
  });
});
