import { describe, expect, it } from 'vitest';
import { runResolvedScenario } from '../../src/scenario/runResolvedScenario.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runScenarioAsync } from '../../src/scenario/runScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';
import { ScenarioError } from '../../src/scenario/ScenarioError.ts';

// A kafkajs idempotent producer and a kafkajs consumer group of three, through a leader crash and a network partition.
const groupScenario = (seed: number): Scenario => ({
  seed,
  brokers: 3,
  topics: [{ name: 'orders', partitions: 6, replicationFactor: 3 }],
  producers: [],
  readers: [{ topics: ['orders'] }],
  apps: [
    { kind: 'kafkajs', app: 'producer', settings: { topic: 'orders', records: 100 } },
    ...[1, 2, 3].map(() => ({ kind: 'kafkajs' as const, app: 'group-consumer', settings: { groupId: 'g1', topics: ['orders'] } })),
  ],
  faults: [
    { atMs: 8_000, kind: 'crash', node: 'leader:orders-0' },
    { atMs: 12_000, kind: 'restart', node: 'leader:orders-0' },
    { atMs: 14_000, kind: 'partition', groups: [['broker-2'], ['broker-1', 'broker-3', 'controller', 'app-1', 'app-2', 'app-3', 'app-4', 'reader-1']] },
    { atMs: 18_000, kind: 'heal' },
  ],
  durations: { safetyMs: 25_000 },
});

// One partition; its leader is cut off from its followers and the controller, not from the producer, for 12 s.
const isolatedLeader = (acks: -1 | 1): Scenario => ({
  seed: 1,
  brokers: 3,
  topics: [{ name: 'orders', partitions: 1, replicationFactor: 3 }],
  producers: [],
  readers: [{ topics: ['orders'] }],
  apps: [{ kind: 'kafkajs', app: 'producer', settings: { topic: 'orders', records: 80, acks, idempotent: acks === -1 } }],
  faults: [
    { atMs: 8_000, kind: 'partition', groups: [['leader:orders-0', 'app-1'], ['followers:orders-0', 'controller', 'reader-1']] },
    { atMs: 20_000, kind: 'heal' },
  ],
  durations: { safetyMs: 25_000 },
});

const sends = (history: readonly { f: string; type: string }[], type: string) => history.filter((op) => op.f === 'send' && op.type === type).length;

describe('kafkajs scenarios (apps)', () => {
  it('an idempotent producer and a group of three through a leader crash and a partition: judged valid by every checker', async () => {
    const result = await runScenarioAsync(groupScenario(1));
    expect(sends(result.history, 'ok')).toBe(100);
    const verdicts = Object.fromEntries(result.checkers.results.map((r) => [r.checker, r.valid]));
    // The history checkers and the group checkers all judged the kafkajs clients' history.
    for (const checker of ['lost-write', 'duplicate', 'final-read-loss', 'nonmonotonic-poll', 'single-owner', 'at-least-once', 'group-convergence']) {
      expect(verdicts[checker], checker).toBe(true);
    }
    expect(result.valid).toBe(true);
    const crash = result.appliedFaults.find(({ fault }) => fault.kind === 'crash');
    expect(crash?.applied).toMatchObject({ kind: 'crash' });
  });

  it('same seed, same traceHash', async () => {
    const first = await runScenarioAsync(groupScenario(3));
    const second = await runScenarioAsync(groupScenario(3));
    expect(second.traceHash).toBe(first.traceHash);
    expect((await runScenarioAsync(groupScenario(4))).traceHash).not.toBe(first.traceHash);
  });

  it('acks 1 loses acknowledged writes when the leader is cut off; acks -1 does not', async () => {
    const weak = await runScenarioAsync(isolatedLeader(1));
    expect(weak.valid).toBe(false);
    expect(weak.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    const strong = await runScenarioAsync(isolatedLeader(-1));
    expect(strong.valid).toBe(true);
    expect(sends(strong.history, 'ok')).toBeGreaterThan(0);
  });

  it('the synchronous runner refuses a scenario with apps, naming the async one', () => {
    expect(() => runResolvedScenario(resolveScenario(isolatedLeader(1)))).toThrow(/runResolvedScenarioAsync/);
  });

  it('a bad app is named before anything runs', async () => {
    const bad = (apps: unknown) => ({ ...isolatedLeader(1), apps }) as Scenario;
    await expect(runScenarioAsync(bad([{ kind: 'kafkajs', app: 'nope' }]))).rejects.toThrow(/apps\[0\]\.app.*built-in application/);
    await expect(runScenarioAsync(bad([{ kind: 'kafkajs', app: 'producer', settings: { topic: 'missing' } }]))).rejects.toThrow(/apps\[0\]\.settings\.topic.*declared topic/);
    await expect(runScenarioAsync(bad([{ kind: 'kafkajs', app: 'producer', settings: { topic: 'orders', acks: 2 } }]))).rejects.toThrow(ScenarioError);
    await expect(runScenarioAsync(bad([{ kind: 'kafkajs', app: './no/such/app.mjs' }]))).rejects.toThrow(/apps\[0\]\.app.*a module that loads/);
  });
});

describe('a kafkajs application that fails', () => {
  it('an unhandled rejection ends its process, and the supervisor starts it again 10 s later', async () => {
    const scenario: Scenario = {
      seed: 1,
      brokers: 3,
      topics: [{ name: 'orders', partitions: 1, replicationFactor: 3 }],
      producers: [],
      readers: [{ topics: ['orders'] }],
      apps: [{ kind: 'kafkajs', app: 'test/realclients/apps/rejects-once.mjs', settings: { topic: 'orders' } }],
      durations: { safetyMs: 20_000 },
    };
    const result = await runScenarioAsync(scenario);
    const acked = result.history.filter((op) => op.f === 'send' && op.type === 'ok');
    // The second boot (the supervisor's restart) sent; the first ended at its unhandled rejection.
    expect(acked.map((op) => (op.value as { value: string }).value)).toEqual(['after-restart:2']);
    expect(acked[0]?.timeMs).toBeGreaterThan(5_000 + 10_000);
    expect(result.valid).not.toBe(false);
  });
});

describe('compressed batches', () => {
  it('a kafkajs producer sending gzip batches: the broker reads them, and two runs give one traceHash', async () => {
    const scenario: Scenario = {
      seed: 3,
      brokers: 3,
      topics: [{ name: 'orders', partitions: 2, replicationFactor: 3 }],
      producers: [],
      readers: [{ topics: ['orders'] }],
      apps: [{ kind: 'kafkajs', app: 'test/realclients/apps/gzip-producer.mjs', settings: { topic: 'orders', records: 20 } }],
      durations: { safetyMs: 15_000 },
    };
    const first = await runScenarioAsync(scenario);
    expect(sends(first.history, 'ok')).toBe(20);
    expect(first.checkers.anomalies).toEqual({});
    expect((await runScenarioAsync(scenario)).traceHash).toBe(first.traceHash);
  });
});
