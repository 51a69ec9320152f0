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
  /**
   * The `eligible.leader.replicas.version` feature: 1 turns Eligible Leader Replicas on (KIP-966; the default for
   * new clusters since Kafka 4.1), 0 leaves them off (Kafka 3.9). The scenario's `kafka.version` sets it.
   */
  readonly eligibleLeaderReplicasVersion: 0 | 1;
  /** The cluster's min.insync.replicas, for topics that do not set their own (ELR needs it on the controller). */
  readonly minInsyncReplicas: number;
  /** Topic-level min.insync.replicas by topic name (the topic configs the controller stores). */
  readonly topicMinInsyncReplicas: Readonly<Record<string, number>>;
  /** Whether the controller moves leaderships back to preferred replicas (balancePartitionLeaders.ts). */
  readonly autoLeaderRebalanceEnable: boolean;
  /** How long balancing waits after it last ran while partitions are imbalanced. */
  readonly leaderImbalanceCheckIntervalMs: number;
  /**
   * The ZooKeeper controller's threshold of imbalanced leaderships per broker before it balances; the KRaft
   * controller does not read it (any imbalanced partition counts). Kept for the ZooKeeper mode.
   */
  readonly leaderImbalancePerBrokerPercentage: number;
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
  eligibleLeaderReplicasVersion: 0, // eligible.leader.replicas.version (0 in 3.9; 1 for new clusters from 4.1)
  minInsyncReplicas: 1, // min.insync.replicas
  topicMinInsyncReplicas: {},
  autoLeaderRebalanceEnable: true, // auto.leader.rebalance.enable
  leaderImbalanceCheckIntervalMs: 300_000, // leader.imbalance.check.interval.seconds (300)
  leaderImbalancePerBrokerPercentage: 10, // leader.imbalance.per.broker.percentage
};

