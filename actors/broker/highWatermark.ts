import { brokerInvariant } from './brokerInvariant.ts';

/** What the leader knows when it recomputes the high watermark (Partition.maybeIncrementLeaderHW). */
export interface LeaderHighWatermarkInput {
  /** The leader's high watermark now. */
  readonly current: number;
  readonly leaderId: number;
  readonly leaderLeo: number;
  /** The committed ISR, leader included: its size decides the min.insync.replicas freeze (isUnderMinIsr). */
  readonly isr: readonly number[];
  /**
   * The replicas the HW waits for: the ISR plus additions proposed in a pending AlterPartition, plus followers
   * that are caught up and eligible to join (KIP-497's "maximal" ISR). Defaults to `isr`.
   */
  readonly maximalIsr?: readonly number[];
  /** Each follower's LEO as the leader last learned it from a fetch; a follower missing here is unknown. */
  readonly replicaLeos: Readonly<Record<number, number>>;
  readonly minInsyncReplicas: number;
  /** When given, the min ISR is capped at it, as Kafka's effectiveMinIsr caps it at the replica count. */
  readonly replicationFactor?: number;
}

/**
 * The leader's next high watermark: the smallest LEO over the leader and the maximal ISR, never lower than the
 * current one (Partition.maybeIncrementLeaderHW, UnifiedLog.maybeIncrementHighWatermark). Since Kafka 3.7 it
 * does not move while the ISR is smaller than min.insync.replicas (KAFKA-15583, KIP-966), so acks=1 writes stay
 * invisible until the ISR recovers. A follower whose LEO the leader does not know yet (a new leader resets them)
 * holds the HW where it is, as Kafka's unknown offset -1 does.
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
  for (const replicaId of input.maximalIsr ?? isr) {
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
