import { coordinatorDefaults } from '../coordinator/coordinatorDefaults.ts';
import { brokerDefaults } from './brokerDefaults.ts';

// The broker machine's settings, each next to the Kafka config it models (Kafka 3.9), and the weakenings that
// remove one of Kafka's guards to reproduce a known bug (shared/reference/bug-catalog.md). Times are virtual ms.

/** What a broker does differently under a weakening; every flag is off in a faithful run. */
export interface BrokerWeakenings {
  /**
   * Bug R3 (pre-KIP-101): a follower truncates its log to its own high watermark when it starts following a new
   * leader, instead of asking the leader where its epoch ends; its fetches carry no lastFetchedEpoch.
   */
  readonly truncateToHighWatermark: boolean;
  /**
   * Bug R6 (KAFKA-6880, before KIP-320): fetches are not fenced by leader epoch. Followers send neither their
   * current leader epoch nor the epoch of their last batch, and the leader checks neither, so a follower whose
   * log diverged (it missed the epoch change that should have truncated it) counts as caught up and keeps its
   * divergent records.
   */
  readonly noFetchEpochFencing: boolean;
  /**
   * Bug C1: the group coordinator stores an OffsetCommit without checking the member and its generation, so a
   * zombie consumer (one that paused past its session and lost its partitions) overwrites the new owner's offsets.
   */
  readonly noGenerationFencing: boolean;
  /** Bug C3 (KAFKA-8500): a static member rejoining during a rebalance keeps the old member id (see joinGroup). */
  readonly staticMemberIdNotReplaced: boolean;
  /**
   * Bug P3 (KIP-98): followers keep no producer state for the batches they replicate, so a new leader accepts a
   * retry of a batch it already holds as a first write.
   */
  readonly producerStateNotReplicated: boolean;
  /** Bug P3 (KIP-98, before KAFKA-5494): the broker remembers only a producer's last batch, not the last five. */
  readonly dedupWindowOneBatch: boolean;
  /** Leaders serve consumer fetches up to the log end offset instead of the high watermark. */
  readonly fetchBeyondHighWatermark: boolean;
  /**
   * Bug X2: the group coordinator's appends (offset commits, group metadata) are answered once they are in its own
   * log, as `offsets.commit.required.acks=1` did, not once the ISR has them.
   */
  readonly offsetCommitAcksOne: boolean;
  /** The group coordinator hands out a leader's assignment before its GroupMetadata record commits. */
  readonly assignmentBeforeCommit: boolean;
  /** Bug P3: a restarted broker does not rebuild its producers' state from the log. */
  readonly producerStateLostOnRestart: boolean;
  /** The leader moves its high watermark to its own log end offset, without waiting for the ISR. */
  readonly highWatermarkFromLeaderAlone: boolean;
}

/** Every broker weakening off: a faithful broker. */
export const faithfulBroker: BrokerWeakenings = {
  truncateToHighWatermark: false,
  noFetchEpochFencing: false,
  noGenerationFencing: false,
  staticMemberIdNotReplaced: false,
  producerStateNotReplicated: false,
  dedupWindowOneBatch: false,
  fetchBeyondHighWatermark: false,
  offsetCommitAcksOne: false,
  assignmentBeforeCommit: false,
  producerStateLostOnRestart: false,
  highWatermarkFromLeaderAlone: false,
};

/** The broker's settings. */
export interface BrokerConfig {
  readonly replicaLagTimeMaxMs: number;
  readonly minInsyncReplicas: number;
  /** Per-topic `min.insync.replicas` overrides (topic configs). */
  readonly topicMinInsyncReplicas: Readonly<Record<string, number>>;
  readonly brokerHeartbeatIntervalMs: number;
  readonly registrationRetryMs: number;
  readonly replicaFetchWaitMaxMs: number;
  readonly replicaFetchBackoffMs: number;
  readonly replicaSocketTimeoutMs: number;
  readonly replicaFetchMinBytes: number;
  readonly replicaFetchMaxBytes: number;
  readonly replicaFetchResponseMaxBytes: number;
  readonly alterPartitionTimeoutMs: number;
  readonly flushIntervalMs: number;
  /**
   * Whether the HW stands still while the ISR is below min.insync.replicas (Kafka 3.7+, KAFKA-15583). Off, the
   * broker behaves as Kafka before 3.7: the HW follows a shrunken ISR and acks=all produces waiting on it end
   * with NOT_ENOUGH_REPLICAS_AFTER_APPEND.
   */
  readonly freezeHighWatermarkBelowMinIsr: boolean;
  // The group coordinator this broker hosts for the `__consumer_offsets` partitions it leads (the topic's partition
  // count and replication factor are the controller's offsetsTopicNumPartitions and offsetsTopicReplicationFactor).
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly newMemberJoinTimeoutMs: number;
  readonly offsetCommitTimeoutMs: number;
  /** How long loading a `__consumer_offsets` partition takes once this broker leads it. */
  readonly offsetsLoadTimeMs: number;
  /**
   * Where the cluster keeps its metadata: 'kraft' (a controller quorum, the broker registers and heartbeats) or
   * 'zookeeper' (Kafka 3.9 and before with `zookeeper.connect`: a ZooKeeper session, and a controller elected among
   * the brokers).
   */
  readonly metadataMode: 'kraft' | 'zookeeper';
  /** zookeeper.session.timeout.ms (18 s since 2.5, KIP-537). */
  readonly zookeeperSessionTimeoutMs: number;
  /** ZooKeeper mode: controlled.shutdown.max.retries, the ControlledShutdownRequests a stopping broker sends at most. */
  readonly controlledShutdownMaxRetries: number;
  /** ZooKeeper mode: controlled.shutdown.retry.backoff.ms, the wait after one that failed or left partitions behind. */
  readonly controlledShutdownRetryBackoffMs: number;
  /** unclean.leader.election.enable, which a ZooKeeper-mode controller reads from its broker's config. */
  readonly uncleanLeaderElectionEnable: boolean;
  /** auto.leader.rebalance.enable, which a ZooKeeper-mode controller reads from its broker's config. */
  readonly autoLeaderRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds, in ms (ZooKeeper-mode controller). */
  readonly leaderImbalanceCheckIntervalMs: number;
  /** leader.imbalance.per.broker.percentage (ZooKeeper-mode controller). */
  readonly leaderImbalancePerBrokerPercentage: number;
  readonly weakenings: BrokerWeakenings;
}

/** Kafka's defaults for the broker settings the simulator models. */
export const brokerConfigDefaults: BrokerConfig = {
  replicaLagTimeMaxMs: brokerDefaults.replicaLagTimeMaxMs, // replica.lag.time.max.ms
  minInsyncReplicas: brokerDefaults.minInsyncReplicas, // min.insync.replicas
  topicMinInsyncReplicas: {},
  brokerHeartbeatIntervalMs: 2_000, // broker.heartbeat.interval.ms
  // No Kafka setting of this name: a KRaft broker retries registration after its request times out.
  registrationRetryMs: 1_000,
  replicaFetchWaitMaxMs: 500, // replica.fetch.wait.max.ms (the leader holds a follower fetch this long for data)
  replicaFetchBackoffMs: 1_000, // replica.fetch.backoff.ms
  replicaSocketTimeoutMs: 30_000, // replica.socket.timeout.ms (a follower fetch with no answer is abandoned)
  replicaFetchMinBytes: 1, // replica.fetch.min.bytes
  replicaFetchMaxBytes: 1_048_576, // replica.fetch.max.bytes (per partition; the first batch may exceed it, KIP-74)
  replicaFetchResponseMaxBytes: 10_485_760, // replica.fetch.response.max.bytes
  // controller.socket.timeout.ms: an AlterPartition with no answer this long is sent again (never given up).
  alterPartitionTimeoutMs: 30_000,
  // log.flush.interval.ms is unset by default: Kafka never fsyncs per write and leaves the page cache to the
  // OS, which writes dirty pages back after about 30 s (Linux's dirty_expire_centisecs).
  flushIntervalMs: 30_000,
  freezeHighWatermarkBelowMinIsr: true,
  groupMinSessionTimeoutMs: coordinatorDefaults.groupMinSessionTimeoutMs, // group.min.session.timeout.ms
  groupMaxSessionTimeoutMs: coordinatorDefaults.groupMaxSessionTimeoutMs, // group.max.session.timeout.ms
  groupInitialRebalanceDelayMs: coordinatorDefaults.groupInitialRebalanceDelayMs, // group.initial.rebalance.delay.ms
  newMemberJoinTimeoutMs: coordinatorDefaults.newMemberJoinTimeoutMs,
  offsetCommitTimeoutMs: 5_000, // offsets.commit.timeout.ms (how long a coordinator append waits for the ISR)
  // No Kafka setting: Kafka loads a partition's groups on a background thread, in time that grows with the log.
  offsetsLoadTimeMs: 100,
  metadataMode: 'kraft',
  zookeeperSessionTimeoutMs: 18_000, // zookeeper.session.timeout.ms
  controlledShutdownMaxRetries: 3, // controlled.shutdown.max.retries
  controlledShutdownRetryBackoffMs: 5_000, // controlled.shutdown.retry.backoff.ms
  uncleanLeaderElectionEnable: false, // unclean.leader.election.enable
  autoLeaderRebalanceEnable: true, // auto.leader.rebalance.enable
  leaderImbalanceCheckIntervalMs: 300_000, // leader.imbalance.check.interval.seconds
  leaderImbalancePerBrokerPercentage: 10, // leader.imbalance.per.broker.percentage
  weakenings: faithfulBroker,
};

/** The broker's effective `min.insync.replicas` for a topic. */
export function minInsyncReplicasFor(config: BrokerConfig, topic: string): number {
  return Object.hasOwn(config.topicMinInsyncReplicas, topic) ? (config.topicMinInsyncReplicas[topic] as number) : config.minInsyncReplicas;
}
