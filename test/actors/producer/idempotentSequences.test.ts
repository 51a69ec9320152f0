import { describe, expect, it } from 'vitest';
import { completeBatch, failBatch, reenqueueBatch, requestCompleted } from '../../../actors/producer/completeBatch.ts';
import { bumpProducerEpoch, isNextSequence, lastAckedSequence, sequenceStanding } from '../../../actors/producer/idempotentSequences.ts';
import { resolveProducerConfig } from '../../../actors/producer/producerConfig.ts';
import { createRecordAccumulator, drain } from '../../../actors/producer/recordAccumulator.ts';
import { retryDecision } from '../../../actors/producer/retryPolicy.ts';
import { fill, idempotent, withProducer } from './producerFixtures.ts';

describe('idempotent sequences', () => {
  it('drains nothing before InitProducerId has given the producer an id', () => {
    expect(drain(fill(createRecordAccumulator(), 0, 1), idempotent(5)).requests).toEqual([]);
  });

  it('start at 0 on each partition, advance by the record count, and are stamped with the epoch at first drain', () => {
    let acc = fill(fill(withProducer(), 0, 3), 1, 2);
    const first = drain(acc, idempotent(5));
    acc = fill(fill(first.acc, 0, 1, 5), 1, 1, 5);
    const second = drain(acc, idempotent(10));
    const seqs = [...first.requests, ...second.requests].flatMap((r) => r.batches.map((b) => [b.partition, b.baseSequence, b.producerEpoch]));
    expect(seqs).toEqual([[0, 0, 0], [1, 0, 0], [0, 3, 0], [1, 2, 0]]);
  });

  it('survive retries: a re-enqueued batch keeps its base sequence and goes before younger batches', () => {
    const first = drain(fill(withProducer(), 0, 2), idempotent(5));
    const batchId = first.requests[0]?.batches[0]?.batchId ?? -1;
    let acc = fill(first.acc, 0, 1, 6); // a younger batch, no sequence yet
    acc = reenqueueBatch(requestCompleted(acc, 100), { batchId, nowMs: 7, retryAtMs: 107, maybeWritten: false });
    expect(acc.queues['t-0']?.map((b) => b.baseSequence)).toEqual([0, null]);
    expect(drain(acc, idempotent(50)).requests).toEqual([]); // still backing off
    const retry = drain(acc, idempotent(107));
    expect(retry.requests[0]?.batches.map((b) => ({ id: b.batchId, seq: b.baseSequence, attempts: b.attempts }))).toEqual([{ id: batchId, seq: 0, attempts: 1 }]);
    expect(drain(fill(retry.acc, 0, 1, 107), idempotent(200)).requests[0]?.batches[0]?.baseSequence).toBe(2);
  });

  it('while a partition retries, only its earliest pending sequence goes out', () => {
    let acc = withProducer();
    const ids: number[] = [];
    for (const t of [0, 10]) {
      acc = fill(acc, 0, 1, t);
      const d = drain(acc, idempotent(t + 5));
      acc = d.acc;
      ids.push(d.requests[0]?.batches[0]?.batchId ?? -1);
    }
    // Both come back for a retry, the later one first.
    acc = reenqueueBatch(requestCompleted(acc, 100), { batchId: ids[1] ?? -1, nowMs: 20, retryAtMs: 20, maybeWritten: false });
    acc = reenqueueBatch(requestCompleted(acc, 100), { batchId: ids[0] ?? -1, nowMs: 20, retryAtMs: 20, maybeWritten: false });
    expect(acc.queues['t-0']?.map((b) => b.baseSequence)).toEqual([0, 1]);
    const first = drain(acc, idempotent(20));
    expect(first.requests.flatMap((r) => r.batches.map((b) => b.baseSequence))).toEqual([0]);
    expect(drain(first.acc, idempotent(21)).requests).toEqual([]);
  });

  it('records acknowledged sequences, which tells whether an out-of-order answer is a real gap', () => {
    let acc = fill(withProducer(), 0, 2);
    const first = drain(acc, idempotent(5));
    acc = fill(first.acc, 0, 1, 5);
    const second = drain(acc, idempotent(10));
    const [a, b] = [first.requests[0]?.batches[0]?.batchId ?? -1, second.requests[0]?.batches[0]?.batchId ?? -1];
    expect(isNextSequence(second.acc, a)).toBe(true);
    expect(isNextSequence(second.acc, b)).toBe(false);
    acc = completeBatch(second.acc, a);
    expect(lastAckedSequence(acc, 't', 0)).toBe(1);
    expect(isNextSequence(acc, b)).toBe(true);
  });

  it('a local epoch bump renumbers the partition’s pending batches from 0 under the new epoch', () => {
    let acc = fill(withProducer(), 0, 2);
    const first = drain(acc, idempotent(5));
    acc = fill(first.acc, 0, 3, 5);
    const second = drain(acc, idempotent(10));
    acc = failBatch(second.acc, first.requests[0]?.batches[0]?.batchId ?? -1);
    acc = bumpProducerEpoch(acc, [{ topic: 't', partition: 0 }]);
    expect(Object.values(acc.inFlight).map((b) => [b.baseSequence, b.producerEpoch])).toEqual([[0, 1]]);
    expect(acc.sequences['t-0']).toEqual({ producerEpoch: 1, nextSequence: 3, lastAckedSequence: -1 });
  });

  it('a batch answered NOT_LEADER_OR_FOLLOWER is retried by the policy with the same sequence, then acknowledged', () => {
    const config = resolveProducerConfig();
    const first = drain(fill(withProducer(), 0, 2), idempotent(5));
    const sent = first.requests[0]?.batches[0];
    if (sent === undefined) throw new Error('nothing drained');
    const decision = retryDecision({ error: 'NOT_LEADER_OR_FOLLOWER', batch: sent, nowMs: 15, config, sequence: sequenceStanding(first.acc, sent) });
    if (decision.action !== 'retry') throw new Error(`expected a retry, got ${decision.action}`);
    expect(decision).toMatchObject({ refreshMetadata: true, retryAtMs: 115 });
    let acc = reenqueueBatch(requestCompleted(first.acc, 100), { batchId: sent.batchId, nowMs: 15, retryAtMs: decision.retryAtMs, maybeWritten: decision.maybeWritten });
    const again = drain(acc, idempotent(decision.retryAtMs));
    expect(again.requests[0]?.batches.map((b) => [b.batchId, b.baseSequence, b.attempts])).toEqual([[sent.batchId, 0, 1]]);
    acc = completeBatch(requestCompleted(again.acc, 100), sent.batchId);
    expect(lastAckedSequence(acc, 't', 0)).toBe(1);
  });
});
