import fc from 'fast-check';
import type { AssignmentInput, AssignorMember } from '../../../actors/assignors/AssignmentInput.ts';
import type { TopicPartition } from '../../../actors/assignors/TopicPartition.ts';

/** Bounds and shape of the generated groups. */
export interface AssignmentInputConstraints {
  /** At most this many members (at least one). Default 7. */
  maxMembers?: number;
  /** At most this many topics in the metadata. Default 4. */
  maxTopics?: number;
  /** At most this many partitions per topic; 0 happens too. Default 6. */
  maxPartitionsPerTopic?: number;
  /** Every member subscribes to the same topics (Kafka's constrained sticky path). Default false. */
  identicalSubscriptions?: boolean;
  /** Members report a previous assignment; without conflicts it is a partition-to-one-owner map. Default true. */
  withOwnedPartitions?: boolean;
  /** Members may also claim partitions another member owns, in any generation. Default true. */
  withConflictingClaims?: boolean;
}

// One topic members may subscribe to that the metadata does not know ("no metadata available").
const unknownTopic = 'unknown';

/**
 * Random consumer groups for the assignor properties. Member ids run `consumer-0`, `consumer-1`, ... so that
 * `consumer-10` sorts before `consumer-2`; every knob is a plain array or number drawn independently (no `chain`),
 * so failures shrink towards fewer members, topics, partitions and claims.
 */
export function assignmentInputArbitrary(constraints: AssignmentInputConstraints = {}): fc.Arbitrary<AssignmentInput> {
  const {
    maxMembers = 7,
    maxTopics = 4,
    maxPartitionsPerTopic = 6,
    identicalSubscriptions = false,
    withOwnedPartitions = true,
    withConflictingClaims = true,
  } = constraints;
  const topicNames = Array.from({ length: maxTopics }, (_, i) => `t${i}`);
  const topicUniverse = [...topicNames, unknownTopic];
  const partitionUniverse = topicUniverse.flatMap((topic) =>
    Array.from({ length: maxPartitionsPerTopic }, (_, p): TopicPartition => [topic, p]),
  );

  const memberShape = fc.record({
    topics: fc.subarray(topicUniverse),
    isStatic: fc.boolean(),
    generation: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    extraClaims: withOwnedPartitions && withConflictingClaims
      ? fc.subarray(partitionUniverse, { maxLength: 4 })
      : fc.constant([]),
  });

  return fc
    .record({
      partitionCounts: fc.array(fc.nat({ max: maxPartitionsPerTopic }), { minLength: 1, maxLength: maxTopics }),
      members: fc.array(memberShape, { minLength: 1, maxLength: maxMembers }),
      sharedTopics: fc.subarray(topicUniverse),
      // Index into the members of the previous owner of each partition of the universe, or none.
      previousOwners: withOwnedPartitions
        ? fc.array(fc.option(fc.nat({ max: maxMembers - 1 }), { nil: undefined }), {
            minLength: partitionUniverse.length,
            maxLength: partitionUniverse.length,
          })
        : fc.constant([]),
    })
    .map(({ partitionCounts, members, sharedTopics, previousOwners }): AssignmentInput => ({
      partitionsPerTopic: Object.fromEntries(partitionCounts.map((count, i) => [topicNames[i], count])),
      members: members.map((shape, index): AssignorMember => {
        const memberId = `consumer-${index}`;
        const owned = partitionUniverse.filter((_, p) => previousOwners[p] === index);
        const member: AssignorMember = {
          memberId,
          topics: identicalSubscriptions ? [...sharedTopics] : shape.topics,
        };
        // Instance ids run against member ids, so ordering by the wrong one shows.
        if (shape.isStatic) member.groupInstanceId = `instance-${members.length - index}`;
        if (withOwnedPartitions) {
          member.ownedPartitions = [...owned, ...shape.extraClaims];
          if (shape.generation !== undefined) member.generation = shape.generation;
        }
        return member;
      }),
    }));
}
