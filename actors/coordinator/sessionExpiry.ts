import type { CoordinatorConfig } from './coordinatorDefaults.ts';
import type { CoordinatorEffect, CoordinatorResult, Step } from './CoordinatorResult.ts';
import { onRebalanceDeadline } from './completeJoin.ts';
import type { GroupMetadata } from './GroupMetadata.ts';
import type { MemberMetadata } from './MemberMetadata.ts';
import { removeMemberAndUpdateGroup, removePendingMemberAndUpdateGroup } from './prepareRebalance.ts';

// The coordinator's timers as data (`DelayedHeartbeat`, the pending-member expiration, `DelayedJoin`): each is a
// deadline computed from the group, and `expireDeadlines` fires those that have passed, earliest first, the way
// Kafka's purgatories would have fired them one by one. The machine wakes at `nextDeadlineMs` and calls it.

/** The time and settings timers are judged with. */
export interface ExpiryOptions {
  readonly nowMs: number;
  readonly config: CoordinatorConfig;
}

/**
 * When the member's session ends: `session.timeout.ms` after its last heartbeat, or `NewMemberJoinTimeoutMs` after
 * a new member's JoinGroup (it has no id to heartbeat with yet). A member whose JoinGroup or SyncGroup is parked
 * is not expired (`MemberMetadata#hasSatisfiedHeartbeat`): it is waiting on the coordinator, not the other way.
 */
export function heartbeatDeadlineMs(member: MemberMetadata, config: CoordinatorConfig): number | null {
  if (!member.isNew && (member.awaitingJoin || member.awaitingSync)) return null;
  return member.lastHeartbeatMs + (member.isNew ? config.newMemberJoinTimeoutMs : member.sessionTimeoutMs);
}

/** The members whose session has expired at `nowMs`, earliest deadline first. */
export function sessionExpiredMembers(group: GroupMetadata, nowMs: number, config: CoordinatorConfig): string[] {
  return timers(group, config).flatMap((timer) => (timer.kind === 'member' && timer.deadlineMs <= nowMs ? [timer.memberId] : []));
}

/** The earliest deadline of any timer of the group, or null when none is running. */
export function nextDeadlineMs(group: GroupMetadata, config: CoordinatorConfig): number | null {
  return timers(group, config)[0]?.deadlineMs ?? null;
}

/**
 * Fires every timer whose deadline has passed, earliest first: an expired member is removed as if it had left
 * (`onExpireHeartbeat` -> `removeMemberAndUpdateGroup`, a rebalance in Stable or CompletingRebalance); an expired
 * pending member id is forgotten; the rebalance deadline completes the join (`DelayedJoin`) or extends the
 * initial delay. Each firing may move other deadlines, so the timers are recomputed after each one.
 */
export function expireDeadlines(group: GroupMetadata, options: ExpiryOptions): CoordinatorResult<null> {
  let current = group;
  const effects: CoordinatorEffect[] = [];
  for (;;) {
    const due = timers(current, options.config).find((timer) => timer.deadlineMs <= options.nowMs);
    if (due === undefined || current.state === 'Dead') return { state: current, response: null, effects };
    const step = fire(current, due, options);
    current = step.group;
    effects.push(...step.effects);
  }
}

type Timer =
  | { readonly kind: 'member' | 'pending'; readonly memberId: string; readonly deadlineMs: number }
  | { readonly kind: 'rebalance'; readonly memberId: null; readonly deadlineMs: number };

function fire(group: GroupMetadata, timer: Timer, options: ExpiryOptions): Step {
  const rebalance = { nowMs: options.nowMs, groupInitialRebalanceDelayMs: options.config.groupInitialRebalanceDelayMs };
  switch (timer.kind) {
    case 'member':
      return removeMemberAndUpdateGroup(group, timer.memberId, rebalance);
    case 'pending':
      return removePendingMemberAndUpdateGroup(group, timer.memberId, options.nowMs);
    case 'rebalance':
      return onRebalanceDeadline(group, options.nowMs);
  }
}

// Every running timer, earliest first; ties keep members before pending ids before the rebalance deadline.
function timers(group: GroupMetadata, config: CoordinatorConfig): Timer[] {
  const all: Timer[] = [];
  for (const member of group.members) {
    const deadlineMs = heartbeatDeadlineMs(member, config);
    if (deadlineMs !== null) all.push({ kind: 'member', memberId: member.memberId, deadlineMs });
  }
  for (const [memberId, deadlineMs] of Object.entries(group.pendingMembers)) all.push({ kind: 'pending', memberId, deadlineMs });
  if (group.state === 'PreparingRebalance' && group.rebalanceDeadlineMs !== null) {
    all.push({ kind: 'rebalance', memberId: null, deadlineMs: group.rebalanceDeadlineMs });
  }
  return all.sort((a, b) => a.deadlineMs - b.deadlineMs);
}
