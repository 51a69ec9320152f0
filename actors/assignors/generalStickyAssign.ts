import type { AssignorMember } from './AssignmentInput.ts';
import { compareJavaStrings } from './compareJavaStrings.ts';
import type { OwnedPartitions } from './resolveOwnedPartitions.ts';
import { partitionKey, type TopicPartition } from './TopicPartition.ts';

/**
 * The sticky assignment when subscriptions differ (Kafka's `GeneralAssignmentBuilder`, without racks):
 * 1. every member keeps the partitions it owned on topics it still subscribes to;
 * 2. each partition left, topics with the fewest subscribers first, goes to its least-loaded subscriber;
 * 3. while some partition could move to a subscriber with 2+ fewer partitions than its holder, it moves there.
 * Step 3 stops exactly when the assignment is balanced in Kafka's sense: sizes differ by at most one, or no
 * partition can move to a member with at least 2 fewer. Each move lowers the sum of squared sizes, so it ends.
 *
 * Kafka also reverts step 3 when it did not lower its balance score; a move from a member with 2+ more partitions
 * to one with fewer always lowers that score, so the revert can never fire and is left out. Unlike Kafka, members
 * whose topics have no other subscriber are not set aside first: none of their partitions can move anyway.
 */
export function generalStickyAssign(
  members: readonly AssignorMember[],
  partitionCounts: ReadonlyMap<string, number>,
  owned: OwnedPartitions,
): Map<string, TopicPartition[]> {
  const state = new GeneralAssignmentState(members, partitionCounts);

  let revocationRequired = false;
  for (const member of members) {
    for (const partition of owned.ownedBy.get(member.memberId) ?? []) {
      if (state.subscribes(member.memberId, partition[0])) state.give(partition, member.memberId);
      else revocationRequired = true;
    }
  }

  const newlyAssigned: TopicPartition[] = [];
  for (const partition of state.partitions) {
    if (state.holderOf(partition) !== undefined) continue;
    const target = state.leastLoadedSubscriber(partition[0]);
    if (target === undefined) continue;
    state.give(partition, target);
    newlyAssigned.push(partition);
  }

  // Kafka first tries to balance by moving only the partitions it just handed out, which costs no stickiness;
  // it skips that when members already lose partitions to subscription changes.
  const origins = new Map(state.partitions.map((p) => [partitionKey(...p), state.holderOf(p)]));
  if (!revocationRequired) rebalance(state, newlyAssigned, owned, origins);
  rebalance(state, state.partitions, owned, origins);
  return state.assignment();
}

// Kafka's performReassignments: passes over the candidates until one moves nothing.
function rebalance(
  state: GeneralAssignmentState,
  candidates: readonly TopicPartition[],
  owned: OwnedPartitions,
  origins: ReadonlyMap<string, string | undefined>,
): void {
  let moved = true;
  while (moved) {
    moved = false;
    for (const partition of candidates) {
      const holder = state.holderOf(partition);
      if (holder === undefined) continue;
      const target = moveTarget(state, partition, holder, owned);
      if (target === undefined) continue;
      state.give(partitionToMove(state, partition, holder, target, origins), target);
      moved = true;
    }
  }
}

// Where `partition` should go to improve balance, if anywhere: back to its previous owner (Kafka's prevAssignment)
// when that one has 2+ fewer partitions than the holder, else to the least-loaded subscriber if it has 2+ fewer.
function moveTarget(
  state: GeneralAssignmentState,
  partition: TopicPartition,
  holder: string,
  owned: OwnedPartitions,
): string | undefined {
  const holderSize = state.sizeOf(holder);
  const previous = owned.previousOwner.get(partitionKey(...partition));
  // Kafka does not check that the previous owner still subscribes to the topic; moving it there would be invalid.
  if (previous !== undefined && previous !== holder && state.subscribes(previous, partition[0])) {
    if (holderSize > state.sizeOf(previous) + 1) return previous;
  }
  const least = state.leastLoadedSubscriber(partition[0]);
  return least !== undefined && holderSize > state.sizeOf(least) + 1 ? least : undefined;
}

// Kafka's PartitionMovements#getTheActualPartitionToBeMoved: if the target already gave the holder a partition of
// the same topic during this rebalance, send that one home instead, so no topic's partitions cross in both
// directions between two members (what Kafka's isSticky checks). Kafka follows chains of moves; this looks at
// where each partition stood when balancing began.
function partitionToMove(
  state: GeneralAssignmentState,
  partition: TopicPartition,
  holder: string,
  target: string,
  origins: ReadonlyMap<string, string | undefined>,
): TopicPartition {
  const returning = state.partitions.find(
    (p) => p[0] === partition[0] && state.holderOf(p) === holder && origins.get(partitionKey(...p)) === target,
  );
  return returning ?? partition;
}

/** Who holds which partition, with the lookups the general sticky assignment needs. */
class GeneralAssignmentState {
  /** Every partition, topics with the fewest subscribers first, then by name (Kafka's TopicComparator). */
  readonly partitions: TopicPartition[];
  private readonly subscribersByTopic = new Map<string, string[]>();
  private readonly topicsByMember = new Map<string, Set<string>>();
  private readonly holders = new Map<string, string>();
  private readonly sizes = new Map<string, number>();

  constructor(members: readonly AssignorMember[], partitionCounts: ReadonlyMap<string, number>) {
    for (const topic of partitionCounts.keys()) this.subscribersByTopic.set(topic, []);
    for (const member of members) {
      const topics = new Set(member.topics.filter((topic) => partitionCounts.has(topic)));
      this.topicsByMember.set(member.memberId, topics);
      this.sizes.set(member.memberId, 0);
      for (const topic of topics) this.subscribersByTopic.get(topic)?.push(member.memberId);
    }
    const subscriberCount = (topic: string): number => this.subscribersByTopic.get(topic)?.length ?? 0;
    const topics = [...partitionCounts.keys()].sort(
      (a, b) => subscriberCount(a) - subscriberCount(b) || compareJavaStrings(a, b),
    );
    this.partitions = topics.flatMap((topic) =>
      Array.from({ length: partitionCounts.get(topic) ?? 0 }, (_, partition): TopicPartition => [topic, partition]),
    );
  }

  subscribes(memberId: string, topic: string): boolean {
    return this.topicsByMember.get(memberId)?.has(topic) ?? false;
  }

  holderOf(partition: TopicPartition): string | undefined {
    return this.holders.get(partitionKey(...partition));
  }

  sizeOf(memberId: string): number {
    return this.sizes.get(memberId) ?? 0;
  }

  /** The subscriber of `topic` with the fewest partitions, then lowest member id (Kafka's SubscriptionComparator). */
  leastLoadedSubscriber(topic: string): string | undefined {
    let best: string | undefined;
    for (const memberId of this.subscribersByTopic.get(topic) ?? []) {
      if (best === undefined) best = memberId;
      else {
        const bySize = this.sizeOf(memberId) - this.sizeOf(best);
        if (bySize < 0 || (bySize === 0 && compareJavaStrings(memberId, best) < 0)) best = memberId;
      }
    }
    return best;
  }

  give(partition: TopicPartition, memberId: string): void {
    const key = partitionKey(...partition);
    const previous = this.holders.get(key);
    if (previous !== undefined) this.sizes.set(previous, this.sizeOf(previous) - 1);
    this.holders.set(key, memberId);
    this.sizes.set(memberId, this.sizeOf(memberId) + 1);
  }

  assignment(): Map<string, TopicPartition[]> {
    const assignment = new Map<string, TopicPartition[]>([...this.sizes.keys()].map((id) => [id, []]));
    for (const partition of this.partitions) {
      const holder = this.holderOf(partition);
      if (holder !== undefined) assignment.get(holder)?.push(partition);
    }
    return assignment;
  }
}
