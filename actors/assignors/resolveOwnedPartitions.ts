import type { AssignorMember } from './AssignmentInput.ts';
import { javaHashMapOrder } from './javaHashMapOrder.ts';
import { partitionKey, type TopicPartition } from './TopicPartition.ts';

/** `AbstractStickyAssignor.DEFAULT_GENERATION`: the generation of a member that reports none. */
export const defaultGeneration = -1;

/** The previous assignment the sticky assignors start from, after conflicting ownership claims are settled. */
export interface OwnedPartitions {
  /** Every member's surviving claims: partitions that still exist, on a topic someone subscribes to. */
  ownedBy: Map<string, TopicPartition[]>;
  /** Keys of partitions claimed by two or more members in the same, highest, generation: nobody keeps them. */
  conflicted: Set<string>;
  /**
   * For partitions claimed by members below the group's highest generation, the claimant with the highest such
   * generation (Kafka's `prevAssignment`): if the partition has to move anyway, it goes back there first.
   */
  previousOwner: Map<string, string>;
}

/**
 * Settles who owned what (`AbstractStickyAssignor#allSubscriptionsEqual` and `prepopulateCurrentAssignments`):
 * for each partition the claim with the highest generation wins; two or more claims tied at that generation
 * cancel and the partition counts as unowned.
 *
 * Kafka settles claims pairwise in HashMap order, so with three claimants where a tie is followed by a higher
 * claim it can disagree with itself depending on that order; here the rule is applied to all claims at once.
 * A member listing a partition twice counts once (Kafka would let the duplicate cancel the claim).
 */
export function resolveOwnedPartitions(
  members: readonly AssignorMember[],
  partitionCounts: ReadonlyMap<string, number>,
): OwnedPartitions {
  const claims = new Map<string, { partition: TopicPartition; generation: number; claimants: string[] }>();
  for (const member of members) {
    const generation = member.generation ?? defaultGeneration;
    const seen = new Set<string>();
    for (const [topic, partition] of member.ownedPartitions ?? []) {
      if (!partitionExists(partitionCounts, topic, partition)) continue;
      const key = partitionKey(topic, partition);
      if (seen.has(key)) continue;
      seen.add(key);
      const claim = claims.get(key);
      if (claim === undefined || generation > claim.generation) {
        claims.set(key, { partition: [topic, partition], generation, claimants: [member.memberId] });
      } else if (generation === claim.generation) {
        claim.claimants.push(member.memberId);
      }
    }
  }

  const ownedBy = new Map<string, TopicPartition[]>(members.map((m) => [m.memberId, []]));
  const conflicted = new Set<string>();
  for (const [key, { partition, claimants }] of claims) {
    const [owner] = claimants;
    if (claimants.length === 1 && owner !== undefined) ownedBy.get(owner)?.push(partition);
    else conflicted.add(key);
  }
  return { ownedBy, conflicted, previousOwner: previousOwners(members) };
}

function partitionExists(partitionCounts: ReadonlyMap<string, number>, topic: string, partition: number): boolean {
  const count = partitionCounts.get(topic);
  return count !== undefined && Number.isInteger(partition) && partition >= 0 && partition < count;
}

// Kafka's prevAssignment: claims from members below the highest generation in the group, the latest such
// generation winning and the first member in HashMap order winning a tie.
function previousOwners(members: readonly AssignorMember[]): Map<string, string> {
  const maxGeneration = Math.max(defaultGeneration, ...members.map((m) => m.generation ?? defaultGeneration));
  const byId = new Map(members.map((m) => [m.memberId, m]));
  const previous = new Map<string, { memberId: string; generation: number }>();
  for (const memberId of javaHashMapOrder(members.map((m) => m.memberId))) {
    const member = byId.get(memberId);
    const generation = member?.generation ?? defaultGeneration;
    if (member === undefined || generation >= maxGeneration) continue;
    for (const [topic, partition] of member.ownedPartitions ?? []) {
      const key = partitionKey(topic, partition);
      const current = previous.get(key);
      if (current === undefined || generation > current.generation) previous.set(key, { memberId, generation });
    }
  }
  return new Map([...previous].map(([key, { memberId }]) => [key, memberId]));
}
