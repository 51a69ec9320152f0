import type { Scenario } from './Scenario.ts';

/**
 * The embedded default scenario (`kafka-sim run` without a file): 3 brokers, one topic of 6 partitions with RF 3
 * and min ISR 2, two idempotent acks=all producers, two readers and a group of 3 consumers; the broker leading
 * `orders-0` crashes and comes back, a consumer crashes and comes back, and later the leader of `orders-1` is cut
 * off from its followers for a while.
 */
export const defaultScenario: Scenario = {
  seed: 1,
  brokers: 3,
  topics: [{ name: 'orders', partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 }],
  producers: [
    { settings: { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 }, workload: { topic: 'orders', records: 600, ratePerSec: 30, keys: { kind: 'keyspace', size: 100 } } },
    { settings: { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 }, workload: { topic: 'orders', records: 600, ratePerSec: 30, keys: { kind: 'null' } } },
  ],
  readers: [
    { topics: ['orders'], settings: { requestTimeoutMs: 5_000 } },
    { topics: ['orders'], settings: { requestTimeoutMs: 5_000 } },
  ],
  consumers: [1, 2, 3].map(() => ({
    groupId: 'billing',
    topics: ['orders'],
    settings: { autoOffsetReset: 'earliest', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, processingTimeMs: 20 },
  })),
  broker: { replicaLagTimeMaxMs: 10_000, replicaSocketTimeoutMs: 5_000, groupInitialRebalanceDelayMs: 1_000 },
  controller: { offsetsTopicNumPartitions: 5 },
  faults: [
    { atMs: 8_000, kind: 'crash', node: 'leader:orders-0' },
    { atMs: 12_000, kind: 'crash', node: 'consumer-2' },
    { atMs: 16_000, kind: 'restart', node: 'leader:orders-0' },
    { atMs: 24_000, kind: 'restart', node: 'consumer-2' },
    { atMs: 20_000, kind: 'partition', groups: [['leader:orders-1'], ['followers:orders-1']] },
    { atMs: 26_000, kind: 'heal' },
  ],
};
