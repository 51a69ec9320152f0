import { describe, expect, it } from 'vitest';
import type { Assignment, AssignmentInput, AssignorMember } from '../../../actors/assignors/AssignmentInput.ts';
import { stickyAssign } from '../../../actors/assignors/stickyAssign.ts';
import { partitionKey, type TopicPartition } from '../../../actors/assignors/TopicPartition.ts';
import { balanceProblems, isFullyBalanced, twoWayMoves, validityProblems, withOwnedFrom } from './assignmentChecks.ts';
import { partitionList } from './partitionList.ts';

// Cases of Kafka's AbstractStickyAssignorTest and StickyAssignorTest (clients/src/test/java/org/apache/kafka/
// clients/consumer), run against the eager sticky assignor with Kafka's inputs and expected outputs. Kafka's
// StickyAssignor reads the previous assignment and generation from its user data; here they are the member's
// ownedPartitions and generation. Every case also passes Kafka's verifyValidityAndBalance.

/** A member; `owned` is a Kafka-style list ("topic-0, topic-2"), `generation` the generation it was owned in. */
function member(memberId: string, topics: string[], owned = '', generation?: number): AssignorMember {
  const result: AssignorMember = { memberId, topics, ownedPartitions: partitionList(owned) };
  if (generation !== undefined) result.generation = generation;
  return result;
}

/** Runs the sticky assignor and checks what Kafka's verifyValidityAndBalance checks, plus completeness. */
function assign(input: AssignmentInput): Assignment {
  const assignment = stickyAssign(input);
  expect(validityProblems(input, assignment, { complete: true })).toEqual([]);
  expect(balanceProblems(input, assignment)).toEqual([]);
  return assignment;
}

const asSet = (partitions: TopicPartition[] | undefined): Set<string> =>
  new Set((partitions ?? []).map((p) => partitionKey(...p)));
const containsAll = (outer: TopicPartition[] | undefined, inner: TopicPartition[] | undefined): boolean =>
  [...asSet(inner)].every((key) => asSet(outer).has(key));
const text = (partitions: TopicPartition[] | undefined): string =>
  (partitions ?? []).map(([topic, partition]) => `${topic}-${partition}`).join(', ');
const generationId = 1;
const defaultGeneration = -1;

describe('stickyAssign (Kafka AbstractStickyAssignorTest, StickyAssignorTest)', () => {
  it('testOneConsumerNoTopic', () => {
    expect(assign({ partitionsPerTopic: {}, members: [member('consumer', [])] })).toEqual({ consumer: [] });
  });

  it('testOneConsumerNonexistentTopic', () => {
    expect(assign({ partitionsPerTopic: { topic: 0 }, members: [member('consumer', ['topic'])] })).toEqual({ consumer: [] });
  });

  it('testOneConsumerOneTopic', () => {
    const input = { partitionsPerTopic: { topic: 3 }, members: [member('consumer', ['topic'])] };
    expect(assign(input)).toEqual({ consumer: partitionList('topic-0, topic-1, topic-2') });
  });

  it('testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    // The member claims partitions of a topic it no longer subscribes to (and the metadata no longer lists).
    const input = {
      partitionsPerTopic: { topic: 2 },
      members: [member('consumer', ['topic'], 'topic-0, topic-1, other-0, other-1', generationId)],
    };
    expect(assign(input)).toEqual({ consumer: partitionList('topic-0, topic-1') });
  });

  it('testOneConsumerMultipleTopics', () => {
    const input = { partitionsPerTopic: { topic1: 1, topic2: 2 }, members: [member('consumer', ['topic1', 'topic2'])] };
    expect(assign(input)).toEqual({ consumer: partitionList('topic1-0, topic2-0, topic2-1') });
  });

  it('testTwoConsumersOneTopicOnePartition', () => {
    const input = { partitionsPerTopic: { topic: 1 }, members: [
      member('consumer1', ['topic']),
      member('consumer2', ['topic']),
    ] };
    expect(isFullyBalanced(assign(input))).toBe(true);
  });

  it('testTwoConsumersOneTopicTwoPartitions', () => {
    const input = { partitionsPerTopic: { topic: 2 }, members: [
      member('consumer1', ['topic']),
      member('consumer2', ['topic']),
    ] };
    expect(assign(input)).toEqual({ consumer1: partitionList('topic-0'), consumer2: partitionList('topic-1') });
  });

  it('testMultipleConsumersMixedTopicSubscriptions', () => {
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 2 },
      members: [
        member('consumer1', ['topic1']),
        member('consumer2', ['topic1', 'topic2']),
        member('consumer3', ['topic1']),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic1-2'),
      consumer2: partitionList('topic2-0, topic2-1'),
      consumer3: partitionList('topic1-1'),
    });
  });

  it('testTwoConsumersTwoTopicsSixPartitions', () => {
    const both = ['topic1', 'topic2'];
    const input = { partitionsPerTopic: { topic1: 3, topic2: 3 }, members: [
      member('consumer1', both),
      member('consumer2', both),
    ] };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic1-2, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-0, topic2-2'),
    });
  });

  it('testConsumerOwningMinQuotaExpectedMaxQuota', () => {
    const both = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 2, topic2: 3 },
      members: [
        member('consumer1', both, 'topic1-0, topic2-1', generationId),
        member('consumer2', both, 'topic1-1, topic2-2', generationId),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic2-0, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-2'),
    });
  });

  it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers', () => {
    // Two members own the maxQuota of 2 but only one such place exists; which one keeps it follows Kafka's
    // HashMap order over member ids (consumer2 before consumer1).
    const both = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 2, topic2: 2 },
      members: [
        member('consumer1', both, 'topic1-0, topic2-0', generationId),
        member('consumer2', both, 'topic1-1, topic2-1', generationId),
        member('consumer3', both, '', generationId),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic1-0'),
      consumer2: partitionList('topic1-1, topic2-1'),
      consumer3: partitionList('topic2-0'),
    });
  });

  it('testAllConsumersAreUnderMinQuota', () => {
    const both = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 2, topic2: 3 },
      members: [
        member('consumer1', both, 'topic1-0', generationId),
        member('consumer2', both, 'topic1-1', generationId),
        member('consumer3', both, '', generationId),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-2'),
      consumer3: partitionList('topic2-0'),
    });
  });

  it('testAddRemoveConsumerOneTopic', () => {
    const partitionsPerTopic = { topic: 3 };
    const first = assign({ partitionsPerTopic, members: [member('consumer1', ['topic'])] });
    expect(first).toEqual({ consumer1: partitionList('topic-0, topic-1, topic-2') });

    const second = assign({
      partitionsPerTopic,
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-1, topic-2', generationId),
        member('consumer2', ['topic'], '', generationId),
      ],
    });
    expect(second).toEqual({ consumer1: partitionList('topic-0, topic-1'), consumer2: partitionList('topic-2') });

    const third = assign({ partitionsPerTopic, members: [member('consumer2', ['topic'], 'topic-2', generationId)] });
    expect(third).toEqual({ consumer2: partitionList('topic-0, topic-1, topic-2') });
  });

  it('testTopicBalanceAfterReassignment', () => {
    const all = ['topic1', 'topic2'];
    const partitionsPerTopic = { topic1: 12, topic2: 12 };
    const perTopicCounts = (assignment: Assignment): number[] =>
      Object.values(assignment).flatMap((ps) => all.map((t) => ps.filter(([topic]) => topic === t).length));

    let input: AssignmentInput = { partitionsPerTopic, members: [member('consumer1', all)] };
    let assignment = assign(input);
    expect(perTopicCounts(assignment)).toEqual([12, 12]);

    input = withOwnedFrom({ ...input, members: [...input.members, member('consumer2', all)] }, assignment, generationId);
    assignment = assign(input);
    expect(perTopicCounts(assignment)).toEqual([6, 6, 6, 6]);

    const grown = { ...input, members: [...input.members, member('consumer3', all), member('consumer4', all)] };
    input = withOwnedFrom(grown, assignment, generationId);
    assignment = assign(input);
    expect(perTopicCounts(assignment)).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);

    input = withOwnedFrom({ ...input, members: input.members.slice(2) }, assignment, generationId);
    assignment = assign(input);
    expect(perTopicCounts(assignment)).toEqual([6, 6, 6, 6]);
  });

  it('testAddRemoveTwoConsumersTwoTopics', () => {
    const all = ['topic1', 'topic2'];
    const partitionsPerTopic = { topic1: 3, topic2: 4 };
    const first = assign({ partitionsPerTopic, members: [member('consumer1', all), member('consumer2', all)] });
    expect(first).toEqual({
      consumer1: partitionList('topic1-0, topic1-2, topic2-1, topic2-3'),
      consumer2: partitionList('topic1-1, topic2-0, topic2-2'),
    });

    const second = assign({
      partitionsPerTopic,
      members: [
        member('consumer1', all, 'topic1-0, topic1-2, topic2-1, topic2-3', generationId),
        member('consumer2', all, 'topic1-1, topic2-0, topic2-2', generationId),
        member('consumer3', all, '', generationId),
        member('consumer4', all, '', generationId),
      ],
    });
    expect(second).toEqual({
      consumer1: partitionList('topic1-0, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-0'),
      consumer3: partitionList('topic1-2, topic2-3'),
      consumer4: partitionList('topic2-2'),
    });

    const third = assign({
      partitionsPerTopic,
      members: [
        member('consumer3', all, 'topic1-2, topic2-3', generationId),
        member('consumer4', all, 'topic2-2', generationId),
      ],
    });
    expect(third).toEqual({
      consumer3: partitionList('topic1-0, topic1-2, topic2-1, topic2-3'),
      consumer4: partitionList('topic1-1, topic2-0, topic2-2'),
    });
  });

  it('testPoorRoundRobinAssignmentScenario', () => {
    const all = ['topic1', 'topic2', 'topic3', 'topic4', 'topic5'];
    const odd = ['topic1', 'topic3', 'topic5'];
    assign({
      partitionsPerTopic: { topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 },
      members: [member('consumer1', all), member('consumer2', odd), member('consumer3', odd), member('consumer4', all)],
    });
  });

  it('testAddRemoveTopicTwoConsumers', () => {
    const first = assign({ partitionsPerTopic: { topic: 3 }, members: [
      member('consumer1', ['topic']),
      member('consumer2', ['topic']),
    ] });
    expect(isFullyBalanced(first)).toBe(true);

    const both = ['topic', 'topic2'];
    const second = assign(
      withOwnedFrom({ partitionsPerTopic: { topic: 3, topic2: 3 }, members: [
        member('consumer1', both),
        member('consumer2', both),
      ] }, first, generationId),
    );
    expect(second.consumer1).toHaveLength(3);
    expect(second.consumer2).toHaveLength(3);
    expect(containsAll(second.consumer1, first.consumer1)).toBe(true);
    expect(containsAll(second.consumer2, first.consumer2)).toBe(true);

    const third = assign(
      withOwnedFrom({ partitionsPerTopic: { topic2: 3 }, members: [
        member('consumer1', ['topic2']),
        member('consumer2', ['topic2']),
      ] }, second, generationId),
    );
    expect(isFullyBalanced(third)).toBe(true);
    expect(containsAll(second.consumer1, third.consumer1)).toBe(true);
    expect(containsAll(second.consumer2, third.consumer2)).toBe(true);
  });

  it('testStickiness', () => {
    const members = ['consumer1', 'consumer2', 'consumer3', 'consumer4'].map((id) => member(id, ['topic1']));
    const first = assign({ partitionsPerTopic: { topic1: 3 }, members });
    expect(Object.values(first).every((ps) => ps.length <= 1)).toBe(true);

    // The member that may have been the group leader leaves; everybody else keeps what it had.
    const second = assign(withOwnedFrom({ partitionsPerTopic: { topic1: 3 }, members: members.slice(1) }, first, generationId));
    for (const memberId of ['consumer2', 'consumer3', 'consumer4']) {
      expect(second[memberId]).toHaveLength(1);
      expect(containsAll(second[memberId], first[memberId])).toBe(true);
    }
  });

  it('testAssignmentUpdatedForDeletedTopic', () => {
    const input = { partitionsPerTopic: { topic1: 1, topic3: 100 }, members: [member('consumer', ['topic1', 'topic2', 'topic3'])] };
    expect(assign(input).consumer).toHaveLength(101);
  });

  it('testNoExceptionThrownWhenOnlySubscribedTopicDeleted', () => {
    const input = { partitionsPerTopic: {}, members: [member('consumer', ['topic'], 'topic-0, topic-1, topic-2', generationId)] };
    expect(assign(input)).toEqual({ consumer: [] });
  });

  it('testSubscriptionNotEqualAndAssignSamePartitionWith3Generation', () => {
    for (const [g1, g2, g3] of [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]] as const) {
      const assignment = assign({
        partitionsPerTopic: { topic: 6, topic1: 1 },
        members: [
          member('consumer1', ['topic'], 'topic-0, topic-2', g1),
          member('consumer2', ['topic'], 'topic-1, topic-2, topic-3', g2),
          member('consumer3', ['topic'], 'topic-2, topic-4, topic-5', g3),
          member('consumer4', ['topic1'], 'topic1-0', 2),
        ],
      });
      for (const partitions of Object.values(assignment)) expect(partitions.length).toBeGreaterThanOrEqual(1);
      for (const partitions of Object.values(assignment)) expect(partitions.length).toBeLessThanOrEqual(2);
    }
  });

  it('testAllConsumersReachExpectedQuotaAndAreConsideredFilled', () => {
    const input = {
      partitionsPerTopic: { topic: 4 },
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-1', generationId),
        member('consumer2', ['topic'], 'topic-2', generationId),
        member('consumer3', ['topic'], '', generationId),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-0, topic-1'),
      consumer2: partitionList('topic-2'),
      consumer3: partitionList('topic-3'),
    });
  });

  it('testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration', () => {
    const both = ['topic', 'topic2'];
    const input = {
      partitionsPerTopic: { topic: 3, topic2: 3 },
      members: [
        member('consumer1', both, 'topic-0, topic-2, topic2-1', 10),
        member('consumer2', both, 'topic-0, topic-2, topic2-1', 9),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-0, topic-2, topic2-1'),
      consumer2: partitionList('topic-1, topic2-0, topic2-2'),
    });
  });

  it('testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration', () => {
    const both = ['topic', 'topic2'];
    const input = {
      partitionsPerTopic: { topic: 3, topic2: 3 },
      members: [
        member('consumer1', both, 'topic-0, topic-2, topic2-1', 10),
        member('consumer2', both, 'topic-0, topic-2, topic2-1'),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-0, topic-2, topic2-1'),
      consumer2: partitionList('topic-1, topic2-0, topic2-2'),
    });
  });

  it('testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration', () => {
    const input = {
      partitionsPerTopic: { topic: 3 },
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-1', generationId),
        member('consumer2', ['topic'], 'topic-0, topic-2', generationId),
        member('consumer3', ['topic'], '', generationId),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-1'),
      consumer2: partitionList('topic-2'),
      consumer3: partitionList('topic-0'),
    });
  });

  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer', () => {
    const input = {
      partitionsPerTopic: { topic: 4 },
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-1', generationId),
        member('consumer2', ['topic'], 'topic-0, topic-2', generationId),
        member('consumer3', ['topic'], '', generationId),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-1, topic-3'),
      consumer2: partitionList('topic-2'),
      consumer3: partitionList('topic-0'),
    });
  });

  it('testEnsurePartitionsAssignedToHighestGeneration', () => {
    const all = ['topic', 'topic2', 'topic3'];
    const input = {
      partitionsPerTopic: { topic: 3, topic2: 3, topic3: 3 },
      members: [
        member('consumer1', all, 'topic-0, topic2-0, topic3-0', 10),
        member('consumer2', all, 'topic-1, topic2-1, topic3-1', 9),
        member('consumer3', all, 'topic2-1, topic3-0, topic3-2', 8),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-0, topic2-0, topic3-0'),
      consumer2: partitionList('topic-1, topic2-1, topic3-1'),
      consumer3: partitionList('topic-2, topic2-2, topic3-2'),
    });
  });

  it('testNoReassignmentOnCurrentMembers', () => {
    const all = ['topic', 'topic2', 'topic3', 'topic1'];
    const input = {
      partitionsPerTopic: { topic: 3, topic1: 3, topic2: 3, topic3: 3 },
      members: [
        member('consumer1', all, '', -1),
        member('consumer2', all, 'topic-0, topic2-0, topic1-0', 9),
        member('consumer3', all, 'topic3-2, topic2-2, topic1-1', 8),
        member('consumer4', all, 'topic3-1, topic-1, topic-2', 7),
      ],
    };
    expect(assign(input).consumer1).toEqual(partitionList('topic1-2, topic2-1, topic3-0'));
  });

  it('testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration', () => {
    const both = ['topic', 'topic2'];
    const input = {
      partitionsPerTopic: { topic: 3, topic2: 3 },
      members: [
        member('consumer1', both, 'topic-0, topic2-1, topic-1', 10),
        member('consumer2', both, 'topic-0, topic2-1, topic2-2', 8),
      ],
    };
    expect(assign(input)).toEqual({
      consumer1: partitionList('topic-0, topic-1, topic2-1'),
      consumer2: partitionList('topic-2, topic2-0, topic2-2'),
    });
  });

  it('testRackAwareAssignmentWithUniformSubscription (without racks)', () => {
    const all = ['t1', 't2', 't3'];
    const expected = {
      consumer0: partitionList('t1-0, t1-3, t2-0, t2-3, t2-6'),
      consumer1: partitionList('t1-1, t1-4, t2-1, t2-4, t3-0'),
      consumer2: partitionList('t1-2, t1-5, t2-2, t2-5, t3-1'),
    };
    const fresh = {
      partitionsPerTopic: { t1: 6, t2: 7, t3: 2 },
      members: ['consumer0', 'consumer1', 'consumer2'].map((id) => member(id, all)),
    };
    expect(assign(fresh)).toEqual(expected);
    // Kafka's verifyUniformSubscription runs again with the expected assignment as the owned one.
    expect(assign(withOwnedFrom(fresh, expected, defaultGeneration))).toEqual(expected);
  });

  it('testRackAwareAssignmentWithNonEqualSubscription (without racks)', () => {
    const all = ['t1', 't2', 't3'];
    const expected = {
      consumer0: partitionList('t1-5, t2-0, t2-2, t2-4, t2-6'),
      consumer1: partitionList('t1-3, t2-1, t2-3, t2-5, t3-0'),
      consumer2: partitionList('t1-0, t1-1, t1-2, t1-4, t3-1'),
    };
    const fresh = {
      partitionsPerTopic: { t1: 6, t2: 7, t3: 2 },
      members: [member('consumer0', all), member('consumer1', all), member('consumer2', ['t1', 't3'])],
    };
    expect(assign(fresh)).toEqual(expected);
    expect(assign(withOwnedFrom(fresh, expected, defaultGeneration))).toEqual(expected);
  });

  it.each([true, false])('testAssignmentWithMultipleGenerations1 (all subscriptions equal: %s)', (allEqual) => {
    const all = ['topic', 'topic2'];
    const consumer2Topics = allEqual ? all : ['topic'];
    const partitionsPerTopic = { topic: 6, topic2: 6 };
    const r1 = assign({ partitionsPerTopic, members: [
      member('consumer1', all),
      member('consumer2', consumer2Topics),
      member('consumer3', all),
    ] });
    expect(Object.values(r1).map((ps) => ps.length)).toEqual([4, 4, 4]);

    const r2 = assign({
      partitionsPerTopic,
      members: [
        member('consumer1', all, text(r1.consumer1), generationId),
        member('consumer2', consumer2Topics, text(r1.consumer2), generationId),
      ],
    });
    expect(Object.values(r2).map((ps) => ps.length)).toEqual([6, 6]);
    if (allEqual) expect(containsAll(r2.consumer1, r1.consumer1)).toBe(true);
    expect(containsAll(r2.consumer2, r1.consumer2)).toBe(true);
    expect([...asSet(r2.consumer2)].some((key) => asSet(r1.consumer3).has(key))).toBe(true);

    // consumer3 comes back claiming what it had in generation 1; consumer2's generation-2 claims win.
    const r3 = assign({
      partitionsPerTopic,
      members: [
        member('consumer2', consumer2Topics, text(r2.consumer2), 2),
        member('consumer3', all, text(r1.consumer3), 1),
      ],
    });
    expect(Object.values(r3).map((ps) => ps.length)).toEqual([6, 6]);
    expect(isFullyBalanced(r3)).toBe(true);
  });

  it.each([true, false])('testAssignmentWithMultipleGenerations2 (all subscriptions equal: %s)', (allEqual) => {
    const all = ['topic', 'topic2', 'topic3'];
    const consumer1Topics = allEqual ? all : ['topic'];
    const consumer3Topics = allEqual ? all : ['topic', 'topic2'];
    const partitionsPerTopic = { topic: 4, topic2: 4, topic3: 4 };
    const r1 = assign({
      partitionsPerTopic,
      members: [member('consumer1', consumer1Topics), member('consumer2', all), member('consumer3', consumer3Topics)],
    });
    expect(Object.values(r1).map((ps) => ps.length)).toEqual([4, 4, 4]);

    const r2 = assign({ partitionsPerTopic, members: [member('consumer2', all, text(r1.consumer2), 1)] });
    expect(r2.consumer2).toHaveLength(12);
    expect(containsAll(r2.consumer2, r1.consumer2)).toBe(true);

    const r3 = assign({
      partitionsPerTopic,
      members: [
        member('consumer1', consumer1Topics, text(r1.consumer1), 1),
        member('consumer2', all, text(r2.consumer2), 2),
        member('consumer3', consumer3Topics, text(r1.consumer3), 1),
      ],
    });
    expect(Object.values(r3).map((ps) => ps.length)).toEqual([4, 4, 4]);
  });

  it.each([true, false])('testAssignmentWithConflictingPreviousGenerations (all subscriptions equal: %s)', (allEqual) => {
    const all = ['topic', 'topic2', 'topic3'];
    const c1Owned = allEqual ? 'topic-0, topic-1, topic-2, topic2-2, topic2-3, topic3-0' : 'topic-0, topic-1, topic-2, topic-3';
    const c2Owned = 'topic-0, topic-1, topic2-0, topic2-1, topic2-2, topic2-3';
    const c3Owned = 'topic-2, topic-3, topic3-0, topic3-1, topic3-2, topic3-3';
    const assignment = assign({
      partitionsPerTopic: { topic: 4, topic2: 4, topic3: 4 },
      members: [
        member('consumer1', allEqual ? all : ['topic'], c1Owned, 1),
        member('consumer2', allEqual ? all : ['topic', 'topic2'], c2Owned, 2),
        member('consumer3', all, c3Owned, 2),
      ],
    });
    expect(Object.values(assignment).map((ps) => ps.length)).toEqual([4, 4, 4]);
    expect(containsAll(partitionList(c2Owned), assignment.consumer2)).toBe(true);
    expect(containsAll(partitionList(c3Owned), assignment.consumer3)).toBe(true);
  });

  it('testSchemaBackwardCompatibility', () => {
    // consumer2's old user data carries no generation: it counts as generation -1.
    const input = {
      partitionsPerTopic: { topic: 3 },
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-2', 1),
        member('consumer2', ['topic'], 'topic-1'),
        member('consumer3', ['topic']),
      ],
    };
    const assignment = assign(input);
    expect(Object.values(assignment).map((ps) => ps.length)).toEqual([1, 1, 1]);
    expect(containsAll(partitionList('topic-0, topic-2'), assignment.consumer1)).toBe(true);
    expect(assignment.consumer2).toEqual(partitionList('topic-1'));
  });
});

describe('stickyAssign beyond Kafka\'s test cases', () => {
  it('hands a partition that must leave its owner back to the member that held it in an older generation', () => {
    // x (generation 5) owns t-0 over p's generation-3 claim but holds 7 of 9 partitions and must give some up.
    // Kafka's prevAssignment sends t-0 back to p, although l has fewer partitions.
    const input = {
      partitionsPerTopic: { t: 9 },
      members: [
        member('x', ['t'], 't-0, t-2, t-3, t-4, t-5, t-6, t-7', 5),
        member('p', ['t'], 't-0, t-1', 3),
        member('l', ['t', 'u'], 't-8', 5),
      ],
    };
    expect(assign(input)).toEqual({
      x: partitionList('t-5, t-6, t-7'),
      p: partitionList('t-0, t-1, t-4'),
      l: partitionList('t-2, t-3, t-8'),
    });
  });

  it('walks members in Java HashMap order when quotas are scarce, as Kafka does', () => {
    // Same shape as testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers; here Java's HashMap visits a
    // before b ("a".hashCode() is 97, "b" 98), so a keeps its two partitions, the reverse of the Kafka case.
    const both = ['t1', 't2'];
    const input = {
      partitionsPerTopic: { t1: 2, t2: 2 },
      members: [member('a', both, 't1-0, t2-0', 1), member('b', both, 't1-1, t2-1', 1), member('c', both, '', 1)],
    };
    expect(assign(input)).toEqual({ a: partitionList('t1-0, t2-0'), b: partitionList('t1-1'), c: partitionList('t2-1') });
  });

  it('lets the highest generation win a partition claimed by three members, whatever the order of the claims', () => {
    // Two claims tied in generation 1, then a generation-2 claim: the generation-2 member keeps the partition.
    const orders = [['c1', 'c2', 'c3'], ['c3', 'c1', 'c2'], ['c2', 'c3', 'c1']];
    for (const order of orders) {
      const generations: Record<string, number> = { c1: 1, c2: 1, c3: 2 };
      const input = {
        partitionsPerTopic: { topic: 3 },
        members: order.map((id) => member(id, ['topic'], 'topic-0', generations[id])),
      };
      expect(assign(input).c3).toContainEqual(['topic', 0]);
    }
  });

  it('sends a partition home rather than moving another of its topic the other way (Kafka\'s isSticky)', () => {
    // Shrunk from a failure of the isSticky property before partitions were swapped: balancing moved t2
    // partitions from consumer-1 to consumer-5 and others from consumer-5 to consumer-1.
    const input = {
      partitionsPerTopic: { t0: 5, t1: 6, t2: 6 },
      members: [
        member('consumer-1', ['t0', 't1', 't2'], 't0-3, t1-2, t2-5, t2-3'),
        member('consumer-3', ['t0'], 't0-0'),
        member('consumer-4', ['t2']),
        member('consumer-5', ['t1', 't2'], 't2-2, t2-4'),
        member('consumer-6', ['t2']),
      ],
    };
    expect(twoWayMoves(input, assign(input))).toEqual([]);
  });

  it('balances by moving just-assigned partitions before owned ones', () => {
    // consumer-0 keeps t0-0: t0-2, handed out in this round, is what moves to consumer-4.
    const input = {
      partitionsPerTopic: { t0: 3, t1: 3 },
      members: [member('consumer-0', ['t0', 't1'], 't0-0'), member('consumer-2', ['t1']), member('consumer-4', ['t0'])],
    };
    expect(assign(input)).toEqual({
      'consumer-0': partitionList('t0-0, t1-2'),
      'consumer-2': partitionList('t1-0, t1-1'),
      'consumer-4': partitionList('t0-1, t0-2'),
    });
  });

  it('skips the just-assigned-first pass when a member must give up a topic it left, as Kafka does', () => {
    // consumer-1 still owns t1-2 but no longer subscribes to t1. Kafka then balances over all partitions at once
    // (GeneralAssignmentBuilder#balance, revocationRequired), and consumer-0 loses its owned t1-0.
    const input = {
      partitionsPerTopic: { t1: 3, t3: 3 },
      members: [
        member('consumer-0', ['t1', 't3'], 't1-0'),
        member('consumer-1', ['t3'], 't1-2'),
        member('consumer-2', ['t1']),
      ],
    };
    expect(assign(input)).toEqual({
      'consumer-0': partitionList('t1-2, t3-2'),
      'consumer-1': partitionList('t3-0, t3-1'),
      'consumer-2': partitionList('t1-0, t1-1'),
    });
  });
});

