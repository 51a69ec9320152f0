import { describe, expect, it } from 'vitest';
import { completeBatch, expireBatches, failBatch, reenqueueBatch, requestCompleted } from '../../../actors/producer/completeBatch.ts';
import { createRecordAccumulator, drain } from '../../../actors/producer/recordAccumulator.ts';
import { fill, send } from './producerFixtures.ts';

describe('completeBatch', () => {
  it('removes the batch and ignores a second answer for it', () => {
    const drained = drain(fill(createRecordAccumulator(), 0, 1), send(5));
    const batchId = drained.requests[0]?.batches[0]?.batchId ?? -1;
    const done = completeBatch(drained.acc, batchId);
    expect(done.inFlight).toEqual({});
    expect(completeBatch(done, batchId)).toBe(done);
  });

  it('with one request in flight allowed, mutes a partition until its batch completes', () => {
    let acc = fill(createRecordAccumulator(), 0, 1);
    const first = drain(acc, send(5, { maxInFlightRequestsPerConnection: 1 }));
    acc = requestCompleted(fill(first.acc, 0, 1, 5), 100);
    expect(acc.muted).toEqual(['t-0']);
    expect(drain(acc, send(20, { maxInFlightRequestsPerConnection: 1 })).requests).toEqual([]);
    acc = completeBatch(acc, first.requests[0]?.batches[0]?.batchId ?? -1);
    expect(drain(acc, send(20, { maxInFlightRequestsPerConnection: 1 })).requests).toHaveLength(1);
  });
});

describe('failBatch', () => {
  it('drops a batch whether it is queued or in flight', () => {
    const drained = drain(fill(createRecordAccumulator(), 0, 1), send(5));
    const queued = fill(drained.acc, 2, 1, 5);
    const queuedId = queued.queues['t-2']?.[0]?.batchId ?? -1;
    const afterQueued = failBatch(queued, queuedId);
    expect(afterQueued.queues['t-2']).toEqual([]);
    const afterInFlight = failBatch(afterQueued, drained.requests[0]?.batches[0]?.batchId ?? -1);
    expect(afterInFlight.inFlight).toEqual({});
  });
});

describe('reenqueueBatch', () => {
  it('puts a retried batch back at the front of its queue with one more attempt and its backoff deadline', () => {
    const drained = drain(fill(createRecordAccumulator(), 0, 1), send(5));
    const batchId = drained.requests[0]?.batches[0]?.batchId ?? -1;
    const acc = reenqueueBatch(fill(drained.acc, 0, 1, 6), { batchId, nowMs: 8, retryAtMs: 108, maybeWritten: true });
    expect(acc.queues['t-0']?.map((b) => [b.batchId, b.attempts, b.retryAtMs, b.maybeWritten])).toEqual([
      [batchId, 1, 108, true],
      [1, 0, null, false],
    ]);
    expect(acc.inFlight).toEqual({});
  });

  it('ignores a batch it does not hold (it expired while its request was out)', () => {
    const acc = createRecordAccumulator();
    expect(reenqueueBatch(acc, { batchId: 9, nowMs: 0, retryAtMs: 0, maybeWritten: false })).toBe(acc);
  });
});

describe('requestCompleted', () => {
  it('frees one request slot on the connection, and refuses to go below zero', () => {
    const drained = drain(fill(createRecordAccumulator(), 0, 1), send(5));
    expect(requestCompleted(drained.acc, 100).inFlightRequests).toEqual({ 100: 0 });
    expect(() => requestCompleted(drained.acc, 101)).toThrow(/without a request in flight/);
  });
});

describe('expireBatches', () => {
  it('expires batches after delivery.timeout.ms: never-sent ones wrote nothing, in-flight ones may have', () => {
    let acc = fill(createRecordAccumulator(), 0, 1, 0);
    const drained = drain(acc, send(5));
    acc = fill(drained.acc, 2, 1, 10);
    const { acc: after, expired } = expireBatches(acc, { nowMs: 120_010, deliveryTimeoutMs: 120_000 });
    expect(expired.map((e) => [e.batch.partition, e.maybeWritten])).toEqual([[0, true], [2, false]]);
    expect(after.inFlight).toEqual({});
    // A late response for the expired batch changes nothing.
    expect(completeBatch(after, drained.requests[0]?.batches[0]?.batchId ?? -1)).toBe(after);
  });

  it('keeps batches younger than the timeout', () => {
    const acc = fill(createRecordAccumulator(), 0, 1, 0);
    expect(expireBatches(acc, { nowMs: 119_999, deliveryTimeoutMs: 120_000 }).expired).toEqual([]);
  });
});
