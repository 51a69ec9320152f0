// FetchResponse (API key 1), schema clients/src/main/resources/common/message/FetchResponse.json, v4-v11. v4 adds
// last_stable_offset and aborted_transactions (KIP-98); v5 log_start_offset; v6 only lets the broker answer
// KAFKA_STORAGE_ERROR; v7 adds the top-level error_code and session_id (KIP-227); v8 only changes when throttling
// happens (KIP-219); v9 is v8 again; v10 allows zstd records; v11 adds preferred_read_replica (KIP-392).
import { ByteWriter } from './ByteWriter.ts';
import { fetchVersions } from './fetchRequest.ts';
import { encodeRecordBatches, type RecordBatch } from './recordBatch.ts';
import { requireVersionIn } from './versionRange.ts';

/** A transaction that aborted within the fetched range (the schema's AbortedTransaction). */
export interface FetchResponseAbortedTransaction {
  producerId: bigint;
  /** The offset of the transaction's first record; a READ_COMMITTED consumer skips that producer's records from here. */
  firstOffset: bigint;
}

/** The outcome and records for one partition (the schema's PartitionData). */
export interface FetchResponsePartition {
  partitionIndex: number;
  /** Kafka's numeric error code, 0 for none (e.g. 1 OFFSET_OUT_OF_RANGE, 6 NOT_LEADER_OR_FOLLOWER). */
  errorCode: number;
  highWatermark: bigint;
  /** The offset below which every transaction has committed or aborted; -1 when unknown. */
  lastStableOffset: bigint;
  /** v5+. */
  logStartOffset: bigint;
  /** Null for a READ_UNCOMMITTED fetch: Kafka's log collects aborted transactions only under READ_COMMITTED. */
  abortedTransactions: FetchResponseAbortedTransaction[] | null;
  /** The replica a consumer should fetch from next, or -1 for the leader (v11+, KIP-392). */
  preferredReadReplica: number;
  /** The batches to return, written with their CRCs; null on error. */
  records: RecordBatch[] | null;
}

/** The partitions of one topic (the schema's FetchableTopicResponse). */
export interface FetchResponseTopic {
  topic: string;
  partitions: FetchResponsePartition[];
}

/** A FetchResponse to encode. */
export interface FetchResponse {
  throttleTimeMs: number;
  /** A session-level error such as 70 FETCH_SESSION_ID_NOT_FOUND, 0 for none (v7+). */
  errorCode: number;
  /** The fetch session id, 0 without a session (v7+). */
  sessionId: number;
  responses: FetchResponseTopic[];
}

/** Encodes a FetchResponse body (without header) for `apiVersion`. */
export function encodeFetchResponse(response: FetchResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeFetchResponse', fetchVersions, apiVersion);
  const writer = new ByteWriter();
  writer.writeInt32(response.throttleTimeMs);
  if (apiVersion >= 7) {
    writer.writeInt16(response.errorCode);
    writer.writeInt32(response.sessionId);
  }
  writer.writeArray(response.responses, (w, topic) => writeTopic(w, topic, apiVersion));
  return writer.toBuffer();
}

function writeTopic(writer: ByteWriter, topic: FetchResponseTopic, apiVersion: number): void {
  writer.writeString(topic.topic);
  writer.writeArray(topic.partitions, (w, partition) => writePartition(w, partition, apiVersion));
}

function writePartition(writer: ByteWriter, partition: FetchResponsePartition, apiVersion: number): void {
  writer.writeInt32(partition.partitionIndex);
  writer.writeInt16(partition.errorCode);
  writer.writeInt64(partition.highWatermark);
  writer.writeInt64(partition.lastStableOffset);
  if (apiVersion >= 5) writer.writeInt64(partition.logStartOffset);
  writer.writeNullableArray(partition.abortedTransactions, writeAbortedTransaction);
  if (apiVersion >= 11) writer.writeInt32(partition.preferredReadReplica);
  writer.writeNullableBytes(partition.records === null ? null : encodeRecordBatches(partition.records));
}

function writeAbortedTransaction(writer: ByteWriter, transaction: FetchResponseAbortedTransaction): void {
  writer.writeInt64(transaction.producerId);
  writer.writeInt64(transaction.firstOffset);
}
