import type { AlterPartitionResponse } from '../../src/protocol/messages.ts';
import type { BrokerEffect, BrokerState, PartitionReplica } from './BrokerState.ts';
import { withReplica } from './BrokerState.ts';
import { advanceHighWatermark } from './highWatermarkAdvance.ts';
import { isFollowerInSync, outOfSyncReplicas } from './isrMembership.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import { connectionLost, connectionWorks } from '../client/reconnectBackoff.ts';
import { controllerNodeOf } from './zkBroker.ts';

// The leader's side of ISR changes (Partition.maybeShrinkIsr / maybeExpandIsr, AlterPartitionManager): it
// proposes a new ISR to the controller with the partition epoch it knows (a compare-and-set), one request at a
// time, and adopts the controller's answer. While a request is in flight the HW counts the proposed members too
// (the maximal ISR), so a shrink cannot commit data that the smaller ISR lacks (bug R9). The proposal is never
// given up: AlterPartitionManager does not time AlterPartition out but lets its controller channel resend it until
// the controller answers (after controller.socket.timeout.ms without an answer, after a broken connection, 50 ms
// after a top-level error), or until new metadata for the partition replaces the pending state. A leader that gave
// up after a few seconds and moved its HW over the smaller ISR would let a stale proposal, committed later, put a
// far-behind follower in the ISR, and the no-loss property would then report losses Kafka never has.

/** Proposes `newIsr` for the partition to the controller, unless a proposal is already in flight. */
export function proposeIsr(state: BrokerState, key: string, newIsr: readonly number[], out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr !== null || replica.leader !== state.brokerId) return state;
  const proposed: PartitionReplica = { ...replica, pendingIsr: [...newIsr] };
  sendAlterPartition(state, proposed, state.config.alterPartitionTimeoutMs, out);
  return withReplica(state, proposed);
}

// The AlterPartition for a replica's pending ISR, and the timer after which it is sent again if unanswered.
function sendAlterPartition(state: BrokerState, replica: PartitionReplica, retryAfterMs: number, out: BrokerEffect[]): void {
  const newIsr = replica.pendingIsr as readonly number[];
  const members = newIsr.map((brokerId) => ({
    brokerId,
    brokerEpoch: brokerId === state.brokerId ? state.brokerEpoch : (replica.followers[brokerId]?.brokerEpoch ?? -1),
  }));
  const controller = controllerNodeOf(state);
  // A ZooKeeper-mode broker that knows no controller yet sends nothing: the retry timer tries again.
  if (controller !== null) out.push({
    kind: 'send',
    to: controller,
    message: {
      type: 'partition.alter',
      brokerId: state.brokerId,
      brokerEpoch: state.brokerEpoch,
      topic: replica.topic,
      partition: replica.partition,
      leaderEpoch: replica.leaderEpoch,
      partitionEpoch: replica.partitionEpoch,
      newIsr: members,
    },
  });
  retryLater(replica, retryAfterMs, out);
}

function retryLater(replica: PartitionReplica, delayMs: number, out: BrokerEffect[]): void {
  const key = topicPartitionKey(replica.topic, replica.partition);
  out.push({ kind: 'timer', id: `alter:${key}`, delayMs, event: { type: 'alterPartition.timeout', key, partitionEpoch: replica.partitionEpoch } });
}

/** After a follower fetch: adds the follower to the ISR once it has caught up (Partition.maybeExpandIsr). */
export function maybeExpandIsr(state: BrokerState, key: string, followerId: number, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr !== null || replica.isr.includes(followerId)) return state;
  const follower = replica.followers[followerId];
  if (follower === undefined) return state;
  const inSync = isFollowerInSync({
    followerLeo: follower.leo,
    highWatermark: replica.log.highWatermark,
    leaderEpochStartOffset: replica.leaderEpochStartOffset,
  });
  if (!inSync) return state;
  return proposeIsr(state, key, [...replica.isr, followerId], out);
}

/** The periodic check (isr-expiration): every led partition drops followers that lag past replica.lag.time.max.ms. */
export function shrinkLaggingIsrs(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  let next = state;
  for (const [key, replica] of Object.entries(state.partitions)) {
    if (replica.leader !== state.brokerId || replica.pendingIsr !== null) continue;
    const lagging = outOfSyncReplicas(
      { leaderId: state.brokerId, leaderLeo: replica.log.logEndOffset, isr: replica.isr, followers: replica.followers },
      nowMs,
      state.config.replicaLagTimeMaxMs,
    );
    if (lagging.length > 0) next = proposeIsr(next, key, replica.isr.filter((id) => !lagging.includes(id)), out);
  }
  return next;
}

/**
 * The controller's answer. A top-level error (STALE_BROKER_EPOCH, NOT_CONTROLLER) leaves the proposal pending, to be
 * sent again in 50 ms (`AlterPartitionManager` keeps it in `unsentIsrUpdates`). Any other answer settles it: the
 * new state is adopted if it is newer, and the HW is re-evaluated over the ISR in force (a partition-level error
 * such as INVALID_UPDATE_VERSION reverts to the committed ISR, and metadata brings the change that beat it).
 */
export function onAlterPartitionResponse(state: BrokerState, response: AlterPartitionResponse, out: BrokerEffect[], nowMs?: number): BrokerState {
  const key = topicPartitionKey(response.topic, response.partition);
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr === null) return controllerAnswered(state);
  if (response.errorCode === 'STALE_BROKER_EPOCH' || response.errorCode === 'NOT_CONTROLLER') {
    retryLater(replica, TOP_LEVEL_ERROR_RETRY_MS, out);
    return state;
  }
  out.push({ kind: 'cancel', id: `alter:${key}` });
  let next: PartitionReplica = { ...replica, pendingIsr: null };
  const adopted = response.state;
  if (adopted !== undefined && adopted.leaderEpoch === replica.leaderEpoch && adopted.partitionEpoch > replica.partitionEpoch) {
    next = { ...next, isr: adopted.isr, partitionEpoch: adopted.partitionEpoch };
  }
  return advanceHighWatermark(withReplica(controllerAnswered(state), next), key, out, nowMs);
}

/** `AlterPartitionManager`'s retry after a top-level error from the controller. */
const TOP_LEVEL_ERROR_RETRY_MS = 50;

/**
 * No answer yet (controller.socket.timeout.ms passed, or a retry is due): the same proposal goes again, as the
 * controller channel resends it. A proposal that new metadata already settled (another partition epoch) is done.
 */
export function onAlterPartitionTimeout(state: BrokerState, key: string, partitionEpoch: number, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr === null || replica.partitionEpoch !== partitionEpoch || replica.leader !== state.brokerId) return state;
  sendAlterPartition(state, replica, state.config.alterPartitionTimeoutMs, out);
  return state;
}

/**
 * The connection to the controller broke: the channel reconnects after reconnect.backoff.ms and sends what was
 * pending again.
 */
export function onControllerConnectionReset(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const controllerBackoff = connectionLost(state.controllerBackoff, CONTROLLER_CONNECTION, nowMs);
  const delayMs = (controllerBackoff[CONTROLLER_CONNECTION]?.atMs ?? nowMs) - nowMs;
  for (const replica of Object.values(state.partitions)) {
    if (replica.pendingIsr !== null && replica.leader === state.brokerId) retryLater(replica, delayMs, out);
  }
  return { ...state, controllerBackoff };
}

/** An answer from the controller: its connection works, and the next break backs off from the start. */
export function controllerAnswered(state: BrokerState): BrokerState {
  const controllerBackoff = connectionWorks(state.controllerBackoff, CONTROLLER_CONNECTION);
  return controllerBackoff === state.controllerBackoff ? state : { ...state, controllerBackoff };
}

// The key of the controller's connection in the backoff table (broker ids are >= 0).
const CONTROLLER_CONNECTION = -1;
