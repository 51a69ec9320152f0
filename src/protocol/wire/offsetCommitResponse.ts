// OffsetCommitResponse (API key 8), schema clients/src/main/resources/common/message/OffsetCommitResponse.json,
// v0-v5. v1 and v2 are v0 again; v3 adds throttle_time_ms; v4 only changes when throttling happens (KIP-219); v5 is
// v4 again. Flexible versions start at v8.
import { ByteWriter } from './ByteWriter.ts';
import { offsetCommitVersions } from './offsetCommitRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** The answer for one partition (the schema's OffsetCommitResponsePartition). */
export interface OffsetCommitResponsePartition {
  partitionIndex: number;
  /** Kafka's numeric error code, 0 for none (e.g. 22 ILLEGAL_GENERATION, 25 UNKNOWN_MEMBER_ID, 27 REBALANCE_IN_PROGRESS). */
  errorCode: number;
}

/** The partitions of one topic (the schema's OffsetCommitResponseTopic). */
export interface OffsetCommitResponseTopic {
  name: string;
  partitions: OffsetCommitResponsePartition[];
}

/** An OffsetCommitResponse to encode. */
export interface OffsetCommitResponse {
  /** v3+. */
  throttleTimeMs: number;
  topics: OffsetCommitResponseTopic[];
}

/** Encodes an OffsetCommitResponse body (without header) for `apiVersion`. */
export function encodeOffsetCommitResponse(response: OffsetCommitResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeOffsetCommitResponse', offsetCommitVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 3) writer.writeInt32(response.throttleTimeMs);
  writer.writeArray(response.topics, writeTopic);
  return writer.toBuffer();
}

function writeTopic(writer: ByteWriter, topic: OffsetCommitResponseTopic): void {
  writer.writeString(topic.name);
  writer.writeArray(topic.partitions, (w, partition) => {
    w.writeInt32(partition.partitionIndex);
    w.writeInt16(partition.errorCode);
  });
}
