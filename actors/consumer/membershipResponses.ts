// The group consumer's handling of the coordinator's answers (`AbstractCoordinator.JoinGroupResponseHandler`,
// `SyncGroupResponseHandler`, `HeartbeatResponseHandler`, and ConsumerCoordinator's `OffsetCommitResponseHandler`
// for the errors that end a generation). Errors met inside a join (JoinGroup, SyncGroup) rejoin at once, as
// `joinGroupIfNeeded` loops; errors met outside it (Heartbeat, OffsetCommit) only request the rejoin, which the
// application's next poll() carries out.
import type { HeartbeatResponse, JoinGroupResponse, SyncGroupResponse } from '../../src/protocol/groupMessages.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { ConsumerConfig } from './consumerDefaults.ts';
import type { Membership, MembershipEffect, MembershipResult } from './membership.ts';
import { fail, requestRejoin, resetStateAndRejoin, startJoin } from './membership.ts';
import { leaderAssignment, onAssignment, rebalanceProtocolFor } from './rebalanceProtocol.ts';

/** What a JoinGroup answer needs besides the membership: the config, and the leader's partition counts. */
export interface JoinResponseContext {
  readonly config: ConsumerConfig;
  /** Partition count per subscribed topic, from metadata: the leader's assignor needs it. */
  readonly partitionsPerTopic: Readonly<Record<string, number>>;
}

const coordinatorErrors: ReadonlySet<KafkaErrorType> = new Set(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);

/**
 * A JoinGroup answer. Ignored unless the member is joining (it left or reset meanwhile). Success: the new
 * generation, and a SyncGroup, carrying the assignment when this member leads. MEMBER_ID_REQUIRED (KIP-394):
 * join again at once with the id given. UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION: reset and rejoin at once;
 * REBALANCE_IN_PROGRESS: rejoin at once. COORDINATOR_LOAD_IN_PROGRESS: rejoin after a backoff. NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE: find the coordinator, then rejoin. Anything else (FENCED_INSTANCE_ID,
 * INCONSISTENT_GROUP_PROTOCOL, INVALID_SESSION_TIMEOUT, GROUP_MAX_SIZE_REACHED) is fatal.
 */
export function onJoinGroupResponse(m: Membership, response: JoinGroupResponse, context: JoinResponseContext): MembershipResult {
  if (m.state !== 'PREPARING_REBALANCE') return { state: m, effects: [] };
  const { config } = context;
  switch (response.errorCode) {
    case 'NONE':
      return joined(m, response, context);
    case 'MEMBER_ID_REQUIRED':
      return startJoin({ ...m, memberId: response.memberId }, config);
    case 'UNKNOWN_MEMBER_ID':
      return startJoin(resetStateAndRejoin(m, 'JoinGroup: UNKNOWN_MEMBER_ID', true), config);
    case 'ILLEGAL_GENERATION':
      return startJoin(resetStateAndRejoin(m, 'JoinGroup: ILLEGAL_GENERATION', false), config);
    case 'REBALANCE_IN_PROGRESS':
      return startJoin(requestRejoin(m, 'JoinGroup: REBALANCE_IN_PROGRESS'), config);
    case 'COORDINATOR_LOAD_IN_PROGRESS':
      return { state: { ...requestRejoin(m, 'coordinator loading'), state: 'UNJOINED' }, effects: [] };
    default:
      if (coordinatorErrors.has(response.errorCode)) return rediscover(m, `JoinGroup: ${response.errorCode}`);
      return fail(m, response.errorCode);
  }
}

// The join succeeded: the member is in the new generation and syncs; the leader assigns for everyone.
function joined(m: Membership, response: JoinGroupResponse, context: JoinResponseContext): MembershipResult {
  const isLeader = response.leaderId === response.memberId;
  const state: Membership = {
    ...m,
    state: 'COMPLETING_REBALANCE',
    memberId: response.memberId,
    generationId: response.generationId,
    protocolName: response.protocolName,
    leaderId: response.leaderId,
    isLeader,
  };
  const assigns = isLeader && !response.skipAssignment && response.protocolName !== null;
  const assignments = assigns
    ? leaderAssignment({ protocolName: response.protocolName ?? '', members: response.members, partitionsPerTopic: context.partitionsPerTopic })
    : {};
  const { groupInstanceId } = context.config;
  const request = {
    memberId: state.memberId,
    ...(groupInstanceId === undefined ? {} : { groupInstanceId }),
    generationId: state.generationId,
    protocolType: 'consumer',
    ...(response.protocolName === null ? {} : { protocolName: response.protocolName }),
    assignments,
  };
  return { state, effects: [{ type: 'syncGroup', request }] };
}

/**
 * A SyncGroup answer. Ignored unless the member is syncing. Success: the member is STABLE with its assignment;
 * the change from what it owned is revoked and assigned; a cooperative member that revoked anything rejoins at
 * once. REBALANCE_IN_PROGRESS: rejoin at once; UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION: reset and rejoin at once;
 * coordinator errors: find it, then rejoin; anything else is fatal.
 */
export function onSyncGroupResponse(m: Membership, response: SyncGroupResponse, config: ConsumerConfig): MembershipResult {
  if (m.state !== 'COMPLETING_REBALANCE') return { state: m, effects: [] };
  switch (response.errorCode) {
    case 'NONE':
      return synced(m, response, config);
    case 'REBALANCE_IN_PROGRESS':
      return startJoin({ ...requestRejoin(m, 'SyncGroup: REBALANCE_IN_PROGRESS'), state: 'UNJOINED' }, config);
    case 'UNKNOWN_MEMBER_ID':
    case 'ILLEGAL_GENERATION':
      return startJoin(resetStateAndRejoin(m, `SyncGroup: ${response.errorCode}`, response.errorCode === 'UNKNOWN_MEMBER_ID'), config);
    default:
      if (coordinatorErrors.has(response.errorCode)) return rediscover(m, `SyncGroup: ${response.errorCode}`);
      return fail(m, response.errorCode);
  }
}

// `onJoinComplete`: revoke what was lost (cooperative), start what was added, remember the assignment.
function synced(m: Membership, response: SyncGroupResponse, config: ConsumerConfig): MembershipResult {
  const protocol = rebalanceProtocolFor(config.partitionAssignmentStrategy);
  const change = onAssignment(protocol, m.ownedPartitions, response.assignment);
  const effects: MembershipEffect[] = [];
  if (change.revoked.length > 0) effects.push({ type: 'revokePartitions', partitions: change.revoked });
  effects.push({ type: 'assignPartitions', partitions: change.added });
  const state: Membership = {
    ...m,
    state: 'STABLE',
    ownedPartitions: [...change.kept, ...change.added],
    lastAssignment: { partitions: [...response.assignment], generationId: m.generationId },
    rejoinNeeded: false,
  };
  if (!change.rejoin) return { state, effects };
  const rejoin = startJoin(requestRejoin(state, 'need to revoke partitions and re-join'), config);
  return { state: rejoin.state, effects: [...effects, ...rejoin.effects] };
}

/** A Heartbeat answer, for the generation it was sent in. Ignored if the member has moved on since. */
export function onHeartbeatResponse(
  m: Membership,
  response: HeartbeatResponse,
  sent: { readonly memberId: string; readonly generationId: number },
): MembershipResult {
  if (response.errorCode === 'NONE') return { state: m, effects: [] };
  return onGroupError(m, response.errorCode, sent, 'Heartbeat');
}

/**
 * A group error from a Heartbeat or an OffsetCommit sent in generation `sent`. REBALANCE_IN_PROGRESS: a STABLE
 * member requests a rejoin (keeping its generation, so it may still commit). ILLEGAL_GENERATION,
 * UNKNOWN_MEMBER_ID: the generation is gone; reset (the member id too for the latter) and rejoin on the next
 * poll, reporting the partitions lost. Coordinator errors: find it again. FENCED_INSTANCE_ID is fatal; other
 * errors change nothing here. An answer for an older generation is ignored (`generationUnchanged`).
 */
export function onGroupError(
  m: Membership,
  errorCode: KafkaErrorType,
  sent: { readonly memberId: string; readonly generationId: number },
  source: 'Heartbeat' | 'OffsetCommit',
): MembershipResult {
  const unchanged = sent.memberId === m.memberId && sent.generationId === m.generationId;
  const reason = `${source}: ${errorCode}`;
  switch (errorCode) {
    case 'REBALANCE_IN_PROGRESS':
      return { state: m.state === 'STABLE' ? requestRejoin(m, reason) : m, effects: [] };
    case 'ILLEGAL_GENERATION':
    case 'UNKNOWN_MEMBER_ID':
      if (!unchanged || m.state === 'PREPARING_REBALANCE') return { state: m, effects: [] };
      return { state: resetStateAndRejoin(m, reason, errorCode === 'UNKNOWN_MEMBER_ID'), effects: [] };
    case 'FENCED_INSTANCE_ID':
      return unchanged ? fail(m, errorCode) : { state: m, effects: [] };
    default:
      if (coordinatorErrors.has(errorCode)) return { state: m, effects: [{ type: 'findCoordinator' }] };
      return { state: m, effects: [] };
  }
}

// A join or sync that lost its coordinator: look it up, then rejoin (the partitions are kept meanwhile).
function rediscover(m: Membership, reason: string): MembershipResult {
  return { state: { ...requestRejoin(m, reason), state: 'UNJOINED' }, effects: [{ type: 'findCoordinator' }] };
}
