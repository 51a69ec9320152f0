import type { TopicPartition } from '../../src/protocol/topicPartition.ts';
import { compareJavaStrings } from './compareJavaStrings.ts';

// The order and the Map key of topic partitions; the `[topic, partition]` tuple itself is a wire type, in src/protocol.
export type { TopicPartition } from '../../src/protocol/topicPartition.ts';

/** Orders partitions by topic (Java's `String.compareTo`), then by number: the order of every assignment list. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return compareJavaStrings(a[0], b[0]) || a[1] - b[1];
}

/**
 * A string key for Maps and Sets of partitions. The number comes first and ends at the first ':', so no topic
 * name, whatever characters it holds, can make two partitions share a key.
 */
export function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}
