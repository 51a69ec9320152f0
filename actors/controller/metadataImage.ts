import type { MetadataRecord, PartitionChangeRecord, PartitionRegistration } from '../../src/protocol/metadataRecords.ts';
import { invariant } from './invariant.ts';

export type {
  PartitionRegistration,
  BrokerFencedRecord,
  BrokerUnfencedRecord,
  BrokerInControlledShutdownRecord,
  MetadataRecord,
  PartitionChangeRecord,
  PartitionRecord,
  RegisterBrokerRecord,
  TopicRecord,
} from '../../src/protocol/metadataRecords.ts';

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
  /** In controlled shutdown (absent: not): it may not lead or join an ISR (`BrokerRegistration#inControlledShutdown`). */
  readonly inControlledShutdown?: true;
  /**
   * When the active controller last heard from the broker. Soft state, as in Kafka's `BrokerHeartbeatManager`:
   * it is not in the log, so a replayed image has `null` until `activateController` starts every session afresh.
   */
  readonly lastHeartbeatMs: number | null;
  /** Soft state too: how far the broker had replayed the log at its last heartbeat (absent: not heard yet). */
  readonly metadataOffset?: number;
  /**
   * Soft state: the log offset whose replay by every active broker lets a broker in controlled shutdown go
   * (`BrokerHeartbeatManager#controlledShutdownOffset`).
   */
  readonly controlledShutdownOffset?: number;
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
    case 'BrokerUnfenced':
    case 'BrokerInControlledShutdown': {
      const broker = brokerOf(image, record.brokerId);
      // Kafka refuses to replay a registration change for an unknown broker or another epoch.
      invariant(broker !== undefined, `${record.type} for unregistered broker ${record.brokerId}`);
      invariant(
        broker.epoch === record.brokerEpoch,
        `${record.type} for broker ${record.brokerId} epoch ${record.brokerEpoch}, registered epoch ${broker.epoch}`,
      );
      const changed: BrokerRegistration =
        record.type === 'BrokerInControlledShutdown' ? { ...broker, inControlledShutdown: true } : { ...broker, fenced: record.type === 'BrokerFenced' };
      return { ...image, offset, brokers: { ...image.brokers, [record.brokerId]: changed } };
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
    Object.values(image.brokers).map(({ metadataOffset: _offset, controlledShutdownOffset: _shutdown, ...broker }) => [broker.id, { ...broker, lastHeartbeatMs: null }]),
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

/** Whether the broker may lead or join an ISR: registered, unfenced, not in controlled shutdown (`ClusterControlManager#isActive`). */
export function isActiveBroker(image: MetadataImage, brokerId: number): boolean {
  const broker = brokerOf(image, brokerId);
  return broker !== undefined && !broker.fenced && broker.inControlledShutdown !== true;
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
  const elr = change.elr ?? current.elr ?? [];
  const lastKnownElr = change.lastKnownElr ?? current.lastKnownElr ?? [];
  return {
    replicas: current.replicas,
    isr: change.isr ?? current.isr,
    leader: change.leader ?? current.leader,
    leaderEpoch: leaderChanged ? current.leaderEpoch + 1 : current.leaderEpoch,
    partitionEpoch: current.partitionEpoch + 1,
    // Tagged fields: absent when empty.
    ...(elr.length > 0 ? { elr } : {}),
    ...(lastKnownElr.length > 0 ? { lastKnownElr } : {}),
  };
}

function withPartition(image: MetadataImage, topic: string, partition: number, registration: PartitionRegistration): MetadataImage {
  const current = topicOf(image, topic);
  invariant(current !== undefined, `no topic ${topic}`);
  const partitions = [...current.partitions];
  partitions[partition] = registration;
  return { ...image, topics: { ...image.topics, [topic]: { partitions } } };
}
