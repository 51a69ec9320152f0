import { describe, expect, it } from 'vitest';
import { readerDefaults, resolveReaderConfig } from '../../../actors/reader/index.ts';

describe('resolveReaderConfig', () => {
  it("fills in Kafka's defaults", () => {
    const config = resolveReaderConfig({ bootstrapBrokers: [1], topics: ['t'] });
    expect(config).toMatchObject({ ...readerDefaults, bootstrapBrokers: [1], topics: ['t'], partitions: [] });
    expect(readerDefaults).toMatchObject({ maxPollRecords: 500, requestTimeoutMs: 30_000, metadataMaxAgeMs: 300_000 });
    // ConsumerConfig's fetch defaults: a fetch waits at the leader for 1 byte, at most 500 ms.
    expect(readerDefaults).toMatchObject({ fetchMinBytes: 1, fetchMaxWaitMs: 500, fetchMaxBytes: 52_428_800, maxPartitionFetchBytes: 1_048_576 });
  });

  it('keeps the settings given and drops repeated partitions', () => {
    const config = resolveReaderConfig({
      bootstrapBrokers: [1, 2],
      partitions: [{ topic: 't', partition: 1 }, { topic: 't', partition: 1 }],
      maxPollRecords: 7,
      pollTimeoutMs: 250,
      fetchMaxWaitMs: 0,
    });
    expect(config.partitions.map((p) => p.key)).toEqual(['t-1']);
    expect(config).toMatchObject({ maxPollRecords: 7, pollTimeoutMs: 250, fetchMaxWaitMs: 0, fetchMinBytes: 1 });
  });

  it('refuses input that names nothing to read, no broker, or a bad setting, naming the Kafka setting', () => {
    expect(() => resolveReaderConfig({ bootstrapBrokers: [1] })).toThrow(/topics must be non-empty/);
    expect(() => resolveReaderConfig({ bootstrapBrokers: [], topics: ['t'] })).toThrow(/bootstrapBrokers/);
    expect(() => resolveReaderConfig({ bootstrapBrokers: [1], topics: ['t'], maxPollRecords: 0 })).toThrow(/max\.poll\.records/);
    expect(() => resolveReaderConfig({ bootstrapBrokers: [1], topics: ['t'], fetchMaxBytes: 0 })).toThrow(/fetch\.max\.bytes/);
    expect(() => resolveReaderConfig({ bootstrapBrokers: [1], partitions: [{ topic: 't', partition: -1 }] })).toThrow(/partitions/);
  });
});
