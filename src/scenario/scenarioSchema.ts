// The scenario's structure and types as a zod schema: every field, its type and its own range. Rules that
// relate fields to each other (a replication factor within the broker count, a topic that is declared) are
// in clusterRules.ts and faultRules.ts, which read what this schema found sound.
import { z } from 'zod';
import type { BrokerConfig } from '../../actors/broker/brokerConfig.ts';
import type { ControllerConfig } from '../../actors/controller/controllerDefaults.ts';
import { consumerClientDefaults } from '../../actors/consumer/ConsumerState.ts';
import { consumerDefaults } from '../../actors/consumer/consumerDefaults.ts';
import { producerDefaults } from '../../actors/producer/producerDefaults.ts';
import type { ReaderSettings } from '../../actors/reader/readerDefaults.ts';
import { quietEndsValues, type AppSpec, type ConsumerSpec, type Durations, type KeySpec, type ReaderSpec, type TopicSpec, type WorkloadSpec } from './Scenario.ts';
import { boolean, boundedArray, integer, oneOf, positiveNumber, strictObject } from './schemaParts.ts';
import { kafkaVersions, metadataModes } from './kafkaProfile.ts';
import { weakeningNames } from './weakenings.ts';

/** The largest cluster a scenario may ask for. */
export const MAX_BROKERS = 50;

// Upper bounds on every size, each with its reason: a run keeps every broker, partition, client and record in
// memory and simulates every message, so a size past these is a mistake or a run that would not end.
/** Partitions per topic (RuleContext resolves fault roles over at most as many). */
export const MAX_PARTITIONS = 10_000;
const PARTITIONS_WHY = 'the simulator holds every replica of every partition in memory';
const MAX_RECORDS = 10_000_000;
const RECORDS_WHY = 'the history keeps every record';
const MAX_RATE = 1_000_000;
const MAX_DURATION_MS = 3_600_000;
const DURATION_WHY = 'one virtual hour; every message of it is simulated';
const MAX_CLIENTS = 1_000;
const CLIENTS_WHY = 'each client is an actor with its own connections';
const MAX_FAULTS = 10_000;

// Kafka's Topic.validate: at most 249 characters of [a-zA-Z0-9._-], and not "." or "..".
const topicName = z
  .string({ error: "a Kafka topic name: 1 to 249 of a-z A-Z 0-9 . _ -, not '.' or '..'" })
  .regex(/^[a-zA-Z0-9._-]{1,249}$/)
  .refine((name) => name !== '.' && name !== '..');

const nodeId = z.string({ error: 'a non-empty string' }).min(1);

const topicSchema = strictObject({
  name: topicName,
  partitions: integer(1, MAX_PARTITIONS, PARTITIONS_WHY),
  replicationFactor: integer(1, MAX_BROKERS),
  minInsyncReplicas: integer(1, MAX_BROKERS).optional(),
});

const keySchema = z.discriminatedUnion(
  'kind',
  [
    strictObject({ kind: z.literal('keyspace'), size: integer(1) }),
    strictObject({ kind: z.literal('null') }),
    strictObject({ kind: z.literal('explicit-partition') }),
  ],
  { error: "one of { kind: 'keyspace', size }, { kind: 'null' }, { kind: 'explicit-partition' }" },
);

const workloadSchema = strictObject({
  topic: topicName,
  records: integer(0, MAX_RECORDS, RECORDS_WHY),
  ratePerSec: positiveNumber(MAX_RATE, 'records per virtual second, each simulated as messages'),
  keys: keySchema,
  startMs: integer(0, MAX_DURATION_MS, DURATION_WHY).optional(),
  firstRecord: integer(0, MAX_RECORDS, RECORDS_WHY).optional(),
}).superRefine((w, ctx) => {
  // Judged only when both counts are valid: a wrong records is its own issue, not firstRecord's.
  const valid = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (w.firstRecord === undefined || !valid(w.firstRecord) || !valid(w.records) || w.firstRecord <= w.records) return;
  ctx.addIssue({ code: 'custom', path: ['firstRecord'], input: w.firstRecord, message: `at most records (${w.records}): the records before firstRecord are left out` });
});

// Only the names here: resolveProducerConfig checks the values and how they combine (clusterRules.ts).
const producerSettingsSchema = strictObject(Object.fromEntries(Object.keys(producerDefaults).map((name) => [name, z.unknown().optional()])));

const producerSchema = strictObject({
  id: nodeId.optional(),
  settings: producerSettingsSchema.optional(),
  workload: workloadSchema,
});

// The ranges of resolveReaderConfig: a poll of at least one record, a request timeout of at least 1 ms.
const readerSettingsSchema = strictObject({
  maxPollRecords: integer(1),
  requestTimeoutMs: integer(1),
  pollTimeoutMs: integer(1),
  metadataMaxAgeMs: integer(0),
  retryBackoffMs: integer(0),
  retryBackoffMaxMs: integer(0),
  fetchMaxWaitMs: integer(0),
  fetchMinBytes: integer(0),
  fetchMaxBytes: integer(1),
  maxPartitionFetchBytes: integer(1),
} satisfies Record<keyof ReaderSettings, z.ZodType>).partial();

const readerSchema = strictObject({
  id: nodeId.optional(),
  topics: z.array(topicName, { error: 'a non-empty array of topic names' }).min(1),
  settings: readerSettingsSchema.optional(),
});

/** The broker settings a scenario may set: BrokerConfig without what other fields of the scenario decide. */
export type BrokerSettingName = Exclude<
  keyof BrokerConfig,
  'weakenings' | 'topicMinInsyncReplicas' | 'metadataMode' | 'uncleanLeaderElectionEnable' | 'autoLeaderRebalanceEnable' | 'leaderImbalanceCheckIntervalMs' | 'leaderImbalancePerBrokerPercentage'
>;

// Periods that drive a timer are at least 1 ms: a 0 ms timer that re-arms itself never lets virtual time move.
const brokerSettingsSchema = strictObject(
  {
    replicaLagTimeMaxMs: integer(1),
    minInsyncReplicas: integer(1),
    brokerHeartbeatIntervalMs: integer(1),
    registrationRetryMs: integer(1),
    replicaFetchWaitMaxMs: integer(0),
    replicaFetchBackoffMs: integer(1),
    replicaSocketTimeoutMs: integer(1),
    replicaFetchMinBytes: integer(1),
    replicaFetchMaxBytes: integer(1),
    replicaFetchResponseMaxBytes: integer(1),
    alterPartitionTimeoutMs: integer(1),
    flushIntervalMs: integer(1),
    freezeHighWatermarkBelowMinIsr: boolean(),
    groupMinSessionTimeoutMs: integer(1),
    groupMaxSessionTimeoutMs: integer(1),
    groupInitialRebalanceDelayMs: integer(0),
    newMemberJoinTimeoutMs: integer(1),
    offsetCommitTimeoutMs: integer(1),
    offsetsLoadTimeMs: integer(0),
    // ZooKeeper grants a timeout within 2 to 20 ticks of 2 s whatever is asked (ZooKeeperServer#processConnectRequest).
    zookeeperSessionTimeoutMs: integer(1),
    controlledShutdownMaxRetries: integer(1),
    controlledShutdownRetryBackoffMs: integer(1),
  } satisfies Record<BrokerSettingName, z.ZodType>,
  {
    metadataMode: "ZooKeeper mode is the Kafka profile's: kafka: { version: '3.9', metadata: 'zookeeper' }",
    uncleanLeaderElectionEnable: 'unclean leader election is the controller setting controller.uncleanLeaderElectionEnable',
    autoLeaderRebalanceEnable: 'leader balancing is the controller setting controller.autoLeaderRebalanceEnable',
    leaderImbalanceCheckIntervalMs: 'leader balancing is the controller setting controller.leaderImbalanceCheckIntervalMs',
    leaderImbalancePerBrokerPercentage: 'leader balancing is the controller setting controller.leaderImbalancePerBrokerPercentage',
    weakenings: "the broker weakenings come from the scenario's weakenings list (kafka-sim matrix lists them)",
    topicMinInsyncReplicas: "a topic's min.insync.replicas is set on the topic (topics[i].minInsyncReplicas)",
  },
).partial();

/** The controller settings a scenario may set: ControllerConfig without what other fields of the scenario decide. */
export type ControllerSettingName = Exclude<keyof ControllerConfig, 'minInsyncReplicas' | 'topicMinInsyncReplicas'>;

const controllerSettingsSchema = strictObject(
  {
    brokerHeartbeatIntervalMs: integer(1),
    brokerSessionTimeoutMs: integer(1),
    uncleanLeaderElectionEnable: boolean(),
    defaultReplicationFactor: integer(1),
    numPartitions: integer(1),
    offsetsTopicNumPartitions: integer(1),
    offsetsTopicReplicationFactor: integer(1),
    replicaPlacer: oneOf(['striped', 'rackUnaware']),
    eligibleLeaderReplicasVersion: integer(0, 1),
    autoLeaderRebalanceEnable: boolean(),
    leaderImbalanceCheckIntervalMs: integer(1),
    leaderImbalancePerBrokerPercentage: integer(0, 100),
  } satisfies Record<ControllerSettingName, z.ZodType>,
  {
    minInsyncReplicas: "min.insync.replicas is a broker setting (broker.minInsyncReplicas), which the controller reads too",
    topicMinInsyncReplicas: "a topic's min.insync.replicas is set on the topic (topics[i].minInsyncReplicas)",
  },
).partial();

// The shape only: validateLinkOverride checks the link settings themselves (faultRules.ts).
const linkSettings = z.record(z.string(), z.unknown(), { error: 'an object of link settings' });
const networkSchema = strictObject({
  connections: oneOf(['tcp', 'datagram']).optional(),
  defaults: linkSettings.optional(),
  links: z
    .array(z.looseObject({ from: nodeId, to: nodeId }), { error: 'an array of { from, to, ...link settings }' })
    .optional(),
});

const durationsSchema = strictObject({
  startupMs: integer(1, MAX_DURATION_MS, DURATION_WHY),
  safetyMs: integer(1, MAX_DURATION_MS, DURATION_WHY),
  quietMs: integer(1, MAX_DURATION_MS, DURATION_WHY),
  finalReadMs: integer(1, MAX_DURATION_MS, DURATION_WHY),
  quietEnds: oneOf(quietEndsValues),
} satisfies Record<keyof Durations, z.ZodType>).partial();

// Only the names here: resolveConsumerConfig checks the values and how they combine (clusterRules.ts).
const consumerSettingNames = [...Object.keys(consumerDefaults), ...Object.keys(consumerClientDefaults)];
const consumerSettingsSchema = strictObject(Object.fromEntries(consumerSettingNames.map((name) => [name, z.unknown().optional()])));

const consumerSchema = strictObject({
  id: nodeId.optional(),
  groupId: z.string({ error: 'a non-empty group id' }).min(1),
  topics: z.array(topicName, { error: 'a non-empty array of topic names' }).min(1),
  settings: consumerSettingsSchema.optional(),
  startMs: integer(0, MAX_DURATION_MS, DURATION_WHY).optional(),
  stopMs: integer(0, MAX_DURATION_MS, DURATION_WHY).optional(),
});

const appSchema = strictObject({
  id: nodeId.optional(),
  kind: oneOf(['kafkajs']),
  app: z.string({ error: "a built-in application ('producer', 'group-consumer') or a module path" }).min(1),
  settings: z.record(z.string(), z.unknown(), { error: "an object of the application's settings" }).optional(),
  client: z.record(z.string(), z.unknown(), { error: 'an object of kafkajs client settings' }).optional(),
  startMs: integer(0, MAX_DURATION_MS, DURATION_WHY).optional(),
});

const operationSchema = strictObject({
  atMs: integer(0),
  kind: oneOf(['createPartitions']),
  topic: topicName,
  totalCount: integer(1),
});

/** A scenario's structure and field types. */
export const scenarioSchema = strictObject({
  seed: z.union([z.number(), z.string()], { error: 'a finite number or a string' }),
  brokers: integer(1, MAX_BROKERS),
  topics: boundedArray(topicSchema, MAX_CLIENTS, 'an array of { name, partitions, replicationFactor, minInsyncReplicas? }', 'each topic has its own partitions on every broker'),
  producers: boundedArray(producerSchema, MAX_CLIENTS, 'an array of { id?, settings?, workload }', CLIENTS_WHY),
  readers: boundedArray(readerSchema, MAX_CLIENTS, 'an array of { id?, topics, settings? }', CLIENTS_WHY),
  consumers: boundedArray(consumerSchema, MAX_CLIENTS, 'an array of { id?, groupId, topics, settings?, startMs?, stopMs? }', CLIENTS_WHY).optional(),
  apps: boundedArray(appSchema, MAX_CLIENTS, "an array of { id?, kind: 'kafkajs', app, settings?, client?, startMs? }", CLIENTS_WHY).optional(),
  operations: z.array(operationSchema, { error: "an array of { atMs, kind: 'createPartitions', topic, totalCount }" }).optional(),
  broker: brokerSettingsSchema.optional(),
  controller: controllerSettingsSchema.optional(),
  network: networkSchema.optional(),
  // Each fault is checked by validateFault, which knows the node ids (faultRules.ts).
  faults: boundedArray(z.unknown(), MAX_FAULTS, 'an array of faults', 'a fault schedule that long is a generated one gone wrong').optional(),
  weakenings: z.array(oneOf(weakeningNames as [string, ...string[]]), { error: 'an array of weakening names' }).optional(),
  durations: durationsSchema.optional(),
  invariantSampleMs: integer(1, MAX_DURATION_MS, DURATION_WHY).optional(),
  kafka: strictObject({ version: oneOf(kafkaVersions), metadata: oneOf(metadataModes).optional() }).optional(),
});

// The schema's output must fit the contract in Scenario.ts: these fail to compile when the two drift apart.
type SchemaFitsContract = [
  z.infer<typeof topicSchema> extends TopicSpec ? true : never,
  z.infer<typeof keySchema> extends KeySpec ? true : never,
  z.infer<typeof workloadSchema> extends WorkloadSpec ? true : never,
  z.infer<typeof readerSchema> extends ReaderSpec ? true : never,
  z.infer<typeof consumerSchema> extends ConsumerSpec ? true : never,
  z.infer<typeof appSchema> extends AppSpec ? true : never,
];
const _schemaFitsContract: SchemaFitsContract = [true, true, true, true, true, true];
