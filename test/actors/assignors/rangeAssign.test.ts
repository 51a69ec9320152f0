import { describe, expect, it } from 'vitest';
import type { AssignmentInput, AssignorMember } from '../../../actors/assignors/AssignmentInput.ts';
import { rangeAssign } from '../../../actors/assignors/rangeAssign.ts';
import type { TopicPartition } from '../../../actors/assignors/TopicPartition.ts';
import { partitionList } from './partitionList.ts';

// The cases of Kafka's RangeAssignorTest (clients/src/test/java/org/apache/kafka/clients/consumer), one `it` per
// Kafka test, with Kafka's inputs and expected outputs. The rack-aware tests contribute their expectations for
// runs without racks, the only mode the simulator models.

const member = (memberId: string, topics: string[], groupInstanceId?: string): AssignorMember =>
  groupInstanceId === undefined ? { memberId, topics } : { memberId, topics, groupInstanceId };

// Kafka's checkStaticAssignment: the assignment keyed by group.instance.id instead of member id.
function byInstanceId(input: AssignmentInput): Record<string, TopicPartition[]> {
  const assignment = rangeAssign(input);
  return Object.fromEntries(
    input.members.flatMap((m) => (m.groupInstanceId === undefined ? [] : [[m.groupInstanceId, assignment[m.memberId] ?? []]])),
  );
}

// Kafka's verifyRackAssignment names its consumers consumer0, consumer1, ... and states each expected
// assignment as a sorted string.
function consumersByIndex(topicsPerConsumer: string[][], partitionsPerTopic: Record<string, number>): AssignmentInput {
  return { partitionsPerTopic, members: topicsPerConsumer.map((topics, i) => member(`consumer${i}`, topics)) };
}
const expectedByIndex = (expected: string[]): Record<string, TopicPartition[]> =>
  Object.fromEntries(expected.map((text, i) => [`consumer${i}`, partitionList(text)]));

describe('rangeAssign (Kafka RangeAssignorTest)', () => {
  it('testOneConsumerNoTopic', () => {
    expect(rangeAssign({ partitionsPerTopic: {}, members: [member('consumer1', [])] })).toEqual({ consumer1: [] });
  });

  it('testOneConsumerNonexistentTopic', () => {
    const input = { partitionsPerTopic: {}, members: [member('consumer1', ['topic1'])] };
    expect(rangeAssign(input)).toEqual({ consumer1: [] });
  });

  it('testOneConsumerOneTopic', () => {
    const input = { partitionsPerTopic: { topic1: 3 }, members: [member('consumer1', ['topic1'])] };
    expect(rangeAssign(input)).toEqual({ consumer1: partitionList('topic1-0, topic1-1, topic1-2') });
  });

  it('testOnlyAssignsPartitionsFromSubscribedTopics', () => {
    const input = { partitionsPerTopic: { topic1: 3, other: 3 }, members: [member('consumer1', ['topic1'])] };
    expect(rangeAssign(input)).toEqual({ consumer1: partitionList('topic1-0, topic1-1, topic1-2') });
  });

  it('testOneConsumerMultipleTopics', () => {
    const input = { partitionsPerTopic: { topic1: 1, topic2: 2 }, members: [member('consumer1', ['topic1', 'topic2'])] };
    expect(rangeAssign(input)).toEqual({ consumer1: partitionList('topic1-0, topic2-0, topic2-1') });
  });

  it('testTwoConsumersOneTopicOnePartition', () => {
    const input = {
      partitionsPerTopic: { topic1: 1 },
      members: [member('consumer1', ['topic1']), member('consumer2', ['topic1'])],
    };
    expect(rangeAssign(input)).toEqual({ consumer1: partitionList('topic1-0'), consumer2: [] });
  });

  it('testTwoConsumersOneTopicTwoPartitions', () => {
    const input = {
      partitionsPerTopic: { topic1: 2 },
      members: [member('consumer1', ['topic1']), member('consumer2', ['topic1'])],
    };
    expect(rangeAssign(input)).toEqual({ consumer1: partitionList('topic1-0'), consumer2: partitionList('topic1-1') });
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
    expect(rangeAssign(input)).toEqual({
      consumer1: partitionList('topic1-0'),
      consumer2: partitionList('topic1-1, topic2-0, topic2-1'),
      consumer3: partitionList('topic1-2'),
    });
  });

  it('testTwoConsumersTwoTopicsSixPartitions', () => {
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 3 },
      members: [member('consumer1', ['topic1', 'topic2']), member('consumer2', ['topic1', 'topic2'])],
    };
    expect(rangeAssign(input)).toEqual({
      consumer1: partitionList('topic1-0, topic1-1, topic2-0, topic2-1'),
      consumer2: partitionList('topic1-2, topic2-2'),
    });
  });

  it('testTwoStaticConsumersTwoTopicsSixPartitions', () => {
    // consumer-a sorts before consumer-b by member id, but static members are ordered by instance id.
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 3 },
      members: [
        member('consumer-b', ['topic1', 'topic2'], 'instance1'),
        member('consumer-a', ['topic1', 'topic2'], 'instance2'),
      ],
    };
    expect(rangeAssign(input)).toEqual({
      'consumer-b': partitionList('topic1-0, topic1-1, topic2-0, topic2-1'),
      'consumer-a': partitionList('topic1-2, topic2-2'),
    });
  });

  it('testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions', () => {
    // A member with an instance id comes before every member without one.
    const input = {
      partitionsPerTopic: { topic1: 3, topic2: 3 },
      members: [member('consumer-b', ['topic1', 'topic2'], 'instance1'), member('consumer-a', ['topic1', 'topic2'])],
    };
    expect(rangeAssign(input)).toEqual({
      'consumer-b': partitionList('topic1-0, topic1-1, topic2-0, topic2-1'),
      'consumer-a': partitionList('topic1-2, topic2-2'),
    });
  });

  it('testStaticMemberRangeAssignmentPersistent', () => {
    const both = ['topic1', 'topic2'];
    const statics = [
      member('consumer1', both, 'instance1'),
      member('consumer2', both, 'instance2'),
      member('consumer3', both, 'instance3'),
    ];
    const partitionsPerTopic = { topic1: 5, topic2: 4 };
    const expectedStatic = {
      consumer1: partitionList('topic1-0, topic1-1, topic2-0'),
      consumer2: partitionList('topic1-2, topic2-1'),
      consumer3: partitionList('topic1-3, topic2-2'),
    };
    expect(rangeAssign({ partitionsPerTopic, members: [...statics, member('consumer4', both)] })).toEqual({
      ...expectedStatic,
      consumer4: partitionList('topic1-4, topic2-3'),
    });
    // A new dynamic member replacing the old one takes its place; the static members' assignment is untouched.
    expect(rangeAssign({ partitionsPerTopic, members: [...statics, member('consumer5', both)] })).toEqual({
      ...expectedStatic,
      consumer5: partitionList('topic1-4, topic2-3'),
    });
  });

  it('testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges', () => {
    const both = ['topic1', 'topic2'];
    const partitionsPerTopic = { topic1: 5, topic2: 5 };
    const before = {
      partitionsPerTopic,
      members: [
        member('consumer1', both, 'instance1'),
        member('consumer2', both, 'instance2'),
        member('consumer3', both, 'instance3'),
      ],
    };
    expect(byInstanceId(before)).toEqual({
      instance1: partitionList('topic1-0, topic1-1, topic2-0, topic2-1'),
      instance2: partitionList('topic1-2, topic1-3, topic2-2, topic2-3'),
      instance3: partitionList('topic1-4, topic2-4'),
    });
    // The rejoining static members come back with new member ids; by instance id nothing changes.
    const after = {
      partitionsPerTopic,
      members: [
        member('consumer1', both, 'instance1'),
        member('consumer5', both, 'instance2'),
        member('consumer4', both, 'instance3'),
      ],
    };
    expect(byInstanceId(after)).toEqual(byInstanceId(before));
  });

  it('testRackAwareAssignmentWithUniformSubscription (without racks)', () => {
    const all = ['t1', 't2', 't3'];
    const input = consumersByIndex([all, all, all], { t1: 6, t2: 7, t3: 2 });
    expect(rangeAssign(input)).toEqual(
      expectedByIndex(['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0', 't1-2, t1-3, t2-3, t2-4, t3-1', 't1-4, t1-5, t2-5, t2-6']),
    );
  });

  it('testRackAwareAssignmentWithNonEqualSubscription (without racks)', () => {
    const all = ['t1', 't2', 't3'];
    const input = consumersByIndex([all, all, ['t1', 't3']], { t1: 6, t2: 7, t3: 2 });
    expect(rangeAssign(input)).toEqual(
      expectedByIndex(['t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0', 't1-2, t1-3, t2-4, t2-5, t2-6, t3-1', 't1-4, t1-5']),
    );
  });

  it('testRackAwareAssignmentWithUniformPartitions (without racks)', () => {
    const all = ['t1', 't2', 't3'];
    const input = consumersByIndex([all, all, all], { t1: 5, t2: 5, t3: 5 });
    expect(rangeAssign(input)).toEqual(
      expectedByIndex(['t1-0, t1-1, t2-0, t2-1, t3-0, t3-1', 't1-2, t1-3, t2-2, t2-3, t3-2, t3-3', 't1-4, t2-4, t3-4']),
    );
  });

  it('testRackAwareAssignmentWithUniformPartitionsNonEqualSubscription (without racks)', () => {
    const all = ['t1', 't2', 't3'];
    const input = consumersByIndex([all, all, ['t1', 't3']], { t1: 5, t2: 5, t3: 5 });
    expect(rangeAssign(input)).toEqual(
      expectedByIndex(['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1', 't1-2, t1-3, t2-3, t2-4, t3-2, t3-3', 't1-4, t3-4']),
    );
  });

  it('testRackAwareAssignmentWithCoPartitioning (without racks)', () => {
    const partitionsPerTopic = { t1: 6, t2: 6, t3: 2, t4: 2 };
    const split = consumersByIndex([['t1', 't2'], ['t1', 't2'], ['t3', 't4'], ['t3', 't4']], partitionsPerTopic);
    expect(rangeAssign(split)).toEqual(
      expectedByIndex(['t1-0, t1-1, t1-2, t2-0, t2-1, t2-2', 't1-3, t1-4, t1-5, t2-3, t2-4, t2-5', 't3-0, t4-0', 't3-1, t4-1']),
    );
    const all = ['t1', 't2', 't3', 't4'];
    const shared = consumersByIndex([all, all, all, all], partitionsPerTopic);
    expect(rangeAssign(shared)).toEqual(
      expectedByIndex(['t1-0, t1-1, t2-0, t2-1, t3-0, t4-0', 't1-2, t1-3, t2-2, t2-3, t3-1, t4-1', 't1-4, t2-4', 't1-5, t2-5']),
    );
  });

  it('testCoPartitionedAssignmentWithSameSubscription (without racks)', () => {
    // t7, t8 and t9 are subscribed but absent from the metadata: they are skipped.
    const topics = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
    const input = consumersByIndex([topics, topics, topics], { t1: 6, t2: 6, t3: 2, t4: 2, t5: 4, t6: 4 });
    expect(rangeAssign(input)).toEqual(
      expectedByIndex([
        't1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1',
        't1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2',
        't1-4, t1-5, t2-4, t2-5, t5-3, t6-3',
      ]),
    );
  });
});

describe('rangeAssign member order', () => {
  it('orders member ids by UTF-16 code units, so consumer-10 gets the extra partition before consumer-2', () => {
    const input = {
      partitionsPerTopic: { topic: 3 },
      members: [member('consumer-2', ['topic']), member('consumer-10', ['topic'])],
    };
    expect(rangeAssign(input)).toEqual({
      'consumer-2': partitionList('topic-2'),
      'consumer-10': partitionList('topic-0, topic-1'),
    });
  });

  it('orders uppercase before lowercase, as Java does and locale collation does not', () => {
    const input = { partitionsPerTopic: { topic: 1 }, members: [member('a', ['topic']), member('Z', ['topic'])] };
    expect(rangeAssign(input)).toEqual({ a: [], Z: partitionList('topic-0') });
  });

  it('gives the first member every topic\'s extra partition, leaving totals unbalanced', () => {
    const both = ['t1', 't2'];
    const input = { partitionsPerTopic: { t1: 3, t2: 3 }, members: [member('c1', both), member('c2', both)] };
    const sizes = Object.values(rangeAssign(input)).map((partitions) => partitions.length);
    expect(sizes).toEqual([4, 2]);
  });
});
