import type { Assignment, AssignmentInput } from './AssignmentInput.ts';
import { defaultGeneration } from './resolveOwnedPartitions.ts';
import { stickyAssign } from './stickyAssign.ts';
import { partitionKey } from './TopicPartition.ts';

/**
 * The `cooperative-sticky` assignor (KIP-429, Kafka's `CooperativeStickyAssignor`): the sticky assignment, minus
 * every partition that would change owner this round. Its old owner only revokes it now, rejoins at once, and the
 * follow-up rebalance hands it out, so no partition is ever consumed by two members at the same time.
 */
export function cooperativeStickyAssign(input: AssignmentInput): Assignment {
  const target = stickyAssign(input);
  // For each partition, who lists it in ownedPartitions and in which generation.
  const claims = new Map<string, Map<string, number>>();
  for (const member of input.members) {
    const generation = member.generation ?? defaultGeneration;
    for (const [topic, partition] of member.ownedPartitions ?? []) {
      const key = partitionKey(topic, partition);
      const claimants = claims.get(key) ?? new Map<string, number>();
      claims.set(key, claimants.set(member.memberId, generation));
    }
  }
  // A member may take a partition now only if nobody else still lists it, or if it is the owner: its claim
  // outranks every other one by generation, so it is keeping the partition, not receiving it. Anything else
  // waits: the other claimant keeps consuming until it revokes. Kafka's ConstrainedAssignmentBuilder withholds
  // the same set; its general path hands a partition straight to a member with an outdated or tied claim on it,
  // which this does not.
  const mayTakeNow = (memberId: string, key: string): boolean => {
    const claimants = claims.get(key);
    const own = claimants?.get(memberId);
    return [...(claimants ?? [])].every(
      ([other, generation]) => other === memberId || (own !== undefined && generation < own),
    );
  };
  return Object.fromEntries(
    Object.entries(target).map(([memberId, partitions]) => [
      memberId,
      partitions.filter((partition) => mayTakeNow(memberId, partitionKey(...partition))),
    ]),
  );
}
