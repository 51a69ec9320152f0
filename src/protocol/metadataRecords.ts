// The records of the KRaft metadata log (`__cluster_metadata`) as JSON: what the controller writes, persists and
// sends to brokers, and what every broker replays into its metadata image. Kafka's record schemas live in
// `metadata/src/main/resources/common/metadata/*.json`; only the fields the simulator uses are kept.

/**
 * A partition's registration (`PartitionRegistration`): replicas in assignment order, ISR, leader and epochs, and,
 * with Eligible Leader Replicas (KIP-966), the ELR and the last known leader. Kafka keeps those two as tagged
 * fields that are absent when empty; so are they here.
 */
export interface PartitionRegistration {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  /** Replicas that left the ISR while it was below min.insync.replicas and still hold every committed record. */
  readonly elr?: readonly number[];
  /** The leader when the ISR last became empty (LastKnownElr, used for the last-known-leader election). */
  readonly lastKnownElr?: readonly number[];
}

/** Kafka's RegisterBrokerRecord; a registered broker starts fenced (the record's `fenced` defaults to true). */
export interface RegisterBrokerRecord {
  readonly type: 'RegisterBroker';
  readonly brokerId: number;
  readonly incarnationId: string;
  readonly brokerEpoch: number;
  readonly fenced: boolean;
}

/** Kafka's BrokerRegistrationChangeRecord with `fenced = FENCE` (FenceBrokerRecord before 3.3). */
export interface BrokerFencedRecord {
  readonly type: 'BrokerFenced';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

/** Kafka's BrokerRegistrationChangeRecord with `fenced = UNFENCE` (UnfenceBrokerRecord before 3.3). */
export interface BrokerUnfencedRecord {
  readonly type: 'BrokerUnfenced';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

/**
 * Kafka's BrokerRegistrationChangeRecord with `inControlledShutdown = IN_CONTROLLED_SHUTDOWN`: the broker asked to
 * shut down and its leaderships are moving away; it may neither lead nor join an ISR until it registers again.
 */
export interface BrokerInControlledShutdownRecord {
  readonly type: 'BrokerInControlledShutdown';
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

/** Kafka's TopicRecord (keyed by name here; Kafka also gives the topic a UUID). */
export interface TopicRecord {
  readonly type: 'Topic';
  readonly name: string;
}

/** Kafka's PartitionRecord: a new partition's full registration. */
export interface PartitionRecord extends PartitionRegistration {
  readonly type: 'Partition';
  readonly topic: string;
  readonly partition: number;
}

/**
 * Kafka's PartitionChangeRecord: only the fields that change. A present `leader` (even the same id, or -1) bumps
 * the leader epoch; every change record bumps the partition epoch (`PartitionRegistration#merge`).
 */
export interface PartitionChangeRecord {
  readonly type: 'PartitionChange';
  readonly topic: string;
  readonly partition: number;
  readonly isr?: readonly number[];
  readonly leader?: number;
  /** EligibleLeaderReplicas, when it changes (KIP-966). */
  readonly elr?: readonly number[];
  readonly lastKnownElr?: readonly number[];
  /**
   * Set by an unclean election (LeaderRecoveryState.RECOVERING, KIP-704): the new leader was not in the ISR or the
   * ELR, or is the last known leader (KIP-966), and may miss acknowledged records.
   */
  readonly leaderRecoveryState?: 'RECOVERING';
}

/** One record of the metadata log. */
export type MetadataRecord =
  | RegisterBrokerRecord
  | BrokerFencedRecord
  | BrokerUnfencedRecord
  | BrokerInControlledShutdownRecord
  | TopicRecord
  | PartitionRecord
  | PartitionChangeRecord;
