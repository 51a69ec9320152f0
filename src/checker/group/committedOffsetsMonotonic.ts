// "committed-offset-regression": a group's acknowledged committed offset of a partition went down. Kafka does
// not forbid committing a lower offset (a consumer may seek back), but the workload's consumers only commit the
// position past what they processed, so going down means a commit from a member that no longer owned the
// partition (a zombie whose commit was not fenced) overwrote its successor's progress: the group will read
// those records again. Commits are ordered as Jepsen orders operations, in real time: a commit is judged against the
// group's committed offset when it was invoked, the last acknowledged commit completed before then. Two commits
// whose calls overlap are not ordered: a commit the coordinator applied first can be acknowledged last (a pause held
// its answer back), and comparing commits by when their answers arrived reported regressions the coordinator never
// made (shared/regressions/zombie-commit-held-response.json).
import type { CommitValue, History } from '../../history/History.ts';
import { checkResult, type CheckResult } from '../CheckResult.ts';

/** A commit as a group member reports it: with its membership when it knows it. */
type GroupCommitValue = CommitValue & { memberId?: string; generation?: number };

/** One acknowledged commit of one partition, with the operation that completed it. */
export interface CommitRef {
  process: string;
  op: number;
  offset: number;
  memberId?: string;
  generation?: number;
}

/**
 * A later acknowledged commit below an earlier one, e.g. `{ groupId: 'billing', key: 'orders-1',
 * earlier: { process: 'c2', op: 40, offset: 12, memberId: 'm-2', generation: 3 },
 * later: { process: 'c1', op: 44, offset: 7, memberId: 'm-1', generation: 2 } }`.
 */
export interface CommittedOffsetRegressionCase {
  groupId: string;
  key: string;
  earlier: CommitRef;
  later: CommitRef;
}

/** Finds acknowledged commits that moved a group's committed offset of a partition backwards. */
export function committedOffsetsMonotonic(history: History, groupOf: Readonly<Record<string, string>>): CheckResult {
  // The last acknowledged commit of each group's partition, as completions come.
  const lastByPartition = new Map<string, CommitRef>();
  // Each process's commits in flight, oldest first, with what the group held for their partitions at invocation.
  const open = new Map<string, Array<{ value: string; heldAtInvoke: Map<string, CommitRef> }>>();
  const cases: CommittedOffsetRegressionCase[] = [];
  let evidence = false;
  for (const op of history) {
    if (op.f !== 'commit' || !Object.hasOwn(groupOf, op.process)) continue;
    const groupId = groupOf[op.process] as string; // present: checked just above
    const value = op.value as GroupCommitValue;
    const keys = Object.keys(value.offsets);
    const pending = open.get(op.process) ?? [];
    if (op.type === 'invoke') {
      const heldAtInvoke = new Map<string, CommitRef>();
      for (const key of keys) {
        const held = lastByPartition.get(partitionId(groupId, key));
        if (held !== undefined) heldAtInvoke.set(key, held);
      }
      pending.push({ value: commitKey(value), heldAtInvoke });
      open.set(op.process, pending);
      continue;
    }
    // A completion pairs with the oldest open commit of its process that carried the same value.
    const at = pending.findIndex((commit) => commit.value === commitKey(value));
    const invocation = at < 0 ? undefined : pending.splice(at, 1)[0];
    if (op.type !== 'ok') continue;
    evidence = true;
    for (const [key, offset] of Object.entries(value.offsets)) {
      const later: CommitRef = { process: op.process, op: op.index, offset, ...membership(value.memberId, value.generation) };
      const earlier = invocation?.heldAtInvoke.get(key);
      if (earlier !== undefined && offset < earlier.offset) cases.push({ groupId, key, earlier, later });
      lastByPartition.set(partitionId(groupId, key), later);
    }
  }
  return checkResult('committed-offsets', { 'committed-offset-regression': cases }, evidence);
}

function partitionId(groupId: string, key: string): string {
  return `${groupId}\u0000${key}`;
}

// A commit's value as one string, to pair a completion with its invocation.
function commitKey(value: GroupCommitValue): string {
  const offsets = Object.entries(value.offsets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([offsets, value.memberId ?? null, value.generation ?? null]);
}

function membership(memberId: string | undefined, generation: number | undefined): Partial<CommitRef> {
  return { ...(memberId === undefined ? {} : { memberId }), ...(generation === undefined ? {} : { generation }) };
}
