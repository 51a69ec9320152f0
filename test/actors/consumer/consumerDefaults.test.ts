import { describe, expect, it } from 'vitest';
import { consumerDefaults, resolveConsumerConfig } from '../../../actors/consumer/consumerDefaults.ts';

describe('resolveConsumerConfig', () => {
  it("fills in the Java consumer's defaults and uses max.poll.interval.ms as the rebalance timeout", () => {
    const config = resolveConsumerConfig();
    expect(config).toMatchObject({
      sessionTimeoutMs: 45_000,
      heartbeatIntervalMs: 3_000,
      maxPollIntervalMs: 300_000,
      rebalanceTimeoutMs: 300_000,
      enableAutoCommit: true,
      autoCommitIntervalMs: 5_000,
      autoOffsetReset: 'latest',
      maxPollRecords: 500,
      partitionAssignmentStrategy: ['range', 'cooperative-sticky'],
      groupInstanceId: undefined,
    });
    expect(resolveConsumerConfig({ maxPollIntervalMs: 20_000 }).rebalanceTimeoutMs).toBe(20_000);
  });

  it('refuses a heartbeat interval that is not below the session timeout', () => {
    expect(() => resolveConsumerConfig({ heartbeatIntervalMs: 45_000 })).toThrow(/heartbeat.interval.ms/);
  });

  it('refuses an unknown assignor and an empty assignor list', () => {
    expect(() => resolveConsumerConfig({ partitionAssignmentStrategy: [] })).toThrow(/partition.assignment.strategy/);
    expect(() => resolveConsumerConfig({ partitionAssignmentStrategy: ['mystery' as 'range'] })).toThrow(/partition.assignment.strategy/);
  });

  it('does not share the defaults object with the configs it returns', () => {
    resolveConsumerConfig();
    expect(consumerDefaults.partitionAssignmentStrategy).toEqual(['range', 'cooperative-sticky']);
  });
});
