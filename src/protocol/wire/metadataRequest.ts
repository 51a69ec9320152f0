// MetadataRequest (API key 3), schema clients/src/main/resources/common/message/MetadataRequest.json, v0-v6
// (kafkajs 2.2.x's range). v1 makes the topic array nullable, null meaning all topics; v2 and v3 are v1 again;
// v4 adds allow_auto_topic_creation; v5 and v6 are v4 again. Flexible versions start at v9.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The Metadata versions this codec reads and writes. */
export const metadataVersions: VersionRange = { minVersion: 0, maxVersion: 6 };

/** One topic a client asks about. */
export interface MetadataRequestTopic {
  name: string;
}

/** A decoded MetadataRequest. */
export interface MetadataRequest {
  /** The topics to describe; null asks for all topics, in every version (v0 says so with an empty array). */
  topics: MetadataRequestTopic[] | null;
  /** Whether the broker may create unknown topics (auto.create.topics.enable permitting); true before v4. */
  allowAutoTopicCreation: boolean;
}

/** Reads a MetadataRequest body; the whole body must be consumed. */
export function decodeMetadataRequest(body: ByteReader, apiVersion: number): MetadataRequest {
  requireVersionIn('decodeMetadataRequest', metadataVersions, apiVersion);
  const topics = apiVersion >= 1 ? body.readNullableArray('topics', readTopic) : body.readArray('topics', readTopic);
  // Before v4 the field is absent and takes the schema's default, true.
  const allowAutoTopicCreation = apiVersion >= 4 ? body.readBoolean('allowAutoTopicCreation') : true;
  body.requireEnd('MetadataRequest');
  // In v0 an empty array asks for all topics (Kafka's MetadataRequest#isAllTopics); v1 moved that meaning to null
  // so that an empty array could ask for none. Decoding both to null spares every caller the version check.
  const isAllTopics = topics === null || (apiVersion === 0 && topics.length === 0);
  return { topics: isAllTopics ? null : topics, allowAutoTopicCreation };
}

function readTopic(reader: ByteReader): MetadataRequestTopic {
  return { name: reader.readString('topics[].name') };
}
