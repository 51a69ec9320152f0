// A scenario is everything one run needs, as plain JSON data: the cluster, its topics, the clients and their
// workloads, the network, the fault schedule, the weakenings and the seed. `runScenario` takes one; the CLI
// reads one from a file; a replay capsule stores the resolved one. Roles' settings use Kafka's defaults for
// what a scenario leaves out (the roles' own defaults files), so a scenario names only what it changes.
import type { Fault } from '../faults/Fault.ts';
import type { NetworkConfig } from '../kernel/networkModel.ts';
import type { Seed } from '../kernel/Rng.ts';
import type { KafkaSpec } from './kafkaProfile.ts';
import type { WeakeningName } from './weakenings.ts';

/** A topic created at startup. */
export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** The topic's `min.insync.replicas` (default: the brokers' setting, Kafka's 1). */
  minInsyncReplicas?: number;
}

/** How a workload picks each record's key and partition. */
export type KeySpec =
  /** Keys `k0..k{size-1}` drawn uniformly: the partition comes from murmur2 of the key. */
  | { kind: 'keyspace'; size: number }
  /** Null keys: the producer's null-key partitioner places them (round-robin or sticky). */
  | { kind: 'null' }
  /** An explicit partition per record, drawn uniformly over the topic's partitions; the key is null. */
  | { kind: 'explicit-partition' };

/** What one producer sends: `records` records to `topic`, `ratePerSec` of them per virtual second. */
export interface WorkloadSpec {
  topic: string;
  records: number;
  ratePerSec: number;
  keys: KeySpec;
  /** When the first send goes, in virtual ms (default: when the cluster is up, see Durations). */
  startMs?: number;
  /**
   * Records `0 .. firstRecord - 1` are left out (default 0): their keys are still drawn, so the records sent keep the
   * value, key and send time they have in the whole workload. The shrinker uses it to drop the records before the
   * one a failure needs.
   */
  firstRecord?: number;
}

/** How many records a workload sends. */
export function sentRecords(workload: Pick<WorkloadSpec, 'records' | 'firstRecord'>): number {
  return Math.max(0, workload.records - (workload.firstRecord ?? 0));
}

/** A producer client: its Java settings by their camelCase names, and its workload. */
export interface ProducerSpec {
  /** The World node id (default `producer-1`, `producer-2`, ...). */
  id?: string;
  settings?: Record<string, unknown>;
  workload: WorkloadSpec;
}

/** A reader client (assign mode): reads every partition of its topics for the whole run. */
export interface ReaderSpec {
  id?: string;
  topics: string[];
  settings?: Record<string, unknown>;
}

/**
 * A group consumer (KafkaConsumer.subscribe): it joins `groupId` at `startMs` and consumes its share of the
 * topics' partitions, processing each record; at `stopMs` it closes (a graceful leave). Settings are the Java
 * consumer's by camelCase name (sessionTimeoutMs, partitionAssignmentStrategy, groupInstanceId, ...).
 */
export interface ConsumerSpec {
  id?: string;
  groupId: string;
  topics: string[];
  settings?: Record<string, unknown>;
  /** When it subscribes (default: when the cluster is up, durations.startupMs). */
  startMs?: number;
  /** When it closes; absent: it runs to the end. */
  stopMs?: number;
}

/**
 * A real client application on a node of its own (README, "Testing a real client"): `kind` names the client library
 * (kafkajs 2.2.4, unmodified); `app` is a built-in application (`producer`, `group-consumer`; their settings are in
 * src/realclients/builtinApps.ts) or the path of a module whose default export is a KafkajsApp, given `settings`.
 * `client` holds kafkajs client settings (retry, requestTimeout, connectionTimeout, ...).
 */
export interface AppSpec {
  id?: string;
  kind: 'kafkajs';
  app: string;
  settings?: Record<string, unknown>;
  client?: Record<string, unknown>;
  /** When the application starts (default: when the cluster is up, durations.startupMs); a restart runs it at once. */
  startMs?: number;
}

/**
 * An administrator's operation at `atMs`, sent to the controller: `createPartitions` grows a topic to `totalCount`
 * partitions (kafka-topics.sh --alter --partitions), which makes subscribed groups rebalance.
 */
export interface AdminOperation {
  atMs: number;
  kind: 'createPartitions';
  topic: string;
  totalCount: number;
}

/** The phases of a run, in virtual ms. */
export interface Durations {
  /** Time for brokers to register and topics to get leaders before the workload starts. */
  startupMs: number;
  /** The safety phase: workload and faults, measured from 0. Faults must fall inside it. */
  safetyMs: number;
  /**
   * After healing everything: the quiet period for leaders, ISRs, groups and producers' retries to settle. With
   * `quietEnds` 'settled' it is the longest the quiet period may last.
   */
  quietMs: number;
  /** The longest the readers' final read-to-end may take. */
  finalReadMs: number;
  /**
   * 'settled' (the default): the quiet period ends as soon as the cluster has settled (settled.ts: every node up and
   * caught up, every partition led with a full ISR and every replica at the leader's log end, every send resolved,
   * every group Stable with its running consumers as members), or after quietMs if it never does; 'elapsed': it
   * lasts quietMs. A resolved scenario recorded before the rule (a replay capsule) has none: 'elapsed'.
   */
  quietEnds?: QuietEnds;
}

/** How the quiet period ends: when the cluster has settled (quietMs is then a cap), or after quietMs. */
export const quietEndsValues = ['settled', 'elapsed'] as const;
export type QuietEnds = (typeof quietEndsValues)[number];

/** The phases' numeric lengths. */
export type DurationLengths = Omit<Durations, 'quietEnds'>;

/** A whole run. */
export interface Scenario {
  seed: Seed;
  brokers: number;
  topics: TopicSpec[];
  producers: ProducerSpec[];
  readers: ReaderSpec[];
  /** Group consumers (none by default). */
  consumers?: ConsumerSpec[];
  /** Real client applications (none by default). */
  apps?: AppSpec[];
  /** Administrative operations during the safety phase (none by default). */
  operations?: AdminOperation[];
  /** Broker settings by their camelCase names (replicaLagTimeMaxMs, minInsyncReplicas, flushIntervalMs, ...). */
  broker?: Record<string, unknown>;
  /** Controller settings (brokerSessionTimeoutMs, uncleanLeaderElectionEnable, ...). */
  controller?: Record<string, unknown>;
  network?: NetworkConfig;
  faults?: Fault[];
  weakenings?: WeakeningName[];
  durations?: Partial<Durations>;
  /** How often the cluster's invariants are sampled during the run (virtual ms). */
  invariantSampleMs?: number;
  /** The Kafka version whose defaults and features the run has (default 4.1; see kafkaProfile.ts). */
  kafka?: KafkaSpec;
}

/** The defaults of a run's phases. */
export const defaultDurations: Required<Durations> = {
  startupMs: 5_000,
  safetyMs: 30_000,
  // broker.session.timeout.ms (9 s) to fence what is still gone, then replica.socket.timeout.ms-bound
  // follower retries and ISR expansion, then producers' retries.
  quietMs: 40_000,
  finalReadMs: 60_000,
  quietEnds: 'settled',
};
