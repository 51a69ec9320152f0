// The wire protocol between the simulated Kafka nodes: one message type per Kafka API request and response,
// named with dotted event types (`produce.request`, `produce.response`) so machines can match on prefixes.
// Fields keep Kafka's names (ProduceRequest, FetchRequest, BrokerHeartbeatRequest, ...). Everything is plain
// JSON data: messages are traced and hashed.
import type { KafkaErrorType } from './errors.ts';
import type { MetadataRecord, PartitionRegistration } from './metadataRecords.ts';

export type { MetadataRecord } from './metadataRecords.ts';

/** A record as a producer sends it and a consumer reads it. Values are unique per run in the workloads. */
export interface WireRecord {
  key: string | null;
  value: string;
  /** The record's timestamp (CreateTime, ms) as a real client sent it; absent for the simulator's own producers. */
  timestampMs?: number;
  /** Headers as a real client sent them (values as key and value are: text, or base64 with `encoding`). */
  headers?: Array<{ key: string; value: string | null }>;
  /** 'base64' when the key, value and header values are base64 of bytes that are not UTF-8 text; absent: text. */
  encoding?: 'base64';
}

/**
 * A record batch (Kafka's RecordBatch v2 header fields that matter here). `baseOffset` and `leaderEpoch` are
 * set by the leader on append; a producer sends -1. Idempotent producers set `producerId`, `producerEpoch`
 * and `baseSequence`; others send -1. `sizeInBytes` is the batch's size as src/protocol/recordSize.ts counts it
 * (Kafka's `batchLength` plus the log overhead): what the producer's and the fetches' byte limits add up.
 */
export interface RecordBatch {
  baseOffset: number;
  leaderEpoch: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  sizeInBytes: number;
  records: WireRecord[];
}

/** A partition's state as the controller decides it and metadata spreads it. */
export interface PartitionState {
  topic: string;
  partition: number;
  replicas: number[];
  isr: number[];
  /** -1 when the partition has no leader. */
  leader: number;
  leaderEpoch: number;
  partitionEpoch: number;
}

/** Kafka's error field: absent (NONE) or an error name from the error table. */
export interface WithError {
  errorCode?: KafkaErrorType;
}

// ---- Controller <-> broker (KRaft: BrokerRegistration, BrokerHeartbeat, metadata log, AlterPartition) ----

/** BrokerRegistrationRequest: a booting broker asks to join; a new incarnation gets a new broker epoch. */
export interface BrokerRegisterRequest {
  type: 'broker.register';
  brokerId: number;
  incarnationId: string;
  /** The broker epoch before a clean shutdown, from the broker's clean-shutdown file (KIP-966); absent: -1. */
  previousBrokerEpoch?: number;
}

/** BrokerRegistrationResponse: the broker epoch is the registration record's offset in the metadata log. */
export interface BrokerRegisterResponse extends WithError {
  type: 'broker.register.response';
  incarnationId: string;
  brokerEpoch: number;
}

/** BrokerHeartbeatRequest: liveness plus how far the broker has replayed the metadata log. */
export interface BrokerHeartbeatRequest {
  type: 'broker.heartbeat';
  brokerId: number;
  brokerEpoch: number;
  currentMetadataOffset: number;
  wantFence: boolean;
  /** The broker is shutting down and asks the controller to move its leaderships first (absent: false). */
  wantShutDown?: boolean;
}

/** BrokerHeartbeatResponse: whether the broker is fenced, with the metadata records it has not seen yet. */
export interface BrokerHeartbeatResponse extends WithError {
  type: 'broker.heartbeat.response';
  brokerEpoch: number;
  isFenced: boolean;
  /** The controller lets a broker in controlled shutdown go now (absent: false). */
  shouldShutDown?: boolean;
  records: MetadataRecord[];
  fromOffset: number;
}

/** New metadata records, pushed to brokers as they are committed (KRaft brokers fetch them with a long poll). */
export interface MetadataRecordsPush {
  type: 'metadata.records';
  fromOffset: number;
  records: MetadataRecord[];
}

/** AlterPartitionRequest: a leader proposes a new ISR, guarded by the partition epoch it last saw. */
export interface AlterPartitionRequest {
  type: 'partition.alter';
  brokerId: number;
  brokerEpoch: number;
  topic: string;
  partition: number;
  leaderEpoch: number;
  partitionEpoch: number;
  /** The proposed ISR with the broker epoch each member last fetched with (KIP-903), leader included. */
  newIsr: Array<{ brokerId: number; brokerEpoch: number }>;
}

/** AlterPartitionResponse: the partition state now in force, or why the change was refused. */
export interface AlterPartitionResponse extends WithError {
  type: 'partition.alter.response';
  topic: string;
  partition: number;
  state?: PartitionState;
}

// ---- Clients <-> brokers ----

/** MetadataRequest: which brokers lead which partitions, answered from the broker's metadata cache. */
export interface MetadataRequest {
  type: 'metadata.request';
  correlationId: number;
  topics: string[];
}

/** MetadataResponse: live brokers and partition states (possibly stale: caches lag the controller). */
export interface MetadataResponse {
  type: 'metadata.response';
  correlationId: number;
  brokers: number[];
  partitions: PartitionState[];
  topicErrors: Record<string, KafkaErrorType>;
  /** ZooKeeper mode: the controller this broker knows (-1 when none); KRaft brokers name none here. */
  controllerId?: number;
}

/**
 * ApiVersionsRequest: the first request a client sends on every new connection (`NetworkClient`'s handshake). The
 * connection carries nothing else until the answer comes: a broker that refuses or never answers holds the
 * client's requests back instead of swallowing them.
 */
export interface ApiVersionsRequest {
  type: 'apiVersions.request';
  correlationId: number;
}

/** ApiVersionsResponse: the connection is ready (the simulator has one version of each request). */
export interface ApiVersionsResponse extends WithError {
  type: 'apiVersions.response';
  correlationId: number;
}

/** InitProducerIdRequest (non-transactional): an id and epoch for an idempotent producer. */
export interface InitProducerIdRequest {
  type: 'initProducerId.request';
  correlationId: number;
}

/** InitProducerIdResponse. */
export interface InitProducerIdResponse extends WithError {
  type: 'initProducerId.response';
  correlationId: number;
  producerId: number;
  producerEpoch: number;
}

/** One partition's batch in a ProduceRequest (`PartitionProduceData`). */
export interface ProducePartitionData {
  topic: string;
  partition: number;
  batch: RecordBatch;
}

/**
 * ProduceRequest: one per leader, with a batch for each partition the producer drained for it. acks is 0, 1 or -1
 * (all); acks=0 gets no response. Kafka groups the partitions by topic (`TopicProduceData`); here they are one
 * list, in the order the producer drained them.
 */
export interface ProduceRequest {
  type: 'produce.request';
  correlationId: number;
  acks: number;
  timeoutMs: number;
  partitions: ProducePartitionData[];
}

/** One partition's outcome in a ProduceResponse: the base offset of the appended (or duplicate) batch, or an error. */
export interface ProducePartitionResponse extends WithError {
  topic: string;
  partition: number;
  baseOffset: number;
}

/** ProduceResponse: every partition of the request, answered once all are decided (`DelayedProduce`). */
export interface ProduceResponse {
  type: 'produce.response';
  correlationId: number;
  partitions: ProducePartitionResponse[];
}

/** One partition of a FetchRequest (`FetchPartition`). */
export interface FetchPartition {
  topic: string;
  partition: number;
  fetchOffset: number;
  /** -1 when the client does not know it (then no epoch fencing, as before KIP-320). */
  currentLeaderEpoch: number;
  /** The epoch of the last batch the follower has (Fetch v12+), for divergence detection; -1 if none. */
  lastFetchedEpoch: number;
  /** `max.partition.fetch.bytes` (consumers) or `replica.fetch.max.bytes` (followers). */
  partitionMaxBytes: number;
}

/**
 * FetchRequest: one per leader, covering every partition the client or follower reads from it. The leader answers
 * once `minBytes` are available or `maxWaitMs` passes (`DelayedFetch`), with at most `maxBytes` in all (at least
 * one batch, KIP-74). Followers send their broker id and epoch (KIP-903), consumers -1.
 */
export interface FetchRequest {
  type: 'fetch.request';
  correlationId: number;
  replicaId: number;
  replicaEpoch: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: FetchPartition[];
}

/** One partition of a FetchResponse: batches from its fetch offset, the leader's HW, where a follower diverges. */
export interface FetchPartitionResponse extends WithError {
  topic: string;
  partition: number;
  highWatermark: number;
  logStartOffset: number;
  batches: RecordBatch[];
  divergingEpoch?: { epoch: number; endOffset: number };
  /**
   * Not in Kafka's FetchResponse: on a follower's OFFSET_OUT_OF_RANGE, the leader's log end offset, which Kafka's
   * follower asks for next with a ListOffsets for the latest offset as a replica (AbstractFetcherThread.
   * fetchOffsetAndTruncate). The simulator folds that round trip into the fetch answer.
   */
  logEndOffset?: number;
}

/** FetchResponse: every partition of the request, each with its own error. */
export interface FetchResponse {
  type: 'fetch.response';
  correlationId: number;
  partitions: FetchPartitionResponse[];
}

/** ListOffsetsRequest: -1 latest (the HW), -2 earliest. */
export interface ListOffsetsRequest {
  type: 'listOffsets.request';
  correlationId: number;
  topic: string;
  partition: number;
  timestamp: -1 | -2;
  currentLeaderEpoch: number;
}

/** ListOffsetsResponse. */
export interface ListOffsetsResponse extends WithError {
  type: 'listOffsets.response';
  correlationId: number;
  topic: string;
  partition: number;
  offset: number;
}

/** One partition of an OffsetsForLeaderEpochRequest (`OffsetForLeaderPartition`). */
export interface OffsetForLeaderPartition {
  topic: string;
  partition: number;
  /** The epoch whose end offset is asked for: for a consumer, the epoch of the last record it consumed. */
  leaderEpoch: number;
  /** The requester's view of the partition's leader epoch, for fencing (KIP-320); -1 when unknown. */
  currentLeaderEpoch: number;
}

/**
 * OffsetsForLeaderEpochRequest: where each epoch ends on the leader (KIP-101). Followers used it to truncate before
 * Fetch carried `lastFetchedEpoch`; consumers send it to validate their positions after a leader change (KIP-320),
 * with replica id -1.
 */
export interface OffsetsForLeaderEpochRequest {
  type: 'offsetsForLeaderEpoch.request';
  correlationId: number;
  replicaId: number;
  partitions: OffsetForLeaderPartition[];
}

/**
 * One partition of an OffsetsForLeaderEpochResponse (Kafka's `EpochEndOffset`): the largest epoch at or below the one
 * asked for that the leader knows, and the offset where it ends (the start of the next epoch, or the log end offset
 * for the leader's latest epoch); -1 and -1 when the leader knows no such epoch.
 */
export interface OffsetForLeaderPartitionResult extends WithError {
  topic: string;
  partition: number;
  leaderEpoch: number;
  endOffset: number;
}

/** OffsetsForLeaderEpochResponse: every partition of the request, each with its own error. */
export interface OffsetsForLeaderEpochResponse {
  type: 'offsetsForLeaderEpoch.response';
  correlationId: number;
  partitions: OffsetForLeaderPartitionResult[];
}

/** Every message of the Kafka protocol as simulated. */
export type KafkaMessage =
  | BrokerRegisterRequest
  | BrokerRegisterResponse
  | BrokerHeartbeatRequest
  | BrokerHeartbeatResponse
  | MetadataRecordsPush
  | AlterPartitionRequest
  | AlterPartitionResponse
  | MetadataRequest
  | MetadataResponse
  | ApiVersionsRequest
  | ApiVersionsResponse
  | InitProducerIdRequest
  | InitProducerIdResponse
  | ProduceRequest
  | ProduceResponse
  | FetchRequest
  | FetchResponse
  | ListOffsetsRequest
  | ListOffsetsResponse
  | OffsetsForLeaderEpochRequest
  | OffsetsForLeaderEpochResponse;

/** The string key of a topic-partition, as Kafka prints it: `orders-3`. */
export function topicPartitionKey(topic: string, partition: number): string {
  // One string per topic-partition, kept: the roles look partitions up by key many times per step, and a string
  // built once keeps its hash, where one built anew each time is hashed again at every lookup.
  let keys = keyCache.get(topic);
  if (keys === undefined) keyCache.set(topic, (keys = []));
  return (keys[partition] ??= `${topic}-${partition}`);
}

const keyCache = new Map<string, string[]>();

/** The topic and partition of a key `topicPartitionKey` made (the last '-' separates them: topics may hold '-'). */
export function parseTopicPartitionKey(key: string): { topic: string; partition: number } {
  const separator = key.lastIndexOf('-');
  return { topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)) };
}

/** A partition's registration as the wire's PartitionState (metadata responses, AlterPartition responses). */
export function partitionState(
  topic: string,
  partition: number,
  registration: PartitionRegistration,
): PartitionState {
  const { replicas, isr, leader, leaderEpoch, partitionEpoch } = registration;
  return { topic, partition, replicas: [...replicas], isr: [...isr], leader, leaderEpoch, partitionEpoch };
}

/** Kafka's error field: absent for NONE, so responses carry `errorCode` only when something went wrong. */
export function errorField(errorCode: KafkaErrorType): WithError {
  return errorCode === 'NONE' ? {} : { errorCode };
}
