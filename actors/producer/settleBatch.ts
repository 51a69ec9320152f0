import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { completeBatch, expireBatches, failBatch, reenqueueBatch } from './completeBatch.ts';
import { markSequenceUnresolved, requestEpochBumpForPartition, sequenceStanding } from './idempotentSequences.ts';
import { inRetry } from './ProducerBatch.ts';
import type { ProducerBatch } from './ProducerBatch.ts';
import type { Outbox, ProducerContext } from './producerContext.ts';
import { requestMetadataUpdate } from '../client/metadata.ts';
import { ownValue } from './recordAccumulator.ts';
import { definiteErrorsOf, expiryDecision, retryDecision } from './retryPolicy.ts';
import type { RetryDecision } from './retryPolicy.ts';
import { batchOkNotes, batchOutcomeNotes } from './sendHistory.ts';

// What happens to a batch once its partition's answer is known (`Sender#completeBatch`): retryPolicy decides,
// completeBatch.ts and idempotentSequences.ts apply the decision to the accumulator, sendHistory.ts records it.

/**
 * Settles an in-flight batch from its partition's error (`'NONE'` on success; a lost request counts as
 * NETWORK_EXCEPTION, as retryPolicy expects). A batch the accumulator no longer holds expired while its request was
 * out and was already completed as `info`: a late answer changes nothing (Kafka ignores it too, the batch is done).
 */
export function settleBatch(ctx: ProducerContext, batchId: number, error: KafkaErrorType, baseOffset: number, out: Outbox): ProducerContext {
  const batch = ownValue(ctx.acc.inFlight, batchId);
  if (batch === undefined) return ctx;
  const decision = retryDecision({
    error,
    batch,
    nowMs: ctx.now(),
    config: ctx.config,
    sequence: ctx.config.enableIdempotence ? sequenceStanding(ctx.acc, batch) : undefined,
    draw: ctx.draw,
    definiteErrors: definiteErrorsOf(ctx.weakenings),
  });
  return applyDecision(ctx, batch, decision, baseOffset, out);
}

/**
 * Fails the batches whose `delivery.timeout.ms` passed (`Sender#sendProducerData`: `#failBatch` with a
 * TimeoutException). An idempotent batch that went out and came back for a retry may be in the log, so its
 * partition's sequence becomes unresolved (`TransactionManager#markSequenceUnresolved`) rather than bumped at once.
 */
export function expireDeliveryTimeouts(ctx: ProducerContext, out: Outbox): ProducerContext {
  const { acc, expired } = expireBatches(ctx.acc, { nowMs: ctx.now(), deliveryTimeoutMs: ctx.config.deliveryTimeoutMs });
  let next = expired.length === 0 ? ctx : { ...ctx, acc };
  for (const item of expired) {
    next = applyDecision(next, item.batch, expiryDecision(item, definiteErrorsOf(ctx.weakenings)), -1, out, false);
    if (next.config.enableIdempotence && item.batch.baseSequence !== null && inRetry(item.batch)) {
      next = { ...next, acc: markSequenceUnresolved(next.acc, item.batch) };
    }
  }
  return next;
}

/** When the oldest batch (queued or in flight) reaches its delivery timeout; null when there is none. */
export function nextDeliveryTimeoutMs(ctx: ProducerContext): number | null {
  let oldestMs: number | null = null;
  const consider = (batch: ProducerBatch) => {
    if (oldestMs === null || batch.createdMs < oldestMs) oldestMs = batch.createdMs;
  };
  for (const queue of Object.values(ctx.acc.queues)) for (const batch of queue) consider(batch);
  for (const batch of Object.values(ctx.acc.inFlight)) consider(batch);
  return oldestMs === null ? null : oldestMs + ctx.config.deliveryTimeoutMs;
}

function applyDecision(
  ctx: ProducerContext,
  batch: ProducerBatch,
  decision: RetryDecision,
  baseOffset: number,
  out: Outbox,
  inAccumulator = true,
): ProducerContext {
  let acc = ctx.acc;
  switch (decision.action) {
    case 'complete':
      acc = completeBatch(acc, batch.batchId);
      // DUPLICATE_SEQUENCE_NUMBER: written, but the broker no longer knows where; a LogRecord needs the offset, so
      // the history gets `info` (the checkers then accept the record anywhere, or nowhere).
      out.push(...(decision.offsetsKnown ? batchOkNotes(batch, baseOffset) : batchOutcomeNotes(batch, 'info')));
      break;
    case 'retry':
      acc = reenqueueBatch(acc, { batchId: batch.batchId, nowMs: ctx.now(), retryAtMs: decision.retryAtMs, maybeWritten: decision.maybeWritten });
      if (decision.requestEpochBump) acc = requestEpochBumpForPartition(acc, batch.topic, batch.partition);
      break;
    case 'fail':
      if (inAccumulator) acc = failBatch(acc, batch.batchId);
      out.push(...batchOutcomeNotes(batch, decision.outcome));
      // Only a batch that held a sequence leaves a gap to close; a batch never drained took none.
      if (decision.requestEpochBump && batch.baseSequence !== null) acc = requestEpochBumpForPartition(acc, batch.topic, batch.partition);
      break;
  }
  const metadata = decision.refreshMetadata ? requestMetadataUpdate(ctx.metadata) : ctx.metadata;
  return { ...ctx, acc, metadata };
}
