import type { AssignmentInput } from './AssignmentInput.ts';

/**
 * The partition count of every topic that some member subscribes to and that the metadata knows with at least one
 * partition. Kafka's `AbstractPartitionAssignor#assign` builds the same map and skips the other topics ("no
 * metadata available"), so a member subscribed only to unknown topics gets nothing rather than an error.
 */
export function subscribedPartitionCounts(input: AssignmentInput): Map<string, number> {
  const counts = new Map<string, number>();
  for (const member of input.members) {
    for (const topic of member.topics) {
      // Object.hasOwn, not `in` or a plain lookup: a topic named "constructor" must not find Object.prototype's.
      if (counts.has(topic) || !Object.hasOwn(input.partitionsPerTopic, topic)) continue;
      const count = input.partitionsPerTopic[topic];
      if (count !== undefined && count > 0) counts.set(topic, count);
    }
  }
  return counts;
}
