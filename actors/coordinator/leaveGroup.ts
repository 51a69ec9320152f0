import type { LeaveGroupRequest, LeaveGroupResponse, MemberIdentity } from '../../src/protocol/groupMessages.ts';
import type { CoordinatorEffect, CoordinatorResult } from './CoordinatorResult.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { hasMember, isPendingMember, isStaticMemberFenced, staticMemberId } from './GroupMetadata.ts';
import { removeMemberAndUpdateGroup, removePendingMemberAndUpdateGroup } from './prepareRebalance.ts';
import type { RebalanceOptions } from './prepareRebalance.ts';

// LeaveGroup on the classic group coordinator (`GroupCoordinator#handleLeaveGroup`). A consumer sends it on close
// and when `max.poll.interval.ms` passes without a poll (KIP-62); static members do not send it on close (KIP-345),
// so their partitions wait out the session timeout. An admin may remove static members by instance id (KIP-345).
// The request and response are wire types (src/protocol/groupMessages.ts), re-exported here.

export type { LeaveGroupRequest, LeaveGroupResponse, MemberIdentity } from '../../src/protocol/groupMessages.ts';

/**
 * Removes the leaving members one by one, as Kafka does: a member id '' with an instance id removes whoever holds
 * that instance id; a pending member id is dropped; FENCED_INSTANCE_ID for a static member whose instance id
 * another member id holds; UNKNOWN_MEMBER_ID for an id the group does not know. Each removal answers the member's
 * parked JoinGroup with UNKNOWN_MEMBER_ID and moves a Stable or CompletingRebalance group to PreparingRebalance.
 */
export function leaveGroup(group: GroupMetadata, request: LeaveGroupRequest, options: RebalanceOptions): CoordinatorResult<LeaveGroupResponse> {
  if (group.state === 'Dead') return { state: group, response: { errorCode: 'COORDINATOR_NOT_AVAILABLE', members: [] }, effects: [] };
  let current = group;
  const effects: CoordinatorEffect[] = [];
  const members = request.members.map((leaving) => {
    const { errorCode, step } = leaveOne(current, leaving, options);
    if (step !== null) {
      current = step.group;
      effects.push(...step.effects);
    }
    return { ...leaving, errorCode };
  });
  return { state: current, response: { errorCode: 'NONE', members }, effects };
}

function leaveOne(group: GroupMetadata, leaving: MemberIdentity, options: RebalanceOptions) {
  const { memberId, groupInstanceId } = leaving;
  if (memberId === '') {
    const holder = staticMemberId(group, groupInstanceId);
    if (holder === undefined) return { errorCode: 'UNKNOWN_MEMBER_ID', step: null } as const;
    return { errorCode: 'NONE', step: removeMemberAndUpdateGroup(group, holder, options) } as const;
  }
  if (isPendingMember(group, memberId)) {
    return { errorCode: 'NONE', step: removePendingMemberAndUpdateGroup(group, memberId, options.nowMs) } as const;
  }
  if (isStaticMemberFenced(group, groupInstanceId, memberId)) return { errorCode: 'FENCED_INSTANCE_ID', step: null } as const;
  if (!hasMember(group, memberId)) return { errorCode: 'UNKNOWN_MEMBER_ID', step: null } as const;
  return { errorCode: 'NONE', step: removeMemberAndUpdateGroup(group, memberId, options) } as const;
}
