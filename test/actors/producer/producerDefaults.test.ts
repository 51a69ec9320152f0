import { describe, expect, it } from 'vitest';
import { producerConfigNames, producerDefaults } from '../../../actors/producer/producerDefaults.ts';

describe('producerDefaults', () => {
  it("are Kafka 3.9's: acks=all, idempotent, linger 0, 16 KiB batches, unbounded retries within 120 s", () => {
    expect(producerDefaults).toMatchObject({
      acks: 'all',
      enableIdempotence: true,
      lingerMs: 0,
      batchSize: 16_384,
      retries: 2_147_483_647,
      retryBackoffMs: 100,
      retryBackoffMaxMs: 1_000,
      deliveryTimeoutMs: 120_000,
      requestTimeoutMs: 30_000,
      maxInFlightRequestsPerConnection: 5,
      partitioner: 'round-robin',
    });
  });
});

describe('producerConfigNames', () => {
  it("gives every setting Kafka's name", () => {
    expect(Object.keys(producerConfigNames).sort()).toEqual(Object.keys(producerDefaults).sort());
    expect(producerConfigNames.maxInFlightRequestsPerConnection).toBe('max.in.flight.requests.per.connection');
  });
});
