// The group consumer's membership as data (`AbstractCoordinator`'s MemberState and Generation, the partitions it
// owns) and the transitions that start a join, reset the generation, leave the group and watch
// max.poll.interval.ms. The responses to JoinGroup, SyncGroup and Heartbeat are in membershipResponses.ts.
// Every rule takes the membership and returns `{ state, effects }`; the machine carries the effects out in order.
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { HeartbeatRequest, JoinGroupRequest, LeaveGroupRequest, SyncGroupRequest } from '../../src/protocol/groupMessages.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { ConsumerConfig } from './consumerDefaults.ts';
import { partitionsToRevokeBeforeJoin, rebalanceProtocolFor, subscriptionFor } from './rebalanceProtocol.ts';

/** `AbstractCoordinator.MemberState`. */
export type MemberState = 'UNJOINED' | 'PREPARING_REBALANCE' | 'COMPLETING_REBALANCE' | 'STABLE';

/** The client's view of its group membership. `memberId` '' and `generationId` -1 are Kafka's NO_GENERATION. */
export interface Membership {
  readonly groupId: string;
  readonly clientId: string;
  /** The subscribed topics (`KafkaConsumer.subscribe`). */
  readonly topics: readonly string[];
  readonly state: MemberState;
  readonly memberId: string;
  readonly generationId: number;
  readonly protocolName: string | null;
  readonly leaderId: string;
  readonly isLeader: boolean;
  /** The partitions the member consumes now (`SubscriptionState#assignedPartitions`). */
  readonly ownedPartitions: readonly TopicPartition[];
  /** The last SyncGroup assignment and its generation: the eager sticky assignor's user data. */
  readonly lastAssignment: { readonly partitions: readonly TopicPartition[]; readonly generationId: number } | null;
  /** A rejoin was requested (`rejoinNeeded`); `startJoin` runs it on the next poll. */
  readonly rejoinNeeded: boolean;
  readonly rejoinReason: string;
  /** Set by an error the consumer cannot recover from (FENCED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL, ...). */
  readonly fatalError: KafkaErrorType | null;
  /** When the application last called poll(): max.poll.interval.ms counts from here. */
  readonly lastPollMs: number;
  /**
   * The eager-rejoin-without-revoking weakening (bug C2's eager half): `onJoinPrepare` revokes nothing, and the
   * member keeps consuming what it owns through the rebalance. Absent (false) in a faithful run.
   */
  readonly keepsOwnedOnJoin?: boolean;
}

/**
 * An effect for the consumer machine, carried out in order:
 * - `joinGroup` / `syncGroup` / `heartbeat` / `leaveGroup`: send the request to the group coordinator.
 * - `findCoordinator`: forget the coordinator and look it up again (`markCoordinatorUnknown`); a pending rejoin
 *   runs once it is known.
 * - `revokePartitions`: onPartitionsRevoked. Stop fetching and processing them; with enable.auto.commit, commit
 *   their processed positions first (Kafka commits synchronously before it rejoins or leaves).
 * - `losePartitions`: onPartitionsLost. Stop at once, commit nothing: the generation is gone, a commit would fail.
 * - `assignPartitions`: onPartitionsAssigned. OffsetFetch their committed offsets, then fetch from there.
 * - `fatal`: the consumer stops (KafkaConsumer throws from poll()).
 */
export type MembershipEffect =
  | { readonly type: 'joinGroup'; readonly request: JoinGroupRequest }
  | { readonly type: 'syncGroup'; readonly request: SyncGroupRequest }
  | { readonly type: 'heartbeat'; readonly request: HeartbeatRequest }
  | { readonly type: 'leaveGroup'; readonly request: LeaveGroupRequest }
  | { readonly type: 'findCoordinator' }
  | { readonly type: 'revokePartitions'; readonly partitions: readonly TopicPartition[] }
  | { readonly type: 'losePartitions'; readonly partitions: readonly TopicPartition[] }
  | { readonly type: 'assignPartitions'; readonly partitions: readonly TopicPartition[] }
  | { readonly type: 'fatal'; readonly errorCode: KafkaErrorType };

/** A membership rule's outcome. */
export interface MembershipResult {
  readonly state: Membership;
  readonly effects: readonly MembershipEffect[];
}

/** What a member holds of a group while it has no generation: before its first join and after leaving one. */
export const NO_GENERATION = {
  state: 'UNJOINED',
  memberId: '',
  generationId: -1,
  protocolName: null,
  leaderId: '',
  isLeader: false,
} as const satisfies Partial<Membership>;

/** A subscribed consumer before its first join: no member id, no generation, a rejoin pending. */
export function initialMembership(options: { groupId: string; clientId: string; topics: readonly string[]; nowMs: number; keepsOwnedOnJoin?: boolean }): Membership {
  return {
    ...(options.keepsOwnedOnJoin === true ? { keepsOwnedOnJoin: true } : {}),
    groupId: options.groupId,
    clientId: options.clientId,
    topics: [...options.topics],
    ...NO_GENERATION,
    ownedPartitions: [],
    lastAssignment: null,
    rejoinNeeded: true,
    rejoinReason: 'subscribed',
    fatalError: null,
    lastPollMs: options.nowMs,
  };
}

/** Whether the next poll must (re)join: a rejoin is pending and no join is in flight (`rejoinNeededOrPending`). */
export function isRejoinNeeded(m: Membership): boolean {
  return m.rejoinNeeded && m.fatalError === null && (m.state === 'UNJOINED' || m.state === 'STABLE');
}

/** `requestRejoin`: keep the generation and partitions; the next poll rejoins. */
export function requestRejoin(m: Membership, reason: string): Membership {
  return { ...m, rejoinNeeded: true, rejoinReason: reason };
}

/**
 * `resetStateAndRejoin`: forget the generation (and with `resetMemberId`, the member id too, after
 * UNKNOWN_MEMBER_ID) and rejoin. The partitions stay listed until `startJoin`, which reports them lost.
 */
export function resetStateAndRejoin(m: Membership, reason: string, resetMemberId: boolean): Membership {
  return {
    ...m,
    ...NO_GENERATION,
    memberId: resetMemberId ? '' : m.memberId,
    rejoinNeeded: true,
    rejoinReason: reason,
  };
}

/** The error stops the consumer for good. */
export function fail(m: Membership, errorCode: KafkaErrorType): MembershipResult {
  return { state: { ...m, fatalError: errorCode, rejoinNeeded: false }, effects: [{ type: 'fatal', errorCode }] };
}

/**
 * `onJoinPrepare` then `sendJoinGroupRequest`. A member whose generation was reset lost its partitions (no commit);
 * otherwise an eager member revokes all of them and a cooperative one only those of unsubscribed topics. The
 * JoinGroup lists every configured assignor with the member's subscription, in the configured order.
 */
export function startJoin(m: Membership, config: ConsumerConfig): MembershipResult {
  const effects: MembershipEffect[] = [];
  let owned = m.ownedPartitions;
  const generationLost = m.generationId === -1 || m.memberId === '';
  if (generationLost && owned.length > 0) {
    effects.push({ type: 'losePartitions', partitions: owned });
    owned = [];
  } else if (m.keepsOwnedOnJoin !== true) {
    const revoked = partitionsToRevokeBeforeJoin(rebalanceProtocolFor(config.partitionAssignmentStrategy), owned, m.topics);
    if (revoked.length > 0) {
      effects.push({ type: 'revokePartitions', partitions: revoked });
      owned = owned.filter((tp) => !revoked.includes(tp));
    }
  }
  const state: Membership = { ...m, state: 'PREPARING_REBALANCE', ownedPartitions: owned, rejoinNeeded: false };
  effects.push({ type: 'joinGroup', request: joinGroupRequest(state, config) });
  return { state, effects };
}

/** The JoinGroup request for the member as it is now. */
export function joinGroupRequest(m: Membership, config: ConsumerConfig): JoinGroupRequest {
  return {
    memberId: m.memberId,
    ...(config.groupInstanceId === undefined ? {} : { groupInstanceId: config.groupInstanceId }),
    clientId: m.clientId,
    sessionTimeoutMs: config.sessionTimeoutMs,
    rebalanceTimeoutMs: config.rebalanceTimeoutMs,
    protocolType: 'consumer',
    protocols: config.partitionAssignmentStrategy.map((name) => ({ name, metadata: subscriptionFor(name, m) })),
  };
}

/** A heartbeat to send now, or null: the heartbeat thread runs only between a JoinGroup answer and the next reset. */
export function heartbeatRequest(m: Membership, config: ConsumerConfig): MembershipEffect | null {
  if (m.fatalError !== null || (m.state !== 'COMPLETING_REBALANCE' && m.state !== 'STABLE')) return null;
  const instance = config.groupInstanceId === undefined ? {} : { groupInstanceId: config.groupInstanceId };
  return { type: 'heartbeat', request: { memberId: m.memberId, ...instance, generationId: m.generationId } };
}
