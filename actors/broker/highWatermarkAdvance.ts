import { minInsyncReplicasFor } from './brokerConfig.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { withReplica } from './BrokerState.ts';
import { checkPurgatory } from './completeDelayed.ts';
import { maximalIsr, nextHighWatermark } from './highWatermark.ts';
import { updateHighWatermark } from './partitionLog.ts';

// What follows on a leader when its log, its ISR or a follower's position changes: the high watermark moves
// (Partition.maybeIncrementLeaderHW) and the delayed operations watching the partition are tried
// (ReplicaManager.tryCompleteDelayedRequests: acks=all produces the HW unblocked, fetches the new data satisfies).
// Kafka re-evaluates both after appends, follower fetches and ISR changes; so do the callers here.

export { maximalIsr } from './highWatermark.ts';

/** Moves the leader's HW as far as the maximal ISR allows, then tries the delayed operations on the partition. */
export function advanceHighWatermark(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.leader !== state.brokerId) return checkPurgatory(state, key, out);
  const replicaLeos: Record<number, number> = {};
  for (const [id, follower] of Object.entries(replica.followers)) replicaLeos[Number(id)] = follower.leo;
  const highWatermark = nextHighWatermark({
    current: replica.log.highWatermark,
    leaderId: state.brokerId,
    leaderLeo: replica.log.logEndOffset,
    isr: replica.isr,
    maximalIsr: maximalIsr(replica),
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
