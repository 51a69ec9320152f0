import fc from 'fast-check';
import { smallSubsets, withLastResortShrinks } from './withExtraShrinks.ts';
import type { Fault } from '../../src/faults/Fault.ts';
import type { RunnableScenario } from '../../src/scenario/runResolvedScenario.ts';
import type { WeakeningName } from '../../src/scenario/weakenings.ts';
import { toSchedule, type FaultWindow, type WindowFaults } from './faultScheduleArbitrary.ts';
import { fitFaults, foldNumbered } from './fitFaults.ts';
import { kafkaFaultScheduleArbitrary } from './kafkaFaultScheduleArbitrary.ts';

/** Options of `kafkajsScenarioArbitrary`. */
export interface KafkajsScenarioConstraints {
  /** Broker-side weakenings every drawn scenario runs with; default none. */
  weakenings?: readonly WeakeningName[];
  /** The producer application's acks and idempotence (default -1 and true: what Kafka promises no loss for). */
  producer?: { acks?: -1 | 1; idempotent?: boolean };
  /** Most fault windows per scenario, cluster and clients together; default 4. */
  maxFaultWindows?: number;
  /** The consumer applications' bug: commit each offset before processing the message (default false). */
  commitBeforeProcessing?: boolean;
}

const startupMs = 5_000;
const safetyMs = 25_000;
const MAX_PARTITIONS = 3;
const MAX_CONSUMERS = 3;
const GROUP = 'g';
const producerId = 'app-producer';
const consumerIds = Array.from({ length: MAX_CONSUMERS }, (_, i) => `app-consumer-${i + 1}`);
/** The longest the producer application runs: into the faults, not past the safety phase. */
const MAX_SPREAD_MS = 18_000;

/**
 * Scenarios for unmodified kafkajs 2.2.4 clients, as structure that shrinks: 3 brokers, one topic (1-3 partitions,
 * RF 3, min ISR 2), the built-in producer application (idempotent, acks -1, unless the constraints weaken it), a
 * group of 1-3 built-in consumer applications and a reader for the final read; faults against the cluster
 * (kafkaFaultScheduleArbitrary: crashes, pauses, partitions aimed at leaders, followers and the controller) and
 * against the clients: responses lost on the way from a broker to an application (which also resets its
 * connection), an application crashing and restarting, pausing, or cut off from the cluster.
 */
export function kafkajsScenarioArbitrary(constraints: KafkajsScenarioConstraints = {}): fc.Arbitrary<RunnableScenario> {
  const maxWindows = constraints.maxFaultWindows ?? 4;
  const clusterFaults = kafkaFaultScheduleArbitrary({
    partitions: Array.from({ length: MAX_PARTITIONS }, (_, p) => `events-${p}`),
    brokers: 3,
    horizonMs: safetyMs - startupMs,
    maxWindows: Math.max(1, maxWindows - 1),
    maxDurationMs: 12_000,
    powerLoss: false,
  });
  return fc
    .record({
      seed: fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
      partitions: fc.integer({ min: 1, max: MAX_PARTITIONS }),
      records: fc.integer({ min: 1, max: 80 }),
      intervalMs: fc.constantFrom(50, 100, 200),
      keys: fc.constantFrom(0, 4, 16),
      consumers: fc.integer({ min: 1, max: MAX_CONSUMERS }),
      processingMs: fc.constantFrom(0, 20, 100),
      clusterFaults,
      clientFaults: clientFaultScheduleArbitrary(Math.min(2, maxWindows)),
    })
    .map((shape): RunnableScenario => {
      const fitted = fitFaults([...shape.clusterFaults, ...shape.clientFaults].sort((a, b) => a.atMs - b.atMs), (target) =>
        foldNumbered(/^(app-consumer-)(\d+)()$/, shape.consumers, 1)(foldNumbered(/^(.*:events-)(\d+)()$/, shape.partitions, 0)(target)),
      );
      const acks = constraints.producer?.acks ?? -1;
      const idempotent = constraints.producer?.idempotent ?? acks === -1;
      return {
        seed: shape.seed,
        brokers: 3,
        topics: [{ name: 'events', partitions: shape.partitions, replicationFactor: 3, minInsyncReplicas: 2 }],
        producers: [],
        readers: [{ id: 'reader-1', topics: ['events'], settings: { requestTimeoutMs: 5_000 } }],
        apps: [
          {
            id: producerId,
            kind: 'kafkajs',
            app: 'producer',
            settings: { topic: 'events', records: Math.min(shape.records, Math.floor(MAX_SPREAD_MS / shape.intervalMs)), intervalMs: shape.intervalMs, keys: shape.keys, acks, idempotent },
            client: { requestTimeout: 5_000 },
            startMs: startupMs,
          },
          ...Array.from({ length: shape.consumers }, (_, i) => ({
            id: consumerIds[i] as string,
            kind: 'kafkajs' as const,
            app: 'group-consumer',
            settings: {
              groupId: GROUP,
              topics: ['events'],
              sessionTimeout: 6_000,
              heartbeatInterval: 1_000,
              rebalanceTimeout: 10_000,
              processingMs: shape.processingMs,
              ...(constraints.commitBeforeProcessing === true ? { commitBeforeProcessing: true } : {}),
            },
            client: { requestTimeout: 5_000 },
            startMs: startupMs,
          })),
        ],
        // Shorter than Kafka's defaults so that ISR changes and follower recovery happen inside a short run.
        broker: { replicaLagTimeMaxMs: 5_000, replicaSocketTimeoutMs: 5_000, groupInitialRebalanceDelayMs: 500 },
        controller: { offsetsTopicNumPartitions: 3 },
        faults: fitted.map((fault) => ({ ...fault, atMs: fault.atMs + startupMs })).filter((fault) => fault.atMs < safetyMs),
        weakenings: [...(constraints.weakenings ?? [])],
        durations: { startupMs, safetyMs, quietMs: 30_000, finalReadMs: 30_000, quietEnds: 'settled' },
        invariantSampleMs: 500,
      };
    });
}

/** Faults against the applications: lost responses (and the reset they cause), crashes, pauses, isolation. */
function clientFaultScheduleArbitrary(maxWindows: number): fc.Arbitrary<Fault[]> {
  const app = fc.constantFrom(producerId, ...consumerIds);
  const broker = fc.oneof(fc.constantFrom('broker-1', 'broker-2', 'broker-3'), fc.constantFrom(...Array.from({ length: MAX_PARTITIONS }, (_, p) => `leader:events-${p}`)));
  const nemesis = fc.oneof(
    {
      arbitrary: fc.record({ from: broker, to: app, drop: fc.constantFrom(0.1, 0.3, 0.6) }).map(({ from, to, drop }): WindowFaults => ({
        open: { kind: 'link', from, to, set: { dropProbability: drop } },
        close: { kind: 'link', from, to, reset: true },
      }) as WindowFaults),
      weight: 3,
    },
    { arbitrary: app.map((node): WindowFaults => ({ open: { kind: 'crash', node }, close: { kind: 'restart', node } }) as WindowFaults), weight: 2 },
    { arbitrary: app.map((node): WindowFaults => ({ open: { kind: 'pause', node }, close: { kind: 'resume', node } }) as WindowFaults), weight: 2 },
    { arbitrary: app.map((node): WindowFaults => ({ open: { kind: 'partition', isolate: node }, close: { kind: 'heal' } }) as WindowFaults), weight: 1 },
  );
  const window = fc
    .record({ startMs: fc.integer({ min: 0, max: safetyMs - startupMs - 1 }), durationMs: fc.integer({ min: 1, max: 10_000 }), faults: nemesis })
    .map(({ startMs, durationMs, faults }): FaultWindow => ({ startMs, durationMs, ...faults }));
  return withLastResortShrinks(fc.array(window, { maxLength: maxWindows }), smallSubsets).map(toSchedule);
}
