// OffsetCommitRequest (API key 8), schema clients/src/main/resources/common/message/OffsetCommitRequest.json, v0-v5
// (kafkajs 2.2.x's range). v1 adds generation_id, member_id and a per-partition commit_timestamp; v2 adds
// retention_time_ms and drops commit_timestamp; v3 and v4 are v2 again; v5 drops retention_time_ms, which is then
// only the broker's offsets.retention.minutes. committed_leader_epoch arrives in v6 and flexible versions in v8.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The OffsetCommit versions this codec reads and writes. */
export const offsetCommitVersions: VersionRange = { minVersion: 0, maxVersion: 5 };

/** One offset to commit (the schema's OffsetCommitRequestPartition). */
export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** The commit's time in ms (v1 only); -1 otherwise, the schema's default, meaning the broker's time. */
  commitTimestamp: bigint;
  /** Any string the client keeps with the offset, or null. */
  committedMetadata: string | null;
}

/** The offsets of one topic (the schema's OffsetCommitRequestTopic). */
export interface OffsetCommitRequestTopic {
  name: string;
  partitions: OffsetCommitRequestPartition[];
}

/** A decoded OffsetCommitRequest. */
export interface OffsetCommitRequest {
  groupId: string;
  /** The member's generation (v1+); -1 before, the schema's default. */
  generationId: number;
  /** The member committing (v1+); empty before. */
  memberId: string;
  /** How long to keep the offsets in ms (v2-v4); -1 otherwise, the schema's default: the broker's retention. */
  retentionTimeMs: bigint;
  topics: OffsetCommitRequestTopic[];
}

/** Reads an OffsetCommitRequest body; the whole body must be consumed. */
export function decodeOffsetCommitRequest(body: ByteReader, apiVersion: number): OffsetCommitRequest {
  requireVersionIn('decodeOffsetCommitRequest', offsetCommitVersions, apiVersion);
  const groupId = body.readString('groupId');
  const generationId = apiVersion >= 1 ? body.readInt32('generationId') : -1;
  const memberId = apiVersion >= 1 ? body.readString('memberId') : '';
  const retentionTimeMs = apiVersion >= 2 && apiVersion <= 4 ? body.readInt64('retentionTimeMs') : -1n;
  const topics = body.readArray('topics', (reader) => readTopic(reader, apiVersion));
  body.requireEnd('OffsetCommitRequest');
  return { groupId, generationId, memberId, retentionTimeMs, topics };
}

function readTopic(reader: ByteReader, apiVersion: number): OffsetCommitRequestTopic {
  return {
    name: reader.readString('topics[].name'),
    partitions: reader.readArray('topics[].partitions', (r) => readPartition(r, apiVersion)),
  };
}

function readPartition(reader: ByteReader, apiVersion: number): OffsetCommitRequestPartition {
  return {
    partitionIndex: reader.readInt32('topics[].partitions[].partitionIndex'),
    committedOffset: reader.readInt64('topics[].partitions[].committedOffset'),
    commitTimestamp: apiVersion === 1 ? reader.readInt64('topics[].partitions[].commitTimestamp') : -1n,
    committedMetadata: reader.readNullableString('topics[].partitions[].committedMetadata'),
  };
}
