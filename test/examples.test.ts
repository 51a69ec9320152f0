import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { longestAckWaits } from '../src/cli/ackWaits.ts';
import { controllerEventsFrom, producerOutcomes } from '../src/cli/runSummary.ts';
import type { NodeNote } from '../src/kernel/NodeHost.ts';
import { resolveScenario } from '../src/scenario/resolveScenario.ts';
import { runResolvedScenario, runResolvedScenarioAsync } from '../src/scenario/runResolvedScenario.ts';
import type { Scenario } from '../src/scenario/Scenario.ts';

// The scenario files in examples/ are what a newcomer runs first (`npx kafka-sim run examples/<file>`): each must
// be valid and must still show the behaviour its name promises.
function run(file: string, change: Partial<Scenario> = {}) {
  const scenario = resolveScenario({ ...(JSON.parse(readFileSync(`examples/${file}`, 'utf8')) as Scenario), ...change });
  const result = runResolvedScenario(scenario);
  return { scenario, result, producers: producerOutcomes(scenario, result) };
}

describe('examples/', () => {
  it('holds only the examples this test knows, each a valid scenario', () => {
    expect(readdirSync('examples').sort()).toEqual([
      'acks-side-by-side.json',
      'apps',
      'idle-consumers.json',
      'kafkajs-custom-app.json',
      'kafkajs-group.json',
      'last-replica-standing.json',
      'leader-failover.json',
      'rebalance.json',
      'rolling-restart.json',
      'unclean-leader-election.json',
      'zombie-consumer.json',
      'zookeeper-failover.json',
    ]);
  });

  it('leader-failover: the crashed leader is replaced from the ISR and no acknowledged write is lost', () => {
    const { result, producers } = run('leader-failover.json');
    expect(result.valid).toBe(true);
    expect(result.finalState.controller.partitions['orders-0']?.leaderEpoch).toBeGreaterThan(0);
    expect(producers[0]).toMatchObject({ ok: 400, lost: 0 });
  });

  it('acks-side-by-side: under the same isolated leader, acks=all loses nothing, acks=1 loses acknowledged writes, acks=0 never knows', () => {
    const { producers } = run('acks-side-by-side.json');
    const byId = Object.fromEntries(producers.map((p) => [p.producer, p]));
    expect(byId['acks-all']).toMatchObject({ ok: 200, lost: 0 });
    expect(byId['acks-1']?.ok).toBe(200);
    expect(byId['acks-1']?.lost).toBeGreaterThan(0);
    expect(byId['acks-0']).toMatchObject({ ok: 0, info: 200 });
    expect(byId['acks-0']?.infoWritten).toBeLessThan(200);
  });

  it('unclean-leader-election: a replica outside the ISR is elected and acknowledged writes are lost (bug R1)', () => {
    const { result, producers } = run('unclean-leader-election.json');
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    expect(producers[0]?.lost).toBeGreaterThan(0);
  });

  it('last-replica-standing: the last ISR member loses its page cache and is elected again (bug R12, Kafka 3.9 without ELR)', () => {
    const { scenario, result } = run('last-replica-standing.json');
    expect(scenario.kafka).toEqual({ version: '3.9' });
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    expect(result.invariants.every((invariant) => invariant.valid)).toBe(true);
  });

  it('last-replica-standing under Kafka 4.1: ELR keeps the follower that left last eligible, and nothing acknowledged is lost', () => {
    const { result, producers } = run('last-replica-standing.json', { kafka: { version: '4.1' } });
    expect(result.valid).toBe(true);
    expect(producers.every((p) => p.lost === 0)).toBe(true);
    expect(producers.reduce((sum, p) => sum + p.ok, 0)).toBeGreaterThan(0);
  });

  it('rolling-restart: each broker shuts down in turn (controlled) and restarts under load; nothing acknowledged is lost, no write waits long, and leadership returns to the preferred replicas', () => {
    const { result, producers } = run('rolling-restart.json');
    expect(result.valid).toBe(true);
    expect(producers[0]).toMatchObject({ ok: 4000, lost: 0, fail: 0 });
    const waits = longestAckWaits(result.history);
    expect(waits).toHaveLength(6);
    // Leaderships move before each broker exits: the longest wait is a metadata refresh and a retry, not a session.
    expect(Math.max(...waits.map((w) => w.waitMs))).toBeLessThan(2_000);
    const partitions = result.finalState.controller.partitions;
    for (const [key, partition] of Object.entries(partitions)) {
      if (key.startsWith('orders-')) expect(partition.leader, key).toBe(partition.replicas[0]);
    }
  });

  it('rolling-restart with crashes instead of controlled shutdowns: a partition waits a broker session (9 s) for its new leader', () => {
    const scenario = JSON.parse(readFileSync('examples/rolling-restart.json', 'utf8')) as Scenario;
    const faults = (scenario.faults ?? []).map((fault) => (fault.kind === 'shutdown' ? { ...fault, kind: 'crash' as const } : fault));
    const { result } = run('rolling-restart.json', { faults });
    expect(Math.max(...longestAckWaits(result.history).map((w) => w.waitMs))).toBeGreaterThan(5_000);
  });

  it('rebalance: the group rebalances when a member joins, leaves and crashes, and every record is processed', () => {
    const { result } = run('rebalance.json');
    expect(result.valid).toBe(true);
    const generations = result.groupLog.filter((e) => e.group === 'generation');
    const sizes = generations.map((e) => (e.group === 'generation' ? Object.keys(e.assignments).length : 0));
    // 1 member, then the joiner, then all four, then three after the graceful leave, then two after the crash.
    expect(sizes.slice(0, 5)).toEqual([1, 2, 4, 3, 2]);
    expect(result.checkers.anomalies['unprocessed']).toBeUndefined();
  });

  it('idle-consumers: members beyond the partition count get nothing until an active one crashes', () => {
    const { result } = run('idle-consumers.json');
    expect(result.valid).toBe(true);
    const [first, second] = result.groupLog.filter((e) => e.group === 'generation');
    const idle = (e: typeof first) => (e?.group === 'generation' ? Object.values(e.assignments).filter((a) => a.length === 0).length : -1);
    expect(idle(first)).toBe(2);
    expect(idle(second)).toBe(1);
    expect(second?.timeMs).toBeGreaterThan(15_000);
  });

  it("zombie-consumer: a consumer paused past its session is replaced, and its commit on waking is refused", () => {
    const { result } = run('zombie-consumer.json');
    expect(result.valid).toBe(true);
    const refused = result.history.filter((op) => op.process === 'consumer-1' && op.f === 'commit' && op.type === 'fail' && op.timeMs >= 22_000);
    expect(refused.length).toBeGreaterThan(0);
    expect(result.checkers.anomalies['stale-generation-commit']).toBeUndefined();
  });

  it('kafkajs-group: a kafkajs producer and a kafkajs group of three through a crash and a partition, judged valid', async () => {
    const scenario = resolveScenario(JSON.parse(readFileSync('examples/kafkajs-group.json', 'utf8')) as Scenario);
    const result = await runResolvedScenarioAsync(scenario);
    expect(result.valid).toBe(true);
    expect(producerOutcomes(scenario, result)).toEqual([]);
    expect(result.history.filter((op) => op.f === 'send' && op.type === 'ok')).toHaveLength(100);
    expect(result.checkers.results.find((r) => r.checker === 'single-owner')?.valid).toBe(true);
  });

  it('kafkajs-custom-app: a user-written kafkajs module (examples/apps/keyed-orders.mjs) runs, and its sends are judged', async () => {
    const scenario = resolveScenario(JSON.parse(readFileSync('examples/kafkajs-custom-app.json', 'utf8')) as Scenario);
    const result = await runResolvedScenarioAsync(scenario);
    expect(result.valid).toBe(true);
    const sent = result.history.filter((op) => op.f === 'send' && op.type === 'ok');
    expect(sent).toHaveLength(60);
    // Keyed by customer: each customer's orders are in one partition.
    const partitionsOf = new Map<string | null, Set<number>>();
    for (const op of sent) {
      const { key, partition } = op.value as { key: string | null; partition: number };
      partitionsOf.set(key, new Set([...(partitionsOf.get(key) ?? []), partition]));
    }
    expect(partitionsOf.size).toBe(5);
    expect([...partitionsOf.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('zookeeper-failover: a paused controller loses its session, another is elected, and the zombie is fenced by the controller epoch', () => {
    const scenario = resolveScenario(JSON.parse(readFileSync('examples/zookeeper-failover.json', 'utf8')) as Scenario);
    const notes: NodeNote[] = [];
    const result = runResolvedScenario(scenario, { onWorld: (world) => world.notes$.subscribe((note) => notes.push(note)) });
    expect(result.valid).toBe(true);
    expect(result.lossyElections).toEqual([]);
    const events = controllerEventsFrom(notes).map((e) => [e.zookeeper, e.broker, e.controllerEpoch]);
    expect(events.filter(([kind]) => kind === 'controller')).toEqual([
      ['controller', 3, 1],
      ['controller', 2, 2],
    ]);
    // Broker 3 wakes still the controller of epoch 1: the brokers that follow epoch 2 refuse what it sends, and it
    // resigns once its ZooKeeper client hears that its session expired.
    const fenced = events.filter(([kind]) => kind === 'fenced');
    expect(fenced.length).toBeGreaterThan(0);
    expect(fenced.every(([, broker, epoch]) => broker !== 3 && epoch === 1)).toBe(true);
    expect(events.at(-1)).toEqual(['resigned', 3, 1]);
  });
});
