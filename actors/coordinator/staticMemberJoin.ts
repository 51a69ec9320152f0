import type { CoordinatorEffect, CoordinatorResult, JoinGroupResponse, Step } from './CoordinatorResult.ts';
import { joinedResponse } from './completeJoin.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { currentMemberMetadata, memberOf, selectProtocol } from './GroupMetadata.ts';
import { replaceStaticMember, updateMember } from './groupMembership.ts';
import { currentGroupMetadataRecord } from './groupRecords.ts';
import type { JoinGroupRequest } from './joinGroup.ts';
import { joinError } from './joinError.ts';
import { invariant } from './invariant.ts';
import { maybePrepareRebalance, prepareRebalance } from './prepareRebalance.ts';
import type { RebalanceOptions } from './prepareRebalance.ts';

// A static member (KIP-345) that restarts joins with an empty member id and its `group.instance.id`; the coordinator
// gives it a new member id in place of the old one and fences the old one
// (`GroupCoordinator#updateStaticMemberAndRebalance`, `GroupMetadata#replaceStaticMember`). Bug C3 (KAFKA-8500) was
// replacing the id only in Stable, so two processes with one instance id could both consume.

/** A join parked under `memberId` (the same step may still answer it), or an immediate result. */
export type JoinOutcome = { readonly step: Step; readonly memberId: string } | CoordinatorResult<JoinGroupResponse>;

/** Which static member is replaced, and the JoinGroup that replaces it. */
export interface StaticReplacement {
  readonly oldMemberId: string;
  readonly newMemberId: string;
  readonly request: JoinGroupRequest;
}

/**
 * Replaces a static member's id. The old id's parked JoinGroup or SyncGroup is answered FENCED_INSTANCE_ID, and the
 * member keeps its place, its leadership and its assignment under the new id. In Stable, if the protocol the group
 * would vote for is unchanged, there is no rebalance: the group is stored and the member gets the current
 * generation back (the old leader id before JoinGroup v9, so it does not assign; from v9 the real leader id with
 * `skipAssignment` and, for the leader, every subscription). In CompletingRebalance the leader may have assigned
 * to the old id, so a rebalance starts; in PreparingRebalance the member simply waits with everyone else.
 */
export function updateStaticMemberAndRebalance(
  group: GroupMetadata,
  replacement: StaticReplacement,
  options: RebalanceOptions,
): JoinOutcome {
  const { oldMemberId, newMemberId, request } = replacement;
  const old = memberOf(group, oldMemberId);
  invariant(old !== undefined, `static member ${oldMemberId} of ${request.groupInstanceId} is not in the group`);
  const effects: CoordinatorEffect[] = [];
  if (old.awaitingJoin) effects.push({ type: 'answerJoin', memberId: oldMemberId, response: joinError(oldMemberId, 'FENCED_INSTANCE_ID') });
  if (old.awaitingSync) {
    const response = { errorCode: 'FENCED_INSTANCE_ID', protocolType: null, protocolName: null, assignment: [] } as const;
    effects.push({ type: 'answerSync', memberId: oldMemberId, response });
  }
  const replaced = updateMember(replaceStaticMember(group, oldMemberId, newMemberId), newMemberId, {
    supportedProtocols: request.protocols,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs,
    sessionTimeoutMs: request.sessionTimeoutMs,
    lastHeartbeatMs: options.nowMs,
    awaitingJoin: true,
  });
  const parked = (step: Step): JoinOutcome => ({ step: { group: step.group, effects: [...effects, ...step.effects] }, memberId: newMemberId });
  switch (group.state) {
    case 'Stable': {
      if (selectProtocol(replaced) !== replaced.protocolName) return parked(maybePrepareRebalance(replaced, options));
      const stored = updateMember(replaced, newMemberId, { awaitingJoin: false });
      effects.push({ type: 'append', records: [currentGroupMetadataRecord(stored)] });
      const isLeader = stored.leaderId === newMemberId;
      const response =
        request.supportSkippingAssignment === true
          ? joinedResponse(stored, newMemberId, isLeader ? currentMemberMetadata(stored) : [], isLeader)
          : { ...joinedResponse(stored, newMemberId, []), leaderId: group.leaderId ?? '' };
      return { state: stored, response, effects };
    }
    case 'CompletingRebalance':
      return parked(prepareRebalance(replaced, options));
    case 'PreparingRebalance':
      return parked({ group: replaced, effects: [] });
    default:
      invariant(false, `group ${group.groupId} has static member ${oldMemberId} in state ${group.state}`);
  }
}
