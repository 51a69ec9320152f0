import { describe, expect, it } from 'vitest';
import type { AssignmentInput, AssignorMember } from '../../../actors/assignors/AssignmentInput.ts';
import { roundRobinAssign } from '../../../actors/assignors/roundRobinAssign.ts';
import type { TopicPartition } from '../../../actors/assignors/TopicPartition.ts';
import { partitionList } from './partitionList.ts';

// The cases of Kafka's RoundRobinAssignorTest (clients/src/test/java/org/apache/kafka/clients/consumer), one `it`
// per Kafka test, with Kafka's inputs and expected outputs.

const member = (memberId: string, topics: string[], groupInstanceId?: string): AssignorMember =>
  groupInstanceId === undefined ? { memberId, topics } : { memberId, topics, groupInstanceId };

// Kafka's checkStaticAssignment: the assignment keyed by group.instance.id instead of member id.
function byInstanceId(input: AssignmentInput): Record<string, TopicPartition[]> {
  const assignment = roundRobinAssign(input);
  return Object.fromEntries(
    input.members.flatMap((m) => (m.groupInstanceId === undefined ? [] : [[m.groupInstanceId, assignment[m.memberId] ?? []]])),
  );
}

describe('roundRobinAssign (Kafka RoundRobinAssignorTest)', () => {
  it('testOneConsumerNoTopic', () => {
    expect(roundRobinAssign({ partitionsPerTopic: {}, members: [member('consumer', [])] })).toEqual({ consumer: [] });
  });

  it('testOneConsumerNonexistentTopic', () => {
    const input = { partitionsPerTopic: {}, members: [member('consumer', ['topic'])] };
    expect(roundRobinAssign(input)).toEqual({ consumer: [] });
  });

  it('testOneConsumerOneTopic', () => {
    const input = { partitionsPerTopic: { topic: 3 }, members: [member('consumer', ['topic'])] };
    expect(roundRobinAssign(input)).toEqual({ consumer: partitionList('topic-0, topic-1, topic-2') });
  });

  it('testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    const input = { partitionsPerTopic: { topic: 3, other: 3 }, members: [member('consumer', ['topic'])] };
    expect(roundRobinAssign(input)).toEqual({ consumer: partitionList('topic-0, topic-1, topic-2') });
  });

  it('testOneConsumerMultipleTopics', () => {
    const input = { partitionsPerTopic: { topic1: 1, topic2: 2 }, members: [member('consumer', ['topic1', 'topic2'])] };
    expect(roundRobinAssign(input)).toEqual({ consumer: partitionList('topic1-0, topic2-0, topic2-1') });
  });

  it('testTwoConsumersOneTopicOnePartition', () => {
    const input = { partitionsPerTopic: { topic: 1 }, members: [
      member('consumer1', ['topic']),
      member('consumer2', ['topic']),
    ] };
    expect(roundRobinAssign(input)).toEqual({ consumer1: partitionList('topic-0'), consumer2: [] });
  });

  it('testTwoConsumersOneTopicTwoPartitions', () => {
    const input = { partitionsPerTopic: { topic: 2 }, members: [
      member('consumer1', ['topic']),
      member('consumer2', ['topic']),
    ] };
    expect(roundRobinAssign(input)).toEqual({ consumer1: partitionList('topic-0'), consumer2: partitionList('topic-1') });
  });

  it('testMultipleConsumersMixedTopics', () => {
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 2 },
      members: [
        member('consumer1', ['topic1']),
        member('consumer2', ['topic1', 'topic2']),
        member('consumer3', ['topic1']),
      ],
    };
    expect(roundRobinAssign(input)).toEqual({
      consumer1: partitionList('topic1-0'),
      consumer2: partitionList('topic1-1, topic2-0, topic2-1'),
      consumer3: partitionList('topic1-2'),
    });
  });

  it('testTwoDynamicConsumersTwoTopicsSixPartitions', () => {
    const both = ['topic1', 'topic2'];
    const input = { partitionsPerTopic: { topic1: 3, topic2: 3 }, members: [
      member('consumer1', both),
      member('consumer2', both),
    ] };
    expect(roundRobinAssign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic1-2, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-0, topic2-2'),
    });
  });

  it('testTwoStaticConsumersTwoTopicsSixPartitions', () => {
    // consumer-a sorts before consumer-b by member id, but static members are ordered by instance id.
    const both = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 3 },
      members: [member('consumer-b', both, 'instance1'), member('consumer-a', both, 'instance2')],
    };
    expect(roundRobinAssign(input)).toEqual({
      'consumer-b': partitionList('topic1-0, topic1-2, topic2-1'),
      'consumer-a': partitionList('topic1-1, topic2-0, topic2-2'),
    });
  });

  it('testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions', () => {
    const both = ['topic1', 'topic2'];
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 3 },
      members: [member('consumer-b', both, 'instance1'), member('consumer-a', both)],
    };
    expect(roundRobinAssign(input)).toEqual({
      'consumer-b': partitionList('topic1-0, topic1-2, topic2-1'),
      'consumer-a': partitionList('topic1-1, topic2-0, topic2-2'),
    });
  });

  it('testStaticMemberAssignmentPersistent', () => {
    const both = ['topic1', 'topic2'];
    const statics = [
      member('consumer1', both, 'instance1'),
      member('consumer2', both, 'instance2'),
      member('consumer3', both, 'instance3'),
    ];
    const partitionsPerTopic = { topic1: 3, topic2: 3 };
    const expectedStatic = {
      consumer1: partitionList('topic1-0, topic2-1'),
      consumer2: partitionList('topic1-1, topic2-2'),
      consumer3: partitionList('topic1-2'),
    };
    expect(roundRobinAssign({ partitionsPerTopic, members: [...statics, member('consumer4', both)] })).toEqual({
      ...expectedStatic,
      consumer4: partitionList('topic2-0'),
    });
    expect(roundRobinAssign({ partitionsPerTopic, members: [...statics, member('consumer5', both)] })).toEqual({
      ...expectedStatic,
      consumer5: partitionList('topic2-0'),
    });
  });

  it('testStaticMemberAssignmentPersistentAfterMemberIdChanges', () => {
    const both = ['topic1', 'topic2'];
    const partitionsPerTopic = { topic1: 3, topic2: 3 };
    const expected = {
      instance1: partitionList('topic1-0, topic2-0'),
      instance2: partitionList('topic1-1, topic2-1'),
      instance3: partitionList('topic1-2, topic2-2'),
    };
    const before = {
      partitionsPerTopic,
      members: [
        member('consumer1', both, 'instance1'),
        member('consumer2', both, 'instance2'),
        member('consumer3', both, 'instance3'),
      ],
    };
    expect(byInstanceId(before)).toEqual(expected);
    // New member ids, in the opposite order to the instance ids: instance ids still decide.
    const after = {
      partitionsPerTopic,
      members: [
        member('consumer4', both, 'instance1'),
        member('consumer5', both, 'instance2'),
        member('consumer1', both, 'instance3'),
      ],
    };
    expect(byInstanceId(after)).toEqual(expected);
  });
});

describe('roundRobinAssign member order', () => {
  it('deals in UTF-16 code-unit order of member ids: consumer-10 is dealt before consumer-2', () => {
    const input = {
      partitionsPerTopic: { topic: 3 },
      members: [member('consumer-2', ['topic']), member('consumer-10', ['topic'])],
    };
    expect(roundRobinAssign(input)).toEqual({
      'consumer-2': partitionList('topic-1'),
      'consumer-10': partitionList('topic-0, topic-2'),
    });
  });

  it('deals topics in String.compareTo order, not in subscription order', () => {
    const input = {
      partitionsPerTopic: { b: 1, a: 1, C: 1 },
      members: [member('m1', ['b', 'a', 'C']), member('m2', ['b', 'a', 'C'])],
    };
    // C < a < b in UTF-16: m1 gets C-0 and b-0, m2 gets a-0.
    expect(roundRobinAssign(input)).toEqual({ m1: partitionList('C-0, b-0'), m2: partitionList('a-0') });
  });
});
