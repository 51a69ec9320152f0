// ListOffsetsResponse (API key 2), schema clients/src/main/resources/common/message/ListOffsetsResponse.json, v0-v3.
// v0 answers with old_style_offsets, a list of offsets; v1 replaces it with one timestamp and offset; v2 adds
// throttle_time_ms; v3 only changes when throttling happens (KIP-219). leader_epoch arrives in v4.
import { ByteWriter } from './ByteWriter.ts';
import { listOffsetsVersions } from './listOffsetsRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** The answer for one partition (the schema's ListOffsetsPartitionResponse). */
export interface ListOffsetsResponsePartition {
  partitionIndex: number;
  /** Kafka's numeric error code, 0 for none (e.g. 3 UNKNOWN_TOPIC_OR_PARTITION, 6 NOT_LEADER_OR_FOLLOWER). */
  errorCode: number;
  /** The offsets found, greatest first, at most maxNumOffsets of them (v0 only). */
  oldStyleOffsets: bigint[];
  /** The timestamp of the record at `offset`, or -1 when the request asked for latest or earliest (v1+). */
  timestamp: bigint;
  /** The offset found, or -1 when none (v1+). */
  offset: bigint;
}

/** The partitions of one topic (the schema's ListOffsetsTopicResponse). */
export interface ListOffsetsResponseTopic {
  name: string;
  partitions: ListOffsetsResponsePartition[];
}

/** A ListOffsetsResponse to encode. */
export interface ListOffsetsResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: ListOffsetsResponseTopic[];
}

/** Encodes a ListOffsetsResponse body (without header) for `apiVersion`. */
export function encodeListOffsetsResponse(response: ListOffsetsResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeListOffsetsResponse', listOffsetsVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 2) writer.writeInt32(response.throttleTimeMs);
  writer.writeArray(response.topics, (w, topic) => writeTopic(w, topic, apiVersion));
  return writer.toBuffer();
}

function writeTopic(writer: ByteWriter, topic: ListOffsetsResponseTopic, apiVersion: number): void {
  writer.writeString(topic.name);
  writer.writeArray(topic.partitions, (w, partition) => writePartition(w, partition, apiVersion));
}

function writePartition(writer: ByteWriter, partition: ListOffsetsResponsePartition, apiVersion: number): void {
  writer.writeInt32(partition.partitionIndex);
  writer.writeInt16(partition.errorCode);
  if (apiVersion === 0) {
    writer.writeArray(partition.oldStyleOffsets, (w, offset) => w.writeInt64(offset));
    return;
  }
  writer.writeInt64(partition.timestamp);
  writer.writeInt64(partition.offset);
}
