import type { Assignment, AssignmentInput } from '../../../actors/assignors/AssignmentInput.ts';
import { partitionKey, type TopicPartition } from '../../../actors/assignors/TopicPartition.ts';

// Independent checkers for assignor results, written from Kafka's test helpers
// (AbstractStickyAssignorTest#verifyValidityAndBalance and #isFullyBalanced) rather than from the assignors.
// Each returns the list of problems it found, so a failing expectation prints what is wrong.

const hasTopic = (input: AssignmentInput, topic: string): boolean =>
  Object.hasOwn(input.partitionsPerTopic, topic) && (input.partitionsPerTopic[topic] ?? 0) > 0;

/** Every partition that some member subscribes to and the metadata knows: what a complete assignment covers. */
export function assignablePartitions(input: AssignmentInput): TopicPartition[] {
  const topics = new Set(input.members.flatMap((m) => m.topics).filter((t) => hasTopic(input, t)));
  return [...topics].flatMap((topic) =>
    Array.from({ length: input.partitionsPerTopic[topic] ?? 0 }, (_, p): TopicPartition => [topic, p]),
  );
}

/**
 * Validity: exactly the input's members are present, every assigned partition exists, goes to a member subscribed
 * to its topic and to no other member. With `complete`, also every assignable partition is assigned.
 */
export function validityProblems(
  input: AssignmentInput,
  assignment: Assignment,
  { complete }: { complete: boolean },
): string[] {
  const problems: string[] = [];
  const memberIds = input.members.map((m) => m.memberId);
  const keys = Object.keys(assignment);
  if (keys.length !== memberIds.length || memberIds.some((id) => !Object.hasOwn(assignment, id))) {
    problems.push(`members ${JSON.stringify(memberIds)} but assignment keys ${JSON.stringify(keys)}`);
  }
  const holder = new Map<string, string>();
  for (const member of input.members) {
    for (const [topic, partition] of assignment[member.memberId] ?? []) {
      const name = `${topic}-${partition}`;
      if (!member.topics.includes(topic)) problems.push(`${name} went to ${member.memberId}, not subscribed`);
      if (!hasTopic(input, topic) || partition >= (input.partitionsPerTopic[topic] ?? 0) || partition < 0) {
        problems.push(`${name} does not exist`);
      }
      const other = holder.get(partitionKey(topic, partition));
      if (other !== undefined) problems.push(`${name} went to both ${other} and ${member.memberId}`);
      holder.set(partitionKey(topic, partition), member.memberId);
    }
  }
  if (complete) {
    for (const [topic, partition] of assignablePartitions(input)) {
      if (!holder.has(partitionKey(topic, partition))) problems.push(`${topic}-${partition} is not assigned`);
    }
  }
  return problems;
}

/**
 * Balance as the sticky assignors promise it: no partition could move from its holder to another subscriber of
 * its topic that has 2 or more fewer partitions.
 */
export function balanceProblems(input: AssignmentInput, assignment: Assignment): string[] {
  const problems: string[] = [];
  const size = (memberId: string): number => assignment[memberId]?.length ?? 0;
  for (const holder of input.members) {
    for (const [topic, partition] of assignment[holder.memberId] ?? []) {
      for (const other of input.members) {
        if (other.topics.includes(topic) && size(holder.memberId) > size(other.memberId) + 1) {
          const from = `${holder.memberId} (${size(holder.memberId)})`;
          problems.push(`${topic}-${partition} could move from ${from} to ${other.memberId} (${size(other.memberId)})`);
        }
      }
    }
  }
  return problems;
}

/** Kafka's isFullyBalanced: assignment sizes differ by at most one across all members. */
export function isFullyBalanced(assignment: Assignment): boolean {
  const sizes = Object.values(assignment).map((partitions) => partitions.length);
  return sizes.length === 0 || Math.max(...sizes) - Math.min(...sizes) <= 1;
}

/** The partitions each member had in `ownedPartitions` and no longer has in `assignment`: what it must revoke. */
export function revokedPartitions(input: AssignmentInput, assignment: Assignment): TopicPartition[] {
  return input.members.flatMap((member) => {
    const kept = new Set((assignment[member.memberId] ?? []).map((p) => partitionKey(...p)));
    return (member.ownedPartitions ?? []).filter((p) => !kept.has(partitionKey(...p)));
  });
}

/** The next generation's input: every member now owns what `assignment` gave it, all in `generation`. */
export function withOwnedFrom(input: AssignmentInput, assignment: Assignment, generation: number): AssignmentInput {
  return {
    ...input,
    members: input.members.map((member) => ({
      ...member,
      ownedPartitions: (assignment[member.memberId] ?? []).map(([t, p]): TopicPartition => [t, p]),
      generation,
    })),
  };
}

/**
 * Who owns each partition going into a rebalance, by the rule Kafka's sticky assignors apply to ownedPartitions:
 * the claim with the highest generation (absent = -1) wins, claims tied at the highest generation cancel. Only
 * assignable partitions count; a member listing a partition twice claims it once.
 */
export function ownersByGeneration(input: AssignmentInput): Map<string, string> {
  const assignable = new Set(assignablePartitions(input).map((p) => partitionKey(...p)));
  const best = new Map<string, { generation: number; claimants: Set<string> }>();
  for (const member of input.members) {
    const generation = member.generation ?? -1;
    for (const partition of member.ownedPartitions ?? []) {
      const key = partitionKey(...partition);
      if (!assignable.has(key)) continue;
      const current = best.get(key);
      if (current === undefined || generation > current.generation) {
        best.set(key, { generation, claimants: new Set([member.memberId]) });
      } else if (generation === current.generation) {
        current.claimants.add(member.memberId);
      }
    }
  }
  return new Map(
    [...best].flatMap(([key, { claimants }]) => (claimants.size === 1 ? [[key, [...claimants][0] as string]] : [])),
  );
}

/**
 * Kafka's isSticky: partitions of one topic that left their owner for member B, while other partitions of the same
 * topic went from B to that owner. Such a pair of moves could have been avoided by moving neither.
 */
export function twoWayMoves(input: AssignmentInput, assignment: Assignment): string[] {
  const owners = ownersByGeneration(input);
  const moves = new Set<string>();
  for (const [memberId, partitions] of Object.entries(assignment)) {
    for (const partition of partitions) {
      const owner = owners.get(partitionKey(...partition));
      if (owner !== undefined && owner !== memberId) moves.add(JSON.stringify([partition[0], owner, memberId]));
    }
  }
  return [...moves].flatMap((move) => {
    const [topic, from, to] = JSON.parse(move) as [string, string, string];
    return from < to && moves.has(JSON.stringify([topic, to, from])) ? [`${topic}: ${from} <-> ${to}`] : [];
  });
}
