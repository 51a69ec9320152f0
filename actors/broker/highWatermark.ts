import { brokerInvariant } from './brokerInvariant.ts';

/** What the leader knows when it recomputes the high watermark (Partition.maybeIncrementLeaderHW). */
export interface LeaderHighWatermarkInput {
  /** The leader's high watermark now. */
  readonly current: number;
  readonly leaderId: number;
  readonly leaderLeo: number;
  /** The committed ISR, leader included: its size decides the min.insync.replicas freeze (isUnderMinIsr). */
  readonly isr: readonly number[];
  /** The ISR plus the additions proposed in a pending AlterPartition (KIP-497's "maximal" ISR). Defaults to `isr`. */
  readonly maximalIsr?: readonly number[];
  /**
   * Followers outside the maximal ISR that the HW waits for too: caught up and eligible to join the ISR
   * (shouldWaitForReplicaToJoinIsr). Defaults to none.
   */
  readonly joiningReplicas?: readonly number[];
  /** Each follower's LEO as the leader last learned it from a fetch; a follower missing here is unknown. */
  readonly replicaLeos: Readonly<Record<number, number>>;
  readonly minInsyncReplicas: number;
  /** When given, the min ISR is capped at it, as Kafka's effectiveMinIsr caps it at the replica count. */
  readonly replicationFactor?: number;
}

/**
 * The leader's next high watermark: the smallest LEO over the leader, the maximal ISR and the replicas about to
 * join it, never lower than the current one (Partition.maybeIncrementLeaderHW, UnifiedLog.maybeIncrementHighWatermark).
 * Waiting for a caught-up follower outside the ISR lets it reach the HW, which it must to join (isFollowerInSync):
 * a leader alone in its ISR would otherwise move the HW to its LEO on every append, ahead of the follower for good.
 * Since Kafka 3.7 the HW does not move while the ISR is smaller than min.insync.replicas (KAFKA-15583, KIP-966),
 * so acks=1 writes stay invisible until the ISR recovers. A follower whose LEO the leader does not know yet (a new
 * leader resets them) holds the HW where it is, as Kafka's unknown offset -1 does.
 */
export function nextHighWatermark(input: LeaderHighWatermarkInput): number {
  const { current, leaderId, leaderLeo, isr, replicaLeos, minInsyncReplicas } = input;
  brokerInvariant(
    current >= 0 && current <= leaderLeo,
    `nextHighWatermark: the current high watermark ${current} must be within [0, leader LEO ${leaderLeo}]`,
  );
  const effectiveMinIsr = Math.min(minInsyncReplicas, input.replicationFactor ?? Number.POSITIVE_INFINITY);
  if (isr.length < effectiveMinIsr) return current;
  let candidate = leaderLeo;
  for (const replicaId of [...(input.maximalIsr ?? isr), ...(input.joiningReplicas ?? [])]) {
    if (replicaId === leaderId) continue;
    candidate = Math.min(candidate, replicaLeos[replicaId] ?? -1);
  }
  return Math.max(current, candidate);
}

/**
 * A follower's high watermark after a fetch: the leader's HW from the response, capped at the follower's own
 * LEO (UnifiedLog.maybeUpdateHighWatermark on the follower). Unlike the leader's, it can move backwards, e.g.
 * when a new leader's HW lags the old one's.
 */
export function followerHighWatermark(leaderHighWatermark: number, followerLeo: number): number {
  return Math.max(0, Math.min(leaderHighWatermark, followerLeo));
}

/** The ISR the leader's HW waits for: the committed ISR plus the members of an AlterPartition in flight. */
export function maximalIsr(replica: { readonly isr: readonly number[]; readonly pendingIsr: readonly number[] | null }): readonly number[] {
  if (replica.pendingIsr === null) return replica.isr;
  return [...new Set([...replica.isr, ...replica.pendingIsr])];
}
