import { describe, expect, it } from 'vitest';
import type { World } from '../../src/kernel/World.ts';
import { runScenario } from '../../src/scenario/runScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';

// AlterPartitionManager never gives an ISR change up: it resends it until the controller answers, and the leader
// keeps computing its HW over the maximal ISR (the ISR plus the pending addition) until then. The story, on one
// partition led by broker 3 with followers 1 and 2 (RF 3, min ISR 2, acks=all):
// - broker 1 is cut off from the leader and drops out of the ISR ([3, 2]);
// - it is healed and catches up while the controller is paused, so the leader's proposal to add it back waits at
//   the controller for more than five seconds;
// - meanwhile broker 1 is cut off from the leader again and falls far behind;
// - the controller resumes and commits the old proposal: broker 1 is in the ISR, though far behind;
// - brokers 3 and 2 crash, and broker 1 is elected from the ISR, cleanly.
// A leader that gave its proposal up after 5 s (this simulator did) moved its HW over [3, 2] and acknowledged writes
// broker 1 never had: the no-loss property then reported 90 lost acks=all writes, which Kafka never loses. Kafka's
// leader does not acknowledge them (the HW waits for broker 1), so nothing acknowledged is lost.
const scenario: Scenario = {
  seed: 1,
  brokers: 3,
  topics: [{ name: 'orders', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
  producers: [{ id: 'producer-1', settings: { acks: 'all', deliveryTimeoutMs: 60_000 }, workload: { topic: 'orders', records: 600, ratePerSec: 20, keys: { kind: 'null' } } }],
  readers: [{ id: 'reader-1', topics: ['orders'] }],
  broker: { replicaLagTimeMaxMs: 5_000, replicaSocketTimeoutMs: 1_000, replicaFetchBackoffMs: 500 },
  faults: [
    { atMs: 6_000, kind: 'partition', groups: [['broker-3'], ['broker-1']] },
    { atMs: 14_500, kind: 'heal' },
    { atMs: 15_000, kind: 'pause', node: 'controller' },
    { atMs: 17_000, kind: 'partition', groups: [['broker-3'], ['broker-1']] },
    { atMs: 21_500, kind: 'resume', node: 'controller' },
    { atMs: 22_000, kind: 'crash', node: 'broker-3' },
    { atMs: 22_100, kind: 'crash', node: 'broker-2' },
    { atMs: 23_000, kind: 'heal' },
  ],
  durations: { startupMs: 5_000, safetyMs: 45_000, quietMs: 10_000, finalReadMs: 30_000 },
};

describe('a pending ISR change outlives a paused controller', () => {
  it('the leader keeps the proposal and its maximal-ISR HW; the stale proposal commits; a far-behind replica is elected; nothing acknowledged is lost', () => {
    const leaders: Array<{ atMs: number; broker: number }> = [];
    const alters: Array<{ atMs: number; kind: 'sent' | 'answered'; isr: number[] }> = [];
    const onWorld = (world: World) => {
      world.notes$.subscribe((note) => {
        const data = note.data as { invariant?: string; broker?: number };
        if (data.invariant === 'leader') leaders.push({ atMs: note.atMs, broker: data.broker as number });
      });
      world.events$.subscribe((event) => {
        const message = event.envelope.message as { type: string; newIsr?: Array<{ brokerId: number }>; state?: { isr: number[] } };
        if (event.kind !== 'delivered') return;
        if (message.type === 'partition.alter') alters.push({ atMs: event.atMs, kind: 'sent', isr: (message.newIsr ?? []).map((m) => m.brokerId) });
        if (message.type === 'partition.alter.response' && message.state !== undefined) alters.push({ atMs: event.atMs, kind: 'answered', isr: message.state.isr });
      });
    };
    const result = runScenario(scenario, { onWorld });

    // The story happened: broker 3 led, broker 1 left the ISR, the proposal to add it back was answered only after
    // the controller resumed, and broker 1 became leader after the crashes.
    expect(leaders[0]).toEqual({ atMs: expect.any(Number), broker: 3 });
    expect(alters.find((a) => a.kind === 'answered' && a.isr.length === 2)?.isr).toEqual([3, 2]);
    const readmitted = alters.find((a) => a.kind === 'answered' && a.isr.includes(1) && a.atMs > 20_000);
    expect(readmitted?.atMs).toBeGreaterThanOrEqual(21_500);
    expect(leaders.some((l) => l.broker === 1 && l.atMs > 22_100)).toBe(true);

    // And no acknowledged write was lost.
    expect(result.checkers.anomalies).toEqual({});
    expect(result.finalReadComplete).toBe(true);
    expect(result.valid).toBe(true);
  });
});
