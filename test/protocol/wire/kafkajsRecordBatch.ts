// kafkajs 2.2.4's RecordBatch v2 code (src/protocol/recordBatch), the oracle for recordBatch.ts and crc32c.ts: its
// encoders build the batches that its Produce requests carry, and its decoder reads the batches of a Fetch
// response. Like kafkajs.ts, this only types the parts the tests use.
import { createRequire } from 'node:module';
import { KafkajsDecoder, type KafkajsEncoder } from './kafkajs.ts';

const require = createRequire(import.meta.url);

/** kafkajs's header values: a string or Buffer, or several under one key. It cannot encode a null value. */
export type KafkajsHeaders = { [key: string]: string | Buffer | (string | Buffer)[] };

/** The arguments of kafkajs's Record encoder (src/protocol/recordBatch/record/v0/index.js). */
export interface KafkajsRecordArgs {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: KafkajsHeaders;
}

/** The arguments of kafkajs's RecordBatch encoder (src/protocol/recordBatch/v0/index.js); int64s as bigint. */
export interface KafkajsRecordBatchArgs {
  compression?: number;
  firstOffset?: bigint;
  firstTimestamp: bigint;
  maxTimestamp: bigint;
  partitionLeaderEpoch?: number;
  lastOffsetDelta?: number;
  transactional?: boolean;
  producerId?: bigint;
  producerEpoch?: number;
  firstSequence?: number;
  records: KafkajsEncoder[];
}

/** One record as kafkajs's decoder returns it: absolute offset and timestamp, as decimal strings. */
export interface KafkajsDecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: { [key: string]: Buffer | null | (Buffer | null)[] };
  isControlRecord: boolean;
}

/** One batch as kafkajs's decoder returns it; int64s as decimal strings, timestampType 0 or 1. */
export interface KafkajsDecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  records: KafkajsDecodedRecord[];
}

/** kafkajs's Record encoder: varint length, then the record. */
export const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: KafkajsRecordArgs) => KafkajsEncoder;

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (args: KafkajsRecordBatchArgs) => Promise<KafkajsEncoder>;
};

/** The bytes of one batch as kafkajs's RecordBatch encoder writes them. */
export async function kafkajsRecordBatch(args: KafkajsRecordBatchArgs): Promise<Buffer> {
  return (await RecordBatch(args)).buffer;
}

/** kafkajs's own CRC-32C (src/protocol/recordBatch/crc32C), a table-driven JavaScript port. */
export const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (bytes: Buffer) => number;

const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: KafkajsDecoder,
) => Promise<Omit<KafkajsDecodedBatch, 'records'> & { records: (KafkajsDecodedRecord & { batchContext: unknown })[] }>;

/**
 * Reads batches back to back as kafkajs's Fetch decoder does. kafkajs never checks the CRC, so these tests check
 * it with kafkajsCrc32C; each record's `batchContext` (a copy of the batch fields) is dropped.
 */
export async function kafkajsDecodeRecordBatches(bytes: Buffer): Promise<KafkajsDecodedBatch[]> {
  const decoder = new KafkajsDecoder(bytes);
  const batches: KafkajsDecodedBatch[] = [];
  while (decoder.offset < bytes.length) {
    const batch = await decodeBatch(decoder);
    batches.push({ ...batch, records: batch.records.map(({ batchContext: _, ...record }) => record) });
  }
  return batches;
}

/** Recomputes the CRC of a batch at `offset` in `bytes` after a test has changed its bytes on purpose. */
export function withFreshCrc(bytes: Buffer, offset = 0): Buffer {
  const copy = Buffer.from(bytes);
  const end = offset + 12 + copy.readInt32BE(offset + 8);
  copy.writeUInt32BE(kafkajsCrc32C(copy.subarray(offset + 21, end)), offset + 17);
  return copy;
}
