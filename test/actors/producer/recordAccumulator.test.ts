import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestCompleted } from '../../../actors/producer/completeBatch.ts';
import { RECORD_BATCH_OVERHEAD_BYTES, RECORD_OVERHEAD_BYTES, recordSizeBytes } from '../../../actors/producer/ProducerBatch.ts';
import { append, createRecordAccumulator, drain, hasRoomFor, ready } from '../../../actors/producer/recordAccumulator.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';
import { fill, idempotent, send, withProducer } from './producerFixtures.ts';

describe('append', () => {
  it('counts a record as UTF-8 key + value + a fixed 21-byte overhead, a batch as 61 bytes of header plus records', () => {
    expect(recordSizeBytes('ké', 'v')).toBe(3 + 1 + RECORD_OVERHEAD_BYTES);
    expect(recordSizeBytes(null, null)).toBe(RECORD_OVERHEAD_BYTES);
    const acc = fill(createRecordAccumulator(), 0, 3);
    expect(acc.queues['t-0']?.[0]?.sizeBytes).toBe(RECORD_BATCH_OVERHEAD_BYTES + 3 * (10 + RECORD_OVERHEAD_BYTES));
  });

  it('fills a batch up to batch.size, then opens a new one and reports the first as full', () => {
    const batchSize = RECORD_BATCH_OVERHEAD_BYTES + 3 * 31; // room for exactly three 31-byte records
    let acc = fill(createRecordAccumulator(), 0, 3, 0, batchSize);
    expect(acc.queues['t-0']).toHaveLength(1);
    expect(hasRoomFor(acc, { topic: 't', partition: 0, key: null, value: 'v'.repeat(10) })).toBe(false);
    const fourth = append(acc, { topic: 't', partition: 0, key: null, value: 'v'.repeat(10) }, { nowMs: 0, batchSize });
    expect(fourth).toMatchObject({ newBatchCreated: true, batchIsFull: true, batchId: 1 });
    acc = fourth.acc;
    expect(acc.queues['t-0']?.map((b) => b.records.length)).toEqual([3, 1]);
  });

  it('gives a record larger than batch.size a batch of its own', () => {
    const big = append(createRecordAccumulator(), { topic: 't', partition: 0, key: null, value: 'v'.repeat(100) }, { nowMs: 0, batchSize: 50 });
    expect(big).toMatchObject({ newBatchCreated: true, batchIsFull: true });
    expect(big.acc.queues['t-0']?.[0]?.capacityBytes).toBe(RECORD_BATCH_OVERHEAD_BYTES + 121);
  });
});

describe('ready', () => {
  it('holds a batch that is not full until linger.ms has passed, and says when to look again', () => {
    const acc = fill(createRecordAccumulator(), 0, 1, 10);
    expect(ready(acc, send(12))).toEqual({ readyNodes: [], nextReadyCheckDelayMs: 3, unknownLeaderTopics: [] });
    expect(ready(acc, send(15)).readyNodes).toEqual([100]);
  });

  it('sends a full batch at once, whatever linger.ms says', () => {
    const acc = fill(createRecordAccumulator(), 1, 3, 0, RECORD_BATCH_OVERHEAD_BYTES + 3 * 31);
    expect(ready(acc, send(0, { lingerMs: 60_000 })).readyNodes).toEqual([101]);
  });

  it('sends everything on flush, and reports topics whose leader is unknown', () => {
    let acc = fill(createRecordAccumulator(), 0, 1);
    acc = append(acc, { topic: 'x', partition: 0, key: null, value: 'v' }, { nowMs: 0, batchSize: 16_384 }).acc;
    expect(ready(acc, send(0, { flush: true }))).toMatchObject({ readyNodes: [100], unknownLeaderTopics: ['x'] });
  });
});

describe('drain', () => {
  it('builds one request per leader with at most one batch per partition', () => {
    let acc = fill(createRecordAccumulator(), 0, 1);
    acc = fill(acc, 1, 1);
    acc = fill(acc, 2, 1);
    acc = append(acc, { topic: 't', partition: 0, key: null, value: 'v'.repeat(20_000) }, { nowMs: 0, batchSize: 16_384 }).acc;
    const { requests, acc: after } = drain(acc, send(5));
    expect(requests.map((r) => ({ node: r.node, partitions: r.batches.map((b) => b.partition) }))).toEqual([
      { node: 100, partitions: [0, 2] },
      { node: 101, partitions: [1] },
    ]);
    expect(after.queues['t-0']).toHaveLength(1);
    expect(after.inFlightRequests).toEqual({ 100: 1, 101: 1 });
  });

  it('stops adding batches to a request at max.request.size (but always sends one)', () => {
    let acc = fill(createRecordAccumulator(), 0, 1);
    acc = fill(acc, 2, 1);
    const { requests } = drain(acc, send(5, { maxRequestSize: 100 }));
    expect(requests[0]?.batches.map((b) => b.partition)).toEqual([0]);
  });

  it('honours max.in.flight.requests.per.connection until responses come back', () => {
    let acc = createRecordAccumulator();
    const requests: number[] = [];
    for (let i = 0; i < 4; i++) {
      acc = fill(acc, 0, 1, i);
      const drained = drain(acc, send(i + 5, { maxInFlightRequestsPerConnection: 2 }));
      acc = drained.acc;
      requests.push(drained.requests.length);
    }
    expect(requests).toEqual([1, 1, 0, 0]);
    expect(acc.inFlightRequests[100]).toBe(2);
    acc = requestCompleted(acc, 100);
    expect(drain(acc, send(20, { maxInFlightRequestsPerConnection: 2 })).requests).toHaveLength(1);
  });

  it('never exceeds max.in.flight.requests.per.connection under any interleaving (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), partition: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('drain' as const) }),
      fc.record({ kind: fc.constant('respond' as const), node: fc.constantFrom(100, 101) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(step, { maxLength: 60 }), (maxInFlight, steps) => {
        let acc = createRecordAccumulator();
        let nowMs = 0;
        for (const s of steps) {
          nowMs += 3;
          if (s.kind === 'append') acc = fill(acc, s.partition, 1, nowMs);
          else if (s.kind === 'drain') acc = drain(acc, send(nowMs, { maxInFlightRequestsPerConnection: maxInFlight })).acc;
          else if ((acc.inFlightRequests[s.node] ?? 0) > 0) acc = requestCompleted(acc, s.node);
          if (Object.values(acc.inFlightRequests).some((n) => n > maxInFlight)) return false;
        }
        return true;
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('the accumulator state', () => {
  it('is JSON-safe', () => {
    const acc = drain(fill(fill(withProducer(), 0, 2), 1, 1), idempotent(5)).acc;
    expect(JSON.parse(JSON.stringify(acc))).toEqual(acc);
  });
});
