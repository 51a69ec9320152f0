import { describe, expect, it } from 'vitest';
import { incrementSequence, lastSequence, topicPartitionKey } from '../../../actors/producer/ProducerBatch.ts';
import type { ProducerBatch } from '../../../actors/producer/ProducerBatch.ts';

const batch = (baseSequence: number | null, count: number): ProducerBatch => ({
  batchId: 0,
  topic: 't',
  partition: 0,
  records: Array.from({ length: count }, (_, i) => ({ key: null, value: String(i), id: i, sizeBytes: 22, appendedMs: 0 })),
  sizeBytes: 61 + 22 * count,
  capacityBytes: 16_384,
  createdMs: 0,
  attempts: 0,
  lastAttemptMs: 0,
  retryAtMs: null,
  closed: false,
  baseSequence,
  producerEpoch: null,
  maybeWritten: false,
  sequenceHasBeenReset: false,
});

describe('incrementSequence', () => {
  it('adds, and wraps to 0 after Integer.MAX_VALUE as DefaultRecordBatch#incrementSequence does', () => {
    expect(incrementSequence(5, 3)).toBe(8);
    expect(incrementSequence(2_147_483_647, 1)).toBe(0);
    expect(incrementSequence(2_147_483_646, 3)).toBe(1);
  });
});

describe('lastSequence', () => {
  it('is baseSequence + count - 1, or null before a sequence is assigned', () => {
    expect(lastSequence(batch(10, 3))).toBe(12);
    expect(lastSequence(batch(null, 3))).toBeNull();
  });
});

describe('topicPartitionKey', () => {
  it("is Kafka's topic-partition", () => {
    expect(topicPartitionKey('orders', 3)).toBe('orders-3');
  });
});
