import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assignment, AssignmentInput, AssignorMember } from '../../../actors/assignors/AssignmentInput.ts';
import { cooperativeStickyAssign } from '../../../actors/assignors/cooperativeStickyAssign.ts';
import { stickyAssign } from '../../../actors/assignors/stickyAssign.ts';
import { partitionKey } from '../../../actors/assignors/TopicPartition.ts';
import {
  assignablePartitions,
  balanceProblems,
  revokedPartitions,
  validityProblems,
  withOwnedFrom,
} from './assignmentChecks.ts';
import { assignmentInputArbitrary } from './assignmentInputArbitrary.ts';
import { partitionList } from './partitionList.ts';
import { propertyParameters, weakeningParameters } from './propertyParameters.ts';

// Cases of Kafka's CooperativeStickyAssignorTest and the cooperative runs of AbstractStickyAssignorTest, then
// KIP-429's promises as properties. Kafka's cooperative verifyValidityAndBalance reruns the rebalance, each
// member now owning what it was given, until nothing is revoked (at most 4 times); `settle` below does the same.

type Assignor = (input: AssignmentInput) => Assignment;

function member(memberId: string, topics: string[], owned = '', generation?: number): AssignorMember {
  const result: AssignorMember = { memberId, topics, ownedPartitions: partitionList(owned) };
  if (generation !== undefined) result.generation = generation;
  return result;
}

/** Follow-up rebalances until one revokes nothing; returns the rounds run after the first and the final state. */
function settle(
  assign: Assignor,
  input: AssignmentInput,
  maxFollowUps = 4,
): { followUps: number; input: AssignmentInput; assignment: Assignment } {
  let current = input;
  let assignment = assign(current);
  let followUps = 0;
  while (revokedPartitions(current, assignment).length > 0 && followUps < maxFollowUps) {
    current = withOwnedFrom(current, assignment, 100 + followUps);
    assignment = assign(current);
    followUps++;
  }
  return { followUps, input: current, assignment };
}

// No member receives a partition that another member still lists as owned, unless its own claim outranks every
// other one by generation: then it already owns the partition and keeps it.
const neverAssignsWhatAnotherStillOwns = (assign: Assignor): fc.IProperty<[AssignmentInput]> =>
  fc.property(assignmentInputArbitrary(), (input) => {
    const assignment = assign(input);
    const generationOf = (memberId: string): number => input.members.find((m) => m.memberId === memberId)?.generation ?? -1;
    const claimantsOf = (key: string): string[] =>
      input.members.filter((m) => (m.ownedPartitions ?? []).some((p) => partitionKey(...p) === key)).map((m) => m.memberId);
    const handedOver = input.members.flatMap(({ memberId: receiver }) =>
      (assignment[receiver] ?? []).flatMap((partition) => {
        const claimants = claimantsOf(partitionKey(...partition));
        const ownsIt = claimants.includes(receiver);
        return claimants
          .filter((other) => other !== receiver && !(ownsIt && generationOf(other) < generationOf(receiver)))
          .map((other) => `${partition.join('-')} given to ${receiver} while ${other} owns it`);
      }),
    );
    expect(handedOver).toEqual([]);
  });

// The partitions held back in the first round all go out in the follow-up rebalance: by then their old owners
// have revoked them, so nobody claims them any more. (The follow-up may hold back other partitions that its own
// sticky assignment moves; with different subscriptions Kafka allows several rounds to settle.)
const handsOutWithheldPartitionsNextRound = (assign: Assignor): fc.IProperty<[AssignmentInput]> =>
  fc.property(assignmentInputArbitrary(), (input) => {
    const first = assign(input);
    const given = (assignment: Assignment): Set<string> => new Set(Object.values(assignment).flat().map((p) => partitionKey(...p)));
    const givenFirst = given(first);
    const withheld = assignablePartitions(input).filter((p) => !givenFirst.has(partitionKey(...p)));
    const givenNext = given(assign(withOwnedFrom(input, first, 50)));
    expect(withheld.filter((p) => !givenNext.has(partitionKey(...p)))).toEqual([]);
  });

// A cooperative assignor that holds back everything its receiver did not own: nothing ever moves.
const withholdsEveryNewPartition: Assignor = (input) => {
  const owned = new Set(input.members.flatMap((m) => (m.ownedPartitions ?? []).map((p) => `${m.memberId}/${partitionKey(...p)}`)));
  return Object.fromEntries(
    Object.entries(cooperativeStickyAssign(input)).map(([id, ps]) => [id, ps.filter((p) => owned.has(`${id}/${partitionKey(...p)}`))]),
  );
};

describe('cooperativeStickyAssign (Kafka CooperativeStickyAssignorTest)', () => {
  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer', () => {
    const input = {
      partitionsPerTopic: { topic: 3 },
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-1', 1),
        member('consumer2', ['topic'], 'topic-0, topic-2', 1),
        member('consumer3', ['topic'], '', 1),
      ],
    };
    // topic-0 counts as owned until both claimants have revoked it, so consumer3 waits a round for it
    // (eager sticky hands it over at once).
    expect(cooperativeStickyAssign(input)).toEqual({
      consumer1: partitionList('topic-1'),
      consumer2: partitionList('topic-2'),
      consumer3: [],
    });
    expect(stickyAssign(input).consumer3).toEqual(partitionList('topic-0'));
    expect(settle(cooperativeStickyAssign, input).assignment).toEqual({
      consumer1: partitionList('topic-1'),
      consumer2: partitionList('topic-2'),
      consumer3: partitionList('topic-0'),
    });
  });

  it('testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer', () => {
    const input = {
      partitionsPerTopic: { topic: 4 },
      members: [
        member('consumer1', ['topic'], 'topic-0, topic-1', 1),
        member('consumer2', ['topic'], 'topic-0, topic-2', 1),
        member('consumer3', ['topic'], '', 1),
      ],
    };
    expect(cooperativeStickyAssign(input)).toEqual({
      consumer1: partitionList('topic-1, topic-3'),
      consumer2: partitionList('topic-2'),
      consumer3: [],
    });
  });

  it('testAssignorWithOldVersionSubscriptions', () => {
    const input = {
      partitionsPerTopic: { topic1: 3 },
      members: [
        member('consumer1', ['topic1'], 'topic1-0', 1),
        member('consumer2', ['topic1'], 'topic1-1', 1),
        member('consumer3', ['topic1'], '', 1),
      ],
    };
    expect(cooperativeStickyAssign(input)).toEqual({
      consumer1: partitionList('topic1-0'),
      consumer2: partitionList('topic1-1'),
      consumer3: partitionList('topic1-2'),
    });
  });

  it('testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers', () => {
    const both = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 2, topic2: 2 },
      members: [
        member('consumer1', both, 'topic1-0, topic2-0', 1),
        member('consumer2', both, 'topic1-1, topic2-1', 1),
        member('consumer3', both, '', 1),
      ],
    };
    // Kafka's partitionsTransferringOwnership is {topic2-0: consumer3}: withheld now, handed out next round.
    expect(cooperativeStickyAssign(input)).toEqual({
      consumer1: partitionList('topic1-0'),
      consumer2: partitionList('topic1-1, topic2-1'),
      consumer3: [],
    });
    const { followUps, assignment } = settle(cooperativeStickyAssign, input);
    expect(followUps).toBe(1);
    expect(assignment).toEqual({
      consumer1: partitionList('topic1-0'),
      consumer2: partitionList('topic1-1, topic2-1'),
      consumer3: partitionList('topic2-0'),
    });
  });

  it('testAddRemoveTwoConsumersTwoTopics', () => {
    const all = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 4 },
      members: [
        member('consumer1', all, 'topic1-0, topic1-2, topic2-1, topic2-3', 1),
        member('consumer2', all, 'topic1-1, topic2-0, topic2-2', 1),
        member('consumer3', all, '', 1),
        member('consumer4', all, '', 1),
      ],
    };
    // Kafka's partitionsTransferringOwnership: topic1-2 and topic2-3 to consumer3, topic2-2 to consumer4.
    expect(cooperativeStickyAssign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-0'),
      consumer3: [],
      consumer4: [],
    });
    expect(settle(cooperativeStickyAssign, input).assignment).toEqual({
      consumer1: partitionList('topic1-0, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-0'),
      consumer3: partitionList('topic1-2, topic2-3'),
      consumer4: partitionList('topic2-2'),
    });
  });

  it('testRackAwareAssignmentWithNonEqualSubscription (without racks, owned partitions misplaced)', () => {
    const all = ['t1', 't2', 't3'];
    // consumer2 owns t2 partitions but subscribes only to t1 and t3. Generation -1, as Kafka's test builds it.
    const input = {
      partitionsPerTopic: { t1: 6, t2: 7, t3: 2 },
      members: [
        member('consumer0', all, 't1-0, t1-1, t1-2, t1-3, t1-4'),
        member('consumer1', all, 't1-5, t2-0, t2-1, t2-2, t2-3'),
        member('consumer2', ['t1', 't3'], 't2-4, t2-5, t2-6, t3-0, t3-1'),
      ],
    };
    const intermediate = cooperativeStickyAssign(input);
    expect(intermediate).toEqual({
      consumer0: partitionList('t1-2, t1-3, t1-4'),
      consumer1: partitionList('t2-0, t2-1, t2-2, t2-3'),
      consumer2: partitionList('t3-0, t3-1'),
    });
    expect(cooperativeStickyAssign(withOwnedFrom(input, intermediate, -1))).toEqual({
      consumer0: partitionList('t1-2, t1-3, t1-4, t2-4, t2-5'),
      consumer1: partitionList('t2-0, t2-1, t2-2, t2-3, t2-6'),
      consumer2: partitionList('t1-0, t1-1, t1-5, t3-0, t3-1'),
    });
  });
});

describe('cooperativeStickyAssign properties (KIP-429)', () => {
  it('never assigns a partition that another member still owns', () => {
    fc.assert(neverAssignsWhatAnotherStillOwns(cooperativeStickyAssign), propertyParameters());
  });

  it('weakened: eager sticky hands partitions over while their owner still holds them', () => {
    expect(fc.check(neverAssignsWhatAnotherStillOwns(stickyAssign), weakeningParameters()).failed).toBe(true);
  });

  it('holds back exactly the partitions that change owner: the rest is the sticky assignment', () => {
    fc.assert(
      fc.property(assignmentInputArbitrary(), (input) => {
        const target = stickyAssign(input);
        const assignment = cooperativeStickyAssign(input);
        const generationOf = (memberId: string): number => input.members.find((m) => m.memberId === memberId)?.generation ?? -1;
        const claimantsOf = (key: string): string[] =>
          input.members.filter((m) => (m.ownedPartitions ?? []).some((p) => partitionKey(...p) === key)).map((m) => m.memberId);
        // A member already owns a partition when it lists it and outranks every other member listing it.
        const changesOwner = (memberId: string, key: string): boolean => {
          const others = claimantsOf(key).filter((c) => c !== memberId);
          const ownsIt = claimantsOf(key).includes(memberId) && others.every((o) => generationOf(o) < generationOf(memberId));
          return others.length > 0 && !ownsIt;
        };
        for (const { memberId } of input.members) {
          const expected = (target[memberId] ?? []).filter((p) => !changesOwner(memberId, partitionKey(...p)));
          expect(assignment[memberId]).toEqual(expected);
        }
      }),
      propertyParameters(),
    );
  });

  it('lets the owner keep a partition that a member with an outdated generation still lists', () => {
    const input = {
      partitionsPerTopic: { topic: 2 },
      members: [member('consumer1', ['topic'], 'topic-0', 2), member('consumer2', ['topic'], 'topic-0, topic-1', 1)],
    };
    expect(cooperativeStickyAssign(input)).toEqual({ consumer1: partitionList('topic-0'), consumer2: partitionList('topic-1') });
  });

  it('hands out every withheld partition in the follow-up rebalance', () => {
    fc.assert(handsOutWithheldPartitionsNextRound(cooperativeStickyAssign), propertyParameters());
  });

  it('weakened: an assignor that never hands out a partition its receiver did not own never completes a move', () => {
    expect(fc.check(handsOutWithheldPartitionsNextRound(withholdsEveryNewPartition), weakeningParameters()).failed).toBe(true);
  });

  it('with identical subscriptions, the follow-up rebalance revokes nothing and ends balanced', () => {
    fc.assert(
      fc.property(assignmentInputArbitrary({ identicalSubscriptions: true }), (input) => {
        const next = withOwnedFrom(input, cooperativeStickyAssign(input), 50);
        const second = cooperativeStickyAssign(next);
        expect(revokedPartitions(next, second)).toEqual([]);
        expect(validityProblems(next, second, { complete: true })).toEqual([]);
        expect(balanceProblems(next, second)).toEqual([]);
      }),
      propertyParameters(),
    );
  });

  it('settles within 4 follow-up rebalances on a valid, complete, balanced assignment (Kafka\'s bound)', () => {
    fc.assert(
      fc.property(assignmentInputArbitrary(), (input) => {
        const settled = settle(cooperativeStickyAssign, input);
        expect(revokedPartitions(settled.input, settled.assignment)).toEqual([]);
        expect(validityProblems(settled.input, settled.assignment, { complete: true })).toEqual([]);
        expect(balanceProblems(settled.input, settled.assignment)).toEqual([]);
      }),
      propertyParameters(),
    );
  });
});
