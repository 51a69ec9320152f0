// "committed-offset-regression": a group's acknowledged committed offset of a partition went down. Kafka does
// not forbid committing a lower offset (a consumer may seek back), but the workload's consumers only commit the
// position past what they processed, so going down means a commit from a member that no longer owned the
// partition (a zombie whose commit was not fenced) overwrote its successor's progress: the group will read
// those records again. Commits are compared in the order their `ok` completions appear in the history.
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
  const lastByPartition = new Map<string, CommitRef>();
  const cases: CommittedOffsetRegressionCase[] = [];
  let evidence = false;
  for (const op of history) {
    if (op.f !== 'commit' || op.type !== 'ok' || !Object.hasOwn(groupOf, op.process)) continue;
    const groupId = groupOf[op.process] as string; // present: checked just above
    evidence = true;
    const { offsets, memberId, generation } = op.value as GroupCommitValue;
    for (const [key, offset] of Object.entries(offsets)) {
      const later: CommitRef = { process: op.process, op: op.index, offset, ...membership(memberId, generation) };
      const id = `${groupId}\u0000${key}`;
      const earlier = lastByPartition.get(id);
      if (earlier !== undefined && offset < earlier.offset) cases.push({ groupId, key, earlier, later });
      // The latest commit is what the group now holds, so the next one is judged against it.
      lastByPartition.set(id, later);
    }
  }
  return checkResult('committed-offsets', { 'committed-offset-regression': cases }, evidence);
}

function membership(memberId: string | undefined, generation: number | undefined): Partial<CommitRef> {
  return { ...(memberId === undefined ? {} : { memberId }), ...(generation === undefined ? {} : { generation }) };
}
