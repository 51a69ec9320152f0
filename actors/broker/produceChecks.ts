import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { brokerInvariant } from './brokerInvariant.ts';

// The leader's acks rules for Produce (Partition.appendRecordsToLeader, Partition.checkEnoughReplicasReachOffset,
// ReplicaManager's DelayedProduce). The two "not enough replicas" errors differ in one way that matters to
// clients: NOT_ENOUGH_REPLICAS means nothing was written; NOT_ENOUGH_REPLICAS_AFTER_APPEND means the records are
// in the leader's log, so a retry without idempotence duplicates them.

/** What the leader checks before appending a Produce request. */
export interface ProduceCheckInput {
  /** 0, 1 or -1 (all), as the request carries it. */
  readonly acks: number;
  /** The ISR, leader included. */
  readonly isr: readonly number[];
  readonly minInsyncReplicas: number;
  readonly replicationFactor: number;
}

/**
 * The error for a Produce before anything is appended, or undefined to go ahead: INVALID_REQUIRED_ACKS for acks
 * outside {0, 1, -1} (ReplicaManager.isValidRequiredAcks), NOT_ENOUGH_REPLICAS for acks=all while the ISR is
 * smaller than min(min.insync.replicas, replication factor) (Partition.effectiveMinIsr). acks 0 and 1 ignore
 * min.insync.replicas.
 */
export function checkProduce(input: ProduceCheckInput): Extract<KafkaErrorType, 'INVALID_REQUIRED_ACKS' | 'NOT_ENOUGH_REPLICAS'> | undefined {
  const { acks, isr, minInsyncReplicas, replicationFactor } = input;
  if (acks !== 0 && acks !== 1 && acks !== -1) return 'INVALID_REQUIRED_ACKS';
  if (acks === -1 && isr.length < Math.min(minInsyncReplicas, replicationFactor)) return 'NOT_ENOUGH_REPLICAS';
  return undefined;
}

/** What a waiting acks=all Produce is checked against whenever the HW or the ISR changes. */
export interface AcksAllInput {
  readonly highWatermark: number;
  /** The offset of the request's last record. */
  readonly lastOffset: number;
  /** The size of the maximal ISR (the ISR plus pending additions), leader included. */
  readonly isrSize: number;
  readonly minInsyncReplicas: number;
  /** When given, the min ISR is capped at it (Partition.effectiveMinIsr). */
  readonly replicationFactor?: number;
}

/**
 * Whether an acks=all Produce can be answered (Partition.checkEnoughReplicasReachOffset): 'wait' until the HW
 * passes its last offset; then 'done', or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below the min ISR
 * after the append. The request timeout (REQUEST_TIMED_OUT) is the caller's timer.
 */
export function checkAcksAllComplete(input: AcksAllInput): 'done' | 'wait' | Extract<KafkaErrorType, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'> {
  const { highWatermark, lastOffset, isrSize, minInsyncReplicas } = input;
  brokerInvariant(lastOffset >= 0, `checkAcksAllComplete: lastOffset must be the offset of an appended record, got ${lastOffset}`);
  if (highWatermark < lastOffset + 1) return 'wait';
  const effectiveMinIsr = Math.min(minInsyncReplicas, input.replicationFactor ?? Number.POSITIVE_INFINITY);
  return isrSize >= effectiveMinIsr ? 'done' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
}
