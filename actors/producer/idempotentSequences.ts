import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { parseTopicPartitionKey } from '../../src/protocol/messages.ts';
import { invariant } from './invariant.ts';
import { incrementSequence, lastSequence, topicPartitionKey } from './ProducerBatch.ts';
import type { ProducerBatch } from './ProducerBatch.ts';
import { ownValue, pendingSequencedBatches } from './recordAccumulator.ts';
import type { RecordAccumulator } from './recordAccumulator.ts';
import type { SequenceStanding } from './retryPolicy.ts';

// The idempotent producer's id, epoch and per-partition sequences (Kafka's `TransactionManager` for a producer
// without a transactional id, with its `TxnPartitionMap`; KIP-98 and KIP-360). An epoch bump is asked for when a
// batch's answer shows a gap (requestEpochBumpForPartition) and made by the next Sender pass, once for every
// partition that asked (bumpIdempotentEpochIfNeeded). A partition whose sent batch expired keeps its sequence
// unresolved until its other pending batches are done, and only then decides whether a bump is needed
// (markSequenceUnresolved, maybeResolveSequences).

/** Records the producer id and epoch InitProducerId returned; partitions start their sequences at 0 under it. */
export function setProducerIdAndEpoch(
  acc: RecordAccumulator,
  producer: { readonly producerId: number; readonly epoch: number },
): RecordAccumulator {
  if (!Number.isInteger(producer.producerId) || producer.producerId < 0 || !Number.isInteger(producer.epoch) || producer.epoch < 0) {
    throw new ArgumentError('setProducerIdAndEpoch', 'producer', producer, 'a non-negative integer producerId and epoch');
  }
  return { ...acc, producerIdAndEpoch: { producerId: producer.producerId, epoch: producer.epoch } };
}

/**
 * Asks for an epoch bump that renumbers the partition's pending batches (`TransactionManager#
 * requestEpochBumpForPartition`). Nothing changes until the next Sender pass makes the bump, so the partitions
 * that ask before then share one bump.
 */
export function requestEpochBumpForPartition(acc: RecordAccumulator, topic: string, partition: number): RecordAccumulator {
  const key = topicPartitionKey(topic, partition);
  const partitions = acc.partitionsToRewriteSequences.includes(key) ? acc.partitionsToRewriteSequences : [...acc.partitionsToRewriteSequences, key];
  return { ...acc, epochBumpRequired: true, partitionsToRewriteSequences: partitions };
}

/**
 * The Sender's step before it drains (`TransactionManager#bumpIdempotentEpochAndResetIdIfNeeded`): makes the bump
 * asked for, if any, renumbering the partitions that asked for it. Kafka requests a new producer id instead when
 * the epoch would pass 32767; the simulator treats that as out of scope (bumpProducerEpoch asserts it).
 */
export function bumpIdempotentEpochIfNeeded(acc: RecordAccumulator): RecordAccumulator {
  if (!acc.epochBumpRequired) return acc;
  const bumped = bumpProducerEpoch(acc, acc.partitionsToRewriteSequences.map(parseTopicPartitionKey));
  return { ...bumped, epochBumpRequired: false, partitionsToRewriteSequences: [] };
}

/**
 * The idempotent producer's local epoch bump (KIP-360, `TransactionManager#bumpIdempotentProducerEpoch` with
 * `TxnPartitionEntry#startSequencesAtBeginning`): the epoch goes up by one, and for each given partition the
 * batches that already hold sequences (queued retries and in flight) are renumbered from 0 under the new epoch,
 * lowest sequence first, and marked as reset; the partition's sequence is no longer unresolved. Other partitions
 * move to the new epoch, at sequence 0, the next time they drain with nothing pending.
 */
export function bumpProducerEpoch(
  acc: RecordAccumulator,
  partitions: readonly { readonly topic: string; readonly partition: number }[],
): RecordAccumulator {
  const producer = acc.producerIdAndEpoch;
  invariant(producer !== null, 'bumpProducerEpoch before InitProducerId');
  invariant(producer.epoch < 32_767, 'producer epoch exhausted (Kafka would request a new producer id)');
  const epoch = producer.epoch + 1;
  let state: RecordAccumulator = { ...acc, producerIdAndEpoch: { ...producer, epoch } };
  for (const { topic, partition } of partitions) {
    const renumbered = new Map<number, { baseSequence: number }>();
    let nextSequence = 0;
    for (const batch of pendingSequencedBatches(state, topic, partition)) {
      renumbered.set(batch.batchId, { baseSequence: nextSequence });
      nextSequence = incrementSequence(nextSequence, batch.records.length);
    }
    const rewrite = <B extends ProducerBatch>(batch: B): B => {
      const update = renumbered.get(batch.batchId);
      return update === undefined ? batch : { ...batch, ...update, producerEpoch: epoch, sequenceHasBeenReset: true };
    };
    const key = topicPartitionKey(topic, partition);
    state = {
      ...state,
      queues: Object.hasOwn(state.queues, key) ? { ...state.queues, [key]: (state.queues[key] ?? []).map(rewrite) } : state.queues,
      inFlight: Object.fromEntries(Object.entries(state.inFlight).map(([id, batch]) => [id, rewrite(batch)])),
      sequences: { ...state.sequences, [key]: { producerEpoch: epoch, nextSequence, lastAckedSequence: -1 } },
      partitionsWithUnresolvedSequences: withoutKey(state.partitionsWithUnresolvedSequences, key),
    };
  }
  return state;
}

/**
 * A batch that went out and came back for a retry expired (`TransactionManager#markSequenceUnresolved`, called by
 * `Sender#sendProducerData` for an expired batch that is `inRetry`): a broker may hold it, so its partition takes no
 * new batch until its sequence resolves. Kept: the sequence after the expired batch, the highest if several expired.
 */
export function markSequenceUnresolved(acc: RecordAccumulator, batch: ProducerBatch): RecordAccumulator {
  const last = lastSequence(batch);
  invariant(last !== null, `markSequenceUnresolved: batch ${batch.batchId} never held a sequence`);
  const key = topicPartitionKey(batch.topic, batch.partition);
  const nextSequence = Math.max(incrementSequence(last, 1), ownValue(acc.partitionsWithUnresolvedSequences, key) ?? 0);
  return { ...acc, partitionsWithUnresolvedSequences: { ...acc.partitionsWithUnresolvedSequences, [key]: nextSequence } };
}

/**
 * Settles each unresolved partition that has no pending batch left (`TransactionManager#maybeResolveSequences`):
 * when the last acknowledged sequence is the one before the partition's next, the expired batches were written
 * (later batches landed after them) and nothing more is needed; otherwise the partition asks for an epoch bump, so
 * it restarts at sequence 0 rather than leave a gap that would refuse every later batch. A partition with batches
 * still pending waits: their answers may resolve it.
 */
export function maybeResolveSequences(acc: RecordAccumulator): RecordAccumulator {
  let state = acc;
  for (const key of Object.keys(acc.partitionsWithUnresolvedSequences)) {
    const { topic, partition } = parseTopicPartitionKey(key);
    if (pendingSequencedBatches(state, topic, partition).length > 0) continue;
    const nextSequence = ownValue(state.sequences, key)?.nextSequence ?? 0;
    const resolved = incrementSequence(lastAckedSequence(state, topic, partition), 1) === nextSequence;
    state = { ...state, partitionsWithUnresolvedSequences: withoutKey(state.partitionsWithUnresolvedSequences, key) };
    if (!resolved) state = requestEpochBumpForPartition(state, topic, partition);
  }
  return state;
}

/** Whether a partition's sequence waits to resolve after an expired batch (`TransactionManager#hasUnresolvedSequence`). */
export function hasUnresolvedSequence(acc: RecordAccumulator, topic: string, partition: number): boolean {
  return Object.hasOwn(acc.partitionsWithUnresolvedSequences, topicPartitionKey(topic, partition));
}

/** Where a batch stands in its partition's sequence, as the retry policy reads it for OUT_OF_ORDER_SEQUENCE_NUMBER. */
export function sequenceStanding(acc: RecordAccumulator, batch: ProducerBatch): SequenceStanding {
  const unresolvedNext = ownValue(acc.partitionsWithUnresolvedSequences, topicPartitionKey(batch.topic, batch.partition));
  return {
    isNextSequence: isNextSequence(acc, batch.batchId),
    sequenceHasBeenReset: batch.sequenceHasBeenReset,
    hasUnresolvedSequence: unresolvedNext !== undefined,
    isNextSequenceForUnresolvedPartition: unresolvedNext !== undefined && unresolvedNext === batch.baseSequence,
  };
}

/**
 * Whether the batch is the next one the broker expects on its partition: its base sequence follows the last
 * acknowledged one (`TransactionManager#isNextSequence`). An OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that is not
 * next only means an earlier batch has not landed yet; for the next batch it means a real gap.
 */
export function isNextSequence(acc: RecordAccumulator, batchId: number): boolean {
  const batch = ownValue(acc.inFlight, batchId) ?? Object.values(acc.queues).flat().find((b) => b.batchId === batchId);
  if (batch === undefined || batch.baseSequence === null) return false;
  return incrementSequence(lastAckedSequence(acc, batch.topic, batch.partition), 1) === batch.baseSequence;
}

/** The last sequence the broker acknowledged on a partition, or -1. */
export function lastAckedSequence(acc: RecordAccumulator, topic: string, partition: number): number {
  return ownValue(acc.sequences, topicPartitionKey(topic, partition))?.lastAckedSequence ?? -1;
}

function withoutKey(record: Readonly<Record<string, number>>, key: string): Readonly<Record<string, number>> {
  if (!Object.hasOwn(record, key)) return record;
  const rest = { ...record };
  delete rest[key];
  return rest;
}
