import { describe, expect, it } from 'vitest';
import { replayCapsule, makeCapsule } from '../../src/scenario/capsule.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runScenario } from '../../src/scenario/runScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';
import { ScenarioError } from '../../src/scenario/ScenarioError.ts';

// The leader of t-0 is cut off from its followers and the controller for 12 s while the producer still reaches
// it: the controller fences it after broker.session.timeout.ms and elects a follower.
function leaderIsolated(acks: 'all' | 1): Scenario {
  return {
    seed: 7,
    brokers: 3,
    topics: [{ name: 't', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
    producers: [
      {
        settings: acks === 'all' ? { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 } : { acks: 1, enableIdempotence: false, requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 },
        workload: { topic: 't', records: 100, ratePerSec: 10, keys: { kind: 'null' } },
      },
    ],
    readers: [{ topics: ['t'], settings: { requestTimeoutMs: 5_000 } }],
    faults: [
      { atMs: 6_000, kind: 'partition', groups: [['leader:t-0'], ['followers:t-0', 'controller']] },
      { atMs: 18_000, kind: 'heal' },
    ],
  };
}

describe('runScenario', () => {
  it('leader isolated: acks=all writes stall, no acknowledged write is lost (RF=3, minISR=2)', () => {
    const result = runScenario(leaderIsolated('all'));
    expect(result.valid).toBe(true);
    expect(result.finalReadComplete).toBe(true);
    const acked = result.history.filter((op) => op.f === 'send' && op.type === 'ok').length;
    expect(acked).toBeGreaterThan(50);
    // The isolated leader lost its leadership to a follower, in a new epoch.
    expect(result.finalState.controller.partitions['t-0']?.leaderEpoch).toBeGreaterThan(0);
  });

  it('leader isolated: acks=1 writes acknowledged by the isolated leader are lost when it rejoins as a follower (bug R2)', () => {
    const result = runScenario(leaderIsolated(1));
    expect(result.valid).toBe(false);
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
  });

  it('gives the same traceHash for the same scenario and another for another seed', () => {
    const scenario = leaderIsolated('all');
    expect(runScenario(scenario).traceHash).toBe(runScenario(scenario).traceHash);
    expect(runScenario({ ...scenario, seed: 8 }).traceHash).not.toBe(runScenario(scenario).traceHash);
  });

  it('writes a capsule that replays to the same traceHash and verdict', () => {
    const resolved = resolveScenario(leaderIsolated(1));
    const result = runScenario(leaderIsolated(1));
    const capsule = JSON.parse(JSON.stringify(makeCapsule(resolved, result, { violations: ['final-read-loss'] })));
    const replay = replayCapsule(capsule);
    expect(replay.sameTrace).toBe(true);
    expect(replay.result.checkers.anomalies['final-read-loss']).toBe(result.checkers.anomalies['final-read-loss']);
  });

  it('refuses a bad scenario before running, naming the field, the value and what is allowed', () => {
    const bad = { ...leaderIsolated('all'), topics: [{ name: 't', partitions: 1, replicationFactor: 4 }] };
    expect(() => runScenario(bad)).toThrow(ScenarioError);
    expect(() => runScenario(bad)).toThrow(/topics\[0\]\.replicationFactor: got 4, allowed: .*3/);
  });
});
