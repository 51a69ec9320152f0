import type { Assignment, AssignmentInput } from './AssignmentInput.ts';
import { compareMemberInfo } from './compareMemberInfo.ts';
import { finishAssignment } from './finishAssignment.ts';
import { subscribedPartitionCounts } from './subscribedPartitionCounts.ts';
import type { TopicPartition } from './TopicPartition.ts';

/**
 * The `range` assignor (Kafka's `RangeAssignor`, without rack awareness): topic by topic, the partitions in numeric
 * order are cut into contiguous ranges over the topic's subscribers in `MemberInfo` order; with `n` partitions and
 * `c` subscribers each gets `floor(n / c)` and the first `n % c` one more.
 */
export function rangeAssign(input: AssignmentInput): Assignment {
  const partitionsByMember = new Map<string, TopicPartition[]>(input.members.map((m) => [m.memberId, []]));
  for (const [topic, partitionCount] of subscribedPartitionCounts(input)) {
    const subscribers = input.members.filter((m) => m.topics.includes(topic)).sort(compareMemberInfo);
    const perMember = Math.floor(partitionCount / subscribers.length);
    const membersWithExtra = partitionCount % subscribers.length;
    let next = 0;
    subscribers.forEach((member, index) => {
      // The same early members get the extra partition of every topic, which is why range is unbalanced
      // across topics, and why topics with equal partition counts end up co-partitioned.
      const length = perMember + (index < membersWithExtra ? 1 : 0);
      const partitions = partitionsByMember.get(member.memberId);
      for (let partition = next; partition < next + length; partition++) partitions?.push([topic, partition]);
      next += length;
    });
  }
  return finishAssignment(input.members, partitionsByMember);
}
