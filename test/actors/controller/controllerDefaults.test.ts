import { describe, expect, it } from 'vitest';
import { controllerDefaults } from '../../../actors/controller/controllerDefaults.ts';

describe('controllerDefaults', () => {
  it("are Kafka 3.9's: 2 s heartbeats, 9 s sessions, no unclean elections, 50 offsets partitions, ELR off", () => {
    expect(controllerDefaults).toEqual({
      brokerHeartbeatIntervalMs: 2_000,
      brokerSessionTimeoutMs: 9_000,
      uncleanLeaderElectionEnable: false,
      defaultReplicationFactor: 1,
      numPartitions: 1,
      offsetsTopicNumPartitions: 50,
      offsetsTopicReplicationFactor: 3,
      replicaPlacer: 'striped',
      eligibleLeaderReplicasVersion: 0,
      minInsyncReplicas: 1,
      topicMinInsyncReplicas: {},
      autoLeaderRebalanceEnable: true,
      leaderImbalanceCheckIntervalMs: 300_000,
      leaderImbalancePerBrokerPercentage: 10,
    });
  });
});
