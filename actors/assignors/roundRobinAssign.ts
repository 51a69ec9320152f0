import type { Assignment, AssignmentInput } from './AssignmentInput.ts';
import { compareJavaStrings } from './compareJavaStrings.ts';
import { compareMemberInfo } from './compareMemberInfo.ts';
import { finishAssignment } from './finishAssignment.ts';
import { invariant } from './invariant.ts';
import { subscribedPartitionCounts } from './subscribedPartitionCounts.ts';
import type { TopicPartition } from './TopicPartition.ts';

/**
 * The `roundrobin` assignor (Kafka's `RoundRobinAssignor`): every partition of every subscribed topic, topics in
 * `String.compareTo` order and partitions in numeric order, dealt in turn to the members in `MemberInfo` order,
 * skipping members not subscribed to the partition's topic.
 */
export function roundRobinAssign(input: AssignmentInput): Assignment {
  const members = [...input.members].sort(compareMemberInfo);
  const partitionsByMember = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  const counts = subscribedPartitionCounts(input);
  // One turn pointer for all topics, as Kafka's CircularIterator: the deal carries on from topic to topic.
  let turn = 0;
  for (const topic of [...counts.keys()].sort(compareJavaStrings)) {
    const partitionCount = counts.get(topic) ?? 0;
    for (let partition = 0; partition < partitionCount; partition++) {
      // Some member subscribes to every topic in `counts`, so this skip ends within one lap.
      while (!members[turn % members.length]?.topics.includes(topic)) turn++;
      const member = members[turn % members.length];
      invariant(member !== undefined, `roundrobin found no subscriber for ${topic}`);
      partitionsByMember.get(member.memberId)?.push([topic, partition]);
      turn++;
    }
  }
  return finishAssignment(input.members, partitionsByMember);
}
