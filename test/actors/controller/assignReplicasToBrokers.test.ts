import { describe, expect, it } from 'vitest';
import { assignReplicasToBrokers } from '../../../actors/controller/assignReplicasToBrokers.ts';
import { scriptedDraw } from './controllerFixtures.ts';

describe('assignReplicasToBrokers (AdminUtilsTest#testReplicaAssignment, rack unaware)', () => {
  it('refuses a replication factor above the live brokers', () => {
    expect(assignReplicasToBrokers([1, 2], { numPartitions: 1, replicationFactor: 3 }, scriptedDraw([]))).toEqual({
      ok: false,
      error: 'INVALID_REPLICATION_FACTOR',
      message: 'replication factor: 3 larger than available brokers: 2',
    });
  });

  it('starts at the drawn index and shifts the followers by one more after every round of brokers', () => {
    const placement = assignReplicasToBrokers([4, 3, 2, 1, 0], { numPartitions: 10, replicationFactor: 3 }, scriptedDraw([0, 0]));
    expect(placement).toEqual({
      ok: true,
      assignments: [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1], [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2]],
    });
  });
});
