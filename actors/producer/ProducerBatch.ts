// A batch of records for one partition, as the accumulator keeps it (Kafka's `ProducerBatch`), and the byte and
// sequence arithmetic that goes with it.

export { RECORD_BATCH_OVERHEAD_BYTES, RECORD_OVERHEAD_BYTES, recordSizeBytes } from '../../src/protocol/recordSize.ts';

/** One record in a batch: what the user sent, its size as counted, when it was appended. */
export interface BatchRecord {
  readonly key: string | null;
  readonly value: string | null;
  /** The caller's id for the record (e.g. its history operation), carried through to the outcome. */
  readonly id: string | number | null;
  readonly sizeBytes: number;
  readonly appendedMs: number;
}

/** A batch for one partition. Sequence fields are null until an idempotent producer first drains the batch. */
export interface ProducerBatch {
  readonly batchId: number;
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly BatchRecord[];
  /** Header plus records. */
  readonly sizeBytes: number;
  /** `batch.size`, or more when the first record alone is larger (Kafka sizes the buffer for it). */
  readonly capacityBytes: number;
  readonly createdMs: number;
  /** How many times the batch was sent and came back for a retry. */
  readonly attempts: number;
  /** When the batch was created, or last re-enqueued for a retry. */
  readonly lastAttemptMs: number;
  /** When a retried batch may be sent again; null before the first retry. */
  readonly retryAtMs: number | null;
  /** Drained at least once: no more appends (Kafka closes the records builder at drain). */
  readonly closed: boolean;
  readonly baseSequence: number | null;
  readonly producerEpoch: number | null;
  /** An earlier attempt may have been appended by a broker, so failing it now is an indeterminate outcome. */
  readonly maybeWritten: boolean;
  /** An epoch bump renumbered the batch after it was first drained (`ProducerBatch#sequenceHasBeenReset`). */
  readonly sequenceHasBeenReset: boolean;
}

const MAX_INT = 2_147_483_647;

/** Whether the batch has reached its capacity (`MemoryRecordsBuilder#isFull`). */
export function isBatchFull(batch: ProducerBatch): boolean {
  return batch.closed || batch.sizeBytes >= batch.capacityBytes;
}

/**
 * Whether the batch went out and came back for a retry (`ProducerBatch#inRetry`): a broker may hold one of its
 * attempts, so its sequence is in doubt if it expires.
 */
export function inRetry(batch: ProducerBatch): boolean {
  return batch.attempts > 0;
}

/** The key the accumulator files a partition under: Kafka's `TopicPartition#toString`, `topic-partition`. */
export { topicPartitionKey } from '../../src/protocol/messages.ts';

/** A sequence number advanced by `increment`, wrapping after Integer.MAX_VALUE (`DefaultRecordBatch#incrementSequence`). */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > MAX_INT - increment) return increment - (MAX_INT - sequence) - 1;
  return sequence + increment;
}

/** The sequence of the batch's last record: `baseSequence + count - 1`, wrapping; null without a sequence. */
export function lastSequence(batch: ProducerBatch): number | null {
  return batch.baseSequence === null ? null : incrementSequence(batch.baseSequence, batch.records.length - 1);
}
