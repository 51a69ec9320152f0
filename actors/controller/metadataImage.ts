import { invariant } from './invariant.ts';

// The controller's state as JSON-safe data, and the metadata log that produces it. Kafka's KRaft controller keeps
// its state only as the replay of `__cluster_metadata` (`ClusterControlManager#replay`,
// `ReplicationControlManager#replay`), so a restarted controller, a broker and a client all rebuild the same image
// by replaying the same records. Every controller operation here returns the records it wrote together with the
// image those records produce; the machine persists the records, and anyone holding the log can `replayAll` it.
// Longer than most files because the record types belong to the same concept as the replay that reads them.

/** The leader id of a partition that has no leader (`LeaderConstants.NO_LEADER`). */
export const NO_LEADER = -1;

/** A registered broker. `epoch` is the offset of its RegisterBroker record in the metadata log. */
export interface BrokerRegistration {
  readonly id: number;
  readonly incarnationId: string;
  readonly epoch: number;
  readonly fenced: boolean;
  /**
   * When the active controller last heard from the broker. Soft state, as in Kafka's `BrokerHeartbeatManager`:
   * it is not in the log, so a replayed image has `null` until `activateController` starts every session afresh.
   */
  readonly lastHeartbeatMs: number | null;
}

/** A partition's registration (`PartitionRegistration`): replicas in assignment order, ISR, leader and epochs. */
export interface PartitionRegistration {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
}

/** A topic: its partitions, indexed by partition id. */
export interface TopicImage {
  readonly partitions: readonly PartitionRegistration[];
}

/** The controller's state: the offset of the last replayed record, the brokers, the topics. */
export interface MetadataImage {
  readonly offset: number;
  readonly brokers: Readonly<Record<number, BrokerRegistration>>;
  readonly topics: Readonly<Record<string, TopicImage>>;
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
}

/** One record of the metadata log. */
export type MetadataRecord =
  | RegisterBrokerRecord
  | BrokerFencedRecord
  | BrokerUnfencedRecord
  | TopicRecord
  | PartitionRecord
  | PartitionChangeRecord;

/** The image before the first record: offset -1, no brokers, no topics. */
export function emptyMetadataImage(): MetadataImage {
  return { offset: -1, brokers: {}, topics: {} };
}

/** The image after one more record; the record's offset is `image.offset + 1`. */
export function replay(image: MetadataImage, record: MetadataRecord): MetadataImage {
  const offset = image.offset + 1;
  switch (record.type) {
    case 'RegisterBroker': {
      // ClusterControlManager#replay(RegisterBrokerRecord, offset): the epoch is the record's own offset.
      invariant(
        record.brokerEpoch === offset,
        `RegisterBroker for ${record.brokerId} carries epoch ${record.brokerEpoch} at offset ${offset}`,
      );
      const previous = brokerOf(image, record.brokerId);
      const broker: BrokerRegistration = {
        id: record.brokerId,
        incarnationId: record.incarnationId,
        epoch: record.brokerEpoch,
        fenced: record.fenced,
        lastHeartbeatMs: previous?.lastHeartbeatMs ?? null,
      };
      return { ...image, offset, brokers: { ...image.brokers, [record.brokerId]: broker } };
    }
    case 'BrokerFenced':
    case 'BrokerUnfenced': {
      const broker = brokerOf(image, record.brokerId);
      // Kafka refuses to replay a registration change for an unknown broker or another epoch.
      invariant(broker !== undefined, `${record.type} for unregistered broker ${record.brokerId}`);
      invariant(
        broker.epoch === record.brokerEpoch,
        `${record.type} for broker ${record.brokerId} epoch ${record.brokerEpoch}, registered epoch ${broker.epoch}`,
      );
      const fenced = record.type === 'BrokerFenced';
      return { ...image, offset, brokers: { ...image.brokers, [record.brokerId]: { ...broker, fenced } } };
    }
    case 'Topic': {
      invariant(topicOf(image, record.name) === undefined, `Topic record for existing topic ${record.name}`);
      return { ...image, offset, topics: { ...image.topics, [record.name]: { partitions: [] } } };
    }
    case 'Partition': {
      const topic = topicOf(image, record.topic);
      invariant(topic !== undefined, `Partition record for unknown topic ${record.topic}`);
      // Partitions are created in id order, so the array index is the partition id.
      invariant(record.partition === topic.partitions.length, `Partition record ${record.topic}-${record.partition} out of order`);
      const { type: _type, topic: _topic, partition: _partition, ...registration } = record;
      return withPartition({ ...image, offset }, record.topic, record.partition, registration);
    }
    case 'PartitionChange': {
      const current = partitionOf(image, record.topic, record.partition);
      invariant(current !== undefined, `PartitionChange for unknown partition ${record.topic}-${record.partition}`);
      return withPartition({ ...image, offset }, record.topic, record.partition, mergePartitionChange(current, record));
    }
  }
}

/** The image after replaying `records` in order. */
export function replayAll(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  return records.reduce(replay, image);
}

/** The image without soft state: what a restarted controller rebuilds from the log alone. */
export function withoutSoftState(image: MetadataImage): MetadataImage {
  const brokers = Object.fromEntries(
    Object.values(image.brokers).map((broker) => [broker.id, { ...broker, lastHeartbeatMs: null }]),
  );
  return { ...image, brokers };
}

/** The broker's registration, or undefined when it never registered. */
export function brokerOf(image: MetadataImage, brokerId: number): BrokerRegistration | undefined {
  return Object.hasOwn(image.brokers, brokerId) ? image.brokers[brokerId] : undefined;
}

/** The topic, or undefined when it does not exist (own properties only, so `constructor` is not a topic). */
export function topicOf(image: MetadataImage, topic: string): TopicImage | undefined {
  return Object.hasOwn(image.topics, topic) ? image.topics[topic] : undefined;
}

/** The partition's registration, or undefined when the topic or partition does not exist. */
export function partitionOf(image: MetadataImage, topic: string, partition: number): PartitionRegistration | undefined {
  return topicOf(image, topic)?.partitions[partition];
}

/** Whether the broker may lead or join an ISR: registered and unfenced (`ClusterControlManager#isActive`). */
export function isActiveBroker(image: MetadataImage, brokerId: number): boolean {
  const broker = brokerOf(image, brokerId);
  return broker !== undefined && !broker.fenced;
}

/** Every partition of the image in a stable order: topics by name (UTF-16 order), then partition id. */
export function allPartitions(image: MetadataImage): Array<{ topic: string; partition: number; registration: PartitionRegistration }> {
  return Object.keys(image.topics)
    .sort()
    .flatMap((topic) =>
      (topicOf(image, topic)?.partitions ?? []).map((registration, partition) => ({ topic, partition, registration })),
    );
}

// PartitionRegistration#merge: fields present in the record replace the current ones.
function mergePartitionChange(current: PartitionRegistration, change: PartitionChangeRecord): PartitionRegistration {
  const leaderChanged = change.leader !== undefined;
  return {
    replicas: current.replicas,
    isr: change.isr ?? current.isr,
    leader: change.leader ?? current.leader,
    leaderEpoch: leaderChanged ? current.leaderEpoch + 1 : current.leaderEpoch,
    partitionEpoch: current.partitionEpoch + 1,
  };
}

function withPartition(image: MetadataImage, topic: string, partition: number, registration: PartitionRegistration): MetadataImage {
  const current = topicOf(image, topic);
  invariant(current !== undefined, `no topic ${topic}`);
  const partitions = [...current.partitions];
  partitions[partition] = registration;
  return { ...image, topics: { ...image.topics, [topic]: { partitions } } };
}
