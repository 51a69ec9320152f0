import { describe, expect, it } from 'vitest';
import { decideCreatePartitions } from '../../../actors/zkcontroller/createPartitions.ts';

// `AdminZkClient#createNewPartitionsAssignment`: new partitions placed from partition 0's first replica, numbered
// on from the current count, the whole assignment written back to the topic's znode.

const view = (assignments: number[][], brokers = [1, 2, 3, 4]) => ({
  liveBrokers: Object.fromEntries(brokers.map((id) => [id, id * 100])),
  partitions: assignments.map((replicas, partition) => ({ topic: 't', partition, replicas, state: null })),
});

describe('CreatePartitions in ZooKeeper mode', () => {
  it('places the new partitions as AdminUtils does with a fixed start index, and writes the whole assignment', () => {
    // Partition 0's first replica is broker 3 (index 2 of [1, 2, 3, 4]): start index and first shift 2; partition 2
    // leads on broker (2 + 2) % 4 -> index 0, its follower at 1 + (2 % 3) past it; partition 3 on index 1.
    const decision = decideCreatePartitions(view([[3, 4], [4, 1]]), 't', 4);
    expect(decision).toEqual({
      kind: 'write',
      path: '/brokers/topics/t',
      data: { version: 2, partitions: { 0: [3, 4], 1: [4, 1], 2: [1, 4], 3: [2, 1] }, adding_replicas: {}, removing_replicas: {} },
    });
  });

  it('refuses an unknown topic and a count that is no increase, as Kafka words them', () => {
    expect(decideCreatePartitions(view([[1, 2]]), 'nope', 3)).toMatchObject({ kind: 'refuse', errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(decideCreatePartitions(view([[1, 2], [2, 3]]), 't', 2)).toEqual({
      kind: 'refuse',
      errorCode: 'INVALID_PARTITIONS',
      message: 'The number of partitions for a topic can only be increased. Topic t currently has 2 partitions, 2 would not be an increase.',
    });
  });

  it('refuses a replication factor the live brokers cannot hold', () => {
    expect(decideCreatePartitions(view([[1, 2, 3]], [1, 2]), 't', 2)).toMatchObject({ kind: 'refuse', errorCode: 'INVALID_REPLICATION_FACTOR' });
  });
});
