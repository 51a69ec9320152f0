import { ArgumentError } from '../../src/kernel/argumentError.ts';
import type { CoordinatorEffect, JoinGroupResponse, Step } from './CoordinatorResult.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { currentMemberMetadata, hasAllMembersJoined, memberOf, rebalanceTimeoutMs, selectProtocol } from './GroupMetadata.ts';
import { removeMember, transitionTo } from './groupMembership.ts';
import { groupMetadataRecord } from './groupRecords.ts';
import { isStaticMember } from './MemberMetadata.ts';

// The end of the join phase (`GroupCoordinator#onCompleteJoin`, `DelayedJoin`, `InitialDelayedJoin`): the parked
// JoinGroups are answered, the generation moves on, and the group waits for the leader's SyncGroup.

/**
 * Completes the join phase of a PreparingRebalance group (`onCompleteJoin`). Dynamic members that did not rejoin
 * are removed; static ones stay. If the leader did not rejoin, a member that did takes over
 * (`maybeElectNewJoinedLeader`); if only static members that have not rejoined remain, the join waits another
 * rebalance timeout. Otherwise `generationId += 1`, the protocol is chosen by vote, the group moves to
 * CompletingRebalance (Empty, with a GroupMetadata record, when nobody is left) and every parked JoinGroup is
 * answered: the leader's answer lists every member's subscription, the followers' answers list none.
 */
export function completeJoin(group: GroupMetadata, nowMs: number): Step {
  if (group.state !== 'PreparingRebalance') {
    throw new ArgumentError('completeJoin', 'group.state', group.state, 'PreparingRebalance');
  }
  const absent = group.members.filter((member) => !member.awaitingJoin && !isStaticMember(member));
  let next = absent.reduce((g, member) => removeMember(g, member.memberId), group);
  next = { ...next, rebalanceDeadlineMs: null, initialDelayedJoin: null };
  const leaderId = newJoinedLeader(next);
  if (leaderId === null && next.members.length > 0) {
    // Only static members that have not rejoined are left: wait for them, or for their sessions to expire.
    return { group: { ...next, rebalanceDeadlineMs: nowMs + rebalanceTimeoutMs(next) }, effects: [] };
  }
  next = initNextGeneration({ ...next, leaderId }, nowMs);
  if (next.state === 'Empty') {
    return { group: next, effects: [{ type: 'append', records: [groupMetadataRecord(next, {})] }] };
  }
  const effects: CoordinatorEffect[] = [];
  const leaderMembers = currentMemberMetadata(next);
  const members = next.members.map((member) => {
    if (member.awaitingJoin) {
      const response = joinedResponse(next, member.memberId, member.memberId === next.leaderId ? leaderMembers : []);
      effects.push({ type: 'answerJoin', memberId: member.memberId, response });
    }
    return { ...member, awaitingJoin: false, isNew: false, lastHeartbeatMs: nowMs };
  });
  return { group: { ...next, members }, effects };
}

/**
 * Completes the join at once when every member has rejoined (`DelayedJoin#tryComplete`). The initial delay of a
 * group that was Empty never completes early: it exists to let more members arrive.
 */
export function tryCompleteJoin(group: GroupMetadata, nowMs: number): Step {
  const canComplete = group.state === 'PreparingRebalance' && group.initialDelayedJoin === null && hasAllMembersJoined(group);
  return canComplete ? completeJoin(group, nowMs) : { group, effects: [] };
}

/**
 * The parked join's deadline has passed (`DelayedJoin#onExpiration` then `onComplete`). An initial delay during
 * which new members arrived waits again, `min(configured delay, remaining)`, until the remaining rebalance
 * timeout is used up (`InitialDelayedJoin#onComplete`); otherwise the join completes.
 */
export function onRebalanceDeadline(group: GroupMetadata, nowMs: number): Step {
  const initial = group.initialDelayedJoin;
  if (initial !== null && group.newMemberAdded && initial.remainingMs !== 0) {
    const delayMs = Math.min(initial.configuredRebalanceDelayMs, initial.remainingMs);
    const remainingMs = Math.max(initial.remainingMs - initial.delayMs, 0);
    const initialDelayedJoin = { configuredRebalanceDelayMs: initial.configuredRebalanceDelayMs, delayMs, remainingMs };
    return { group: { ...group, newMemberAdded: false, initialDelayedJoin, rebalanceDeadlineMs: nowMs + delayMs }, effects: [] };
  }
  return completeJoin(group, nowMs);
}

/** A successful JoinGroup answer for `memberId` in the group's current generation. */
export function joinedResponse(
  group: GroupMetadata,
  memberId: string,
  members: JoinGroupResponse['members'],
  skipAssignment = false,
): JoinGroupResponse {
  return {
    errorCode: 'NONE',
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leaderId: group.leaderId ?? '',
    memberId,
    members,
    skipAssignment,
  };
}

// GroupMetadata#maybeElectNewJoinedLeader: keep a leader that rejoined, else the first member that did.
function newJoinedLeader(group: GroupMetadata): string | null {
  if (group.leaderId === null) return null;
  if (memberOf(group, group.leaderId)?.awaitingJoin === true) return group.leaderId;
  return group.members.find((member) => member.awaitingJoin)?.memberId ?? null;
}

// GroupMetadata#initNextGeneration: the generation moves on even when nobody is left.
function initNextGeneration(group: GroupMetadata, nowMs: number): GroupMetadata {
  const generationId = group.generationId + 1;
  if (group.members.length === 0) {
    return { ...transitionTo(group, 'Empty', nowMs), generationId, protocolName: null, leaderId: null, newMemberAdded: false };
  }
  const protocolName = selectProtocol(group);
  return { ...transitionTo(group, 'CompletingRebalance', nowMs), generationId, protocolName, newMemberAdded: false };
}
