import type { Fault } from '../faults/Fault.ts';
import { clientNodeId } from './clientNodeId.ts';
import { defaultDurations, type AdminOperation, type AppSpec, type ConsumerSpec, type Durations, type ProducerSpec, type ReaderSpec, type Scenario, type WorkloadSpec } from './Scenario.ts';
import { defaultKafkaVersion, type KafkaSpec } from './kafkaProfile.ts';
import { validateScenario } from './validateScenario.ts';
import type { WeakeningName } from './weakenings.ts';

/** How often the cluster's invariants are sampled when a scenario does not say (virtual ms). */
export const defaultInvariantSampleMs = 500;

/** A producer with its node id and its workload's start time decided. */
export interface ResolvedProducerSpec extends ProducerSpec {
  id: string;
  workload: WorkloadSpec & { startMs: number };
}

/** A group consumer with its node id and start decided. */
export interface ResolvedConsumerSpec extends ConsumerSpec {
  id: string;
  startMs: number;
}

/** A real client application with its node id and start decided. */
export interface ResolvedAppSpec extends AppSpec {
  id: string;
  startMs: number;
}

/** A reader with its node id decided. */
export interface ResolvedReaderSpec extends ReaderSpec {
  id: string;
}

/**
 * A scenario with every default the run would take filled in, as plain JSON: what a replay capsule stores, so a
 * replay does not depend on the defaults of the version that replays it. Roles' settings stay as written: the
 * roles fill Kafka's defaults themselves.
 */
export interface ResolvedScenario extends Omit<Scenario, 'producers' | 'readers' | 'consumers' | 'apps' | 'operations' | 'faults' | 'weakenings' | 'durations' | 'invariantSampleMs' | 'kafka'> {
  producers: ResolvedProducerSpec[];
  readers: ResolvedReaderSpec[];
  consumers: ResolvedConsumerSpec[];
  /** Absent when the scenario has none (so scenarios without real clients resolve as they always did). */
  apps?: ResolvedAppSpec[];
  operations: AdminOperation[];
  faults: Fault[];
  weakenings: WeakeningName[];
  durations: Durations;
  invariantSampleMs: number;
  kafka: KafkaSpec;
}

/**
 * Checks a scenario (throws ScenarioError) and fills its defaults: node ids `producer-1`, `reader-1`, ...; the
 * phases from defaultDurations; a workload starts when the startup phase ends; no faults, no weakenings; the
 * invariants sampled every 500 ms; Kafka 4.1.
 */
export function resolveScenario(scenario: Scenario): ResolvedScenario {
  // A deep copy through JSON: the result shares nothing with the input and is exactly what a capsule stores.
  const valid = JSON.parse(JSON.stringify(validateScenario(scenario))) as Scenario;
  const durations: Durations = { ...defaultDurations, ...valid.durations };
  const { apps, ...rest } = valid;
  return {
    ...rest,
    producers: valid.producers.map((producer, index) => ({
      ...producer,
      id: clientNodeId('producer', producer, index),
      workload: { ...producer.workload, startMs: producer.workload.startMs ?? durations.startupMs },
    })),
    readers: valid.readers.map((reader, index) => ({ ...reader, id: clientNodeId('reader', reader, index) })),
    consumers: (valid.consumers ?? []).map((consumer, index) => ({
      ...consumer,
      id: clientNodeId('consumer', consumer, index),
      startMs: consumer.startMs ?? durations.startupMs,
    })),
    ...(apps === undefined || apps.length === 0
      ? {}
      : { apps: apps.map((app, index) => ({ ...app, id: clientNodeId('app', app, index), startMs: app.startMs ?? durations.startupMs })) }),
    operations: valid.operations ?? [],
    faults: valid.faults ?? [],
    weakenings: valid.weakenings ?? [],
    durations,
    invariantSampleMs: valid.invariantSampleMs ?? defaultInvariantSampleMs,
    kafka: valid.kafka ?? { version: defaultKafkaVersion },
  };
}
