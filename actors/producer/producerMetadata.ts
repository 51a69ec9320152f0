import type { MetadataResponse, PartitionState } from '../../src/protocol/messages.ts';
import { exponentialBackoffMs } from './retryPolicy.ts';
import type { ProducerConfig } from './producerConfig.ts';

// The producer's view of the cluster (Kafka's `ProducerMetadata` / `Metadata`): which brokers exist, which broker
// leads each partition of the topics the producer writes to, and when to ask again. Pure data in, data out.

/** The metadata cache, JSON-safe. Partitions are kept per topic, indexed by partition number. */
export interface ProducerMetadata {
  /** Live brokers from the last response; empty until the first one (bootstrap brokers are used then). */
  readonly brokers: readonly number[];
  readonly partitions: Readonly<Record<string, readonly PartitionState[]>>;
  /** Topics the producer has sent to: every MetadataRequest asks for all of them. */
  readonly topics: readonly string[];
  /** When the last response arrived; null before the first. */
  readonly lastRefreshMs: number | null;
  /** When the last request ended, answered or failed; the next waits a backoff from here (`Metadata#timeToAllowUpdate`). */
  readonly lastAttemptMs: number | null;
  /** Requests that failed (timed out) since the last response: the backoff grows with them. */
  readonly failedAttempts: number;
  /** Someone asked for fresh metadata (`Metadata#requestUpdate`): a stale-metadata error, an unknown leader. */
  readonly updateRequested: boolean;
}

/** A producer that knows nothing yet. */
export function emptyProducerMetadata(): ProducerMetadata {
  return { brokers: [], partitions: {}, topics: [], lastRefreshMs: null, lastAttemptMs: null, failedAttempts: 0, updateRequested: false };
}

/** Starts tracking a topic (`ProducerMetadata#add`); asks for an update when the topic is new. */
export function addTopic(metadata: ProducerMetadata, topic: string): ProducerMetadata {
  if (metadata.topics.includes(topic)) return metadata;
  return { ...metadata, topics: [...metadata.topics, topic].sort(), updateRequested: true };
}

/** Asks for fresh metadata at the next chance (`Metadata#requestUpdate`). */
export function requestMetadataUpdate(metadata: ProducerMetadata): ProducerMetadata {
  return metadata.updateRequested ? metadata : { ...metadata, updateRequested: true };
}

/**
 * Applies a MetadataResponse (`Metadata#update`). A partition keeps its cached state when the response carries an
 * older leader epoch: brokers' caches lag the controller, and a stale answer must not move the producer back to a
 * deposed leader (KIP-320, `Metadata#updateLatestMetadata`). Partition counts never shrink in Kafka, so a topic the
 * response omits (a topic error) keeps what the cache knew.
 */
export function updateMetadata(metadata: ProducerMetadata, response: MetadataResponse, nowMs: number): ProducerMetadata {
  const partitions: Record<string, PartitionState[]> = { ...metadata.partitions } as Record<string, PartitionState[]>;
  for (const state of response.partitions) {
    if (!metadata.topics.includes(state.topic)) continue;
    const current = partitions[state.topic] ?? [];
    const cached = current[state.partition];
    if (cached !== undefined && cached.leaderEpoch > state.leaderEpoch) continue;
    const next = [...current];
    next[state.partition] = state;
    partitions[state.topic] = next;
  }
  const known = { ...metadata, partitions };
  // A topic still unknown (not created yet, or a topic error) keeps send() waiting: ask again after the backoff.
  const missing = metadata.topics.some((topic) => partitionCount(known, topic) === undefined);
  return {
    ...known,
    brokers: [...response.brokers].sort((a, b) => a - b),
    lastRefreshMs: nowMs,
    lastAttemptMs: nowMs,
    failedAttempts: 0,
    updateRequested: missing,
  };
}

/** A request failed (timed out, or its connection closed): back off longer from now, and ask again (`Metadata#failedUpdate`). */
export function metadataRequestFailed(metadata: ProducerMetadata, nowMs: number): ProducerMetadata {
  return { ...metadata, lastAttemptMs: nowMs, failedAttempts: metadata.failedAttempts + 1, updateRequested: true };
}

/**
 * When the next MetadataRequest may leave (`Metadata#timeToNextUpdate`): when an update was asked for, or the
 * cache is older than `metadata.max.age.ms`, but not before the refresh backoff since the last attempt; null when
 * there is nothing to ask about (no topics yet).
 */
export function nextMetadataUpdateMs(
  metadata: ProducerMetadata,
  config: Pick<ProducerConfig, 'metadataMaxAgeMs' | 'retryBackoffMs' | 'retryBackoffMaxMs'>,
): number | null {
  if (metadata.topics.length === 0) return null;
  const expiresMs = metadata.updateRequested || metadata.lastRefreshMs === null ? 0 : metadata.lastRefreshMs + config.metadataMaxAgeMs;
  // No jitter: the machine asks this twice per step (to act, then to set its timer) and must get one answer.
  const allowedMs = metadata.lastAttemptMs === null ? 0 : metadata.lastAttemptMs + exponentialBackoffMs(metadata.failedAttempts, config);
  return Math.max(expiresMs, allowedMs);
}

/** How many partitions a topic has, or undefined while its metadata is unknown. */
export function partitionCount(metadata: ProducerMetadata, topic: string): number | undefined {
  const partitions = Object.hasOwn(metadata.partitions, topic) ? metadata.partitions[topic] : undefined;
  return partitions === undefined || partitions.length === 0 ? undefined : partitions.length;
}

/** The partitions of a topic that have a leader (`Cluster#availablePartitionsForTopic`). */
export function availablePartitions(metadata: ProducerMetadata, topic: string): number[] {
  const partitions = Object.hasOwn(metadata.partitions, topic) ? (metadata.partitions[topic] ?? []) : [];
  return partitions.filter((state) => state !== undefined && state !== null && state.leader >= 0).map((state) => state.partition);
}

/** The broker id leading a partition, or -1 when unknown (the accumulator's LeaderOf). */
export function leaderOf(metadata: ProducerMetadata, topic: string, partition: number): number {
  const partitions = Object.hasOwn(metadata.partitions, topic) ? metadata.partitions[topic] : undefined;
  return partitions?.[partition]?.leader ?? -1;
}
