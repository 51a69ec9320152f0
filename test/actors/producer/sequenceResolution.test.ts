import { describe, expect, it } from 'vitest';
import { reenqueueBatch, requestCompleted } from '../../../actors/producer/completeBatch.ts';
import {
  bumpIdempotentEpochIfNeeded,
  hasUnresolvedSequence,
  markSequenceUnresolved,
  maybeResolveSequences,
  requestEpochBumpForPartition,
} from '../../../actors/producer/idempotentSequences.ts';
import type { ProducerBatch } from '../../../actors/producer/ProducerBatch.ts';
import { createProducerContext } from '../../../actors/producer/producerContext.ts';
import type { Outbox, ProducerContext } from '../../../actors/producer/producerContext.ts';
import { drain } from '../../../actors/producer/recordAccumulator.ts';
import type { RecordAccumulator } from '../../../actors/producer/recordAccumulator.ts';
import { expireDeliveryTimeouts, settleBatch } from '../../../actors/producer/settleBatch.ts';
import type { HistoryCompleteNote } from '../../../src/history/HistoryNote.ts';
import { Rng } from '../../../src/kernel/Rng.ts';
import { fill, idempotent, withProducer } from './producerFixtures.ts';

// Kafka 3.9's idempotent producer after a sent batch expires (`Sender#sendProducerData`, `TransactionManager#
// markSequenceUnresolved`, `#maybeResolveSequences`, `#canRetry`): the partition's sequence is in doubt until its
// other pending batches are done, and only then does it decide whether to bump the epoch. The steps are the pure
// ones the Sender pass runs; the accumulator is built by hand on partition t-0, led by broker 100.

const DELIVERY_TIMEOUT_MS = 10_000;

/** A producer context at a settable virtual time, with producer id 7 at epoch 0. */
function producerAt(acc: RecordAccumulator) {
  const clock = { nowMs: 0 };
  const base = createProducerContext({
    nodeId: 'producer-1',
    disk: undefined,
    rng: new Rng(1),
    now: () => clock.nowMs,
    bootstrapBrokers: [100],
    settings: { requestTimeoutMs: 1_000, deliveryTimeoutMs: DELIVERY_TIMEOUT_MS },
  });
  return { ctx: { ...base, acc } as ProducerContext, clock };
}

/** Drains t-0 at `nowMs` and returns the batch that went out. */
function drainOne(acc: RecordAccumulator, nowMs: number): { acc: RecordAccumulator; batch: ProducerBatch } {
  const drained = drain(acc, idempotent(nowMs));
  const batch = drained.requests[0]?.batches[0];
  if (batch === undefined) throw new Error(`nothing drained at ${nowMs}`);
  return { acc: drained.acc, batch };
}

/**
 * v0 (sequence 0) went out, came back for a retry and went out again; v1 (sequence 1) went out behind it. Both are
 * in flight when v0's delivery timeout passes.
 */
function retryInFlightWithLaterBatch() {
  let acc = fill(withProducer(), 0, 1, 0);
  const first = drainOne(acc, 5);
  acc = reenqueueBatch(requestCompleted(first.acc, 100), { batchId: first.batch.batchId, nowMs: 10, retryAtMs: 110, maybeWritten: false });
  const retry = drainOne(acc, 110);
  acc = fill(retry.acc, 0, 1, 120);
  const later = drainOne(acc, 125);
  expect([retry.batch.baseSequence, later.batch.baseSequence]).toEqual([0, 1]);
  return { acc: later.acc, v0: retry.batch, v1: later.batch };
}

function outcomes(out: Outbox): unknown[] {
  return out.flatMap((emitted) => (emitted.type === 'note' ? [[(emitted.data as HistoryCompleteNote).value, (emitted.data as HistoryCompleteNote).type]] : []));
}

describe('an expired batch in retry leaves its partition unresolved (TransactionManager#markSequenceUnresolved)', () => {
  it('keeps the epoch and the later batch’s sequence while that batch is in flight, and drains no new batch', () => {
    const { acc, v1 } = retryInFlightWithLaterBatch();
    const { ctx, clock } = producerAt(acc);
    clock.nowMs = DELIVERY_TIMEOUT_MS;
    const out: Outbox = [];
    const next = expireDeliveryTimeouts(ctx, out);
    expect(outcomes(out)).toEqual([[{ topic: 't', key: null, value: 'vvvvvvvvvv', partition: 0 }, 'info']]);
    expect(next.acc.producerIdAndEpoch).toEqual({ producerId: 7, epoch: 0 });
    expect(next.acc.inFlight[v1.batchId]).toMatchObject({ baseSequence: 1, producerEpoch: 0, sequenceHasBeenReset: false });
    expect(next.acc.partitionsWithUnresolvedSequences).toEqual({ 't-0': 1 });
    expect(next.acc.epochBumpRequired).toBe(false);
    // maybeResolveSequences waits for v1; meanwhile a new batch takes no sequence (shouldStopDrainBatchesForPartition).
    const waiting = maybeResolveSequences(fill(next.acc, 0, 1, DELIVERY_TIMEOUT_MS));
    expect(hasUnresolvedSequence(waiting, 't', 0)).toBe(true);
    expect(drain(waiting, idempotent(DELIVERY_TIMEOUT_MS + 10)).requests).toEqual([]);
  });

  it('resolves without a bump when the later batch is acknowledged: the next batch continues the sequence', () => {
    const { acc, v1 } = retryInFlightWithLaterBatch();
    const { ctx, clock } = producerAt(acc);
    clock.nowMs = DELIVERY_TIMEOUT_MS;
    let next = expireDeliveryTimeouts(ctx, []);
    next = settleBatch(next, v1.batchId, 'NONE', 0, []);
    const resolved = bumpIdempotentEpochIfNeeded(maybeResolveSequences(fill(next.acc, 0, 1, DELIVERY_TIMEOUT_MS)));
    expect(resolved.partitionsWithUnresolvedSequences).toEqual({});
    expect(resolved.producerIdAndEpoch?.epoch).toBe(0);
    expect(drainOne(resolved, DELIVERY_TIMEOUT_MS + 10).batch).toMatchObject({ baseSequence: 2, producerEpoch: 0 });
  });

  it('bumps the epoch and retries the later batch from sequence 0 when the broker refuses it as out of order (the expired one never landed)', () => {
    const { acc, v1 } = retryInFlightWithLaterBatch();
    const { ctx, clock } = producerAt(acc);
    clock.nowMs = DELIVERY_TIMEOUT_MS;
    let next = expireDeliveryTimeouts(ctx, []);
    const out: Outbox = [];
    next = settleBatch(next, v1.batchId, 'OUT_OF_ORDER_SEQUENCE_NUMBER', -1, out);
    expect(outcomes(out)).toEqual([]);
    expect(next.acc).toMatchObject({ epochBumpRequired: true, partitionsToRewriteSequences: ['t-0'] });
    const bumped = bumpIdempotentEpochIfNeeded(maybeResolveSequences(next.acc));
    expect(bumped).toMatchObject({ producerIdAndEpoch: { producerId: 7, epoch: 1 }, partitionsWithUnresolvedSequences: {}, epochBumpRequired: false });
    expect(bumped.queues['t-0']).toMatchObject([{ batchId: v1.batchId, baseSequence: 0, producerEpoch: 1, sequenceHasBeenReset: true }]);
  });

  it('bumps the epoch once nothing is pending and the last acknowledged sequence does not reach the next one', () => {
    const { acc, v1 } = retryInFlightWithLaterBatch();
    const { ctx, clock } = producerAt(acc);
    clock.nowMs = DELIVERY_TIMEOUT_MS;
    let next = expireDeliveryTimeouts(ctx, []);
    // v1's request is lost; it is retried, and expires in retry too.
    next = settleBatch(next, v1.batchId, 'NETWORK_EXCEPTION', -1, []);
    expect(maybeResolveSequences(next.acc).epochBumpRequired).toBe(false);
    clock.nowMs = v1.createdMs + DELIVERY_TIMEOUT_MS;
    next = expireDeliveryTimeouts(next, []);
    expect(next.acc.partitionsWithUnresolvedSequences).toEqual({ 't-0': 2 });
    const bumped = bumpIdempotentEpochIfNeeded(maybeResolveSequences(fill(next.acc, 0, 1, clock.nowMs)));
    expect(bumped.producerIdAndEpoch?.epoch).toBe(1);
    expect(bumped.partitionsWithUnresolvedSequences).toEqual({});
    expect(drainOne(bumped, clock.nowMs + 10).batch).toMatchObject({ baseSequence: 0, producerEpoch: 1 });
  });

  it('does not mark a batch that expires on its first attempt (Kafka marks only batches in retry), nor bump for it', () => {
    const first = drainOne(fill(withProducer(), 0, 1, 0), 5);
    const { ctx, clock } = producerAt(first.acc);
    clock.nowMs = DELIVERY_TIMEOUT_MS;
    const next = expireDeliveryTimeouts(ctx, []);
    expect(next.acc).toMatchObject({ producerIdAndEpoch: { epoch: 0 }, partitionsWithUnresolvedSequences: {}, epochBumpRequired: false });
    const resolved = bumpIdempotentEpochIfNeeded(maybeResolveSequences(fill(next.acc, 0, 1, clock.nowMs)));
    expect(drainOne(resolved, clock.nowMs + 10).batch).toMatchObject({ baseSequence: 1, producerEpoch: 0 });
  });
});

describe('epoch bumps are asked for, then made by the next Sender pass (TransactionManager#bumpIdempotentProducerEpoch)', () => {
  it('partitions that ask before the pass share one bump, and each is renumbered from 0', () => {
    let acc = fill(fill(withProducer(), 0, 1), 1, 1);
    acc = drain(acc, idempotent(5)).acc;
    acc = requestEpochBumpForPartition(requestEpochBumpForPartition(requestEpochBumpForPartition(acc, 't', 0), 't', 1), 't', 0);
    expect(acc.partitionsToRewriteSequences).toEqual(['t-0', 't-1']);
    expect(acc.producerIdAndEpoch?.epoch).toBe(0);
    const bumped = bumpIdempotentEpochIfNeeded(acc);
    expect(bumped.producerIdAndEpoch?.epoch).toBe(1);
    expect(Object.values(bumped.inFlight).map((b) => [b.partition, b.baseSequence, b.producerEpoch])).toEqual([[0, 0, 1], [1, 0, 1]]);
    expect(bumpIdempotentEpochIfNeeded(bumped)).toBe(bumped);
  });

  it('an unresolved partition keeps the sequence after the highest expired batch', () => {
    const { acc, v0, v1 } = retryInFlightWithLaterBatch();
    const marked = markSequenceUnresolved(markSequenceUnresolved(acc, v1), v0);
    expect(marked.partitionsWithUnresolvedSequences).toEqual({ 't-0': 2 });
  });
});
