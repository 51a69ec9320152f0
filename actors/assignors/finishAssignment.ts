import type { Assignment, AssignorMember } from './AssignmentInput.ts';
import { compareTopicPartitions, type TopicPartition } from './TopicPartition.ts';

/**
 * Turns an assignor's working lists into its answer: every member present, in input order, with an empty list
 * if it got nothing, and each list sorted by topic then partition so equal assignments compare equal.
 */
export function finishAssignment(
  members: readonly AssignorMember[],
  partitionsByMember: ReadonlyMap<string, readonly TopicPartition[]>,
): Assignment {
  // Object.fromEntries defines own properties, so even a member id of "__proto__" becomes a plain key.
  return Object.fromEntries(
    members.map((member) => {
      const partitions = partitionsByMember.get(member.memberId) ?? [];
      const sorted = partitions.map(([topic, partition]): TopicPartition => [topic, partition]);
      return [member.memberId, sorted.sort(compareTopicPartitions)];
    }),
  );
}
