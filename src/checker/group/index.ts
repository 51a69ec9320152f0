// The consumer-group checkers: what the rebalance log (GroupNote.ts) and the history say about a group's members.
// Ownership, commit fencing and commit order are safety rules; processing order and at-least-once are what the
// application sees of them.
import type { GroupLog } from '../../history/GroupNote.ts';
import type { History } from '../../history/History.ts';
import type { CheckResult } from '../CheckResult.ts';
import { atLeastOnce, groupDrained, type ExpectedRecord } from './atLeastOnce.ts';
import { committedOffsetsMonotonic } from './committedOffsetsMonotonic.ts';
import { processingOrder } from './processingOrder.ts';
import { singleOwner } from './singleOwner.ts';
import { staleCommits } from './staleCommits.ts';

export { atLeastOnce, groupDrained, MAX_UNPROCESSED_SHOWN, type ExpectedRecord, type UnprocessedCase } from './atLeastOnce.ts';
export { groupConvergence, type FinalGroup, type NotConvergedCase } from './groupConvergence.ts';
export { committedOffsetsMonotonic, type CommitRef, type CommittedOffsetRegressionCase } from './committedOffsetsMonotonic.ts';
export { processingOrder, type ProcessingOrderCase } from './processingOrder.ts';
export { singleOwner, type DoubleOwnershipCase } from './singleOwner.ts';
export { staleCommits, type StaleCommitCase } from './staleCommits.ts';

/** What the group checkers read: the rebalance log, the history, each client's group, the final read's records. */
export interface CheckGroupsInput {
  log: GroupLog;
  history: History;
  /** Client node id -> its groupId; other clients' commits are not judged. */
  groupOf: Readonly<Record<string, string>>;
  expected: readonly ExpectedRecord[];
  /** The groups whose processing counts for at-least-once (all groups when absent). */
  groupIds?: readonly string[];
}

/** The combined verdict of the group checkers: every result and all anomalies found. */
export interface CheckGroupsResult {
  valid: CheckResult['valid'];
  results: CheckResult[];
  anomalies: Record<string, number>;
}

/**
 * Runs every group checker. Unlike checkAll, a checker with nothing to judge ('unknown': no commits from a run
 * without fencing faults, say) does not make the whole unknown: any false is false, else any true is true.
 */
export function checkGroups(input: CheckGroupsInput): CheckGroupsResult {
  const { log, history, groupOf, expected, groupIds } = input;
  const results = [
    singleOwner(log),
    staleCommits(log),
    committedOffsetsMonotonic(history, groupOf),
    processingOrder(log),
    atLeastOnce(log, expected, groupIds),
    groupDrained(log, expected, groupIds),
  ];
  const anomalies: Record<string, number> = {};
  for (const result of results) Object.assign(anomalies, result.anomalies);
  const valid = results.some((r) => r.valid === false) ? false : results.some((r) => r.valid === true) ? true : 'unknown';
  return { valid, results, anomalies };
}
