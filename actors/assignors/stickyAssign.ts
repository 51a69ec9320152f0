import type { Assignment, AssignmentInput, AssignorMember } from './AssignmentInput.ts';
import { constrainedStickyAssign } from './constrainedStickyAssign.ts';
import { finishAssignment } from './finishAssignment.ts';
import { generalStickyAssign } from './generalStickyAssign.ts';
import { resolveOwnedPartitions } from './resolveOwnedPartitions.ts';
import { subscribedPartitionCounts } from './subscribedPartitionCounts.ts';

/**
 * The `sticky` assignor (KIP-54, Kafka's `StickyAssignor` over `AbstractStickyAssignor`, without racks). Its goals in
 * priority order: every subscribed partition goes to exactly one subscriber; the assignment is balanced (sizes
 * differ by at most one, or no partition can move to a subscriber with 2+ fewer); members keep as many of their
 * `ownedPartitions` as balance allows, a conflicting claim going to the highest `generation`.
 */
export function stickyAssign(input: AssignmentInput): Assignment {
  if (input.members.length === 0) return {};
  const partitionCounts = subscribedPartitionCounts(input);
  const owned = resolveOwnedPartitions(input.members, partitionCounts);
  // Kafka switches to a faster algorithm with quota arithmetic when all subscriptions are the same.
  const partitionsByMember = haveIdenticalSubscriptions(input.members)
    ? constrainedStickyAssign(
        input.members.map((m) => m.memberId),
        partitionCounts,
        owned,
      )
    : generalStickyAssign(input.members, partitionCounts, owned);
  return finishAssignment(input.members, partitionsByMember);
}

// Compared as sets of names, unknown topics included, as Kafka's allSubscriptionsEqual does. (Kafka also counts a
// group as uniform when its first member in HashMap order subscribes to nothing, and then hands that member
// partitions it never asked for; this comparison does not repeat that.)
function haveIdenticalSubscriptions(members: readonly AssignorMember[]): boolean {
  const [first, ...others] = members.map((m) => new Set(m.topics));
  if (first === undefined) return true;
  return others.every((topics) => topics.size === first.size && [...topics].every((topic) => first.has(topic)));
}
