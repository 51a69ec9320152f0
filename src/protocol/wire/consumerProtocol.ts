// The consumer protocol's bytes inside the group requests: a member's subscription (JoinGroup's protocol metadata)
// and its assignment (SyncGroup), Kafka's `ConsumerProtocolSubscription` and `ConsumerProtocolAssignment` schemas
// (versions 0-3, not flexible), each after an int16 version (`ConsumerProtocol#serializeSubscription`). A newer
// version than 3 is read as version 3, as Kafka's `ConsumerProtocol#checkSubscriptionVersion` does: later versions
// may only add fields at the end. Kafka's coordinator keeps these bytes opaque; the simulator's coordinator takes
// them decoded (src/protocol/groupMessages.ts), so the wire gateway decodes what real clients send and encodes what
// they get back.
import type { ConsumerProtocolSubscription } from '../groupMessages.ts';
import type { TopicPartition } from '../topicPartition.ts';
import { ByteReader } from './ByteReader.ts';
import { ByteWriter } from './ByteWriter.ts';
import { WireFormatError } from './WireFormatError.ts';

const highestVersion = 3;

/** A subscription as the bytes carry it: the decoded fields, the version written, and the user data (base64). */
export interface WireSubscription extends ConsumerProtocolSubscription {
  readonly version: number;
  /** The member's user data, base64; null when absent. */
  readonly userData: string | null;
}

/** An assignment as the bytes carry it. */
export interface WireAssignment {
  readonly version: number;
  readonly partitions: readonly TopicPartition[];
  /** The leader's user data for the member, base64; null when absent. */
  readonly userData: string | null;
}

function readVersion(reader: ByteReader): number {
  const version = reader.readInt16('version');
  if (version < 0) throw new WireFormatError('version (int16)', 0, `version ${version} is negative`);
  return Math.min(version, highestVersion);
}

function readTopicPartitions(reader: ByteReader, field: string): TopicPartition[] {
  return reader
    .readArray(field, (r) => {
      const topic = r.readString('topic');
      return r.readArray('partitions', (p) => p.readInt32('partition')).map((partition): TopicPartition => [topic, partition]);
    })
    .flat();
}

function writeTopicPartitions(writer: ByteWriter, partitions: readonly TopicPartition[]): void {
  const byTopic = new Map<string, number[]>();
  for (const [topic, partition] of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  writer.writeArray([...byTopic], (w, [topic, indexes]) => {
    w.writeString(topic);
    w.writeArray(indexes, (pw, partition) => pw.writeInt32(partition));
  });
}

const base64 = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.toString('base64'));
const fromBase64 = (text: string | null | undefined): Buffer | null => (text === null || text === undefined ? null : Buffer.from(text, 'base64'));

/** Reads a member's subscription bytes; a short or malformed one throws a WireFormatError. */
export function decodeSubscription(bytes: Buffer): WireSubscription {
  const reader = new ByteReader(bytes);
  const version = readVersion(reader);
  const topics = reader.readArray('topics', (r) => r.readString('topic'));
  const userData = base64(reader.readNullableBytes('userData'));
  const ownedPartitions = version >= 1 ? readTopicPartitions(reader, 'ownedPartitions') : undefined;
  const generation = version >= 2 ? reader.readInt32('generationId') : undefined;
  if (version >= 3) reader.readNullableString('rackId');
  return {
    version,
    topics,
    userData,
    ...(ownedPartitions === undefined ? {} : { ownedPartitions }),
    ...(generation === undefined ? {} : { generation }),
  };
}

/**
 * Writes a subscription back as a member sent it: at its version when it carries one (WireSubscription), otherwise
 * at version 0 when it owns nothing, 1 with owned partitions, 2 with a generation.
 */
export function encodeSubscription(subscription: ConsumerProtocolSubscription & Partial<WireSubscription>): Buffer {
  const version = subscription.version ?? (subscription.generation !== undefined ? 2 : subscription.ownedPartitions !== undefined ? 1 : 0);
  const writer = new ByteWriter();
  writer.writeInt16(version);
  writer.writeArray(subscription.topics, (w, topic) => w.writeString(topic));
  writer.writeNullableBytes(fromBase64(subscription.userData));
  if (version >= 1) writeTopicPartitions(writer, subscription.ownedPartitions ?? []);
  if (version >= 2) writer.writeInt32(subscription.generation ?? -1);
  if (version >= 3) writer.writeNullableString(null);
  return writer.toBuffer();
}

/** Reads an assignment's bytes. Empty bytes (a member the leader left out) are no partitions. */
export function decodeAssignment(bytes: Buffer): WireAssignment {
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null };
  const reader = new ByteReader(bytes);
  const version = readVersion(reader);
  const partitions = readTopicPartitions(reader, 'assignedPartitions');
  const userData = base64(reader.readNullableBytes('userData'));
  return { version, partitions, userData };
}

/** Writes an assignment (version 0 layout, which versions 1-3 share). */
export function encodeAssignment({ version = 0, partitions, userData = null }: { version?: number; partitions: readonly TopicPartition[]; userData?: string | null }): Buffer {
  const writer = new ByteWriter();
  writer.writeInt16(version);
  writeTopicPartitions(writer, partitions);
  writer.writeNullableBytes(fromBase64(userData));
  return writer.toBuffer();
}
