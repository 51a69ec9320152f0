import { brokerOf } from '../controller/metadataImage.ts';
import { minInsyncReplicasFor } from './brokerConfig.ts';
import type { BrokerEffect, BrokerState, PartitionReplica } from './BrokerState.ts';
import { withReplica } from './BrokerState.ts';
import { checkPurgatory } from './completeDelayed.ts';
import { maximalIsr, nextHighWatermark } from './highWatermark.ts';
import { isCaughtUp, isReplicaIsrEligible } from './isrMembership.ts';
import { updateHighWatermark } from './partitionLog.ts';

// What follows on a leader when its log, its ISR or a follower's position changes: the high watermark moves
// (Partition.maybeIncrementLeaderHW) and the delayed operations watching the partition are tried
// (ReplicaManager.tryCompleteDelayedRequests: acks=all produces the HW unblocked, fetches the new data satisfies).
// Kafka re-evaluates both after appends, follower fetches and ISR changes; so do the callers here.

export { maximalIsr } from './highWatermark.ts';

/**
 * Moves the leader's HW as far as the maximal ISR and the followers about to join it allow, then tries the delayed
 * operations on the partition. `nowMs` tells which followers are caught up; a caller without it leaves them out, so
 * only the maximal ISR holds the HW there.
 */
export function advanceHighWatermark(state: BrokerState, key: string, out: BrokerEffect[], nowMs?: number): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.leader !== state.brokerId) return checkPurgatory(state, key, out);
  const replicaLeos: Record<number, number> = {};
  for (const [id, follower] of Object.entries(replica.followers)) replicaLeos[Number(id)] = follower.leo;
  // The high-watermark-from-leader-alone weakening waits for no follower (the ISR's size still counts for min ISR).
  const alone = state.config.weakenings.highWatermarkFromLeaderAlone;
  const highWatermark = nextHighWatermark({
    current: replica.log.highWatermark,
    leaderId: state.brokerId,
    leaderLeo: replica.log.logEndOffset,
    isr: replica.isr,
    maximalIsr: alone ? [state.brokerId] : maximalIsr(replica),
    joiningReplicas: nowMs === undefined || alone ? [] : replicasAboutToJoinIsr(state, replica, nowMs),
    replicaLeos,
    // A min ISR of 1 never freezes: the pre-3.7 rule.
    minInsyncReplicas: state.config.freezeHighWatermarkBelowMinIsr ? minInsyncReplicasFor(state.config, replica.topic) : 1,
    replicationFactor: replica.replicas.length,
  });
  let next = state;
  if (highWatermark !== replica.log.highWatermark) {
    next = withReplica(state, { ...replica, log: updateHighWatermark(replica.log, highWatermark) });
  }
  return checkPurgatory(next, key, out);
}

/**
 * The followers outside the maximal ISR that the HW waits for (Partition.maybeIncrementLeaderHW's
 * shouldWaitForReplicaToJoinIsr): caught up with the leader within replica.lag.time.max.ms, and ISR-eligible. An
 * ineligible one (fenced, or fetching under another broker epoch) would hold the HW for nothing (KAFKA-15021).
 */
export function replicasAboutToJoinIsr(state: BrokerState, replica: PartitionReplica, nowMs: number): number[] {
  const waitedFor = maximalIsr(replica);
  const joining: number[] = [];
  for (const [id, follower] of Object.entries(replica.followers)) {
    const replicaId = Number(id);
    if (waitedFor.includes(replicaId)) continue;
    if (!isCaughtUp(follower, replica.log.logEndOffset, nowMs, state.config.replicaLagTimeMaxMs)) continue;
    if (isFollowerIsrEligible(state, replica, replicaId)) joining.push(replicaId);
  }
  return joining;
}

/** Partition.isReplicaIsrEligible for a follower of a partition this broker leads, from its metadata image. */
export function isFollowerIsrEligible(state: BrokerState, replica: PartitionReplica, followerId: number): boolean {
  const follower = replica.followers[followerId];
  if (follower === undefined) return false;
  return isReplicaIsrEligible({ storedBrokerEpoch: follower.brokerEpoch, registration: brokerOf(state.image, followerId) });
}
