import { describe, expect, it } from 'vitest';
import { propertyViolations } from '../../properties/replicationProperties.ts';
import type { Fault } from '../../src/faults/Fault.ts';
import { NextLeaderFaults } from '../../src/scenario/nextLeaderFaults.ts';
import { ScenarioError } from '../../src/scenario/ScenarioError.ts';
import { runScenario } from '../../src/scenario/runScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';
import { validateScenario } from '../../src/scenario/validateScenario.ts';
import type { WeakeningName } from '../../src/scenario/weakenings.ts';

// `next-leader:<topic>-<p>`: a fault that waits for the partition's next leader and hits it in the step in which it
// takes over (src/scenario/nextLeaderFaults.ts), the moment of a back-to-back failover (KAFKA-6361).
describe('NextLeaderFaults', () => {
  const crash = (node: string, atMs = 0): Extract<Fault, { node: string }> => ({ atMs, kind: 'crash', node });
  const leader = (partition: number, leaderEpoch: number, broker: number) => ({ invariant: 'leader' as const, topic: 'events', partition, leaderEpoch, broker });

  it('fires on the first leadership of its partition with a newer epoch than when it was armed, once', () => {
    const fired: Array<[string, number]> = [];
    const faults = new NextLeaderFaults((fault, broker) => fired.push([fault.node, broker]));
    faults.observeLeader(leader(0, 2, 1));
    faults.arm(crash('next-leader:events-0'), 'events-0');
    faults.observeLeader(leader(0, 2, 1)); // the same epoch again (an ISR change): not a new leader
    faults.observeLeader(leader(1, 5, 3)); // another partition
    expect(fired).toEqual([]);
    faults.observeLeader(leader(0, 3, 2));
    faults.observeLeader(leader(0, 4, 3));
    expect(fired).toEqual([['next-leader:events-0', 2]]);
    expect(faults.disarm()).toEqual([]);
  });

  it('fires every fault armed for the partition in arming order, and gives back the ones still waiting', () => {
    const fired: string[] = [];
    const faults = new NextLeaderFaults((fault) => fired.push(`${fault.kind}@${fault.atMs}`));
    faults.arm(crash('next-leader:events-0', 1), 'events-0');
    faults.arm({ atMs: 2, kind: 'pause', node: 'next-leader:events-0' }, 'events-0');
    faults.arm(crash('next-leader:events-1', 3), 'events-1');
    faults.observeLeader(leader(0, 0, 1));
    expect(fired).toEqual(['crash@1', 'pause@2']);
    expect(faults.disarm()).toEqual([crash('next-leader:events-1', 3)]);
    faults.observeLeader(leader(1, 9, 1));
    expect(fired).toHaveLength(2);
  });
});

function backToBackFailover(weakenings: WeakeningName[] = []): Scenario {
  return {
    seed: 4,
    brokers: 3,
    topics: [{ name: 'events', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
    producers: [{ workload: { topic: 'events', records: 200, ratePerSec: 20, keys: { kind: 'null' } }, settings: { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 } }],
    readers: [{ topics: ['events'], settings: { requestTimeoutMs: 5_000 } }],
    broker: { replicaLagTimeMaxMs: 5_000, replicaSocketTimeoutMs: 5_000 },
    faults: [
      { atMs: 8_000, kind: 'crash', node: 'leader:events-0' },
      { atMs: 8_001, kind: 'crash', node: 'next-leader:events-0' },
      { atMs: 19_000, kind: 'restart', node: 'leader:events-0' },
      { atMs: 22_000, kind: 'restart', node: 'next-leader:events-0' },
    ],
    weakenings,
    durations: { safetyMs: 25_000, quietMs: 30_000, finalReadMs: 30_000 },
  };
}

describe('a fault naming next-leader: in a run', () => {
  it('crashes the broker elected after the first crash as it takes over, and its restart reaches that broker', () => {
    const leaderships: Array<{ atMs: number; broker: number; leaderEpoch: number }> = [];
    const result = runScenario(backToBackFailover(), {
      onWorld: (world) =>
        world.notes$.subscribe(({ atMs, data }) => {
          const note = data as { invariant?: string; topic?: string; partition?: number; broker: number; leaderEpoch: number };
          if (note.invariant === 'leader' && note.topic === 'events' && note.partition === 0) leaderships.push({ atMs, broker: note.broker, leaderEpoch: note.leaderEpoch });
        }),
    });
    const [first, second, firstRestart, secondRestart] = result.appliedFaults;
    expect(first?.applied).toMatchObject({ kind: 'crash' });
    const firstNode = (first?.applied as { node: string }).node;
    // The controller fences the silent leader when its session (9 s) runs out: the second crash waits for that.
    expect(second?.fault).toMatchObject({ kind: 'crash', node: 'next-leader:events-0' });
    expect(second?.atMs).toBeGreaterThan(8_000 + 6_000);
    expect(second?.atMs).toBeLessThan(8_000 + 10_500);
    const secondNode = (second?.applied as { node: string }).node;
    expect(secondNode).not.toBe(firstNode);
    // It was crashed in the instant it became leader: the first leadership after the first crash is its own, then.
    const takeover = leaderships.find((l) => l.atMs > 8_001);
    expect(takeover).toBeDefined();
    expect(`broker-${takeover?.broker}`).toBe(secondNode);
    expect(takeover?.atMs).toBe(second?.atMs);
    expect(firstRestart?.applied).toEqual({ atMs: 19_000, kind: 'restart', node: firstNode });
    expect(secondRestart?.applied).toEqual({ atMs: 22_000, kind: 'restart', node: secondNode });
    // Faithful Kafka loses nothing to it: the surviving follower truncates by leader epoch, not to its high watermark.
    expect(result.valid).toBe(true);
    expect(propertyViolations('no-loss', result)).toEqual([]);
  });

  it('elects a follower that truncated to its high watermark without what it dropped (R3, the pre-KIP-101 rule)', () => {
    const result = runScenario(backToBackFailover(['truncate-to-high-watermark']));
    expect(propertyViolations('no-loss', result).join()).toMatch(/final-read-loss/);
  });

  it('is skipped when no broker takes the partition over before the safety phase ends', () => {
    const scenario = backToBackFailover();
    const result = runScenario({ ...scenario, faults: [{ atMs: 6_000, kind: 'crash', node: 'next-leader:events-0' }] });
    expect(result.appliedFaults).toEqual([{ atMs: 6_000, fault: { atMs: 6_000, kind: 'crash', node: 'next-leader:events-0' }, applied: undefined }]);
    expect(result.valid).toBe(true);
  });

  it('is refused in a partition or a link, with the field named', () => {
    const scenario = backToBackFailover();
    const bad = (fault: object) => () => validateScenario({ ...scenario, faults: [fault] } as unknown as Scenario);
    expect(bad({ atMs: 6_000, kind: 'partition', groups: [['next-leader:events-0'], ['controller']] })).toThrow(ScenarioError);
    expect(bad({ atMs: 6_000, kind: 'partition', groups: [['next-leader:events-0'], ['controller']] })).toThrow(/faults\[0\]\.groups/);
    expect(bad({ atMs: 6_000, kind: 'link', from: 'next-leader:events-0', to: 'controller', set: { dropProbability: 1 } })).toThrow(/faults\[0\]\.from/);
    expect(bad({ atMs: 6_000, kind: 'crash', node: 'next-leader:events-9' })).toThrow(/faults\[0\]\.node/);
  });
});
