import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runScenario.ts';
import { runResolvedScenario, type RunnableScenario } from '../../src/scenario/runResolvedScenario.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';

// The quiet period after the heal ends once the cluster has settled (settled.ts), with quietMs as its cap. A broker
// that crashes near the end of the safety phase comes back at the heal: the period has to last until it has
// registered, caught up and rejoined every ISR, and no longer than that.
function crashAtTheEnd(durations: Scenario['durations'] = {}): Scenario {
  return {
    seed: 3,
    brokers: 3,
    topics: [{ name: 'orders', partitions: 3, replicationFactor: 3, minInsyncReplicas: 2 }],
    producers: [{ workload: { topic: 'orders', records: 300, ratePerSec: 20, keys: { kind: 'keyspace', size: 30 } } }],
    readers: [{ topics: ['orders'] }],
    consumers: [
      { groupId: 'billing', topics: ['orders'], startMs: 6_000, settings: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 } },
      { groupId: 'billing', topics: ['orders'], startMs: 6_000, settings: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 } },
    ],
    faults: [
      { atMs: 22_000, kind: 'crash', node: 'broker-2' },
      { atMs: 26_000, kind: 'crash', node: 'consumer-1' },
    ],
    durations: { safetyMs: 28_000, ...durations },
  };
}

describe('the quiet period', () => {
  it('ends once every broker is back in every ISR, every send answered and the group stable and drained', () => {
    const result = runScenario(crashAtTheEnd());
    expect(result.quiet.ends).toBe('settled');
    expect(result.quiet.waitingFor).toBeNull();
    const lasted = result.quiet.endMs - result.quiet.startMs;
    // broker-2 and consumer-1 restart at the heal (28 s): registering, catching up and rejoining take time...
    expect(lasted).toBeGreaterThan(0);
    // ...but far less than the 40 s cap.
    expect(lasted).toBeLessThan(20_000);
    expect(result.valid).toBe(true);
    for (const [key, partition] of Object.entries(result.finalState.controller.partitions)) {
      expect(partition.isr, key).toHaveLength(partition.replicas.length);
    }
  });

  it('lasts quietMs with quietEnds elapsed (how replay capsules recorded before the rule run)', () => {
    const result = runScenario(crashAtTheEnd({ quietEnds: 'elapsed', quietMs: 15_000 }));
    expect(result.quiet).toMatchObject({ ends: 'elapsed', waitingFor: null });
    expect(result.quiet.endMs - result.quiet.startMs).toBe(15_000);
    // A resolved scenario without quietEnds (an older capsule's) runs the same way.
    const { quietEnds: _rule, ...durations } = resolveScenario(crashAtTheEnd({ quietEnds: 'elapsed', quietMs: 15_000 })).durations;
    const older = runResolvedScenario({ ...resolveScenario(crashAtTheEnd()), durations });
    expect(older.traceHash).toBe(result.traceHash);
  });

  it('says what the cluster still waited for when the cap comes first, and the run goes on to its final read', () => {
    const result = runScenario(crashAtTheEnd({ quietMs: 100 }));
    expect(result.quiet.ends).toBe('settled');
    expect(result.quiet.endMs - result.quiet.startMs).toBeGreaterThanOrEqual(100);
    expect(result.quiet.waitingFor).toMatch(/broker-2|consumer-1|billing/);
    expect(result.finalReadComplete).toBe(true);
  });

  it('never settles while a consumer cannot keep its membership: the cap ends it and the liveness checks fail', () => {
    // Every record takes longer to process than max.poll.interval.ms: the member is evicted at every poll, so the
    // group never holds it stable with its partitions drained.
    const scenario: Scenario = {
      ...crashAtTheEnd({ quietMs: 20_000, finalReadMs: 20_000 }),
      faults: [],
      consumers: [{ groupId: 'billing', topics: ['orders'], startMs: 6_000, settings: { autoOffsetReset: 'earliest', processingTimeMs: 12_000, maxPollIntervalMs: 10_000, maxPollRecords: 1 } }],
    };
    const result = runScenario(scenario);
    expect(result.quiet.waitingFor).not.toBeNull();
    expect(result.quiet.endMs - result.quiet.startMs).toBeGreaterThanOrEqual(20_000);
    expect(result.valid).toBe(false);
    const failed = result.checkers.results.filter((r) => r.valid === false).map((r) => r.checker);
    expect(failed.some((name) => name === 'group-drained' || name === 'group-convergence')).toBe(true);
  });
});

describe('a group under auto.offset.reset=latest (the consumer default)', () => {
  it('does not have to process what was written before it first joined: at-least-once holds from where it started', () => {
    // The records written before the group's first assignment are skipped, as Kafka skips them; the consumer's
    // reset notes say where each partition started, and at-least-once expects everything from there on.
    const result = runScenario({ ...crashAtTheEnd(), faults: [] });
    const resets = result.groupLog.filter((entry) => entry.group === 'reset');
    expect(resets.length).toBeGreaterThan(0);
    for (const reset of resets) expect(reset).toMatchObject({ skippedFrom: 0 });
    expect(resets.some((reset) => reset.group === 'reset' && reset.offset > 0)).toBe(true);
    expect(result.valid).toBe(true);
    expect(result.checkers.results.find((r) => r.checker === 'at-least-once')?.valid).toBe(true);
  });
});

describe('a coordinator paused over the heal', () => {
  it('expires the sessions it slept through once resumed: the run waits for the group to converge again', () => {
    // Found by group-at-least-once at seed 1 (run 10) when the quiet period ended at the first settled look: the
    // coordinator (broker-1) was cut off and then paused until the heal, so no member's heartbeat reached it for
    // more than session.timeout.ms; right after the heal its group still looked Stable, the run ended two seconds
    // later in the middle of the rebalance its expired sessions started, and group-convergence failed.
    const scenario = JSON.parse(readFileSync('test/fixtures/quiet/coordinator-paused-over-the-heal.json', 'utf8')) as RunnableScenario;
    const result = runResolvedScenario(scenario);
    expect(result.quiet.waitingFor).toBeNull();
    // The members rejoin after their sessions expire (6 s after the last heartbeat the coordinator heard).
    expect(result.quiet.endMs - result.quiet.startMs).toBeGreaterThanOrEqual(2_000);
    expect(result.valid).toBe(true);
  });
});
