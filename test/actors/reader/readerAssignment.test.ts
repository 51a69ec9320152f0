import { describe, expect, it } from 'vitest';
import { metadataTopics, readerPartition, resolveAssignment } from '../../../actors/reader/index.ts';
import type { PartitionState } from '../../../src/protocol/messages.ts';

const state = (topic: string, partition: number): PartitionState => ({
  topic,
  partition,
  replicas: [1],
  isr: [1],
  leader: 1,
  leaderEpoch: 0,
  partitionEpoch: 0,
});
const keys = (assignment: ReturnType<typeof resolveAssignment>) => assignment?.map((p) => p.key);

describe('readerAssignment', () => {
  it('asks metadata for its topics and the topics of its single partitions, each once', () => {
    expect(metadataTopics({ topics: ['a', 'b'], partitions: [readerPartition('c', 0), readerPartition('a', 1)] })).toEqual(['a', 'b', 'c']);
  });

  it('assigns every partition of a topic, by number, then the single partitions', () => {
    const response = { partitions: [state('a', 2), state('a', 0), state('a', 1), state('b', 3)], topicErrors: {} };
    const assignment = resolveAssignment({ topics: ['a'], partitions: [readerPartition('b', 3), readerPartition('a', 0)] }, response);
    expect(keys(assignment)).toEqual(['a-0', 'a-1', 'a-2', 'b-3']);
    expect(assignment?.[3]).toEqual({ topic: 'b', partition: 3, key: 'b-3' });
  });

  it('waits while a topic is unknown or a single partition is not in metadata', () => {
    const config = { topics: ['a'], partitions: [] };
    expect(resolveAssignment(config, { partitions: [], topicErrors: { a: 'UNKNOWN_TOPIC_OR_PARTITION' } })).toBeUndefined();
    expect(resolveAssignment(config, { partitions: [state('b', 0)], topicErrors: {} })).toBeUndefined();
    const single = { topics: [], partitions: [readerPartition('a', 5)] };
    expect(resolveAssignment(single, { partitions: [state('a', 0)], topicErrors: {} })).toBeUndefined();
  });
});
