import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '../../src/protocol/groupMessages.ts';
import type { CoordinatorEffect, CoordinatorResult, Step, StoredAssignment } from './CoordinatorResult.ts';
import { andThen, refuse, settle } from './CoordinatorResult.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { isStaticMemberFenced, memberOf } from './GroupMetadata.ts';
import { transitionTo, updateMember, updateMembers } from './groupMembership.ts';
import { groupMetadataRecord } from './groupRecords.ts';
import { maybePrepareRebalance, resetAndPropagateAssignmentError, type RebalanceOptions } from './prepareRebalance.ts';

// SyncGroup on the classic group coordinator (`GroupCoordinator#handleSyncGroup`, `validateSyncGroup`,
// `doSyncGroup`, `setAndPropagateAssignment`). The request is a wire type (src/protocol/groupMessages.ts),
// re-exported here.

export type { SyncGroupRequest } from '../../src/protocol/groupMessages.ts';

/**
 * Handles a SyncGroup. Checks, in Kafka's order: COORDINATOR_NOT_AVAILABLE (Dead), FENCED_INSTANCE_ID,
 * UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, INCONSISTENT_GROUP_PROTOCOL; then UNKNOWN_MEMBER_ID when Empty and
 * REBALANCE_IN_PROGRESS when PreparingRebalance. In CompletingRebalance the request is parked until the leader's
 * arrives; the leader's assignment (an empty one for every member it omitted) is written as a GroupMetadata
 * record, and once that record commits `assignmentStored` answers every parked SyncGroup with its member's
 * partitions and makes the group Stable. In Stable a member simply gets its current assignment again.
 */
export function syncGroup(
  group: GroupMetadata,
  request: SyncGroupRequest,
  nowMs: number,
  options: { readonly assignmentBeforeCommit?: boolean } = {},
): CoordinatorResult<SyncGroupResponse> {
  const error = validateSyncGroup(group, request);
  if (error !== null) return refuse(group, syncError(error));
  const { memberId } = request;
  switch (group.state) {
    case 'Empty':
      return refuse(group, syncError('UNKNOWN_MEMBER_ID'));
    case 'PreparingRebalance':
      return refuse(group, syncError('REBALANCE_IN_PROGRESS'));
    case 'CompletingRebalance': {
      const parked = updateMember(group, memberId, { awaitingSync: true });
      if (group.leaderId !== memberId) return settle({ group: parked, effects: [] }, 'Sync', memberId);
      return settle(completeSync(parked, request.assignments, options.assignmentBeforeCommit === true ? nowMs : null), 'Sync', memberId);
    }
    default: {
      const member = memberOf(group, memberId);
      const updated = updateMember(group, memberId, { lastHeartbeatMs: nowMs });
      return refuse(updated, syncAnswer(group, member?.assignment ?? []));
    }
  }
}

// The leader's assignment goes into a GroupMetadata record; the group stays CompletingRebalance, and every
// SyncGroup (the leader's, the parked ones, and any that arrives before the record commits) waits for
// `assignmentStored`. Kafka does the same in both coordinators: the classic one sets and propagates the assignment
// in `storeGroup`'s callback (GroupCoordinator#doSyncGroup), the 4.x one in the append future's completion
// (GroupMetadataManager#classicGroupSyncGroup); a member never learns an assignment that a coordinator failover
// can take back.
// The assignment-before-commit weakening (`propagateNowMs` set) propagates the assignment at once instead.
function completeSync(group: GroupMetadata, assignments: Readonly<Record<string, readonly TopicPartition[]>>, propagateNowMs: number | null): Step {
  // Every member's partitions: an empty list for each member the leader left out.
  const complete = Object.fromEntries(group.members.map((member) => [member.memberId, Object.hasOwn(assignments, member.memberId) ? (assignments[member.memberId] ?? []) : []]));
  const records = [groupMetadataRecord(group, assignments)];
  if (propagateNowMs !== null) return andThen({ group, effects: [{ type: 'append', records }] }, (g) => propagateAssignment(g, complete, propagateNowMs));
  return { group, effects: [{ type: 'append', records, stored: { generationId: group.generationId, assignments: complete } }] };
}

/**
 * The GroupMetadata record of a leader's assignment is committed, or its append failed (`errorCode`, already the
 * coordinator error a client sees: NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE). Only a group still
 * CompletingRebalance in the same generation moves on (another member may have joined meanwhile): committed, every
 * member gets its assignment, the parked SyncGroups are answered, their sessions restart and the group is Stable
 * (`setAndPropagateAssignment`); failed, the parked SyncGroups get the error and a rebalance starts
 * (`resetAndPropagateAssignmentError`, `maybePrepareRebalance`).
 */
export function assignmentStored(
  group: GroupMetadata,
  stored: StoredAssignment,
  errorCode: KafkaErrorType,
  options: RebalanceOptions,
): CoordinatorResult<never> {
  if (group.state !== 'CompletingRebalance' || group.generationId !== stored.generationId) return { state: group, response: null, effects: [] };
  const { nowMs } = options;
  if (errorCode !== 'NONE') {
    const failed = andThen(resetAndPropagateAssignmentError(group, nowMs, errorCode), (g) => maybePrepareRebalance(g, options));
    return { state: failed.group, response: null, effects: failed.effects };
  }
  const propagated = propagateAssignment(group, stored.assignments, nowMs);
  return { state: propagated.group, response: null, effects: propagated.effects };
}

// setAndPropagateAssignment: every member takes its partitions, the parked SyncGroups are answered and their
// sessions restart, and the group is Stable.
function propagateAssignment(group: GroupMetadata, assignments: Readonly<Record<string, readonly TopicPartition[]>>, nowMs: number): Step {
  const effects: CoordinatorEffect[] = [];
  const assigned = updateMembers(group, (member) => {
    const assignment = assignments[member.memberId] ?? [];
    if (!member.awaitingSync) return { ...member, assignment };
    effects.push({ type: 'answerSync', memberId: member.memberId, response: syncAnswer(group, assignment) });
    return { ...member, assignment, awaitingSync: false, lastHeartbeatMs: nowMs };
  });
  return { group: transitionTo(assigned, 'Stable', nowMs), effects };
}

function validateSyncGroup(group: GroupMetadata, request: SyncGroupRequest): Exclude<KafkaErrorType, 'NONE'> | null {
  if (group.state === 'Dead') return 'COORDINATOR_NOT_AVAILABLE';
  if (isStaticMemberFenced(group, request.groupInstanceId, request.memberId)) return 'FENCED_INSTANCE_ID';
  if (memberOf(group, request.memberId) === undefined) return 'UNKNOWN_MEMBER_ID';
  if (request.generationId !== group.generationId) return 'ILLEGAL_GENERATION';
  if (request.protocolType !== undefined && request.protocolType !== group.protocolType) return 'INCONSISTENT_GROUP_PROTOCOL';
  if (request.protocolName !== undefined && request.protocolName !== group.protocolName) return 'INCONSISTENT_GROUP_PROTOCOL';
  return null;
}

function syncAnswer(group: GroupMetadata, assignment: readonly TopicPartition[]): SyncGroupResponse {
  return { errorCode: 'NONE', protocolType: group.protocolType, protocolName: group.protocolName, assignment };
}

function syncError(errorCode: Exclude<KafkaErrorType, 'NONE'>): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: [] };
}
