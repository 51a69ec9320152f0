import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { invariant } from './invariant.ts';
import { incrementSequence, topicPartitionKey } from './ProducerBatch.ts';
import { ownValue, pendingSequencedBatches } from './recordAccumulator.ts';
import type { RecordAccumulator } from './recordAccumulator.ts';

// The idempotent producer's id, epoch and per-partition sequences (Kafka's `TransactionManager` for a producer
// without a transactional id, KIP-98 and KIP-360).

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
 * The idempotent producer's local epoch bump after a sequence gap or a failed batch (KIP-360,
 * `TransactionManager#bumpIdempotentProducerEpoch`): the epoch goes up by one, and for each partition that asked
 * for the bump the batches that already hold sequences (queued retries and in flight) are renumbered from 0 under
 * the new epoch, lowest sequence first. Other partitions move to the new epoch, at sequence 0, the next time they
 * drain with nothing pending. Kafka requests a new producer id instead when the epoch would pass 32767; the
 * simulator treats that as out of scope.
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
    const rewrite = <B extends { batchId: number }>(batch: B): B => {
      const update = renumbered.get(batch.batchId);
      return update === undefined ? batch : { ...batch, ...update, producerEpoch: epoch };
    };
    const key = topicPartitionKey(topic, partition);
    state = {
      ...state,
      queues: Object.hasOwn(state.queues, key) ? { ...state.queues, [key]: (state.queues[key] ?? []).map(rewrite) } : state.queues,
      inFlight: Object.fromEntries(Object.entries(state.inFlight).map(([id, batch]) => [id, rewrite(batch)])),
      sequences: { ...state.sequences, [key]: { producerEpoch: epoch, nextSequence, lastAckedSequence: -1 } },
    };
  }
  return state;
}

/**
 * Whether the batch is the next one the broker expects on its partition: its base sequence follows the last
 * acknowledged one (`TransactionManager#isNextSequence`). An OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that is not
 * next only means an earlier batch has not landed yet; for the next batch it means a real gap.
 */
export function isNextSequence(acc: RecordAccumulator, batchId: number): boolean {
  const batch = ownValue(acc.inFlight, batchId) ?? Object.values(acc.queues).flat().find((b) => b.batchId === batchId);
  if (batch === undefined || batch.baseSequence === null) return false;
  const sequence = ownValue(acc.sequences, topicPartitionKey(batch.topic, batch.partition));
  const lastAcked = sequence?.lastAckedSequence ?? -1;
  return incrementSequence(lastAcked, 1) === batch.baseSequence;
}

/** The last sequence the broker acknowledged on a partition, or -1. */
export function lastAckedSequence(acc: RecordAccumulator, topic: string, partition: number): number {
  return ownValue(acc.sequences, topicPartitionKey(topic, partition))?.lastAckedSequence ?? -1;
}
