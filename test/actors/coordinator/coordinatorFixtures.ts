import { assignPartitions } from '../../../actors/assignors/assignPartitions.ts';
import { coordinatorDefaults } from '../../../actors/coordinator/coordinatorDefaults.ts';
import type { CoordinatorEffect, CoordinatorResult } from '../../../actors/coordinator/CoordinatorResult.ts';
import { emptyGroup } from '../../../actors/coordinator/GroupMetadata.ts';
import type { GroupMetadata } from '../../../actors/coordinator/GroupMetadata.ts';
import { joinGroup } from '../../../actors/coordinator/joinGroup.ts';
import type { JoinGroupRequest, JoinGroupResponse, SyncGroupResponse } from '../../../src/protocol/groupMessages.ts';
import { expireDeadlines, nextDeadlineMs } from '../../../actors/coordinator/sessionExpiry.ts';
import { assignmentStored, syncGroup } from '../../../actors/coordinator/syncGroup.ts';
import type { KafkaErrorType } from '../../../src/protocol/errors.ts';

export const config = coordinatorDefaults;
export const sessionTimeoutMs = 10_000;
export const rebalanceTimeoutMs = 30_000;
export const rebalance = (nowMs: number) => ({ nowMs, groupInitialRebalanceDelayMs: config.groupInitialRebalanceDelayMs });

/** A member id suffix source that counts: `1`, `2`, ... (the machine's is backed by the seeded Rng). */
export function counter(): () => string {
  let n = 0;
  return () => String(++n);
}

/** A JoinGroup for topic `t` with the range assignor. */
export function joinRequest(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    memberId: '',
    clientId: 'c',
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: { topics: ['t'] } }],
    ...overrides,
  };
}

export function join(group: GroupMetadata, overrides: Partial<JoinGroupRequest>, nowMs: number, ids = counter()) {
  return joinGroup(group, joinRequest(overrides), { nowMs, config, newMemberIdSuffix: ids });
}

/** A dynamic member's two JoinGroups: MEMBER_ID_REQUIRED, then the join with the given id (parked or answered). */
export function joinNew(group: GroupMetadata, clientId: string, nowMs: number, ids: () => string) {
  const first = join(group, { clientId }, nowMs, ids);
  const memberId = first.response?.memberId ?? '';
  return { memberId, result: join(first.state, { clientId, memberId }, nowMs, ids) };
}

/**
 * Fires the group's timers at their deadlines, in order, until the join phase is over (nothing else happens
 * meanwhile): the effects of every firing, and the time the join completed.
 */
export function completeRebalance(group: GroupMetadata) {
  const effects: CoordinatorEffect[] = [];
  let state = group;
  let nowMs = 0;
  while (state.state === 'PreparingRebalance') {
    nowMs = nextDeadlineMs(state, config) ?? Number.NaN;
    const fired = expireDeadlines(state, { nowMs, config });
    state = fired.state;
    effects.push(...fired.effects);
  }
  return { state, effects, nowMs };
}

/** The answer a JoinGroup effect gives `memberId`, if any. */
export function joinAnswer(effects: readonly CoordinatorEffect[], memberId: string): JoinGroupResponse | undefined {
  const effect = effects.find((e) => e.type === 'answerJoin' && e.memberId === memberId);
  return effect?.type === 'answerJoin' ? effect.response : undefined;
}

/** The answer a SyncGroup effect gives `memberId`, if any. */
export function syncAnswer(effects: readonly CoordinatorEffect[], memberId: string): SyncGroupResponse | undefined {
  const effect = effects.find((e) => e.type === 'answerSync' && e.memberId === memberId);
  return effect?.type === 'answerSync' ? effect.response : undefined;
}

/**
 * The result of a request whose effects include a leader's assignment, once its GroupMetadata record has committed
 * (or failed with `errorCode`): the group after `assignmentStored`, and the effects of both steps.
 */
export function stored<R>(result: CoordinatorResult<R>, nowMs: number, errorCode: KafkaErrorType = 'NONE'): CoordinatorResult<R> {
  const append = result.effects.find((e) => e.type === 'append' && e.stored !== undefined);
  if (append?.type !== 'append' || append.stored === undefined) return result;
  const after = assignmentStored(result.state, append.stored, errorCode, rebalance(nowMs));
  return { state: after.state, response: result.response, effects: [...result.effects, ...after.effects] };
}

/** The immediate response to a request; throws when the request was parked instead. */
export function responseOf<R>(result: CoordinatorResult<R>): R {
  if (result.response === null) throw new Error('expected an immediate response, the request was parked');
  return result.response;
}

/**
 * A Stable group of dynamic members for clients `clientIds` (joined at 0, the initial delay over, the leader synced with the range assignment of topic `t` with `partitions` partitions).
 */
export function stableGroup(clientIds: readonly string[], partitions = 4, ids = counter()) {
  let group = emptyGroup('g');
  const memberIds: string[] = [];
  for (const clientId of clientIds) {
    const joined = joinNew(group, clientId, 0, ids);
    group = joined.result.state;
    memberIds.push(joined.memberId);
  }
  const completed = completeRebalance(group);
  group = completed.state;
  const leaderJoin = joinAnswer(completed.effects, group.leaderId ?? '');
  const members = (leaderJoin?.members ?? []).map((m) => ({ memberId: m.memberId, topics: [...m.metadata.topics] }));
  const assignments = assignPartitions('range', { members, partitionsPerTopic: { t: partitions } });
  const synced = stored(syncGroup(group, { memberId: group.leaderId ?? '', generationId: group.generationId, assignments }, completed.nowMs), completed.nowMs);
  return { group: synced.state, memberIds, assignments, nowMs: completed.nowMs };
}
