import fc from 'fast-check';
import type { RunnableScenario } from '../../src/scenario/runResolvedScenario.ts';
import { kafkaSpecOf, type KafkaProfileName } from '../../src/scenario/kafkaProfile.ts';
import type { KeySpec } from '../../src/scenario/Scenario.ts';
import type { WeakeningName } from '../../src/scenario/weakenings.ts';
import { fitFaults, foldNumbered } from './fitFaults.ts';
import { drawnBrokerSettings, kafkaFaultScheduleArbitrary } from './kafkaFaultScheduleArbitrary.ts';
import { fewerRecords } from './fewerRecords.ts';
import { withExtraShrinks } from './withExtraShrinks.ts';

/** Options of `replicationScenarioArbitrary`. */
export interface ReplicationScenarioConstraints {
  /** Weakenings every drawn scenario runs with; default none. */
  weakenings?: readonly WeakeningName[];
  /** Whether power losses are drawn too (Kafka promises no loss only without them: it does not fsync). */
  powerLoss?: boolean;
  /** Whether clean shutdowns (controlled shutdown and restart) are drawn too; default false. */
  shutdowns?: boolean;
  /** Most fault windows per scenario; default 4. */
  maxFaultWindows?: number;
  /** The Kafka version profile every drawn scenario runs; default the scenarios' default (4.1). */
  kafkaVersion?: KafkaProfileName;
}

// The phases every drawn scenario uses: short enough for hundreds of runs a minute, long enough for a broker
// session to expire (9 s) and recover inside the safety phase, and for the cluster to settle after it.
const startupMs = 5_000;
const safetyMs = 25_000;

const MAX_BROKERS = 5;
const MAX_PARTITIONS = 3;
/** The longest a workload runs: into the faults, not past the safety phase. */
const MAX_SPREAD_MS = 20_000;
// The time between a producer's records. Records shrink from the end: the first k records of a workload are sent
// at the same times whatever k is, so a shrunk run is the run it came from with its tail cut.
const RECORD_INTERVALS_MS = [50, 100, 150, 200, 500, 1_000] as const;

/**
 * Replication scenarios as structure that shrinks: 3-5 brokers, one topic (1-3 partitions, RF 3, min ISR 2),
 * 1-2 idempotent acks=all producers with their batching and in-flight settings, their workloads (keys from a
 * keyspace, null keys, or explicit partitions), one reader, and a fault schedule (kafkaFaultScheduleArbitrary)
 * aimed mostly at roles. The seed, which draws network jitter, does not shrink (fc.noShrink): the structure does,
 * each dimension on its own: the faults are drawn for the largest cluster and fitted to the drawn one (fitFaults),
 * so fewer brokers or partitions keep the same faults; a fragile-moment pattern can lose either window; records
 * shrink from the end of each workload, and from its front too (fewerRecords).
 */
export function replicationScenarioArbitrary(constraints: ReplicationScenarioConstraints = {}): fc.Arbitrary<RunnableScenario> {
  const keys: fc.Arbitrary<KeySpec> = fc.oneof(
    fc.integer({ min: 1, max: 8 }).map((size): KeySpec => ({ kind: 'keyspace', size })),
    fc.constant<KeySpec>({ kind: 'null' }),
    fc.constant<KeySpec>({ kind: 'explicit-partition' }),
  );
  const producer = withExtraShrinks(
    fc.record({
      lingerMs: fc.constantFrom(0, 5),
      maxInFlightRequestsPerConnection: fc.integer({ min: 1, max: 5 }),
      records: fc.integer({ min: 1, max: 150 }),
      intervalMs: fc.constantFrom(...RECORD_INTERVALS_MS),
      keys,
    }) as fc.Arbitrary<{ lingerMs: number; maxInFlightRequestsPerConnection: number; records: number; intervalMs: number; keys: KeySpec; firstRecord?: number }>,
    (p) => fewerRecords(p, Math.floor(MAX_SPREAD_MS / p.intervalMs)),
  );
  const faults = kafkaFaultScheduleArbitrary({
    partitions: Array.from({ length: MAX_PARTITIONS }, (_, p) => `events-${p}`),
    brokers: MAX_BROKERS,
    horizonMs: safetyMs - startupMs,
    maxWindows: constraints.maxFaultWindows ?? 4,
    maxDurationMs: 12_000,
    powerLoss: constraints.powerLoss ?? false,
    ...(constraints.shutdowns === true ? { shutdowns: true } : {}),
  });
  return fc
    .record({
      seed: fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
      brokers: fc.integer({ min: 3, max: MAX_BROKERS }),
      partitions: fc.integer({ min: 1, max: MAX_PARTITIONS }),
      producers: fc.array(producer, { minLength: 1, maxLength: 2 }),
      // How often the page cache reaches the disk: what a power loss keeps (Kafka leaves it to the OS).
      flushIntervalMs: fc.constantFrom(1_000, 5_000, 30_000),
      faults,
    })
    .map((shape): RunnableScenario => {
      const fitted = fitFaults(shape.faults, (target) =>
        foldNumbered(/^(broker-)(\d+)()$/, shape.brokers, 1)(foldNumbered(/^(.*:events-)(\d+)()$/, shape.partitions, 0)(target)),
      );
      return {
        seed: shape.seed,
        brokers: shape.brokers,
        topics: [{ name: 'events', partitions: shape.partitions, replicationFactor: 3, minInsyncReplicas: 2 }],
        producers: shape.producers.map((p, i) => ({
          id: `producer-${i + 1}`,
          settings: {
            lingerMs: p.lingerMs,
            maxInFlightRequestsPerConnection: p.maxInFlightRequestsPerConnection,
            requestTimeoutMs: 5_000,
            deliveryTimeoutMs: 30_000,
          },
          workload: {
            topic: 'events',
            records: Math.min(p.records, Math.floor(MAX_SPREAD_MS / p.intervalMs)),
            ratePerSec: 1_000 / p.intervalMs,
            keys: p.keys,
            ...(p.firstRecord === undefined ? {} : { firstRecord: p.firstRecord }),
          },
        })),
        readers: [{ id: 'reader-1', topics: ['events'], settings: { requestTimeoutMs: 5_000 } }],
        broker: { ...drawnBrokerSettings(constraints.kafkaVersion), flushIntervalMs: shape.flushIntervalMs },
        // A window still open when the safety phase ends is closed by the liveness phase (heal, restart, resume),
        // so every fault falls inside the safety phase, as a scenario file's must (and a capsule's, to replay).
        faults: fitted.map((fault) => ({ ...fault, atMs: fault.atMs + startupMs })).filter((fault) => fault.atMs < safetyMs),
        weakenings: [...(constraints.weakenings ?? [])],
        durations: { startupMs, safetyMs, quietMs: 30_000, finalReadMs: 30_000, quietEnds: 'settled' },
        invariantSampleMs: 500,
        ...(constraints.kafkaVersion === undefined ? {} : { kafka: kafkaSpecOf(constraints.kafkaVersion) }),
      };
    });
}
