// "stale-generation-commit": a coordinator stored a commit sent in a generation other than the group's. Kafka's
// GroupCoordinator answers such an OffsetCommit with ILLEGAL_GENERATION, so a member expelled from the group
// (a zombie: paused past its session, or cut off from the coordinator) cannot overwrite the progress of the
// member that now owns its partitions. Generation -1 is a commit from outside group management (a consumer
// using assign()), which the coordinator judges by other rules and which this checker leaves alone.
import type { CommitAcceptedNote, GroupLog } from '../../history/GroupNote.ts';
import { checkResult, type CheckResult } from '../CheckResult.ts';

/**
 * One commit stored from the wrong generation, e.g. `{ groupId: 'billing', coordinator: 'broker-1',
 * memberId: 'm-1', generation: 2, groupGeneration: 3, offsets: { 'orders-1': 7 }, timeMs: 55 }`.
 */
export interface StaleCommitCase {
  groupId: string;
  /** The broker that stored it. */
  coordinator: string;
  memberId: string;
  generation: number;
  groupGeneration: number;
  offsets: CommitAcceptedNote['offsets'];
  timeMs: number;
}

/** Finds commits a coordinator stored although they came from a generation other than the group's. */
export function staleCommits(log: GroupLog): CheckResult {
  const cases: StaleCommitCase[] = [];
  let accepted = 0;
  for (const entry of log) {
    if (entry.group !== 'commitAccepted') continue;
    accepted += 1;
    const { groupId, node, memberId, generation, groupGeneration, offsets, timeMs } = entry;
    if (generation < 0 || generation === groupGeneration) continue;
    cases.push({ groupId, coordinator: node, memberId, generation, groupGeneration, offsets, timeMs });
  }
  return checkResult('stale-commit', { 'stale-generation-commit': cases }, accepted > 0);
}
