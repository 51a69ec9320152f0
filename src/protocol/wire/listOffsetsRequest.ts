// ListOffsetsRequest (API key 2), schema clients/src/main/resources/common/message/ListOffsetsRequest.json, v0-v3
// (kafkajs 2.2.x's range). v1 drops max_num_offsets, so that one offset is returned per partition; v2 adds
// isolation_level (KIP-98); v3 is v2 again. current_leader_epoch arrives in v4 and flexible versions in v6.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The ListOffsets versions this codec reads and writes. */
export const listOffsetsVersions: VersionRange = { minVersion: 0, maxVersion: 3 };

/** One partition to look up (the schema's ListOffsetsPartition). */
export interface ListOffsetsRequestPartition {
  partitionIndex: number;
  /** A time in ms to find the first offset at or after, or -1 for the latest offset, -2 for the earliest. */
  timestamp: bigint;
  /** How many offsets a v0 answer may list; 1 from v1 on, the schema's default. */
  maxNumOffsets: number;
}

/** The partitions of one topic (the schema's ListOffsetsTopic). */
export interface ListOffsetsRequestTopic {
  name: string;
  partitions: ListOffsetsRequestPartition[];
}

/** A decoded ListOffsetsRequest. */
export interface ListOffsetsRequest {
  /** The follower's broker id, or -1 from a consumer. */
  replicaId: number;
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED (latest means the last stable offset, KIP-98); 0 before v2. */
  isolationLevel: number;
  topics: ListOffsetsRequestTopic[];
}

/** Reads a ListOffsetsRequest body; the whole body must be consumed. */
export function decodeListOffsetsRequest(body: ByteReader, apiVersion: number): ListOffsetsRequest {
  requireVersionIn('decodeListOffsetsRequest', listOffsetsVersions, apiVersion);
  const replicaId = body.readInt32('replicaId');
  // Before v2 the field is absent and reads as 0, READ_UNCOMMITTED, as Kafka's generated ListOffsetsRequestData leaves it.
  const isolationLevel = apiVersion >= 2 ? body.readInt8('isolationLevel') : 0;
  const topics = body.readArray('topics', (reader) => readTopic(reader, apiVersion));
  body.requireEnd('ListOffsetsRequest');
  return { replicaId, isolationLevel, topics };
}

function readTopic(reader: ByteReader, apiVersion: number): ListOffsetsRequestTopic {
  return {
    name: reader.readString('topics[].name'),
    partitions: reader.readArray('topics[].partitions', (r) => readPartition(r, apiVersion)),
  };
}

function readPartition(reader: ByteReader, apiVersion: number): ListOffsetsRequestPartition {
  return {
    partitionIndex: reader.readInt32('topics[].partitions[].partitionIndex'),
    timestamp: reader.readInt64('topics[].partitions[].timestamp'),
    maxNumOffsets: apiVersion === 0 ? reader.readInt32('topics[].partitions[].maxNumOffsets') : 1,
  };
}
