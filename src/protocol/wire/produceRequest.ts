// ProduceRequest (API key 0), schema clients/src/main/resources/common/message/ProduceRequest.json, v3-v7: the
// versions kafkajs 2.2.x sends to brokers that take RecordBatch v2. v3 adds transactional_id and RecordBatch v2;
// v4 only lets the broker answer KAFKA_STORAGE_ERROR; v5 and v6 are v3 again (v6: throttling, KIP-219); v7 allows
// zstd (KIP-110). The body is the same in all five. Flexible versions start at v9.
import type { ByteReader } from './ByteReader.ts';
import { decodeRecordBatches, type RecordBatch } from './recordBatch.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The Produce versions this codec reads and writes. */
export const produceVersions: VersionRange = { minVersion: 3, maxVersion: 7 };

/** The records for one partition (the schema's PartitionProduceData). */
export interface ProduceRequestPartition {
  /** The partition index. */
  index: number;
  /**
   * The decoded batches of the records field, or null when it is null. Kafka's broker takes exactly one batch per
   * partition from v3 on and answers anything else with INVALID_RECORD (`ProduceRequest#validateRecords`); the
   * codec reads what is there and leaves that rule to the broker.
   */
  records: RecordBatch[] | null;
}

/** The partitions of one topic (the schema's TopicProduceData). */
export interface ProduceRequestTopic {
  name: string;
  partitionData: ProduceRequestPartition[];
}

/** A decoded ProduceRequest. */
export interface ProduceRequest {
  /** The transactional.id of a transactional producer, else null. */
  transactionalId: string | null;
  /** 0: no response; 1: the leader has the records; -1: every in-sync replica has them. Others are INVALID_REQUIRED_ACKS. */
  acks: number;
  /** How long the leader may wait for acks=-1 replication before it answers REQUEST_TIMED_OUT. */
  timeoutMs: number;
  topicData: ProduceRequestTopic[];
}

/**
 * Reads a ProduceRequest body, record batches included; the whole body must be consumed. Malformed records
 * (a CRC mismatch, a batch cut short) throw a WireFormatError like any other malformed field, where Kafka's broker
 * would answer CORRUPT_MESSAGE for that partition alone.
 */
export function decodeProduceRequest(body: ByteReader, apiVersion: number): ProduceRequest {
  requireVersionIn('decodeProduceRequest', produceVersions, apiVersion);
  const request: ProduceRequest = {
    transactionalId: body.readNullableString('transactionalId'),
    acks: body.readInt16('acks'),
    timeoutMs: body.readInt32('timeoutMs'),
    topicData: body.readArray('topicData', readTopic),
  };
  body.requireEnd('ProduceRequest');
  return request;
}

function readTopic(reader: ByteReader): ProduceRequestTopic {
  return {
    name: reader.readString('topicData[].name'),
    partitionData: reader.readArray('topicData[].partitionData', readPartition),
  };
}

function readPartition(reader: ByteReader): ProduceRequestPartition {
  const index = reader.readInt32('topicData[].partitionData[].index');
  const records = reader.readNullableBytes('topicData[].partitionData[].records');
  if (records === null) return { index, records: null };
  // Decoded in place, from the frame up to the end of the field, so that errors name offsets in the frame.
  const end = reader.offset;
  return { index, records: decodeRecordBatches(reader.buffer.subarray(0, end), end - records.length) };
}
