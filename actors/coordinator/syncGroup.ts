import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '../../src/protocol/groupMessages.ts';
import type { CoordinatorEffect, CoordinatorResult } from './CoordinatorResult.ts';
import { refuse, settle } from './CoordinatorResult.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { isStaticMemberFenced, memberOf } from './GroupMetadata.ts';
import { transitionTo, updateMember, updateMembers } from './groupMembership.ts';
import { groupMetadataRecord } from './groupRecords.ts';

// SyncGroup on the classic group coordinator (`GroupCoordinator#handleSyncGroup`, `validateSyncGroup`,
// `doSyncGroup`, `setAndPropagateAssignment`). The request is a wire type (src/protocol/groupMessages.ts),
// re-exported here.

export type { SyncGroupRequest } from '../../src/protocol/groupMessages.ts';

/**
 * Handles a SyncGroup. Checks, in Kafka's order: COORDINATOR_NOT_AVAILABLE (Dead), FENCED_INSTANCE_ID,
 * UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, INCONSISTENT_GROUP_PROTOCOL; then UNKNOWN_MEMBER_ID when Empty and
 * REBALANCE_IN_PROGRESS when PreparingRebalance. In CompletingRebalance the request is parked until the leader's
 * arrives; the leader's assignment (an empty one for every member it omitted) is stored with a GroupMetadata
 * record, every parked SyncGroup is answered with its member's partitions, and the group becomes Stable. In
 * Stable a member simply gets its current assignment again.
 */
export function syncGroup(group: GroupMetadata, request: SyncGroupRequest, nowMs: number): CoordinatorResult<SyncGroupResponse> {
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
      return settle(completeSync(parked, request.assignments, nowMs), 'Sync', memberId);
    }
    default: {
      const member = memberOf(group, memberId);
      const updated = updateMember(group, memberId, { lastHeartbeatMs: nowMs });
      return refuse(updated, syncAnswer(group, member?.assignment ?? []));
    }
  }
}

// The leader's assignment is stored and propagated (`storeGroup` then `setAndPropagateAssignment`), and the
// parked members' sessions restart.
function completeSync(
  group: GroupMetadata,
  assignments: Readonly<Record<string, readonly TopicPartition[]>>,
  nowMs: number,
): { group: GroupMetadata; effects: CoordinatorEffect[] } {
  const assignmentOf = (memberId: string) => (Object.hasOwn(assignments, memberId) ? (assignments[memberId] ?? []) : []);
  const effects: CoordinatorEffect[] = [{ type: 'append', records: [groupMetadataRecord(group, assignments)] }];
  const assigned = updateMembers(group, (member) => {
    const assignment = assignmentOf(member.memberId);
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
