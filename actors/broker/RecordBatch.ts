import type { RecordBatch } from '../../src/protocol/messages.ts';

// The batch type is the wire protocol's (src/protocol/messages.ts): a leader stores what it stamps and a follower
// stores what it fetched, byte for byte, so there is one shape for both. This file adds the arithmetic Kafka's
// DefaultRecordBatch does on its header.

export type { RecordBatch, WireRecord } from '../../src/protocol/messages.ts';

/** The producer id of a batch from a producer that is not idempotent (RecordBatch.NO_PRODUCER_ID). */
export const NO_PRODUCER_ID = -1;

/** The producer epoch of a batch from a producer that is not idempotent (RecordBatch.NO_PRODUCER_EPOCH). */
export const NO_PRODUCER_EPOCH = -1;

/** The base sequence of a batch from a producer that is not idempotent (RecordBatch.NO_SEQUENCE). */
export const NO_SEQUENCE = -1;

const INT32_MAX = 2_147_483_647;

/** The offset of a batch's last record: `baseOffset + records - 1` (DefaultRecordBatch.lastOffset). */
export function batchLastOffset(batch: RecordBatch): number {
  return batch.baseOffset + batch.records.length - 1;
}

/**
 * `sequence + increment`, wrapping to 0 after Integer.MAX_VALUE as producers do (DefaultRecordBatch.incrementSequence).
 */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** The sequence of a batch's last record, or NO_SEQUENCE for a batch without one (DefaultRecordBatch.lastSequence). */
export function batchLastSequence(batch: Pick<RecordBatch, 'baseSequence' | 'records'>): number {
  if (batch.baseSequence === NO_SEQUENCE) return NO_SEQUENCE;
  return incrementSequence(batch.baseSequence, batch.records.length - 1);
}
