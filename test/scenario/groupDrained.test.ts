import { describe, expect, it } from 'vitest';
import { formatRun } from '../../src/cli/runSummary.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runResolvedScenario } from '../../src/scenario/runResolvedScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';

// A group too slow for its topic (one consumer, 50 ms a record, against 200 records a second) has not processed
// everything when the run ends. Nothing it moved past is missing: that is lag, a liveness result of its own
// (`undrained`), not `unprocessed` records that read as lost.
const scenario: Scenario = {
  seed: 3,
  brokers: 3,
  topics: [{ name: 'orders', partitions: 2, replicationFactor: 3, minInsyncReplicas: 2 }],
  producers: [{ workload: { topic: 'orders', records: 2_000, ratePerSec: 200, keys: { kind: 'keyspace', size: 20 } } }],
  readers: [{ topics: ['orders'] }],
  consumers: [{ groupId: 'billing', topics: ['orders'], settings: { autoOffsetReset: 'earliest', processingTimeMs: 50 } }],
  durations: { quietMs: 5_000, finalReadMs: 5_000 },
};

describe('a group that has not drained its topic by the end of the run', () => {
  const resolved = resolveScenario(scenario);
  const result = runResolvedScenario(resolved);

  it('is a liveness result, undrained, with no record unprocessed', () => {
    expect(result.checkers.anomalies).not.toHaveProperty('unprocessed');
    expect(result.checkers.anomalies.undrained).toBeGreaterThan(1_000);
    expect(result.checkers.results.find((r) => r.checker === 'at-least-once')?.valid).toBe(true);
  });

  it('says so in the run summary: late, not lost', () => {
    const text = formatRun(resolved, result, [], 0);
    expect(text).toMatch(/FAILED {2}group-drained \(liveness\): \d+ records not processed by the end, all past what the group processed or committed \(late, not lost\): orders-\d \d+ from offset \d+/);
    expect(text).toMatch(/ok {6}at-least-once/);
  });
});
