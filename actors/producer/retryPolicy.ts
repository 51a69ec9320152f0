import { exponentialBackoffMs } from '../client/exponentialBackoff.ts';
import { isRetriable } from '../../src/protocol/index.ts';
import type { KafkaErrorType } from '../../src/protocol/index.ts';
import type { Draw } from './Draw.ts';
import type { ExpiredBatch } from './completeBatch.ts';
import type { ProducerConfig } from './producerConfig.ts';

/** Jepsen's outcome of a send: acknowledged, definitely not written, or unknown. */
export type SendOutcome = 'ok' | 'fail' | 'info';

/** What the producer does with a batch after a response or an expiry. */
export type RetryDecision =
  /** Done: the records are acknowledged (`offsetsKnown` is false for DUPLICATE_SEQUENCE_NUMBER). */
  | {
      readonly action: 'complete';
      readonly outcome: 'ok';
      readonly offsetsKnown: boolean;
      readonly refreshMetadata: false;
      readonly requestEpochBump: false;
    }
  /** Send again at `retryAtMs` (reenqueueBatch), remembering whether this attempt may have been appended. */
  | {
      readonly action: 'retry';
      readonly retryAtMs: number;
      readonly backoffMs: number;
      readonly maybeWritten: boolean;
      readonly refreshMetadata: boolean;
      /** Ask for an epoch bump that renumbers the partition's pending batches, this one included. */
      readonly requestEpochBump: boolean;
    }
  /** Give up (failBatch) and report `outcome`: 'info' when any attempt may have been appended. */
  | {
      readonly action: 'fail';
      readonly error: KafkaErrorType;
      readonly outcome: 'fail' | 'info';
      readonly refreshMetadata: boolean;
      /** Ask for an epoch bump that renumbers the partition's other pending batches. */
      readonly requestEpochBump: boolean;
    };

/** The settings the policy reads. */
export type RetryConfig = Pick<
  ProducerConfig,
  'retries' | 'retryBackoffMs' | 'retryBackoffMaxMs' | 'deliveryTimeoutMs' | 'enableIdempotence'
>;

/**
 * Where an idempotent producer's batch stands in its partition's sequence, as Kafka's `TransactionManager` sees it
 * (idempotentSequences.ts computes it).
 */
export interface SequenceStanding {
  /** Its base sequence follows the last acknowledged one (`TransactionManager#isNextSequence`). */
  readonly isNextSequence: boolean;
  /** An epoch bump renumbered it after it went out (`ProducerBatch#sequenceHasBeenReset`). */
  readonly sequenceHasBeenReset: boolean;
  /** Its partition waits for an expired batch's sequence to resolve (`TransactionManager#hasUnresolvedSequence`). */
  readonly hasUnresolvedSequence: boolean;
  /** It starts right after the expired batch (`TransactionManager#isNextSequenceForUnresolvedPartition`). */
  readonly isNextSequenceForUnresolvedPartition: boolean;
}

/** A partition's answer in a Produce response, with what the policy needs to know about its batch. */
export interface RetryInput {
  /** The partition's error code in the response; 'NONE' for success. A lost request counts as NETWORK_EXCEPTION. */
  readonly error: KafkaErrorType;
  readonly batch: { readonly createdMs: number; readonly attempts: number; readonly maybeWritten: boolean };
  readonly nowMs: number;
  readonly config: RetryConfig;
  /** Idempotent producers: where the batch stands in its sequence; by default the next one, nothing in doubt. */
  readonly sequence?: SequenceStanding;
  /**
   * Errors that give the batch up at once as definitely not written, though it may have been appended (bug P4):
   * NOT_LEADER_OR_FOLLOWER under not-leader-is-definite (KAFKA-13574: leadership moved after the append, and the
   * new leader holds it), NETWORK_EXCEPTION and REQUEST_TIMED_OUT under timeout-is-definite. Empty when faithful.
   */
  readonly definiteErrors?: ReadonlySet<KafkaErrorType>;
  /** Draws the ±20% jitter of the exponential backoff; without it the backoff is exact. */
  readonly draw?: Draw;
}

const HEAD_OF_LINE: SequenceStanding = {
  isNextSequence: true,
  sequenceHasBeenReset: false,
  hasUnresolvedSequence: false,
  isNextSequenceForUnresolvedPartition: false,
};

// Errors a broker answers before appending anything (request validation, Partition#appendRecordsToLeader's
// min-ISR check, ProducerAppendInfo's producer checks): an attempt that got one of them wrote nothing. Any other
// error may come after the append (REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND, NETWORK_EXCEPTION, and
// NOT_LEADER_OR_FOLLOWER when leadership moved while the request waited for acks=all).
const NOTHING_APPENDED: ReadonlySet<KafkaErrorType> = new Set<KafkaErrorType>([
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'INVALID_REQUIRED_ACKS',
  'POLICY_VIOLATION',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
  'PRODUCER_FENCED',
]);

// Errors whose Java exception extends InvalidMetadataException: the Sender asks for a metadata update.
const STALE_METADATA: ReadonlySet<KafkaErrorType> = new Set<KafkaErrorType>([
  'NOT_LEADER_OR_FOLLOWER',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NETWORK_EXCEPTION',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
]);

/**
 * Decides a batch's fate from its partition's error (`Sender#completeBatch` / `#canRetry`, 3.9):
 * - NONE completes; DUPLICATE_SEQUENCE_NUMBER completes too, without offsets (the broker no longer has them);
 * - a retriable error (the error table's flag) is retried after an exponential backoff from `retry.backoff.ms` to
 *   `retry.backoff.max.ms`, while `delivery.timeout.ms` has not passed since the batch was created and fewer than
 *   `retries` attempts were made; after that, or for a non-retriable error, the batch fails with that error;
 * - a failure is 'info' (indeterminate) when this or an earlier attempt may have been appended, else 'fail';
 * - stale-metadata errors (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, NETWORK_EXCEPTION, ...) also ask
 *   for a metadata refresh, whether the batch is retried or not;
 * - idempotent producers retry OUT_OF_ORDER_SEQUENCE_NUMBER and UNKNOWN_PRODUCER_ID, asking for an epoch bump when
 *   the sequence really has a gap (idempotentCanRetry), and ask for one when a batch fails (`TransactionManager#
 *   handleFailedBatch`): after a gap, or while retries were left, so its partition restarts at sequence 0 instead
 *   of leaving a gap that refuses every later batch. A batch that used up its `retries` may have been written, so
 *   Kafka does not give its sequence away (`adjustSequenceNumbers` is false).
 */
export function retryDecision(input: RetryInput): RetryDecision {
  const { error, batch, nowMs, config } = input;
  if (error === 'NONE' || error === 'DUPLICATE_SEQUENCE_NUMBER') {
    const offsetsKnown = error === 'NONE';
    return { action: 'complete', outcome: 'ok', offsetsKnown, refreshMetadata: false, requestEpochBump: false };
  }

  const maybeWritten = batch.maybeWritten || !NOTHING_APPENDED.has(error);
  const refreshMetadata = STALE_METADATA.has(error);
  const idempotent = config.enableIdempotence;
  if (input.definiteErrors?.has(error) === true) {
    return { action: 'fail', error, outcome: 'fail', refreshMetadata, requestEpochBump: idempotent };
  }
  const withinDeliveryTimeout = nowMs - batch.createdMs < config.deliveryTimeoutMs;
  const retriesLeft = batch.attempts < config.retries;
  if (withinDeliveryTimeout && retriesLeft) {
    const verdict = idempotent ? idempotentCanRetry(error, input.sequence ?? HEAD_OF_LINE) : { retriable: isRetriable(error), requestEpochBump: false };
    if (verdict.retriable) {
      const backoffMs = exponentialBackoffMs(batch.attempts, config, input.draw);
      return { action: 'retry', retryAtMs: nowMs + backoffMs, backoffMs, maybeWritten, refreshMetadata, requestEpochBump: verdict.requestEpochBump };
    }
  }
  const requestEpochBump = idempotent && (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || retriesLeft);
  return { action: 'fail', error, outcome: maybeWritten ? 'info' : 'fail', refreshMetadata, requestEpochBump };
}

/**
 * `TransactionManager#canRetry` for a producer without a transactional id, once `Sender#canRetry` found time and
 * attempts left. OUT_OF_ORDER_SEQUENCE_NUMBER is always retried:
 * - for a batch that is not the next sequence, or was renumbered by a bump (its old-epoch attempt was refused), it
 *   only means an earlier batch has not landed yet: retried as is;
 * - for the next sequence it is a real gap: the epoch is bumped and the batch retried from sequence 0;
 * - while the partition's sequence is unresolved, only the batch right after the expired one shows a gap; the
 *   others are retried as is until the sequence resolves.
 * UNKNOWN_PRODUCER_ID (the broker lost the producer's state) is retried with a bump, unless the batch was already
 * renumbered. Kafka also looks at the log start offset there; brokers under simulation never answer it.
 */
function idempotentCanRetry(error: KafkaErrorType, sequence: SequenceStanding): { retriable: boolean; requestEpochBump: boolean } {
  if (error === 'UNKNOWN_PRODUCER_ID') return { retriable: true, requestEpochBump: !sequence.sequenceHasBeenReset };
  if (error !== 'OUT_OF_ORDER_SEQUENCE_NUMBER') return { retriable: isRetriable(error), requestEpochBump: false };
  if (!sequence.hasUnresolvedSequence && (sequence.sequenceHasBeenReset || !sequence.isNextSequence)) {
    return { retriable: true, requestEpochBump: false };
  }
  return { retriable: true, requestEpochBump: !sequence.hasUnresolvedSequence || sequence.isNextSequenceForUnresolvedPartition };
}

/**
 * The outcome of a batch whose `delivery.timeout.ms` passed (Kafka fails it with a TimeoutException, code
 * REQUEST_TIMED_OUT): 'info' when a broker may have appended it (it was in flight, or an earlier attempt was
 * indeterminate), else 'fail' (always 'fail' when the weakenings take REQUEST_TIMED_OUT as definite). An expiry never asks for an epoch bump itself (`Sender#sendProducerData` fails it
 * with `adjustSequenceNumbers` false); an expired batch in retry leaves its partition's sequence unresolved instead
 * (idempotentSequences.ts, markSequenceUnresolved).
 */
export function expiryDecision(expired: ExpiredBatch, definiteErrors?: ReadonlySet<KafkaErrorType>): RetryDecision {
  const outcome = expired.maybeWritten && definiteErrors?.has('REQUEST_TIMED_OUT') !== true ? 'info' : 'fail';
  return { action: 'fail', error: 'REQUEST_TIMED_OUT', outcome, refreshMetadata: false, requestEpochBump: false };
}

const NOT_LEADER: ReadonlySet<KafkaErrorType> = new Set<KafkaErrorType>(['NOT_LEADER_OR_FOLLOWER']);
const TIMEOUTS: ReadonlySet<KafkaErrorType> = new Set<KafkaErrorType>(['NETWORK_EXCEPTION', 'REQUEST_TIMED_OUT']);

/** The errors a producer's weakenings take as definite failures (`RetryInput.definiteErrors`). */
export function definiteErrorsOf(weakenings: { readonly notLeaderIsDefinite: boolean; readonly timeoutIsDefinite: boolean }): ReadonlySet<KafkaErrorType> {
  if (!weakenings.timeoutIsDefinite) return weakenings.notLeaderIsDefinite ? NOT_LEADER : new Set();
  return weakenings.notLeaderIsDefinite ? new Set([...NOT_LEADER, ...TIMEOUTS]) : TIMEOUTS;
}

// The backoff itself is the client layer's (`ExponentialBackoff`), shared with metadata refreshes.
export { exponentialBackoffMs };
