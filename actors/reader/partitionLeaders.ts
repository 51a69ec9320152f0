// The reader's cache of who leads each partition, from metadata responses. Brokers answer metadata from
// caches that lag the controller, so a response may be older than what the reader already knows.
import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import { topicPartitionKey, type PartitionState } from '../../src/protocol/messages.ts';

/** A partition's leader as metadata last told it: broker id (-1 for none) and leader epoch. */
export interface PartitionLeader {
  readonly leader: number;
  readonly leaderEpoch: number;
}

/** Leaders by topic-partition key (`orders-3`). */
export type PartitionLeaders = Readonly<Record<string, PartitionLeader>>;

/**
 * The cache after a metadata response. A partition whose leader epoch is older than the cached one keeps the
 * cached leader: the response came from a broker whose metadata cache is stale (KIP-320, Java's
 * `Metadata#updateLatestMetadata`, which logs "Not replacing existing epoch ... with new epoch ...").
 */
export function updatePartitionLeaders(leaders: PartitionLeaders, partitions: readonly PartitionState[]): PartitionLeaders {
  const next: Record<string, PartitionLeader> = { ...leaders };
  for (const state of partitions) {
    const key = topicPartitionKey(state.topic, state.partition);
    const cached = next[key];
    if (cached !== undefined && state.leaderEpoch < cached.leaderEpoch) continue;
    next[key] = { leader: state.leader, leaderEpoch: state.leaderEpoch };
  }
  return next;
}

/** The partition's leader, or undefined when metadata has not named one (unknown partition, or leader -1). */
export function knownLeader(leaders: PartitionLeaders, key: string): PartitionLeader | undefined {
  const cached = leaders[key];
  return cached === undefined || cached.leader < 0 ? undefined : cached;
}

/** True when `from` (a World node id) is the partition's leader as the cache knows it now. */
export function isCurrentLeader(leaders: PartitionLeaders, key: string, from: string): boolean {
  const cached = knownLeader(leaders, key);
  return cached !== undefined && brokerNodeId(cached.leader) === from;
}
