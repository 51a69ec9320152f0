// CreateTopicsResponse (API key 19), schema clients/src/main/resources/common/message/CreateTopicsResponse.json,
// v0-v3. v1 adds a per-topic error_message; v2 adds throttle_time_ms; v3 only changes when throttling happens
// (KIP-219). The topic's resulting config arrives in v5 (KIP-525), its topic id in v7.
import { ByteWriter } from './ByteWriter.ts';
import { createTopicsVersions } from './createTopicsRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** The result for one topic (the schema's CreatableTopicResult). */
export interface CreateTopicsResponseTopic {
  name: string;
  /** Kafka's numeric error code, 0 for none (e.g. 36 TOPIC_ALREADY_EXISTS, 37 INVALID_PARTITIONS, 38 INVALID_REPLICATION_FACTOR). */
  errorCode: number;
  /** Why, or null (v1+). */
  errorMessage: string | null;
}

/** A CreateTopicsResponse to encode. */
export interface CreateTopicsResponse {
  /** v2+. */
  throttleTimeMs: number;
  topics: CreateTopicsResponseTopic[];
}

/** Encodes a CreateTopicsResponse body (without header) for `apiVersion`. */
export function encodeCreateTopicsResponse(response: CreateTopicsResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeCreateTopicsResponse', createTopicsVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 2) writer.writeInt32(response.throttleTimeMs);
  writer.writeArray(response.topics, (w, topic) => {
    w.writeString(topic.name);
    w.writeInt16(topic.errorCode);
    if (apiVersion >= 1) w.writeNullableString(topic.errorMessage);
  });
  return writer.toBuffer();
}
