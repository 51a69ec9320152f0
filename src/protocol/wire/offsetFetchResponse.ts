// OffsetFetchResponse (API key 9), schema clients/src/main/resources/common/message/OffsetFetchResponse.json, v0-v4.
// v1 is v0 again; v2 adds a top-level error_code for errors of the group or coordinator; v3 adds throttle_time_ms;
// v4 only changes when throttling happens (KIP-219). committed_leader_epoch arrives in v5.
import { ByteWriter } from './ByteWriter.ts';
import { offsetFetchVersions } from './offsetFetchRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** The committed offset of one partition (the schema's OffsetFetchResponsePartition). */
export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  /** The committed offset, or -1 when the group has none for this partition. */
  committedOffset: bigint;
  /** The metadata committed with the offset, or null. */
  metadata: string | null;
  /** Kafka's numeric error code, 0 for none (e.g. 3 UNKNOWN_TOPIC_OR_PARTITION). */
  errorCode: number;
}

/** The partitions of one topic (the schema's OffsetFetchResponseTopic). */
export interface OffsetFetchResponseTopic {
  name: string;
  partitions: OffsetFetchResponsePartition[];
}

/** An OffsetFetchResponse to encode. */
export interface OffsetFetchResponse {
  /** v3+. */
  throttleTimeMs: number;
  topics: OffsetFetchResponseTopic[];
  /**
   * Kafka's numeric error code for the whole request, 0 for none (e.g. 14 COORDINATOR_LOAD_IN_PROGRESS, 16
   * NOT_COORDINATOR); v2+. Before v2 only the partitions carry errors, so a caller answering v0 or v1 puts it there.
   */
  errorCode: number;
}

/** Encodes an OffsetFetchResponse body (without header) for `apiVersion`. */
export function encodeOffsetFetchResponse(response: OffsetFetchResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeOffsetFetchResponse', offsetFetchVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 3) writer.writeInt32(response.throttleTimeMs);
  writer.writeArray(response.topics, writeTopic);
  if (apiVersion >= 2) writer.writeInt16(response.errorCode);
  return writer.toBuffer();
}

function writeTopic(writer: ByteWriter, topic: OffsetFetchResponseTopic): void {
  writer.writeString(topic.name);
  writer.writeArray(topic.partitions, writePartition);
}

function writePartition(writer: ByteWriter, partition: OffsetFetchResponsePartition): void {
  writer.writeInt32(partition.partitionIndex);
  writer.writeInt64(partition.committedOffset);
  writer.writeNullableString(partition.metadata);
  writer.writeInt16(partition.errorCode);
}
