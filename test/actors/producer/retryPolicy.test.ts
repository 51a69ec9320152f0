import { describe, expect, it } from 'vitest';
import { resolveProducerConfig } from '../../../actors/producer/producerConfig.ts';
import { definiteErrorsOf, expiryDecision, exponentialBackoffMs, retryDecision } from '../../../actors/producer/retryPolicy.ts';
import type { RetryDecision, RetryInput, SequenceStanding } from '../../../actors/producer/retryPolicy.ts';
import type { KafkaErrorType } from '../../../src/protocol/index.ts';
import type { ProducerBatch } from '../../../actors/producer/ProducerBatch.ts';

const config = resolveProducerConfig();
const batch = { createdMs: 0, attempts: 0, maybeWritten: false };
const decide = (error: KafkaErrorType, overrides: Partial<RetryInput> = {}) => retryDecision({ error, batch, nowMs: 10, config, ...overrides });
const standing = (overrides: Partial<SequenceStanding>): SequenceStanding => ({
  isNextSequence: true,
  sequenceHasBeenReset: false,
  hasUnresolvedSequence: false,
  isNextSequenceForUnresolvedPartition: false,
  ...overrides,
});

/**
 * Answers every attempt of one batch with `error`, each `requestTimeMs` after it was sent, until the policy stops
 * retrying or the batch expires in the accumulator while backing off (expireBatches runs before every send).
 */
function retryUntilDone(error: KafkaErrorType, options: { requestTimeMs: number; retries?: number }) {
  let state = { ...batch };
  let nowMs = 0;
  const sentAtMs: number[] = [];
  for (;;) {
    sentAtMs.push(nowMs);
    nowMs += options.requestTimeMs;
    const decision: RetryDecision = retryDecision({ error, batch: state, nowMs, config: { ...config, retries: options.retries ?? config.retries } });
    if (decision.action !== 'retry') return { sentAtMs, decision, endedAtMs: nowMs };
    state = { ...state, attempts: state.attempts + 1, maybeWritten: decision.maybeWritten };
    if (decision.retryAtMs - state.createdMs >= config.deliveryTimeoutMs) {
      const expiry = expiryDecision({ batch: { ...emptyBatch, ...state }, maybeWritten: state.maybeWritten });
      return { sentAtMs, decision: expiry, endedAtMs: state.createdMs + config.deliveryTimeoutMs };
    }
    nowMs = decision.retryAtMs;
  }
}

const emptyBatch: ProducerBatch = {
  batchId: 1,
  topic: 't',
  partition: 0,
  records: [],
  sizeBytes: 61,
  capacityBytes: 16_384,
  createdMs: 0,
  attempts: 0,
  lastAttemptMs: 0,
  retryAtMs: null,
  closed: true,
  baseSequence: 0,
  producerEpoch: 0,
  maybeWritten: false,
  sequenceHasBeenReset: false,
};

describe('retryDecision', () => {
  it('completes on NONE, and on DUPLICATE_SEQUENCE_NUMBER without offsets', () => {
    expect(decide('NONE')).toMatchObject({ action: 'complete', outcome: 'ok', offsetsKnown: true });
    expect(decide('DUPLICATE_SEQUENCE_NUMBER')).toMatchObject({ action: 'complete', outcome: 'ok', offsetsKnown: false });
  });

  it('retries a retriable error after retry.backoff.ms, doubling per attempt up to retry.backoff.max.ms', () => {
    const backoffs = [0, 1, 2, 3, 4, 5].map((attempts) => decide('NOT_ENOUGH_REPLICAS', { batch: { ...batch, attempts } }));
    expect(backoffs.map((d) => (d.action === 'retry' ? d.backoffMs : -1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffs[0]).toMatchObject({ action: 'retry', retryAtMs: 110, maybeWritten: false, refreshMetadata: false, requestEpochBump: false });
  });

  it('gives a batch up as definitely failed on NOT_LEADER_OR_FOLLOWER under not-leader-is-definite (bug P4), and only then', () => {
    const notLeader = definiteErrorsOf({ notLeaderIsDefinite: true, timeoutIsDefinite: false });
    expect(decide('NOT_LEADER_OR_FOLLOWER', { definiteErrors: notLeader })).toEqual({
      action: 'fail',
      error: 'NOT_LEADER_OR_FOLLOWER',
      outcome: 'fail',
      refreshMetadata: true,
      requestEpochBump: true,
    });
    // Other errors keep their faithful fate under the weakening.
    expect(decide('NETWORK_EXCEPTION', { definiteErrors: notLeader })).toMatchObject({ action: 'retry', maybeWritten: true });
    expect(decide('NOT_LEADER_OR_FOLLOWER', { definiteErrors: definiteErrorsOf({ notLeaderIsDefinite: false, timeoutIsDefinite: false }) })).toMatchObject({ action: 'retry' });
  });

  it('gives a batch up as definitely failed on a lost request or a timeout under timeout-is-definite (bug P4), and only then', () => {
    const timeouts = definiteErrorsOf({ notLeaderIsDefinite: false, timeoutIsDefinite: true });
    expect(decide('NETWORK_EXCEPTION', { definiteErrors: timeouts })).toMatchObject({ action: 'fail', error: 'NETWORK_EXCEPTION', outcome: 'fail' });
    expect(decide('REQUEST_TIMED_OUT', { definiteErrors: timeouts })).toMatchObject({ action: 'fail', outcome: 'fail' });
    expect(decide('NOT_LEADER_OR_FOLLOWER', { definiteErrors: timeouts })).toMatchObject({ action: 'retry' });
    expect(decide('NETWORK_EXCEPTION')).toMatchObject({ action: 'retry', maybeWritten: true });
    const expired = { batch: { ...batch, attempts: 1 }, maybeWritten: true } as unknown as Parameters<typeof expiryDecision>[0];
    expect(expiryDecision(expired, timeouts)).toMatchObject({ outcome: 'fail' });
    expect(expiryDecision(expired)).toMatchObject({ outcome: 'info' });
  });

  it('asks for a metadata refresh on NOT_LEADER_OR_FOLLOWER and UNKNOWN_TOPIC_OR_PARTITION, retrying all the same', () => {
    expect(decide('NOT_LEADER_OR_FOLLOWER')).toMatchObject({ action: 'retry', refreshMetadata: true, maybeWritten: true });
    expect(decide('UNKNOWN_TOPIC_OR_PARTITION')).toMatchObject({ action: 'retry', refreshMetadata: true, maybeWritten: false });
  });

  it('retries a response that comes before delivery.timeout.ms, and fails one that comes at it with its error', () => {
    const created = { ...batch, attempts: 4 };
    expect(decide('NOT_ENOUGH_REPLICAS', { batch: created, nowMs: config.deliveryTimeoutMs - 1 })).toMatchObject({ action: 'retry' });
    expect(decide('NOT_ENOUGH_REPLICAS', { batch: created, nowMs: config.deliveryTimeoutMs })).toMatchObject({
      action: 'fail',
      error: 'NOT_ENOUGH_REPLICAS',
      outcome: 'fail',
    });
  });

  it('keeps retrying with backoff until the delivery timeout, never sending after it, and the batch definitely failed', () => {
    const run = retryUntilDone('NOT_ENOUGH_REPLICAS', { requestTimeMs: 10 });
    expect(run.sentAtMs.slice(0, 6)).toEqual([0, 110, 320, 730, 1_540, 2_550]);
    expect(run.sentAtMs.at(-1)).toBeLessThan(config.deliveryTimeoutMs);
    expect(run.endedAtMs).toBe(config.deliveryTimeoutMs);
    expect(run.decision).toMatchObject({ action: 'fail', outcome: 'fail' });
  });

  it('reports an indeterminate outcome (info) when an attempt timed out or the network failed', () => {
    expect(retryUntilDone('REQUEST_TIMED_OUT', { requestTimeMs: 30_000 }).decision).toMatchObject({ action: 'fail', outcome: 'info' });
    expect(retryUntilDone('NETWORK_EXCEPTION', { requestTimeMs: 30_000 }).decision).toMatchObject({ outcome: 'info', refreshMetadata: true });
    expect(retryUntilDone('NOT_ENOUGH_REPLICAS_AFTER_APPEND', { requestTimeMs: 10 }).decision).toMatchObject({ outcome: 'info' });
  });

  it('keeps the outcome indeterminate when an earlier attempt may have been written, even if the last one was refused', () => {
    const late = decide('NOT_ENOUGH_REPLICAS', { nowMs: 120_000, batch: { ...batch, attempts: 3, maybeWritten: true } });
    expect(late).toMatchObject({ action: 'fail', outcome: 'info' });
  });

  it('stops after `retries` retries', () => {
    const run = retryUntilDone('NOT_ENOUGH_REPLICAS', { requestTimeMs: 10, retries: 2 });
    expect(run.sentAtMs).toHaveLength(3);
    expect(run.decision).toMatchObject({ action: 'fail', outcome: 'fail' });
  });

  it('fails a non-retriable error at once', () => {
    expect(decide('INVALID_REQUIRED_ACKS', { config: { ...config, enableIdempotence: false } })).toEqual({
      action: 'fail',
      error: 'INVALID_REQUIRED_ACKS',
      outcome: 'fail',
      refreshMetadata: false,
      requestEpochBump: false,
    });
  });

  it('an idempotent producer asks for an epoch bump when it fails a batch with retries left, not when they ran out (maybe written)', () => {
    expect(decide('INVALID_REQUIRED_ACKS')).toMatchObject({ action: 'fail', requestEpochBump: true });
    // Sender#completeBatch passes `adjustSequenceNumbers = attempts < retries` to TransactionManager#handleFailedBatch.
    const exhausted = decide('NOT_ENOUGH_REPLICAS_AFTER_APPEND', { batch: { ...batch, attempts: 2 }, config: { ...config, retries: 2 } });
    expect(exhausted).toMatchObject({ action: 'fail', outcome: 'info', requestEpochBump: false });
    const late = decide('NOT_ENOUGH_REPLICAS_AFTER_APPEND', { batch: { ...batch, attempts: 2 }, nowMs: config.deliveryTimeoutMs });
    expect(late).toMatchObject({ action: 'fail', outcome: 'info', requestEpochBump: true });
  });

  it('treats OUT_OF_ORDER_SEQUENCE_NUMBER as fatal without idempotence, and retries UNKNOWN_PRODUCER_ID with a bump with it', () => {
    expect(decide('OUT_OF_ORDER_SEQUENCE_NUMBER', { config: { ...config, enableIdempotence: false } })).toMatchObject({ action: 'fail' });
    expect(decide('UNKNOWN_PRODUCER_ID')).toMatchObject({ action: 'retry', requestEpochBump: true });
    // A batch a bump already renumbered is retried as is (TransactionManager#canRetry).
    expect(decide('UNKNOWN_PRODUCER_ID', { sequence: standing({ sequenceHasBeenReset: true }) })).toMatchObject({ action: 'retry', requestEpochBump: false });
  });
});

describe('retryDecision: OUT_OF_ORDER_SEQUENCE_NUMBER for an idempotent producer (TransactionManager#canRetry)', () => {
  const oooS = (sequence: Partial<SequenceStanding>, overrides: Partial<RetryInput> = {}) =>
    decide('OUT_OF_ORDER_SEQUENCE_NUMBER', { sequence: standing(sequence), ...overrides });

  it('retries a batch that is not the next sequence as is: an earlier batch is missing', () => {
    expect(oooS({ isNextSequence: false })).toMatchObject({ action: 'retry', requestEpochBump: false, maybeWritten: false });
  });

  it('bumps the epoch and retries the next sequence: a real gap at the head of the line', () => {
    expect(oooS({ isNextSequence: true })).toMatchObject({ action: 'retry', requestEpochBump: true, maybeWritten: false });
  });

  it('retries a renumbered batch as is: its answer is for the attempt under the old epoch', () => {
    expect(oooS({ isNextSequence: true, sequenceHasBeenReset: true })).toMatchObject({ action: 'retry', requestEpochBump: false });
  });

  it('while the partition is unresolved, bumps only for the batch right after the expired one', () => {
    const unresolved = { hasUnresolvedSequence: true };
    expect(oooS({ ...unresolved, isNextSequence: false, isNextSequenceForUnresolvedPartition: true })).toMatchObject({ action: 'retry', requestEpochBump: true });
    expect(oooS({ ...unresolved, isNextSequence: false, sequenceHasBeenReset: true, isNextSequenceForUnresolvedPartition: true })).toMatchObject({
      action: 'retry',
      requestEpochBump: true,
    });
    expect(oooS({ ...unresolved, isNextSequence: false })).toMatchObject({ action: 'retry', requestEpochBump: false });
    expect(oooS({ ...unresolved, isNextSequence: true })).toMatchObject({ action: 'retry', requestEpochBump: false });
  });

  it('fails the batch once time or retries ran out, and still asks for a bump (TransactionManager#handleFailedBatch)', () => {
    expect(oooS({ isNextSequence: false }, { nowMs: config.deliveryTimeoutMs })).toMatchObject({ action: 'fail', outcome: 'fail', requestEpochBump: true });
    const exhausted = oooS({ isNextSequence: true }, { batch: { ...batch, attempts: 3, maybeWritten: true }, config: { ...config, retries: 3 } });
    expect(exhausted).toMatchObject({ action: 'fail', outcome: 'info', requestEpochBump: true });
  });
});

describe('exponentialBackoffMs', () => {
  it('draws a jitter factor in [0.8, 1.2) when given a draw', () => {
    expect(exponentialBackoffMs(1, config, { next: () => 0 })).toBe(160);
    expect(exponentialBackoffMs(1, config, { next: () => 0.999 })).toBe(239);
    expect(exponentialBackoffMs(9, config, { next: () => 0.999 })).toBe(1_000);
  });

  it('is constant when retry.backoff.max.ms is not above retry.backoff.ms', () => {
    expect(exponentialBackoffMs(5, { retryBackoffMs: 100, retryBackoffMaxMs: 100 })).toBe(100);
    expect(exponentialBackoffMs(5, { retryBackoffMs: 300, retryBackoffMaxMs: 50 })).toBe(50);
  });
});

describe('expiryDecision', () => {
  const expired = (maybeWritten: boolean, baseSequence: number | null) => ({ maybeWritten, batch: { ...emptyBatch, baseSequence, maybeWritten } });

  it('fails an expired batch with REQUEST_TIMED_OUT: info if it may have been written, fail if it never left', () => {
    expect(expiryDecision(expired(true, 0))).toMatchObject({ action: 'fail', error: 'REQUEST_TIMED_OUT', outcome: 'info' });
    expect(expiryDecision(expired(false, null))).toMatchObject({ outcome: 'fail' });
  });

  it('never asks for an epoch bump itself, even for a batch that held a sequence (Sender#sendProducerData)', () => {
    expect(expiryDecision(expired(true, 0))).toMatchObject({ requestEpochBump: false });
  });
});
