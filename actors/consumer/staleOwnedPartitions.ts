// Bug C2 (KAFKA-12984 with the client behaviour KAFKA-13406 fixed), as a weakening of the group consumer. Two
// fixes together keep a stale ownership claim from doing harm, and the weakening removes both:
// - the client: a member whose generation was reset (kicked out of the group) reports its partitions lost and
//   claims nothing when it rejoins; under the weakening it still lists them, stamped with the generation it
//   owned them in;
// - the leader's assignor: conflicting claims are settled by generation, the newest owner keeping the partition
//   and the cooperative protocol withholding it from anyone else until that owner revokes it; under the
//   weakening a partition two members claim stays with both (as Kafka 2.8's assignor added every claim to the
//   member's current assignment), so the stale claimant consumes it again while its current owner still does.
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import { partitionKey } from '../assignors/TopicPartition.ts';
import type { JoinGroupRequest, JoinGroupResponse } from '../../src/protocol/groupMessages.ts';

/** Partitions a member lost with its generation, and the generation it owned them in. */
export interface StaleClaim {
  readonly partitions: readonly TopicPartition[];
  readonly generationId: number;
}

/** The JoinGroup with the stale claim added to every protocol's subscription (the pre-fix client). */
export function withStaleClaim(request: JoinGroupRequest, claim: StaleClaim): JoinGroupRequest {
  const protocols = request.protocols.map((protocol) => {
    const owned = protocol.metadata.ownedPartitions ?? [];
    const known = new Set(owned.map(([topic, partition]) => partitionKey(topic, partition)));
    const added = claim.partitions.filter(([topic, partition]) => !known.has(partitionKey(topic, partition)));
    const generation = owned.length === 0 ? claim.generationId : protocol.metadata.generation;
    return { ...protocol, metadata: { ...protocol.metadata, ownedPartitions: [...owned, ...added], ...(generation === undefined ? {} : { generation }) } };
  });
  return { ...request, protocols };
}

/**
 * The assignment as the pre-fix leader hands it out: a partition that two or more members claim stays with every
 * claimant, besides whoever the assignor gave it to (the 2.8 assignor added each member's claims to its current
 * assignment without looking for conflicts). Claims of one member alone change nothing.
 */
export function trustEveryClaim(
  members: JoinGroupResponse['members'],
  assignments: Readonly<Record<string, readonly TopicPartition[]>>,
): Record<string, TopicPartition[]> {
  const claimants = new Map<string, { partition: TopicPartition; members: string[] }>();
  for (const member of members) {
    for (const [topic, partition] of member.metadata.ownedPartitions ?? []) {
      const key = partitionKey(topic, partition);
      const entry = claimants.get(key) ?? { partition: [topic, partition], members: [] };
      entry.members.push(member.memberId);
      claimants.set(key, entry);
    }
  }
  const result: Record<string, TopicPartition[]> = Object.fromEntries(Object.entries(assignments).map(([id, list]) => [id, [...list]]));
  for (const [key, { partition, members: ids }] of claimants) {
    if (ids.length < 2) continue;
    for (const id of ids) {
      const list = result[id] ?? [];
      if (!list.some(([t, p]) => partitionKey(t, p) === key)) list.push(partition);
      result[id] = list;
    }
  }
  return result;
}
