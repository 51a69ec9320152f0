// One record of a RecordBatch v2, as Kafka's `DefaultRecord` reads and writes it
// (https://kafka.apache.org/documentation/#record):
//   length: varint, attributes: int8, timestampDelta: varlong, offsetDelta: varint,
//   keyLength: varint, key: bytes, valueLength: varint, value: bytes,
//   headersCount: varint, headers: [headerKeyLength: varint, headerKey: string, headerValueLength: varint, value: bytes]
// The varints are zigzag-encoded, and a length of -1 means null (not allowed for a header key). The length counts
// the bytes after itself, and Kafka rejects a record whose fields do not fill it exactly.
import type { ByteReader } from './ByteReader.ts';
import { ByteWriter } from './ByteWriter.ts';
import { WireFormatError } from './WireFormatError.ts';

/** A record header (Kafka's `RecordHeader`): keys may repeat, values may be null. */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/**
 * A record inside a v2 batch, with its offset and timestamp relative to the batch's (Kafka's `DefaultRecord`, named
 * after it; the name also keeps clear of TypeScript's `Record`).
 */
export interface DefaultRecord {
  /** Unused by Kafka so far (always 0); kept so that a decoded record encodes to the same bytes. */
  attributes: number;
  /** The record's timestamp minus the batch's baseTimestamp, in ms; negative when it is older. */
  timestampDelta: bigint;
  /** The record's offset minus the batch's baseOffset. */
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Reads one record, length first; the record's fields must end exactly where its length says. */
export function readRecord(reader: ByteReader): DefaultRecord {
  const length = reader.readVarint('recordBatch.records[].length');
  const body = reader.readRegion(`recordBatch.records[] (record of ${length} bytes)`, length);
  const record: DefaultRecord = {
    attributes: body.readInt8('recordBatch.records[].attributes'),
    timestampDelta: body.readVarlong('recordBatch.records[].timestampDelta'),
    offsetDelta: body.readVarint('recordBatch.records[].offsetDelta'),
    key: body.readVarintNullableBytes('recordBatch.records[].key'),
    value: body.readVarintNullableBytes('recordBatch.records[].value'),
    headers: readHeaders(body),
  };
  body.requireEnd('recordBatch.records[]');
  return record;
}

/** Writes one record, length first. */
export function writeRecord(writer: ByteWriter, record: DefaultRecord): void {
  const body = new ByteWriter(64);
  body.writeInt8(record.attributes);
  body.writeVarlong(record.timestampDelta);
  body.writeVarint(record.offsetDelta);
  body.writeVarintNullableBytes(record.key);
  body.writeVarintNullableBytes(record.value);
  body.writeVarint(record.headers.length);
  for (const header of record.headers) {
    body.writeVarintString(header.key);
    body.writeVarintNullableBytes(header.value);
  }
  writer.writeVarint(body.length);
  writer.writeRaw(body.toBuffer());
}

function readHeaders(body: ByteReader): RecordHeader[] {
  const start = body.offset;
  const count = body.readVarint('recordBatch.records[].headers');
  // Kafka's `DefaultRecord#readFrom` makes the same two checks: a header takes at least two bytes, so a count
  // beyond the bytes left is corrupt, and checking it first keeps a corrupt count from allocating a huge array.
  if (count < 0 || count > body.remaining) {
    throw new WireFormatError('recordBatch.records[].headers (varint)', start, `${count} headers, but only ${body.remaining} bytes remain in the record`);
  }
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    headers.push({
      key: body.readVarintString('recordBatch.records[].headers[].key'),
      value: body.readVarintNullableBytes('recordBatch.records[].headers[].value'),
    });
  }
  return headers;
}
