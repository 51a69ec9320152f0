import type { AlterPartitionResponse } from '../../src/protocol/messages.ts';
import { CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import type { BrokerEffect, BrokerState, PartitionReplica } from './BrokerState.ts';
import { withReplica } from './BrokerState.ts';
import { advanceHighWatermark } from './highWatermarkAdvance.ts';
import { isFollowerInSync, outOfSyncReplicas } from './isrMembership.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// The leader's side of ISR changes (Partition.maybeShrinkIsr / maybeExpandIsr, AlterPartitionManager): it
// proposes a new ISR to the controller with the partition epoch it knows (a compare-and-set), one request at a
// time, and adopts the controller's answer. While a request is in flight the HW counts the proposed members too
// (the maximal ISR), so a shrink cannot commit data that the smaller ISR lacks (bug R9).

/** Proposes `newIsr` for the partition to the controller, unless a proposal is already in flight. */
export function proposeIsr(state: BrokerState, key: string, newIsr: readonly number[], out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr !== null || replica.leader !== state.brokerId) return state;
  const members = newIsr.map((brokerId) => ({
    brokerId,
    brokerEpoch: brokerId === state.brokerId ? state.brokerEpoch : (replica.followers[brokerId]?.brokerEpoch ?? -1),
  }));
  out.push({
    kind: 'send',
    to: CONTROLLER_NODE_ID,
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
  out.push({
    kind: 'timer',
    id: `alter:${key}`,
    delayMs: state.config.alterPartitionTimeoutMs,
    event: { type: 'alterPartition.timeout', key, partitionEpoch: replica.partitionEpoch },
  });
  return withReplica(state, { ...replica, pendingIsr: [...newIsr] });
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

/** The controller's answer: adopt the new state if it is newer, clear the proposal, and re-evaluate the HW. */
export function onAlterPartitionResponse(state: BrokerState, response: AlterPartitionResponse, out: BrokerEffect[]): BrokerState {
  const key = topicPartitionKey(response.topic, response.partition);
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr === null) return state;
  out.push({ kind: 'cancel', id: `alter:${key}` });
  let next: PartitionReplica = { ...replica, pendingIsr: null };
  const adopted = response.state;
  if (adopted !== undefined && adopted.leaderEpoch === replica.leaderEpoch && adopted.partitionEpoch > replica.partitionEpoch) {
    next = { ...next, isr: adopted.isr, partitionEpoch: adopted.partitionEpoch };
  }
  return advanceHighWatermark(withReplica(state, next), key, out);
}

/** No answer in time: forget the proposal so the next check can propose again. */
export function onAlterPartitionTimeout(state: BrokerState, key: string, partitionEpoch: number, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.pendingIsr === null || replica.partitionEpoch !== partitionEpoch) return state;
  return advanceHighWatermark(withReplica(state, { ...replica, pendingIsr: null }), key, out);
}
