import { describe, expect, it } from 'vitest';
import type { LogRecord, OperationOf } from '../../src/history/History.ts';
import type { World } from '../../src/kernel/World.ts';
import type { ProduceRequest, ProduceResponse } from '../../src/protocol/messages.ts';
import { runScenario } from '../../src/scenario/runScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';

// The idempotent producer's recovery after its batches expire, as Kafka 3.9's TransactionManager does it. The story,
// on one partition led by broker 3 with followers 1 and 2 (RF 3, min ISR 2, acks=all, delivery.timeout.ms 6 s):
// - broker 3 is cut off from both followers for 15 s: writes stall, the ISR shrinks to [3], and the leader refuses
//   new writes with NOT_ENOUGH_REPLICAS; batches it had appended (not committed) and their retries expire;
// - the producer keeps the partition's sequence unresolved while batches of that partition are pending, bumps its
//   epoch only once nothing is, and bumps and retries a batch refused as out of order right after an expired one;
// - the followers return, catch up and rejoin the ISR; the leader's uncommitted appends become committed.
// A producer that bumped its epoch as soon as a batch expired (this simulator did) renumbered the partition's other
// batches under the new epoch while their old attempts were still in the leader's log, and retried them: one record
// was written twice (the duplicate checker saw producer-1:61 at offsets 61 and 62).
const scenario: Scenario = {
  seed: 1,
  brokers: 3,
  topics: [{ name: 'orders', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
  producers: [
    {
      id: 'producer-1',
      settings: { acks: 'all', enableIdempotence: true, deliveryTimeoutMs: 6_000, requestTimeoutMs: 3_000 },
      workload: { topic: 'orders', records: 600, ratePerSec: 20, keys: { kind: 'null' } },
    },
  ],
  readers: [{ id: 'reader-1', topics: ['orders'] }],
  broker: { replicaLagTimeMaxMs: 5_000, replicaSocketTimeoutMs: 1_000, replicaFetchBackoffMs: 500 },
  faults: [
    { atMs: 8_000, kind: 'partition', groups: [['broker-3'], ['broker-1', 'broker-2']] },
    { atMs: 23_000, kind: 'heal' },
  ],
  durations: { startupMs: 5_000, safetyMs: 40_000, quietMs: 20_000, finalReadMs: 30_000 },
};

describe('an idempotent producer recovers from expired batches and a sequence gap', () => {
  it('leader cut off from its followers past delivery.timeout.ms: the epoch is bumped once the sequence is known, and no write is lost or stored twice (RF=3, minISR=2)', () => {
    const leaders: number[] = [];
    const requests: Array<{ atMs: number; producerEpoch: number }> = [];
    const answers: Array<{ atMs: number; errorCode: string }> = [];
    const onWorld = (world: World) => {
      world.notes$.subscribe((note) => {
        const data = note.data as { invariant?: string; broker?: number };
        if (data.invariant === 'leader') leaders.push(data.broker as number);
      });
      world.events$.subscribe((event) => {
        const message = event.envelope.message as { type: string };
        if (event.kind === 'sent' && message.type === 'produce.request') {
          for (const p of (message as unknown as ProduceRequest).partitions) requests.push({ atMs: event.atMs, producerEpoch: p.batch.producerEpoch });
        }
        if (event.kind === 'delivered' && message.type === 'produce.response') {
          for (const p of (message as unknown as ProduceResponse).partitions) answers.push({ atMs: event.atMs, errorCode: p.errorCode ?? 'NONE' });
        }
      });
    };
    const result = runScenario(scenario, { onWorld });

    // The story happened: broker 3 led, sends expired, a batch was refused as out of order, and the producer moved
    // to a new epoch, which it did not do before the cut.
    expect(leaders[0]).toBe(3);
    const sendOps = result.history.filter((op): op is OperationOf<'send'> => op.f === 'send');
    const sends = sendOps.filter((op) => op.type !== 'invoke');
    expect(sends.filter((op) => op.type === 'info').length).toBeGreaterThan(100);
    expect(answers.some((a) => a.errorCode === 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
    expect(requests.filter((r) => r.atMs < 8_000).every((r) => r.producerEpoch === 0)).toBe(true);
    const lastEpoch = requests.at(-1)?.producerEpoch ?? 0;
    expect(lastEpoch).toBeGreaterThan(0);

    // After the heal the producer writes again: every send invoked from 26 s on is acknowledged, under the last epoch.
    const lateValues = new Set(sendOps.filter((op) => op.type === 'invoke' && op.timeMs >= 26_000).map((op) => op.value.value));
    const lateOutcomes = sends.filter((op) => lateValues.has(op.value.value));
    expect(lateValues.size).toBeGreaterThan(100);
    expect(lateOutcomes.length).toBe(lateValues.size);
    expect(lateOutcomes.every((op) => op.type === 'ok')).toBe(true);
    expect(requests.filter((r) => r.atMs >= 26_000).every((r) => r.producerEpoch === lastEpoch)).toBe(true);

    // And nothing acknowledged was lost, nor any record written twice.
    expect(result.checkers.anomalies).toEqual({});
    expect(result.finalReadComplete).toBe(true);
    expect(result.valid).toBe(true);
    const okOffsets = sends.filter((op) => op.type === 'ok').map((op) => (op.value as LogRecord).offset);
    expect(new Set(okOffsets).size).toBe(okOffsets.length);
  });
});
