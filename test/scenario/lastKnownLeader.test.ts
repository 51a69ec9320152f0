import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkProperty, describeCounterexample } from '../../properties/checkProperty.ts';
import { lossyUncleanRecovery, propertyViolations } from '../../properties/replicationProperties.ts';
import type { Fault } from '../../src/faults/Fault.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runScenario } from '../../src/scenario/runScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';

// Every replica of events-0 goes down one after another (shrunk from a no-loss sweep under 4.1, seed 7): each
// leaves the ISR and then the ELR (a restart after a crash is an unclean shutdown), until the ISR and the ELR are
// empty. The controller then elects the partition's last known leader (KIP-966 balanced recovery,
// PartitionChangeBuilder#canElectLastKnownLeader), which Kafka marks unclean (LeaderRecoveryState RECOVERING).
function everyReplicaDown(third: 'crash' | 'powerLoss'): Scenario {
  const faults: Fault[] = [
    { atMs: 5_333, kind: 'crash', node: 'follower:events-0' },
    { atMs: 13_365, kind: 'crash', node: 'leader:events-0' },
    // The last known leader: it only crashes (its page cache survives), or it loses power (nothing was flushed).
    { atMs: 14_524, kind: third, node: 'follower:events-0' },
    { atMs: 14_525, kind: 'restart', node: 'follower:events-0' },
    { atMs: 16_474, kind: 'restart', node: 'follower:events-0' },
    { atMs: 17_913, kind: 'restart', node: 'leader:events-0' },
  ];
  return {
    seed: 8,
    brokers: 3,
    kafka: { version: '4.1' },
    topics: [{ name: 'events', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
    producers: [{ settings: { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 }, workload: { topic: 'events', records: 40, ratePerSec: 20, keys: { kind: 'null' } } }],
    readers: [{ topics: ['events'], settings: { requestTimeoutMs: 5_000 } }],
    broker: { replicaLagTimeMaxMs: 5_000, replicaSocketTimeoutMs: 5_000, flushIntervalMs: 30_000 },
    faults,
    durations: { safetyMs: 25_000, quietMs: 30_000, finalReadMs: 30_000 },
  };
}

describe('the last known leader (KIP-966) with unclean elections off', () => {
  it('is elected once the ISR and ELR are empty; having only crashed it kept its log, loses nothing, and the run is judged', () => {
    const result = runScenario(everyReplicaDown('crash'));
    expect(result.uncleanRecoveries).toEqual([{ partition: 'events-0', leader: 2 }]);
    expect(lossyUncleanRecovery(result)).toBe(false);
    expect(result.valid).toBe(true);
    expect(result.finalReadComplete).toBe(true);
  });

  it("having lost its page cache, it leads with an empty log and the acknowledged writes are gone: Kafka's unclean recovery, which the replication properties do not judge", () => {
    const result = runScenario(everyReplicaDown('powerLoss'));
    expect(result.uncleanRecoveries).toEqual([{ partition: 'events-0', leader: 2 }]);
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    expect(lossyUncleanRecovery(result)).toBe(true);
    for (const property of ['no-loss', 'ordering', 'log-matching'] as const) expect(propertyViolations(property, result)).toEqual([]);
  });

  it('is counted by a property check as a run not judged, and said so', () => {
    const scenario = resolveScenario(everyReplicaDown('powerLoss'));
    const check = checkProperty('no-loss', [], { numRuns: 1, seed: 1, scenarios: fc.constant(scenario) });
    expect(check).toMatchObject({ ok: true, excusedRuns: 1 });
    expect(describeCounterexample(check)).toContain("1 not judged: a leader elected after it lost its page cache, a last known leader or, without ELR, an ISR member: Kafka's unclean recovery");
  });

  it('is not excused when unclean elections are on (the unclean-leader-election weakening stays caught)', () => {
    const result = runScenario({ ...everyReplicaDown('powerLoss'), controller: { uncleanLeaderElectionEnable: true } });
    expect(result.uncleanRecoveries).toEqual([]);
    expect(propertyViolations('no-loss', result).length).toBeGreaterThan(0);
  });
});
