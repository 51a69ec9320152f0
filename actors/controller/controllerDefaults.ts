// The controller's settings in one place, each next to the Kafka config it models (Kafka 3.9, KRaft).
// `KafkaConfig` / `ServerConfigs` / `ReplicationConfigs` / `KRaftConfigs` hold the Java definitions.

/** How the controller places the replicas of a new topic; see createTopic. */
export type ReplicaPlacer = 'striped' | 'rackUnaware';

/** The controller's configuration (all times in virtual milliseconds). */
export interface ControllerConfig {
  readonly brokerHeartbeatIntervalMs: number;
  readonly brokerSessionTimeoutMs: number;
  readonly uncleanLeaderElectionEnable: boolean;
  readonly defaultReplicationFactor: number;
  readonly numPartitions: number;
  readonly offsetsTopicNumPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
  readonly replicaPlacer: ReplicaPlacer;
}

/** Kafka's defaults for the controller settings the simulator models. */
export const controllerDefaults: ControllerConfig = {
  brokerHeartbeatIntervalMs: 2_000, // broker.heartbeat.interval.ms (the broker sends; listed here with the timeout it feeds)
  brokerSessionTimeoutMs: 9_000, // broker.session.timeout.ms
  uncleanLeaderElectionEnable: false, // unclean.leader.election.enable (false since 0.11, KIP-106)
  defaultReplicationFactor: 1, // default.replication.factor (used when CreateTopics asks for -1)
  numPartitions: 1, // num.partitions (used when CreateTopics asks for -1)
  offsetsTopicNumPartitions: 50, // offsets.topic.num.partitions
  offsetsTopicReplicationFactor: 3, // offsets.topic.replication.factor
  // No Kafka setting: KRaft always uses StripedReplicaPlacer; 'rackUnaware' is the ZooKeeper-era
  // AdminUtils.assignReplicasToBrokers, kept for scenarios that want Kafka <= 2.x placement.
  replicaPlacer: 'striped',
};
