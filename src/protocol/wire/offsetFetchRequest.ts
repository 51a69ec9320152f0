// OffsetFetchRequest (API key 9), schema clients/src/main/resources/common/message/OffsetFetchRequest.json, v0-v4
// (kafkajs 2.2.x sends v1-v4). v0 read offsets from ZooKeeper and v1 from __consumer_offsets, with the same bytes;
// v2 lets topics be null, meaning every topic the group has offsets for; v3 and v4 are v2 again. Flexible versions
// start at v6.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The OffsetFetch versions this codec reads and writes. */
export const offsetFetchVersions: VersionRange = { minVersion: 0, maxVersion: 4 };

/** The partitions of one topic to fetch offsets for (the schema's OffsetFetchRequestTopic). */
export interface OffsetFetchRequestTopic {
  name: string;
  partitionIndexes: number[];
}

/** A decoded OffsetFetchRequest. */
export interface OffsetFetchRequest {
  groupId: string;
  /** The partitions to fetch offsets for, or null for all of the group's (v2+; never null before). */
  topics: OffsetFetchRequestTopic[] | null;
}

/** Reads an OffsetFetchRequest body; the whole body must be consumed. */
export function decodeOffsetFetchRequest(body: ByteReader, apiVersion: number): OffsetFetchRequest {
  requireVersionIn('decodeOffsetFetchRequest', offsetFetchVersions, apiVersion);
  const groupId = body.readString('groupId');
  const topics = apiVersion >= 2 ? body.readNullableArray('topics', readTopic) : body.readArray('topics', readTopic);
  body.requireEnd('OffsetFetchRequest');
  return { groupId, topics };
}

function readTopic(reader: ByteReader): OffsetFetchRequestTopic {
  return {
    name: reader.readString('topics[].name'),
    partitionIndexes: reader.readArray('topics[].partitionIndexes', (r) => r.readInt32('topics[].partitionIndexes[]')),
  };
}
