// RecordBatch v2 (magic 2), Kafka's `DefaultRecordBatch` (https://kafka.apache.org/documentation/#recordbatch):
//   baseOffset: int64, batchLength: int32, partitionLeaderEpoch: int32, magic: int8 (2), crc: uint32,
//   attributes: int16, lastOffsetDelta: int32, baseTimestamp: int64, maxTimestamp: int64, producerId: int64,
//   producerEpoch: int16, baseSequence: int32, recordsCount: int32, records: [DefaultRecord]
// batchLength counts the bytes after itself. The CRC-32C covers attributes to the end of the batch and leaves out
// baseOffset and partitionLeaderEpoch, so that a leader can set both on append without recomputing it. A records
// field (Produce, Fetch) holds batches back to back. The records of a compressed batch are one compressed block
// after recordsCount: gzip ones are read (snappy, lz4 and zstd throw); batches are written uncompressed.
import { gunzipSync } from 'node:zlib';
import { ArgumentError } from '../../kernel/argumentError.ts';
import { ByteReader } from './ByteReader.ts';
import { ByteWriter } from './ByteWriter.ts';
import { crc32c } from './crc32c.ts';
import { readRecord, writeRecord, type DefaultRecord } from './defaultRecord.ts';
import {
  decodeRecordBatchAttributes,
  encodeRecordBatchAttributes,
  type RecordBatchAttributes,
} from './recordBatchAttributes.ts';
import { WireFormatError } from './WireFormatError.ts';

/** A v2 batch of records; magic, batchLength, crc and recordsCount follow from the rest and are not kept. */
export interface RecordBatch extends RecordBatchAttributes {
  /** The offset of the first record; producers send 0 and the leader assigns it on append. */
  baseOffset: bigint;
  /** The leader's epoch when it appended the batch; producers send -1 (kafkajs sends 0). */
  partitionLeaderEpoch: number;
  /** The offsetDelta of the last record (also the last sequence delta); -1 in a batch without records. */
  lastOffsetDelta: number;
  /** The timestamp that record timestampDeltas count from, in ms; -1 in a batch without records. */
  baseTimestamp: bigint;
  /** The greatest record timestamp, or the broker's append time under LogAppendTime, in ms. */
  maxTimestamp: bigint;
  /** -1 unless the producer is idempotent or transactional (KIP-98). */
  producerId: bigint;
  /** -1 unless the producer is idempotent or transactional. */
  producerEpoch: number;
  /** The sequence number of the first record, per producer and partition; -1 unless idempotent. */
  baseSequence: number;
  records: DefaultRecord[];
}

const magic = 2;
// partitionLeaderEpoch, magic and crc: what batchLength counts before the bytes the CRC covers.
const uncheckedHeaderBytes = 9;
// The smallest batchLength, a batch without records: Kafka's RECORD_BATCH_OVERHEAD of 61 bytes, less the 12 of
// baseOffset and batchLength (LOG_OVERHEAD), which batchLength does not count.
const minBatchLength = 49;

/**
 * Reads the batches from `offset` to the end of `buffer`, which is where the records field ends; offsets in
 * errors are those of `buffer`. A batch cut short, a magic other than 2, a CRC that does not match, a batch compressed
 * other than with gzip or records that do not fill the batch exactly throw a WireFormatError.
 */
export function decodeRecordBatches(buffer: Buffer, offset = 0): RecordBatch[] {
  const records = new ByteReader(buffer, offset);
  const batches: RecordBatch[] = [];
  while (records.remaining > 0) batches.push(readRecordBatch(records));
  return batches;
}

/** Writes the batches back to back, as a records field holds them; each gets its batchLength and CRC. */
export function encodeRecordBatches(batches: readonly RecordBatch[]): Buffer {
  const writer = new ByteWriter();
  for (const batch of batches) writeRecordBatch(writer, batch);
  return writer.toBuffer();
}

function readRecordBatch(records: ByteReader): RecordBatch {
  const baseOffset = records.readInt64('recordBatch.baseOffset');
  const batchLength = readBatchLength(records);
  // A reader that ends where the batch ends, so that a field running past batchLength reads as truncated;
  // readBatchLength has checked that the batch fits, so taking the region cannot fail.
  const reader = records.readRegion('recordBatch', batchLength);
  const partitionLeaderEpoch = reader.readInt32('recordBatch.partitionLeaderEpoch');
  readMagic(reader);
  readCrc(reader);
  const attributesAt = reader.offset;
  const attributes = decodeRecordBatchAttributes(reader.readInt16('recordBatch.attributes'), attributesAt);
  const batch: Omit<RecordBatch, 'records'> = {
    baseOffset,
    partitionLeaderEpoch,
    ...attributes,
    lastOffsetDelta: reader.readInt32('recordBatch.lastOffsetDelta'),
    baseTimestamp: reader.readInt64('recordBatch.baseTimestamp'),
    maxTimestamp: reader.readInt64('recordBatch.maxTimestamp'),
    producerId: reader.readInt64('recordBatch.producerId'),
    producerEpoch: reader.readInt16('recordBatch.producerEpoch'),
    baseSequence: reader.readInt32('recordBatch.baseSequence'),
  };
  if (attributes.compression === 'gzip') return { ...batch, records: readGzipRecords(reader) };
  if (attributes.compression !== 'none') {
    const problem = `compression ${attributes.compression} is not supported, only none and gzip: the records cannot be read`;
    throw new WireFormatError('recordBatch.attributes (int16)', attributesAt, problem);
  }
  return { ...batch, records: readRecords(reader) };
}

// A gzip batch: recordsCount, then the records as one gzip stream to the end of the batch (Kafka's
// `DefaultRecordBatch#compressedIterator`). Decompressed synchronously (zlib), so nothing waits on a thread pool.
function readGzipRecords(reader: ByteReader): DefaultRecord[] {
  const at = reader.offset;
  const count = reader.readInt32('recordBatch.recordsCount');
  const block = reader.readRegion('recordBatch.records (gzip)', reader.remaining);
  let plain: Buffer;
  try {
    plain = gunzipSync(block.buffer.subarray(block.offset));
  } catch (error) {
    throw new WireFormatError('recordBatch.records (gzip)', at + 4, `not a gzip stream: ${(error as Error).message}`);
  }
  const records = new ByteReader(plain);
  if (count < 0 || count > plain.length) {
    throw new WireFormatError('recordBatch.recordsCount (int32)', at, `${count} records, but the batch holds ${plain.length} bytes of them`);
  }
  const decoded: DefaultRecord[] = [];
  for (let i = 0; i < count; i++) decoded.push(readRecord(records));
  records.requireEnd('recordBatch (gzip records)');
  return decoded;
}

function readBatchLength(head: ByteReader): number {
  const label = 'recordBatch.batchLength (int32)';
  const at = head.offset;
  const batchLength = head.readInt32('recordBatch.batchLength');
  if (batchLength < minBatchLength) {
    throw new WireFormatError(label, at, `${batchLength} is less than ${minBatchLength}, the length of a batch without records`);
  }
  if (batchLength > head.remaining) {
    throw new WireFormatError(label, at, `truncated, the batch needs ${batchLength} bytes but ${head.remaining} remain`);
  }
  return batchLength;
}

function readMagic(reader: ByteReader): void {
  const at = reader.offset;
  const found = reader.readInt8('recordBatch.magic');
  // Produce v3+ and Fetch v4+ carry only v2 batches (Kafka's `ProduceRequest#validateRecords`); magic 0 and 1 are
  // the legacy message sets of older clients, laid out differently from here on.
  if (found !== magic) throw new WireFormatError('recordBatch.magic (int8)', at, `magic ${found}, but only RecordBatch v2 (magic 2) is supported`);
}

// Kafka's `DefaultRecordBatch#ensureValid`: the stored CRC against the one computed over attributes..end. The
// reader is the batch's region, so its buffer ends where the batch does.
function readCrc(reader: ByteReader): void {
  const at = reader.offset;
  const stored = reader.readUint32('recordBatch.crc');
  const computed = crc32c(reader.buffer.subarray(reader.offset));
  if (stored !== computed) {
    throw new WireFormatError('recordBatch.crc (uint32)', at, `corrupt batch: stored crc ${hex32(stored)}, computed ${hex32(computed)}`);
  }
}

function readRecords(reader: ByteReader): DefaultRecord[] {
  const label = 'recordBatch.recordsCount (int32)';
  const at = reader.offset;
  const count = reader.readInt32('recordBatch.recordsCount');
  // Every record takes at least one byte; checking first keeps a corrupt count from allocating a huge array.
  if (count < 0 || count > reader.remaining) {
    throw new WireFormatError(label, at, `${count} records, but only ${reader.remaining} bytes remain in the batch`);
  }
  const decoded: DefaultRecord[] = [];
  for (let i = 0; i < count; i++) decoded.push(readRecord(reader));
  // Kafka: "Incorrect declared batch size, records still remaining in file".
  reader.requireEnd('recordBatch');
  return decoded;
}

function writeRecordBatch(writer: ByteWriter, batch: RecordBatch): void {
  if (batch.compression !== 'none') {
    throw new ArgumentError('encodeRecordBatches', 'batch.compression', batch.compression, "'none' (compressed batches are not encoded yet)");
  }
  const checked = new ByteWriter(); // attributes to the end: the bytes the CRC covers
  checked.writeInt16(encodeRecordBatchAttributes(batch));
  checked.writeInt32(batch.lastOffsetDelta);
  checked.writeInt64(batch.baseTimestamp);
  checked.writeInt64(batch.maxTimestamp);
  checked.writeInt64(batch.producerId);
  checked.writeInt16(batch.producerEpoch);
  checked.writeInt32(batch.baseSequence);
  checked.writeInt32(batch.records.length);
  for (const record of batch.records) writeRecord(checked, record);
  const checkedBytes = checked.toBuffer();
  writer.writeInt64(batch.baseOffset);
  writer.writeInt32(uncheckedHeaderBytes + checkedBytes.length);
  writer.writeInt32(batch.partitionLeaderEpoch);
  writer.writeInt8(magic);
  writer.writeUint32(crc32c(checkedBytes));
  writer.writeRaw(checkedBytes);
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
