import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import { topicPartitionKey, type MetadataResponse, type PartitionState } from '../../src/protocol/messages.ts';
import { exponentialBackoffMs, type RetryBackoffSettings } from './exponentialBackoff.ts';
import { leastLoadedNode, type NetworkClient } from './networkClient.ts';
import { nextConnectableMs } from './reconnectBackoff.ts';

// A client's view of the cluster, Kafka's `Metadata` (with `ProducerMetadata`'s and `ConsumerMetadata`'s topic
// lists) and the refresh decision of `NetworkClient.DefaultMetadataUpdater#maybeUpdate`, shared by the producer,
// the reader and the group consumer: which brokers exist, who leads each partition of the topics the client uses,
// and when to ask again. Pure data in, data out.

/** A partition's leader as metadata last told it: broker id (-1 for none) and leader epoch. */
export interface PartitionLeader {
  readonly leader: number;
  readonly leaderEpoch: number;
}

/** Leaders by topic-partition key (`orders-3`). */
export type PartitionLeaders = Readonly<Record<string, PartitionLeader>>;

/** The metadata cache, JSON-safe. */
export interface Metadata {
  /** Brokers to ask: the bootstrap brokers until a response lists the live ones (`Metadata#bootstrap`). */
  readonly brokers: readonly number[];
  /** Partitions per topic, indexed by partition number. */
  readonly partitions: Readonly<Record<string, readonly PartitionState[]>>;
  /** The same partitions by topic-partition key, for the fetching clients' positions. */
  readonly leaders: PartitionLeaders;
  /** The topics every MetadataRequest asks for. */
  readonly topics: readonly string[];
  /** When the last response arrived (`lastSuccessfulRefreshMs`); null before the first. */
  readonly lastRefreshMs: number | null;
  /** When the last request ended, answered or failed (Kafka's `lastRefreshMs`): backoffs count from here. */
  readonly lastAttemptMs: number | null;
  /** Requests that failed since the last response (`attempts`): the backoff grows with them. */
  readonly failedAttempts: number;
  /**
   * Responses in a row that taught nothing new (`equivalentResponseCount`, KIP-580): a client that keeps asking
   * because a partition has no leader backs off longer each time, until a leader epoch moves.
   */
  readonly equivalentResponses: number;
  /** Someone asked for fresh metadata (`needFullUpdate`): a stale-metadata error, an unknown leader, a new topic. */
  readonly updateRequested: boolean;
}

/** The settings the refresh reads: `metadata.max.age.ms`, `retry.backoff.ms`, `retry.backoff.max.ms`. */
export interface MetadataSettings extends RetryBackoffSettings {
  readonly metadataMaxAgeMs: number;
}

/** A client that knows nothing yet: it will ask its bootstrap brokers about `topics` at once. */
export function emptyMetadata(bootstrapBrokers: readonly number[], topics: readonly string[] = []): Metadata {
  return {
    brokers: bootstrapBrokers,
    partitions: {},
    leaders: {},
    topics: [...topics],
    lastRefreshMs: null,
    lastAttemptMs: null,
    failedAttempts: 0,
    equivalentResponses: 0,
    updateRequested: topics.length > 0,
  };
}

/**
 * Starts tracking a topic (`ProducerMetadata#add`). A new topic is asked for at once, past any backoff
 * (`Metadata#requestUpdateForNewTopics`).
 */
export function addTopic(metadata: Metadata, topic: string): Metadata {
  if (metadata.topics.includes(topic)) return metadata;
  return { ...metadata, topics: [...metadata.topics, topic].sort(), updateRequested: true, lastAttemptMs: null, equivalentResponses: 0 };
}

/**
 * Asks for fresh metadata at the next chance (`Metadata#requestUpdate`). `resetEquivalentBackoff` is Kafka's
 * argument of the same meaning: the group coordinator's and the offset lookups' requests pass true, errors in
 * produce and fetch answers false, so a leader that stays unknown is asked about less and less often.
 */
export function requestMetadataUpdate(metadata: Metadata, resetEquivalentBackoff = false): Metadata {
  if (metadata.updateRequested && (!resetEquivalentBackoff || metadata.equivalentResponses === 0)) return metadata;
  return { ...metadata, updateRequested: true, equivalentResponses: resetEquivalentBackoff ? 0 : metadata.equivalentResponses };
}

/**
 * Applies a MetadataResponse (`Metadata#update`). A partition keeps its cached state when the response carries an
 * older leader epoch: brokers' caches lag the controller, and a stale answer must not move the client back to a
 * deposed leader (KIP-320, `Metadata#updateLatestMetadata`). Partition counts never shrink in Kafka, so a topic the
 * response omits (a topic error) keeps what the cache knew. A partition without a leader, or a topic error, asks
 * for another update (`handleMetadataResponse`: LEADER_NOT_AVAILABLE and UNKNOWN_TOPIC_OR_PARTITION are
 * `InvalidMetadataException`s), which the equivalent-response backoff spaces out while nothing changes.
 */
export function updateMetadata(metadata: Metadata, response: MetadataResponse, nowMs: number): Metadata {
  const partitions: Record<string, PartitionState[]> = { ...metadata.partitions } as Record<string, PartitionState[]>;
  const leaders: Record<string, PartitionLeader> = { ...metadata.leaders };
  let progressed = false;
  let invalid = false;
  for (const state of response.partitions) {
    if (!metadata.topics.includes(state.topic)) continue;
    if (state.leader < 0) invalid = true;
    const current = partitions[state.topic] ?? [];
    const cached = current[state.partition];
    if (cached !== undefined && cached.leaderEpoch > state.leaderEpoch) continue;
    if (cached === undefined || state.leaderEpoch > cached.leaderEpoch) progressed = true;
    const next = [...current];
    next[state.partition] = state;
    partitions[state.topic] = next;
    leaders[topicPartitionKey(state.topic, state.partition)] = { leader: state.leader, leaderEpoch: state.leaderEpoch };
  }
  for (const topic in response.topicErrors) if (metadata.topics.includes(topic)) invalid = true;
  const known: Metadata = { ...metadata, partitions, leaders };
  // A topic still unknown (not created yet, or a topic error) keeps its users waiting: ask again after the backoff.
  const missing = metadata.topics.some((topic) => partitionCount(known, topic) === undefined);
  return {
    ...known,
    brokers: response.brokers.length > 0 ? [...response.brokers].sort((a, b) => a - b) : metadata.brokers,
    lastRefreshMs: nowMs,
    lastAttemptMs: nowMs,
    failedAttempts: 0,
    equivalentResponses: progressed ? 0 : metadata.equivalentResponses + 1,
    updateRequested: missing || invalid,
  };
}

/** A request failed (timed out, or its connection closed): back off longer from now, and ask again (`Metadata#failedUpdate`). */
export function metadataRequestFailed(metadata: Metadata, nowMs: number): Metadata {
  return { ...metadata, lastAttemptMs: nowMs, failedAttempts: metadata.failedAttempts + 1, equivalentResponses: 0, updateRequested: true };
}

/**
 * When the next MetadataRequest may leave (`Metadata#timeToNextUpdate`): when an update was asked for, or the
 * cache is older than `metadata.max.age.ms`, but not before the backoff since the last attempt
 * (`Metadata#timeToAllowUpdate`: the larger of the failed attempts' and the equivalent responses' backoffs; a
 * refresh for age alone forgets the equivalent responses). Null when there is nothing to ask about (no topics yet).
 */
export function nextMetadataUpdateMs(metadata: Metadata, config: MetadataSettings, nowMs: number): number | null {
  if (metadata.topics.length === 0) return null;
  const expiredAtMs = metadata.lastRefreshMs === null ? 0 : metadata.lastRefreshMs + config.metadataMaxAgeMs;
  const expiresMs = metadata.updateRequested ? 0 : expiredAtMs;
  if (metadata.lastAttemptMs === null) return expiresMs;
  // No jitter (Kafka draws 0.2 each time): the machines ask this more than once per step and must get one answer.
  const attemptsMs = metadata.lastAttemptMs + exponentialBackoffMs(Math.max(metadata.failedAttempts - 1, 0), config);
  const equivalent = expiredAtMs <= nowMs ? 0 : metadata.equivalentResponses;
  const equivalentMs = equivalent > 0 ? metadata.lastAttemptMs + exponentialBackoffMs(equivalent - 1, config) : 0;
  return Math.max(expiresMs, attemptsMs, equivalentMs);
}

/**
 * Where and when the next MetadataRequest goes (`DefaultMetadataUpdater#maybeUpdate`): to the least loaded broker
 * once it is due, or, while it is not due or every broker backs off, the time to look again. The caller sends it
 * (one at a time: a request in flight is the caller's to know of).
 */
export function nextMetadataRequest<T>(
  metadata: Metadata,
  config: MetadataSettings,
  network: NetworkClient<T>,
  rotation: number,
  nowMs: number,
): { readonly node: number } | { readonly atMs: number } | null {
  const dueMs = nextMetadataUpdateMs(metadata, config, nowMs);
  if (dueMs === null) return null;
  if (dueMs > nowMs) return { atMs: dueMs };
  const node = leastLoadedNode(network, metadata.brokers, rotation, nowMs);
  if (node !== undefined) return { node };
  return { atMs: nextConnectableMs(network.reconnect, nowMs) as number };
}

/** How many partitions a topic has, or undefined while its metadata is unknown. */
export function partitionCount(metadata: Metadata, topic: string): number | undefined {
  const partitions = Object.hasOwn(metadata.partitions, topic) ? metadata.partitions[topic] : undefined;
  return partitions === undefined || partitions.length === 0 ? undefined : partitions.length;
}

/** The partitions of a topic that have a leader (`Cluster#availablePartitionsForTopic`). */
export function availablePartitions(metadata: Metadata, topic: string): number[] {
  const partitions = Object.hasOwn(metadata.partitions, topic) ? (metadata.partitions[topic] ?? []) : [];
  return partitions.filter((state) => state !== undefined && state !== null && state.leader >= 0).map((state) => state.partition);
}

/** The broker id leading a partition, or -1 when unknown (the accumulator's LeaderOf). */
export function leaderOf(metadata: Metadata, topic: string, partition: number): number {
  const partitions = Object.hasOwn(metadata.partitions, topic) ? metadata.partitions[topic] : undefined;
  return partitions?.[partition]?.leader ?? -1;
}

/** The partition's leader, or undefined when metadata has not named one (unknown partition, or leader -1). */
export function knownLeader(leaders: PartitionLeaders, key: string): PartitionLeader | undefined {
  const cached = Object.hasOwn(leaders, key) ? leaders[key] : undefined;
  return cached === undefined || cached.leader < 0 ? undefined : cached;
}

/** True when `from` (a World node id) is the partition's leader as the cache knows it now. */
export function isCurrentLeader(leaders: PartitionLeaders, key: string, from: string): boolean {
  const cached = knownLeader(leaders, key);
  return cached !== undefined && brokerNodeId(cached.leader) === from;
}
