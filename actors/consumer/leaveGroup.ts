// How a group consumer leaves: on close (`ConsumerCoordinator#close` → `onLeavePrepare`, `maybeLeaveGroup`), and
// when the application stalls past max.poll.interval.ms (KIP-62: the heartbeat thread sees the poll timer expire
// and leaves, so the group rebalances without waiting for the session timeout; the member rejoins on its next poll).
// Static members (KIP-345) never send LeaveGroup: their partitions wait out session.timeout.ms, so a restart
// within it gets them back without a rebalance.
import type { ConsumerConfig } from './consumerDefaults.ts';
import { NO_GENERATION, type Membership, type MembershipEffect, type MembershipResult } from './membership.ts';

/** When max.poll.interval.ms runs out if the application does not poll again. */
export function pollTimeoutDeadlineMs(m: Membership, config: ConsumerConfig): number {
  return m.lastPollMs + config.maxPollIntervalMs;
}

/** Whether the application has not called poll() for max.poll.interval.ms (`Heartbeat#pollTimeoutExpired`). */
export function isPollTimeoutExpired(m: Membership, nowMs: number, config: ConsumerConfig): boolean {
  return m.state !== 'UNJOINED' && m.fatalError === null && nowMs >= pollTimeoutDeadlineMs(m, config);
}

/** The application called poll(): the poll timer restarts (`Heartbeat#poll`). */
export function recordPoll(m: Membership, nowMs: number): Membership {
  return { ...m, lastPollMs: nowMs };
}

/**
 * The poll timer expired while the member was processing (KIP-62): it leaves the group (a dynamic member sends
 * LeaveGroup) and forgets its generation and member id (`resetGenerationOnLeaveGroup`). It still lists its
 * partitions: the application may be mid-record, and its commits now fail. Its next poll rejoins as a new member
 * and reports the partitions lost.
 */
export function onPollTimeout(m: Membership, config: ConsumerConfig): MembershipResult {
  const effects = leaveEffects(m, config);
  const state: Membership = {
    ...m,
    ...NO_GENERATION,
    rejoinNeeded: true,
    rejoinReason: 'consumer poll timeout has expired',
  };
  return { state, effects };
}

/**
 * A graceful close: the partitions are revoked (committed first under auto-commit) or, if the generation is already
 * gone, lost; then a dynamic member sends LeaveGroup so they move at once. A static member sends nothing.
 */
export function closeMembership(m: Membership, config: ConsumerConfig): MembershipResult {
  const effects: MembershipEffect[] = [];
  if (m.ownedPartitions.length > 0) {
    const generationLost = m.generationId === -1 || m.memberId === '';
    effects.push({ type: generationLost ? 'losePartitions' : 'revokePartitions', partitions: m.ownedPartitions });
  }
  effects.push(...leaveEffects(m, config));
  const state: Membership = {
    ...m,
    ...NO_GENERATION,
    ownedPartitions: [],
    rejoinNeeded: false,
    rejoinReason: 'closed',
  };
  return { state, effects };
}

// `maybeLeaveGroup`: only a dynamic member that has a member id and is in (or joining) the group sends LeaveGroup.
function leaveEffects(m: Membership, config: ConsumerConfig): MembershipEffect[] {
  if (config.groupInstanceId !== undefined || m.memberId === '' || m.state === 'UNJOINED') return [];
  return [{ type: 'leaveGroup', request: { members: [{ memberId: m.memberId }] } }];
}
