// ProduceResponse (API key 0), schema clients/src/main/resources/common/message/ProduceResponse.json, v3-v7.
// v3 and v4 carry throttle_time_ms (v1+) and log_append_time_ms (v2+); v5 adds log_start_offset; v6 only changes
// when throttling happens (KIP-219); v7 is v6 again. record_errors and error_message arrive in v8, past this range.
// A request with acks=0 gets no response at all; that is the broker's choice, not this codec's.
import { ByteWriter } from './ByteWriter.ts';
import { produceVersions } from './produceRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** The outcome for one partition (the schema's PartitionProduceResponse). */
export interface ProduceResponsePartition {
  /** The partition index. */
  index: number;
  /** Kafka's numeric error code, 0 for none (e.g. 6 NOT_LEADER_OR_FOLLOWER, 19 NOT_ENOUGH_REPLICAS). */
  errorCode: number;
  /** The offset the leader gave the first record; -1 on error. */
  baseOffset: bigint;
  /** The broker's append time under LogAppendTime, -1 under CreateTime (v2+). */
  logAppendTimeMs: bigint;
  /** The partition's log start offset, so that a producer can tell a truncated log from a lost sequence (v5+). */
  logStartOffset: bigint;
}

/** The partitions of one topic (the schema's TopicProduceResponse). */
export interface ProduceResponseTopic {
  name: string;
  partitionResponses: ProduceResponsePartition[];
}

/** A ProduceResponse to encode. */
export interface ProduceResponse {
  responses: ProduceResponseTopic[];
  throttleTimeMs: number;
}

/** Encodes a ProduceResponse body (without header) for `apiVersion`. */
export function encodeProduceResponse(response: ProduceResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeProduceResponse', produceVersions, apiVersion);
  const writer = new ByteWriter();
  writer.writeArray(response.responses, (w, topic) => writeTopic(w, topic, apiVersion));
  writer.writeInt32(response.throttleTimeMs);
  return writer.toBuffer();
}

function writeTopic(writer: ByteWriter, topic: ProduceResponseTopic, apiVersion: number): void {
  writer.writeString(topic.name);
  writer.writeArray(topic.partitionResponses, (w, partition) => writePartition(w, partition, apiVersion));
}

function writePartition(writer: ByteWriter, partition: ProduceResponsePartition, apiVersion: number): void {
  writer.writeInt32(partition.index);
  writer.writeInt16(partition.errorCode);
  writer.writeInt64(partition.baseOffset);
  writer.writeInt64(partition.logAppendTimeMs);
  if (apiVersion >= 5) writer.writeInt64(partition.logStartOffset);
}
