import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { CoordinatorEffect, Step } from './CoordinatorResult.ts';
import { andThen } from './CoordinatorResult.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import { memberOf, rebalanceTimeoutMs } from './GroupMetadata.ts';
import { canRebalance, removeMember, transitionTo, updateMembers } from './groupMembership.ts';
import { tryCompleteJoin } from './completeJoin.ts';
import { joinError } from './joinError.ts';

// Starting a rebalance and removing a member, shared by JoinGroup, LeaveGroup and session expiry
// (`GroupCoordinator#maybePrepareRebalance`, `#prepareRebalance`, `#removeMemberAndUpdateGroup`).

/** The settings a rebalance starts with. */
export interface RebalanceOptions {
  readonly nowMs: number;
  readonly groupInitialRebalanceDelayMs: number;
}

/** Starts a rebalance if the state allows one (Empty, Stable, CompletingRebalance); otherwise changes nothing. */
export function maybePrepareRebalance(group: GroupMetadata, options: RebalanceOptions): Step {
  return canRebalance(group) ? prepareRebalance(group, options) : { group, effects: [] };
}

/**
 * Moves the group to PreparingRebalance and parks the join (`prepareRebalance`). Parked SyncGroups of a
 * CompletingRebalance group are answered REBALANCE_IN_PROGRESS and the half-done assignment is dropped. A group
 * that was Empty waits `group.initial.rebalance.delay.ms` first (`InitialDelayedJoin`); any other waits up to the
 * rebalance timeout, and completes at once if every member has already rejoined.
 */
export function prepareRebalance(group: GroupMetadata, options: RebalanceOptions): Step {
  const { nowMs } = options;
  const reset = group.state === 'CompletingRebalance' ? resetAndPropagateAssignmentError(group, nowMs) : { group, effects: [] };
  const timeoutMs = rebalanceTimeoutMs(reset.group);
  const wasEmpty = group.state === 'Empty';
  const delayMs = options.groupInitialRebalanceDelayMs;
  const preparing: GroupMetadata = {
    ...transitionTo(reset.group, 'PreparingRebalance', nowMs),
    rebalanceDeadlineMs: nowMs + (wasEmpty ? delayMs : timeoutMs),
    initialDelayedJoin: wasEmpty
      ? { configuredRebalanceDelayMs: delayMs, delayMs, remainingMs: Math.max(timeoutMs - delayMs, 0) }
      : null,
  };
  return andThen({ group: preparing, effects: reset.effects }, (g) => tryCompleteJoin(g, nowMs));
}

/**
 * Removes a member that left or whose session expired (`removeMemberAndUpdateGroup`). Its parked JoinGroup, if
 * any, is answered UNKNOWN_MEMBER_ID so that a live client rejoins. A Stable or CompletingRebalance group starts a
 * rebalance; a PreparingRebalance group may now have everyone it waits for.
 */
export function removeMemberAndUpdateGroup(group: GroupMetadata, memberId: string, options: RebalanceOptions): Step {
  const member = memberOf(group, memberId);
  if (member === undefined) return { group, effects: [] };
  const effects: CoordinatorEffect[] = member.awaitingJoin
    ? [{ type: 'answerJoin', memberId, response: joinError('', 'UNKNOWN_MEMBER_ID') }]
    : [];
  const removed = removeMember(group, memberId);
  const step = { group: removed, effects };
  switch (removed.state) {
    case 'Stable':
    case 'CompletingRebalance':
      return andThen(step, (g) => maybePrepareRebalance(g, options));
    case 'PreparingRebalance':
      return andThen(step, (g) => tryCompleteJoin(g, options.nowMs));
    default:
      return step;
  }
}

/**
 * Drops a pending member id (MEMBER_ID_REQUIRED given, never joined with) and lets a waiting join complete
 * (`removePendingMemberAndUpdateGroup`).
 */
export function removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string, nowMs: number): Step {
  const { [memberId]: _, ...pendingMembers } = group.pendingMembers;
  const removed = { ...group, pendingMembers };
  return removed.state === 'PreparingRebalance' ? tryCompleteJoin(removed, nowMs) : { group: removed, effects: [] };
}

/**
 * `resetAndPropagateAssignmentError`: forget the assignment and answer the parked SyncGroups with `errorCode`
 * (REBALANCE_IN_PROGRESS when a rebalance starts; the append's error when the assignment could not be stored),
 * restarting their sessions as propagateAssignment does.
 */
export function resetAndPropagateAssignmentError(group: GroupMetadata, nowMs: number, errorCode: Exclude<KafkaErrorType, 'NONE'> = 'REBALANCE_IN_PROGRESS'): Step {
  const effects: CoordinatorEffect[] = [];
  const reset = updateMembers(group, (member) => {
    if (!member.awaitingSync) return { ...member, assignment: [] };
    const response = { errorCode, protocolType: null, protocolName: null, assignment: [] } as const;
    effects.push({ type: 'answerSync', memberId: member.memberId, response });
    return { ...member, assignment: [], awaitingSync: false, lastHeartbeatMs: nowMs };
  });
  return { group: reset, effects };
}
