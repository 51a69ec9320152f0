import { compareJavaStrings } from './compareJavaStrings.ts';
import { invariant } from './invariant.ts';
import { javaHashMapOrder } from './javaHashMapOrder.ts';
import type { OwnedPartitions } from './resolveOwnedPartitions.ts';
import { partitionKey, type TopicPartition } from './TopicPartition.ts';

/**
 * The sticky assignment when every member subscribes to the same topics (Kafka's `ConstrainedAssignmentBuilder`).
 * With `total` partitions over `n` members everybody ends with `minQuota = floor(total / n)` or
 * `maxQuota = ceil(total / n)` partitions, exactly `total % n` of them with `maxQuota`:
 * 1. each member keeps what it owned, up to `maxQuota` while maxQuota places remain, else up to `minQuota`;
 * 2. the partitions left over go round robin (in topic, partition order) to the members below `minQuota`,
 *    in member id order, then one each to the members waiting at `minQuota` for a `maxQuota` place.
 */
export function constrainedStickyAssign(
  memberIds: readonly string[],
  partitionCounts: ReadonlyMap<string, number>,
  owned: OwnedPartitions,
): Map<string, TopicPartition[]> {
  const allPartitions = sortedPartitions(partitionCounts);
  const minQuota = Math.floor(allPartitions.length / memberIds.length);
  const maxQuota = Math.ceil(allPartitions.length / memberIds.length);
  const expectedMembersAtMax = allPartitions.length % memberIds.length;
  let membersAtMax = 0;

  const assignment = new Map<string, TopicPartition[]>(memberIds.map((id) => [id, []]));
  const assigned = new Set<string>();
  const underMin: string[] = [];
  const atMinAwaitingMax: string[] = [];

  // Step 1. Which members keep an extra partition depends on who comes first, and Kafka walks its members in
  // HashMap order; so does this, to reach Kafka's answers.
  for (const memberId of javaHashMapOrder(memberIds)) {
    // Kafka keeps the lowest partition numbers first, topics interleaved: t1-0, t2-0, t1-1, ...
    const mine = [...(owned.ownedBy.get(memberId) ?? [])].sort(
      (a, b) => a[1] - b[1] || compareJavaStrings(a[0], b[0]),
    );
    let keep: number;
    if (mine.length < minQuota) {
      keep = mine.length;
      underMin.push(memberId);
    } else if (mine.length >= maxQuota && membersAtMax < expectedMembersAtMax) {
      keep = maxQuota;
      membersAtMax++;
      // Once every maxQuota place is taken, nobody waiting at minQuota can grow any more.
      if (membersAtMax === expectedMembersAtMax) atMinAwaitingMax.length = 0;
    } else {
      keep = minQuota;
      if (membersAtMax < expectedMembersAtMax) atMinAwaitingMax.push(memberId);
    }
    for (const partition of mine.slice(0, keep)) {
      assignment.get(memberId)?.push(partition);
      assigned.add(partitionKey(...partition));
    }
  }

  // Step 2. Round robin over the members below minQuota; a member reaching minQuota leaves the rotation and
  // queues for a maxQuota place, which is handed out only once nobody is below minQuota.
  underMin.sort(compareJavaStrings);
  atMinAwaitingMax.sort(compareJavaStrings);
  let turn = 0;
  for (const partition of allPartitions) {
    if (assigned.has(partitionKey(...partition))) continue;
    if (turn >= underMin.length) turn = 0;
    const fromRotation = underMin.length > 0;
    const memberId = fromRotation ? underMin[turn] : atMinAwaitingMax.shift();
    invariant(memberId !== undefined, `no member left below quota for ${partition.join('-')}`);
    const partitions = assignment.get(memberId) ?? [];
    partitions.push(partition);
    if (fromRotation && partitions.length === minQuota) {
      underMin.splice(turn, 1);
      atMinAwaitingMax.push(memberId);
    } else if (fromRotation) {
      turn++;
    }
  }

  // Kafka's verifyUnfilledMembers, made exact: everyone at a quota, and the right number at the larger one.
  const sizes = [...assignment.values()].map((partitions) => partitions.length);
  invariant(
    sizes.every((size) => size === minQuota || size === maxQuota),
    `sizes ${sizes.join(',')} outside ${minQuota}..${maxQuota}`,
  );
  invariant(
    maxQuota === minQuota || sizes.filter((size) => size === maxQuota).length === expectedMembersAtMax,
    `${expectedMembersAtMax} members should hold ${maxQuota} partitions, sizes are ${sizes.join(',')}`,
  );
  return assignment;
}

function sortedPartitions(partitionCounts: ReadonlyMap<string, number>): TopicPartition[] {
  const partitions: TopicPartition[] = [];
  for (const topic of [...partitionCounts.keys()].sort(compareJavaStrings)) {
    const count = partitionCounts.get(topic) ?? 0;
    for (let partition = 0; partition < count; partition++) partitions.push([topic, partition]);
  }
  return partitions;
}
