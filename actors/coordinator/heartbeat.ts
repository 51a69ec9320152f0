import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { HeartbeatRequest, HeartbeatResponse } from '../../src/protocol/groupMessages.ts';
import type { CoordinatorResult } from './CoordinatorResult.ts';
import { refuse } from './CoordinatorResult.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { isStaticMemberFenced, memberOf } from './GroupMetadata.ts';
import { updateMember } from './groupMembership.ts';

// Heartbeat on the classic group coordinator (`GroupCoordinator#handleHeartbeat`). A heartbeat is also how members
// learn that a rebalance started: REBALANCE_IN_PROGRESS tells them to rejoin. The request and response are wire
// types (src/protocol/groupMessages.ts), re-exported here.

export type { HeartbeatRequest, HeartbeatResponse } from '../../src/protocol/groupMessages.ts';

/**
 * Handles a heartbeat, with Kafka's checks in order: COORDINATOR_NOT_AVAILABLE (Dead), FENCED_INSTANCE_ID,
 * UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION; then by state: UNKNOWN_MEMBER_ID when Empty, REBALANCE_IN_PROGRESS when
 * PreparingRebalance, NONE when CompletingRebalance or Stable. The last two kinds restart the member's session,
 * REBALANCE_IN_PROGRESS included, so a member that is slow to rejoin is not expired meanwhile.
 */
export function heartbeat(group: GroupMetadata, request: HeartbeatRequest, nowMs: number): CoordinatorResult<HeartbeatResponse> {
  const answer = (errorCode: KafkaErrorType) => refuse(group, { errorCode });
  if (group.state === 'Dead') return answer('COORDINATOR_NOT_AVAILABLE');
  if (isStaticMemberFenced(group, request.groupInstanceId, request.memberId)) return answer('FENCED_INSTANCE_ID');
  if (memberOf(group, request.memberId) === undefined) return answer('UNKNOWN_MEMBER_ID');
  if (request.generationId !== group.generationId) return answer('ILLEGAL_GENERATION');
  if (group.state === 'Empty') return answer('UNKNOWN_MEMBER_ID');
  const renewed = updateMember(group, request.memberId, { lastHeartbeatMs: nowMs });
  const errorCode = group.state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : 'NONE';
  return refuse(renewed, { errorCode });
}
