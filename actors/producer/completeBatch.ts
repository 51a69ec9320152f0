import { invariant } from './invariant.ts';
import { lastSequence, topicPartitionKey } from './ProducerBatch.ts';
import type { ProducerBatch } from './ProducerBatch.ts';
import { ownValue } from './recordAccumulator.ts';
import type { RecordAccumulator } from './recordAccumulator.ts';

// What happens to a drained batch when its response comes back (Kafka's `Sender#completeBatch`, `#failBatch`,
// `#reenqueueBatch`) or its delivery timeout passes (`RecordAccumulator#expiredBatches`,
// `Sender#getExpiredInflightBatches`). Which of these applies is retryPolicy's decision.

/**
 * The batch succeeded (or was a DUPLICATE_SEQUENCE_NUMBER): it leaves the accumulator, and an idempotent producer
 * records its last sequence as acknowledged (`TransactionManager#handleCompletedBatch`). A batch the accumulator
 * no longer holds (it expired while its request was out) is ignored.
 */
export function completeBatch(acc: RecordAccumulator, batchId: number): RecordAccumulator {
  const batch = ownValue(acc.inFlight, batchId);
  if (batch === undefined) return acc;
  const key = topicPartitionKey(batch.topic, batch.partition);
  const last = lastSequence(batch);
  const sequence = ownValue(acc.sequences, key);
  let sequences = acc.sequences;
  if (last !== null && sequence !== undefined && sequence.producerEpoch === batch.producerEpoch && last > sequence.lastAckedSequence) {
    sequences = { ...sequences, [key]: { ...sequence, lastAckedSequence: last } };
  }
  return unmute({ ...acc, inFlight: without(acc.inFlight, batchId), sequences }, key);
}

/** The batch failed for good: it leaves the accumulator (queued or in flight). Unknown batches are ignored. */
export function failBatch(acc: RecordAccumulator, batchId: number): RecordAccumulator {
  const inFlight = ownValue(acc.inFlight, batchId);
  if (inFlight !== undefined) {
    return unmute({ ...acc, inFlight: without(acc.inFlight, batchId) }, topicPartitionKey(inFlight.topic, inFlight.partition));
  }
  for (const [key, queue] of Object.entries(acc.queues)) {
    if (queue.some((b) => b.batchId === batchId)) {
      return unmute({ ...acc, queues: { ...acc.queues, [key]: queue.filter((b) => b.batchId !== batchId) } }, key);
    }
  }
  return acc;
}

/** A retry: when the batch may go again, and whether the failed attempt may have been appended anyway. */
export interface ReenqueueInput {
  readonly batchId: number;
  readonly nowMs: number;
  readonly retryAtMs: number;
  readonly maybeWritten: boolean;
}

/**
 * Puts an in-flight batch back at the front of its partition's queue for a retry (`RecordAccumulator#reenqueue`):
 * one more attempt, the backoff deadline, its sequence kept; batches holding sequences stay in sequence order
 * (`insertInSequenceOrder`). Unknown batches are ignored.
 */
export function reenqueueBatch(acc: RecordAccumulator, input: ReenqueueInput): RecordAccumulator {
  const batch = ownValue(acc.inFlight, input.batchId);
  if (batch === undefined) return acc;
  const retried: ProducerBatch = {
    ...batch,
    attempts: batch.attempts + 1,
    lastAttemptMs: input.nowMs,
    retryAtMs: input.retryAtMs,
    maybeWritten: batch.maybeWritten || input.maybeWritten,
  };
  const key = topicPartitionKey(batch.topic, batch.partition);
  const queue = ownValue(acc.queues, key) ?? [];
  let at = 0;
  if (retried.baseSequence !== null) {
    while (at < queue.length && (queue[at]?.baseSequence ?? Infinity) < retried.baseSequence) at++;
  }
  const nextQueue = [...queue.slice(0, at), retried, ...queue.slice(at)];
  return unmute({ ...acc, inFlight: without(acc.inFlight, input.batchId), queues: { ...acc.queues, [key]: nextQueue } }, key);
}

/** A Produce request to `node` got its response (or timed out): one request fewer in flight on that connection. */
export function requestCompleted(acc: RecordAccumulator, node: number): RecordAccumulator {
  const count = ownValue(acc.inFlightRequests, node) ?? 0;
  invariant(count > 0, `requestCompleted for node ${node} without a request in flight`);
  return { ...acc, inFlightRequests: { ...acc.inFlightRequests, [node]: count - 1 } };
}

/** A batch whose `delivery.timeout.ms` passed, and whether a broker may have appended it. */
export interface ExpiredBatch {
  readonly batch: ProducerBatch;
  readonly maybeWritten: boolean;
}

/**
 * Removes the batches created `delivery.timeout.ms` or longer ago: queued ones from the front of each queue (Kafka
 * stops at the first younger batch), and in-flight ones, whose outcome is unknown since their request is still
 * out. Their partitions are unmuted; a late response for them is ignored by completeBatch and reenqueueBatch.
 */
export function expireBatches(
  acc: RecordAccumulator,
  options: { readonly nowMs: number; readonly deliveryTimeoutMs: number },
): { readonly acc: RecordAccumulator; readonly expired: readonly ExpiredBatch[] } {
  const isExpired = (batch: ProducerBatch) => options.nowMs - batch.createdMs >= options.deliveryTimeoutMs;
  const expired: ExpiredBatch[] = [];
  let state = acc;
  for (const [key, queue] of Object.entries(acc.queues)) {
    let keep = 0;
    while (keep < queue.length && isExpired(queue[keep] as ProducerBatch)) keep++;
    if (keep === 0) continue;
    for (const batch of queue.slice(0, keep)) expired.push({ batch, maybeWritten: batch.maybeWritten });
    state = unmute({ ...state, queues: { ...state.queues, [key]: queue.slice(keep) } }, key);
  }
  for (const batch of Object.values(acc.inFlight)) {
    if (!isExpired(batch)) continue;
    expired.push({ batch, maybeWritten: true });
    state = unmute({ ...state, inFlight: without(state.inFlight, batch.batchId) }, topicPartitionKey(batch.topic, batch.partition));
  }
  expired.sort((a, b) => a.batch.batchId - b.batch.batchId);
  return { acc: state, expired };
}

function unmute(acc: RecordAccumulator, key: string): RecordAccumulator {
  return acc.muted.includes(key) ? { ...acc, muted: acc.muted.filter((k) => k !== key) } : acc;
}

// A copy and a delete: V8 runs object rest with a computed key (`{ [id]: _, ...rest }`) many times slower.
function without(inFlight: Readonly<Record<number, ProducerBatch>>, batchId: number): Record<number, ProducerBatch> {
  const rest = { ...inFlight };
  delete rest[batchId];
  return rest;
}
