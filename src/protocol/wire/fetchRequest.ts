// FetchRequest (API key 1), schema clients/src/main/resources/common/message/FetchRequest.json, v4-v11: the
// versions kafkajs 2.2.x sends to brokers that keep RecordBatch v2. v4 adds isolation_level (KIP-98); v5
// log_start_offset; v6 is v5 again; v7 the fetch session fields and forgotten_topics_data (KIP-227); v8 is v7
// again; v9 adds current_leader_epoch (KIP-320); v10 only allows zstd (KIP-110); v11 adds rack_id (KIP-392).
// Flexible versions start at v12. A field absent from a version decodes to the schema's default.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The Fetch versions this codec reads and writes. */
export const fetchVersions: VersionRange = { minVersion: 4, maxVersion: 11 };

/** One partition to fetch from (the schema's FetchPartition). */
export interface FetchRequestPartition {
  /** The partition index. */
  partition: number;
  /** The leader epoch the client knows, so that a stale leader answers FENCED_LEADER_EPOCH; -1 before v9 (KIP-320). */
  currentLeaderEpoch: number;
  /** The offset to read from. */
  fetchOffset: bigint;
  /** The follower's log start offset; -1 from consumers and before v5. */
  logStartOffset: bigint;
  /** The most bytes to return for this partition, except that the first batch is returned whole (KIP-74). */
  partitionMaxBytes: number;
}

/** The partitions of one topic to fetch from (the schema's FetchTopic). */
export interface FetchRequestTopic {
  topic: string;
  partitions: FetchRequestPartition[];
}

/** Partitions an incremental fetch removes from its session (the schema's ForgottenTopic, v7+). */
export interface FetchRequestForgottenTopic {
  topic: string;
  partitions: number[];
}

/** A decoded FetchRequest. */
export interface FetchRequest {
  /** The follower's broker id, or -1 from a consumer. */
  replicaId: number;
  /** How long the broker may wait for minBytes before it answers. */
  maxWaitMs: number;
  /** The bytes to accumulate before answering. */
  minBytes: number;
  /** The most bytes to return in all, except that the first batch is returned whole (KIP-74). */
  maxBytes: number;
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED (stop at the last stable offset, KIP-98); others are INVALID_REQUEST. */
  isolationLevel: number;
  /** The fetch session id, 0 for none; 0 before v7 (KIP-227). */
  sessionId: number;
  /** The epoch within the session, -1 for a full fetch without a session; -1 before v7. */
  sessionEpoch: number;
  topics: FetchRequestTopic[];
  /** Empty before v7. */
  forgottenTopicsData: FetchRequestForgottenTopic[];
  /** The consumer's client.rack, '' when unset and before v11 (KIP-392). */
  rackId: string;
}

/** Reads a FetchRequest body; the whole body must be consumed. */
export function decodeFetchRequest(body: ByteReader, apiVersion: number): FetchRequest {
  requireVersionIn('decodeFetchRequest', fetchVersions, apiVersion);
  const replicaId = body.readInt32('replicaId');
  const maxWaitMs = body.readInt32('maxWaitMs');
  const minBytes = body.readInt32('minBytes');
  const maxBytes = body.readInt32('maxBytes');
  const isolationLevel = body.readInt8('isolationLevel');
  const hasSession = apiVersion >= 7;
  const sessionId = hasSession ? body.readInt32('sessionId') : 0;
  const sessionEpoch = hasSession ? body.readInt32('sessionEpoch') : -1;
  const topics = body.readArray('topics', (reader) => readTopic(reader, apiVersion));
  const forgottenTopicsData = hasSession ? body.readArray('forgottenTopicsData', readForgottenTopic) : [];
  const rackId = apiVersion >= 11 ? body.readString('rackId') : '';
  body.requireEnd('FetchRequest');
  return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopicsData, rackId };
}

function readTopic(reader: ByteReader, apiVersion: number): FetchRequestTopic {
  return {
    topic: reader.readString('topics[].topic'),
    partitions: reader.readArray('topics[].partitions', (r) => readPartition(r, apiVersion)),
  };
}

function readPartition(reader: ByteReader, apiVersion: number): FetchRequestPartition {
  return {
    partition: reader.readInt32('topics[].partitions[].partition'),
    currentLeaderEpoch: apiVersion >= 9 ? reader.readInt32('topics[].partitions[].currentLeaderEpoch') : -1,
    fetchOffset: reader.readInt64('topics[].partitions[].fetchOffset'),
    logStartOffset: apiVersion >= 5 ? reader.readInt64('topics[].partitions[].logStartOffset') : -1n,
    partitionMaxBytes: reader.readInt32('topics[].partitions[].partitionMaxBytes'),
  };
}

function readForgottenTopic(reader: ByteReader): FetchRequestForgottenTopic {
  return {
    topic: reader.readString('forgottenTopicsData[].topic'),
    partitions: reader.readArray('forgottenTopicsData[].partitions', (r) => r.readInt32('forgottenTopicsData[].partitions[]')),
  };
}
