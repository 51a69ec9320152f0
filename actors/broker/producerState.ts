import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { brokerInvariant } from './brokerInvariant.ts';
import { NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, batchLastOffset, batchLastSequence } from './RecordBatch.ts';
import type { RecordBatch } from './RecordBatch.ts';

// The idempotent producer's broker side, for one partition (KIP-98): per producer id, the producer's epoch and
// the last few batches it wrote (ProducerStateEntry), checked on every client append (ProducerAppendInfo,
// UnifiedLog.analyzeAndValidateProducerState). Kafka rebuilds this state from the log after truncation and on
// restart; so does rebuildProducerState.

/** Kafka keeps the last 5 batches per producer (ProducerStateEntry.NUM_BATCHES_TO_RETAIN): hence in-flight <= 5. */
export const NUM_BATCHES_TO_RETAIN = 5;

/** One retained batch: its sequence range and where it landed in the log (BatchMetadata). */
export interface ProducerBatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** What the partition remembers about one producer id: its epoch and its last batches, oldest first. */
export interface ProducerStateEntry {
  readonly producerEpoch: number;
  readonly batches: readonly ProducerBatchMetadata[];
}

/** Producer state of one partition replica, keyed by producer id (a JSON object, so it persists as is). */
export type ProducerStates = Readonly<Record<number, ProducerStateEntry>>;

/** The header fields of a batch that idempotence checks; a RecordBatch or a Produce request's batch fits. */
export type ProducerBatch = Pick<RecordBatch, 'producerId' | 'producerEpoch' | 'baseSequence' | 'records'>;

/** The outcome of checking a client batch: append it, answer with the offsets of its first copy, or refuse it. */
export type IdempotentAppendCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number; readonly lastOffset: number }
  | { readonly kind: 'error'; readonly error: Extract<KafkaErrorType, 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH'> };

/**
 * Checks a client batch against the producer's state, in Kafka's order:
 * 1. the same epoch and exactly the sequence range of a retained batch: a retry of a batch already written, so
 *    it is not appended again and the answer carries the original offsets (ProducerStateEntry.findDuplicateBatch);
 * 2. an epoch older than the stored one: INVALID_PRODUCER_EPOCH (ProducerAppendInfo.checkProducerEpoch);
 * 3. a newer epoch must start at sequence 0; the same epoch must continue at last sequence + 1, wrapping after
 *    Integer.MAX_VALUE; else OUT_OF_ORDER_SEQUENCE_NUMBER (ProducerAppendInfo.checkSequence). A producer the
 *    partition has no state for may start at any sequence (since KIP-360, 2.5).
 * Batches without a producer id are always appended.
 */
export function checkIdempotentAppend(states: ProducerStates, batch: ProducerBatch): IdempotentAppendCheck {
  if (batch.producerId === NO_PRODUCER_ID) return { kind: 'append' };
  brokerInvariant(batch.records.length > 0, 'checkIdempotentAppend: a batch holds at least one record');
  const entry = entryFor(states, batch.producerId);
  if (entry === undefined) return { kind: 'append' };
  if (batch.producerEpoch === entry.producerEpoch) {
    const lastSeq = batchLastSequence(batch);
    const duplicate = entry.batches.find((kept) => kept.firstSeq === batch.baseSequence && kept.lastSeq === lastSeq);
    if (duplicate !== undefined) return { kind: 'duplicate', baseOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset };
  }
  if (batch.producerEpoch < entry.producerEpoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' };
  if (batch.producerEpoch !== entry.producerEpoch) {
    const isFirstEpoch = entry.producerEpoch === NO_PRODUCER_EPOCH;
    return batch.baseSequence === 0 || isFirstEpoch ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  }
  const currentLastSeq = entry.batches.at(-1)?.lastSeq ?? NO_SEQUENCE;
  if (isInSequence(currentLastSeq, batch.baseSequence)) return { kind: 'append' };
  return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
}

/** How many batches per producer a broker keeps: one under the dedup-window-one-batch weakening (bug P3). */
export function retainedBatches(weakenings: { readonly dedupWindowOneBatch: boolean }): number {
  return weakenings.dedupWindowOneBatch ? 1 : NUM_BATCHES_TO_RETAIN;
}

/**
 * The state after a batch was appended at `baseOffset` (ProducerStateEntry.addBatch): a new epoch forgets the
 * old epoch's batches, and only the last `retain` (NUM_BATCHES_TO_RETAIN) batches are kept. Followers call it for the
 * batches they replicate, without checking, so a new leader can answer retries.
 */
export function recordAppend(
  states: ProducerStates,
  batch: ProducerBatch,
  offsets: { readonly baseOffset: number },
  retain: number = NUM_BATCHES_TO_RETAIN,
): ProducerStates {
  if (batch.producerId === NO_PRODUCER_ID) return states;
  const previous = entryFor(states, batch.producerId);
  const kept = previous !== undefined && previous.producerEpoch === batch.producerEpoch ? previous.batches : [];
  const metadata: ProducerBatchMetadata = {
    firstSeq: batch.baseSequence,
    lastSeq: batchLastSequence(batch),
    firstOffset: offsets.baseOffset,
    lastOffset: offsets.baseOffset + batch.records.length - 1,
  };
  const batches = [...kept.slice(Math.max(0, kept.length - retain + 1)), metadata];
  return { ...states, [batch.producerId]: { producerEpoch: batch.producerEpoch, batches } };
}

/**
 * The producer state a log implies, rebuilt by replaying its batches (ProducerStateManager after truncation or
 * a restart without a snapshot).
 */
export function rebuildProducerState(batches: readonly RecordBatch[]): ProducerStates {
  let states: ProducerStates = {};
  for (const batch of batches) {
    brokerInvariant(batchLastOffset(batch) >= batch.baseOffset, `rebuildProducerState: the batch at ${batch.baseOffset} is empty`);
    states = recordAppend(states, batch, batch);
  }
  return states;
}

// ProducerAppendInfo.inSequence: the next sequence, or 0 after Integer.MAX_VALUE.
function isInSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === 2_147_483_647);
}

// Own properties only: a producer id is a number, but the state is a plain object with a prototype.
function entryFor(states: ProducerStates, producerId: number): ProducerStateEntry | undefined {
  return Object.hasOwn(states, producerId) ? states[producerId] : undefined;
}
