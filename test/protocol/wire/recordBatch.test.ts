// Longer than most test files: every check the decoder makes (CRC, lengths, counts, magic, codecs) has its own
// test here, beside the round trips against kafkajs's RecordBatch encoder and decoder.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import type { RecordHeader } from '../../../src/protocol/wire/defaultRecord.ts';
import { decodeRecordBatches, encodeRecordBatches, type RecordBatch } from '../../../src/protocol/wire/recordBatch.ts';
import { KafkajsEncoder } from './kafkajs.ts';
import {
  kafkajsCrc32C,
  kafkajsDecodeRecordBatches,
  kafkajsRecord,
  kafkajsRecordBatch,
  type KafkajsDecodedBatch,
} from './kafkajsRecordBatch.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const int16 = fc.integer({ min: -0x8000, max: 0x7fff });
const int32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const bytes = fc.uint8Array({ maxLength: 24 }).map((array) => Buffer.from(array));
const nullableBytes = fc.option(bytes, { nil: null });

/** Any batch this codec can write: every field over its whole range, so round trips cover the varint edges. */
function batchArbitrary({ offsets = int64, timestamps = int64, headerKeys = fc.string({ unit: 'grapheme', maxLength: 8 }) } = {}) {
  const header = fc.record({ key: headerKeys, value: nullableBytes });
  const record = fc.record({
    attributes: fc.integer({ min: -0x80, max: 0x7f }),
    timestampDelta: timestamps,
    offsetDelta: int32,
    key: nullableBytes,
    value: nullableBytes,
    headers: fc.array(header, { maxLength: 3 }),
  });
  return fc.record({
    baseOffset: offsets,
    partitionLeaderEpoch: int32,
    compression: fc.constant('none' as const),
    timestampType: fc.constantFrom('CreateTime' as const, 'LogAppendTime' as const),
    isTransactional: fc.boolean(),
    isControlBatch: fc.boolean(),
    hasDeleteHorizonMs: fc.boolean(),
    lastOffsetDelta: int32,
    baseTimestamp: timestamps,
    maxTimestamp: timestamps,
    producerId: int64,
    producerEpoch: int16,
    baseSequence: int32,
    records: fc.array(record, { maxLength: 4 }),
  });
}

// One batch as a transactional, idempotent kafkajs producer would send it, built by kafkajs's encoders, and the
// same batch as this codec models it.
const kafkajsArgs = () => ({
  firstOffset: 100n,
  firstTimestamp: 1_700_000_000_000n,
  maxTimestamp: 1_700_000_000_250n,
  partitionLeaderEpoch: 7,
  lastOffsetDelta: 2,
  transactional: true,
  producerId: 4_000_000_000n,
  producerEpoch: 3,
  firstSequence: 17,
  records: [
    kafkajsRecord({ offsetDelta: 0, timestampDelta: 0, key: null, value: 'first' }),
    kafkajsRecord({ offsetDelta: 1, timestampDelta: 250, key: Buffer.from([0, 1, 0xff]), value: Buffer.alloc(0), headers: { trace: 'abc', tag: ['x', 'y'] } }),
    kafkajsRecord({ offsetDelta: 2, timestampDelta: -5, key: 'k', value: null }),
  ],
});

const sample: RecordBatch = {
  baseOffset: 100n,
  partitionLeaderEpoch: 7,
  compression: 'none',
  timestampType: 'CreateTime',
  isTransactional: true,
  isControlBatch: false,
  hasDeleteHorizonMs: false,
  lastOffsetDelta: 2,
  baseTimestamp: 1_700_000_000_000n,
  maxTimestamp: 1_700_000_000_250n,
  producerId: 4_000_000_000n,
  producerEpoch: 3,
  baseSequence: 17,
  records: [
    { attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: null, value: Buffer.from('first'), headers: [] },
    {
      attributes: 0,
      timestampDelta: 250n,
      offsetDelta: 1,
      key: Buffer.from([0, 1, 0xff]),
      value: Buffer.alloc(0),
      headers: [
        { key: 'trace', value: Buffer.from('abc') },
        { key: 'tag', value: Buffer.from('x') },
        { key: 'tag', value: Buffer.from('y') },
      ],
    },
    { attributes: 0, timestampDelta: -5n, offsetDelta: 2, key: Buffer.from('k'), value: null, headers: [] },
  ],
};

/** What kafkajs's decoder returns for `batch`: absolute offsets and timestamps, headers grouped by key. */
function asKafkajsDecodes(batch: RecordBatch): KafkajsDecodedBatch {
  const isLogAppendTime = batch.timestampType === 'LogAppendTime';
  return {
    firstOffset: String(batch.baseOffset),
    firstTimestamp: String(batch.baseTimestamp),
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    inTransaction: batch.isTransactional,
    isControlBatch: batch.isControlBatch,
    lastOffsetDelta: batch.lastOffsetDelta,
    producerId: String(batch.producerId),
    producerEpoch: batch.producerEpoch,
    firstSequence: batch.baseSequence,
    maxTimestamp: String(batch.maxTimestamp),
    timestampType: isLogAppendTime ? 1 : 0,
    records: batch.records.map((record) => ({
      magicByte: 2,
      attributes: record.attributes,
      timestamp: String(isLogAppendTime ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta),
      offset: String(batch.baseOffset + BigInt(record.offsetDelta)),
      key: record.key,
      value: record.value,
      headers: groupedAsKafkajsDoes(record.headers),
      isControlRecord: batch.isControlBatch,
    })),
  };
}

// kafkajs turns headers into an object: one value per key, or an array when the key repeats.
function groupedAsKafkajsDoes(headers: RecordHeader[]): KafkajsDecodedBatch['records'][number]['headers'] {
  const grouped: KafkajsDecodedBatch['records'][number]['headers'] = {};
  for (const { key, value } of headers) {
    const previous = grouped[key];
    grouped[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return grouped;
}

/**
 * A batch assembled from kafkajs's primitives around hand-made record bytes, with a correct CRC: the way to reach
 * the decoder's checks that no encoder would trip. Its 61-byte header puts the first record at offset 61.
 */
function handMadeBatch({ attributes = 0, magic = 2, recordsCount, records }: { attributes?: number; magic?: number; recordsCount: number; records: Buffer }): Buffer {
  const checked = new KafkajsEncoder()
    .writeInt16(attributes)
    .writeInt32(recordsCount - 1)
    .writeInt64(0n)
    .writeInt64(0n)
    .writeInt64(-1n)
    .writeInt16(-1)
    .writeInt32(-1)
    .writeInt32(recordsCount)
    .writeBuffer(records).buffer;
  return new KafkajsEncoder()
    .writeInt64(0n)
    .writeInt32(9 + checked.length)
    .writeInt32(-1)
    .writeInt8(magic)
    .writeInt32(kafkajsCrc32C(checked) | 0)
    .writeBuffer(checked).buffer;
}

const oneRecord = () => Buffer.from(kafkajsRecord({ value: 'v' }).buffer); // 0e 00 00 00 01 02 76 00: 7 bytes after the length

describe('decodeRecordBatches', () => {
  it("reads every field of a batch built by kafkajs's RecordBatch and Record encoders", async () => {
    const bytes = await kafkajsRecordBatch(kafkajsArgs());
    expect(decodeRecordBatches(bytes)).toEqual([sample]);
  });

  it('reads batches that follow each other in one records field, and none from an empty one', async () => {
    const second = await kafkajsRecordBatch({ ...kafkajsArgs(), firstOffset: 103n, transactional: false, records: [kafkajsRecord({ value: 'later' })], lastOffsetDelta: 0 });
    const batches = decodeRecordBatches(Buffer.concat([await kafkajsRecordBatch(kafkajsArgs()), second]));
    expect(batches.map((batch) => [batch.baseOffset, batch.isTransactional, batch.records.length])).toEqual([
      [100n, true, 3],
      [103n, false, 1],
    ]);
    expect(batches[1]?.records[0]?.value).toEqual(Buffer.from('later'));
    expect(decodeRecordBatches(Buffer.alloc(0))).toEqual([]);
  });

  it('reads every attribute flag (compression none, timestamp type, transactional, control, delete horizon)', () => {
    const flags = (attributes: number) => {
      const [batch] = decodeRecordBatches(handMadeBatch({ attributes, recordsCount: 0, records: Buffer.alloc(0) }));
      return [batch?.timestampType, batch?.isTransactional, batch?.isControlBatch, batch?.hasDeleteHorizonMs];
    };
    expect(flags(0x00)).toEqual(['CreateTime', false, false, false]);
    expect(flags(0x08)).toEqual(['LogAppendTime', false, false, false]);
    expect(flags(0x10)).toEqual(['CreateTime', true, false, false]);
    expect(flags(0x20)).toEqual(['CreateTime', false, true, false]);
    expect(flags(0x40)).toEqual(['CreateTime', false, false, true]);
    // Bits 7-15 are unused, and ignored as Kafka ignores them.
    expect(flags(0x7f80)).toEqual(['CreateTime', false, false, false]);
  });

  it('detects a byte changed anywhere the CRC covers, and names the stored and computed CRC', async () => {
    const bytes = await kafkajsRecordBatch(kafkajsArgs());
    for (const at of [21, 30, bytes.length - 1]) {
      const corrupt = Buffer.from(bytes);
      corrupt[at] = (corrupt[at] as number) ^ 0x01;
      const error = wireErrorOf(() => decodeRecordBatches(corrupt));
      expect(error.field).toBe('recordBatch.crc (uint32)');
      expect(error.offset).toBe(17);
      expect(error.problem).toMatch(/^corrupt batch: stored crc 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}$/);
    }
  });

  it('lets baseOffset and partitionLeaderEpoch change without a new CRC, as a leader does on append', async () => {
    const bytes = await kafkajsRecordBatch(kafkajsArgs());
    const appended = Buffer.from(bytes);
    appended.writeBigInt64BE(5000n, 0);
    appended.writeInt32BE(12, 12);
    const [batch] = decodeRecordBatches(appended);
    expect([batch?.baseOffset, batch?.partitionLeaderEpoch]).toEqual([5000n, 12]);
  });

  it('names the field where a batch is cut short', async () => {
    const bytes = await kafkajsRecordBatch(kafkajsArgs());
    expect(() => decodeRecordBatches(bytes.subarray(0, 5))).toThrow('cannot read recordBatch.baseOffset (int64) at offset 0: truncated, needs 8 bytes but 5 remain');
    expect(() => decodeRecordBatches(bytes.subarray(0, 10))).toThrow('cannot read recordBatch.batchLength (int32) at offset 8: truncated, needs 4 bytes but 2 remain');
    const cut = wireErrorOf(() => decodeRecordBatches(Buffer.concat([bytes, bytes.subarray(0, bytes.length - 1)])));
    expect([cut.field, cut.offset, cut.problem]).toEqual(['recordBatch.batchLength (int32)', bytes.length + 8, `truncated, the batch needs ${bytes.length - 12} bytes but ${bytes.length - 13} remain`]);
  });

  it('rejects a batchLength below that of a batch without records', () => {
    const tooShort = Buffer.from(handMadeBatch({ recordsCount: 0, records: Buffer.alloc(0) }));
    tooShort.writeInt32BE(48, 8);
    expect(() => decodeRecordBatches(tooShort)).toThrow('recordBatch.batchLength (int32) at offset 8: 48 is less than 49');
  });

  it('names the record field that runs past the length the record declares', () => {
    const record = oneRecord();
    record[0] = 0x0c; // 6 bytes: the header count falls outside the record
    const error = wireErrorOf(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: record })));
    expect([error.field, error.offset, error.problem]).toEqual(['recordBatch.records[].headers (varint)', 61 + 7, 'truncated, needs 1 bytes but 0 remain']);
  });

  it('names the value whose length runs past the end of the record', () => {
    const record = Buffer.from(kafkajsRecord({ value: 'vv' }).buffer);
    record[5] = 0x08; // value length 4 where 2 bytes and the header count are left in the record
    const error = wireErrorOf(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: record })));
    expect([error.field, error.offset, error.problem]).toEqual(['recordBatch.records[].value (varint bytes)', 61 + 5, 'truncated, needs 4 bytes but 3 remain']);
  });

  it('rejects a record whose length leaves bytes after its last field, or reaches past the batch', () => {
    const longer = Buffer.concat([oneRecord(), Buffer.from([0])]);
    longer[0] = 0x10; // 8 bytes, one more than the fields take
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: longer }))).toThrow('cannot read recordBatch.records[] at offset 69: 1 bytes left over after the last field');
    const pastBatch = oneRecord();
    pastBatch[0] = 0x10;
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: pastBatch }))).toThrow(
      'cannot read recordBatch.records[] (record of 8 bytes) at offset 62: truncated, needs 8 bytes but 7 remain',
    );
  });

  it('rejects a recordsCount that does not match the records in the batch', () => {
    const twoRecords = Buffer.concat([oneRecord(), oneRecord()]);
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: 3, records: twoRecords }))).toThrow(
      'cannot read recordBatch.records[].length (varint) at offset 77: truncated, needs 1 bytes but 0 remain',
    );
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: twoRecords }))).toThrow('cannot read recordBatch at offset 69: 8 bytes left over');
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: -1, records: twoRecords }))).toThrow('recordBatch.recordsCount (int32) at offset 57: -1 records');
  });

  it('rejects a null header key and a header count beyond the record', () => {
    const nullKey = Buffer.from(kafkajsRecord({ value: 'v', headers: { h: 'x' } }).buffer);
    nullKey[8] = 0x01; // key length -1 where "h" was: the format has no null header key
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: nullKey }))).toThrow(
      'recordBatch.records[].headers[].key (varint string) at offset 69: length -1',
    );
    const manyHeaders = oneRecord();
    manyHeaders[7] = 0x7e; // 63 headers in a record with no bytes left
    expect(() => decodeRecordBatches(handMadeBatch({ recordsCount: 1, records: manyHeaders }))).toThrow('recordBatch.records[].headers (varint) at offset 68: 63 headers, but only 0 bytes remain');
  });

  it('rejects magic 0 and 1, the legacy message sets', () => {
    for (const magic of [0, 1]) {
      expect(() => decodeRecordBatches(handMadeBatch({ magic, recordsCount: 0, records: Buffer.alloc(0) }))).toThrow(
        `cannot read recordBatch.magic (int8) at offset 16: magic ${magic}, but only RecordBatch v2 (magic 2) is supported`,
      );
    }
  });

  it('reads a gzip batch as kafkajs compresses it: the same records as the batch uncompressed', async () => {
    const plain = decodeRecordBatches(await kafkajsRecordBatch(kafkajsArgs()));
    const gzipped = decodeRecordBatches(await kafkajsRecordBatch({ ...kafkajsArgs(), compression: 1 }));
    expect(gzipped.map((b) => ({ ...b, compression: 'none' }))).toEqual(plain);
    expect(gzipped[0]?.compression).toBe('gzip');
  });

  it('names the codec of a batch it cannot read (snappy, lz4, zstd; a gzip block that is not gzip), and rejects unknown codec ids', () => {
    const notGzip = handMadeBatch({ attributes: 1, recordsCount: 1, records: Buffer.from('compressed block') });
    expect(() => decodeRecordBatches(notGzip)).toThrow('recordBatch.records (gzip) at offset 61: not a gzip stream');
    ['snappy', 'lz4', 'zstd'].forEach((codec, i) => {
      const compressed = handMadeBatch({ attributes: i + 2, recordsCount: 1, records: Buffer.from('compressed block') });
      expect(() => decodeRecordBatches(compressed)).toThrow(`recordBatch.attributes (int16) at offset 21: compression ${codec} is not supported, only none and gzip`);
    });
    expect(() => decodeRecordBatches(handMadeBatch({ attributes: 5, recordsCount: 0, records: Buffer.alloc(0) }))).toThrow(
      'recordBatch.attributes (int16) at offset 21: unknown compression type id 5',
    );
  });
});

describe('encodeRecordBatches', () => {
  it("writes byte for byte what kafkajs's RecordBatch encoder writes for the same batch, CRC included", async () => {
    const expected = await kafkajsRecordBatch(kafkajsArgs());
    expect(encodeRecordBatches([sample]).toString('hex')).toBe(expected.toString('hex'));
  });

  it('round-trips any batches through decodeRecordBatches, and decoded bytes re-encode to the same bytes', () => {
    fc.assert(
      fc.property(fc.array(batchArbitrary(), { maxLength: 3 }), (batches) => {
        const encoded = encodeRecordBatches(batches);
        const decoded = decodeRecordBatches(encoded);
        expect(decoded).toEqual(batches);
        expect(encodeRecordBatches(decoded).equals(encoded)).toBe(true);
      }),
    );
  });

  it("writes batches kafkajs's decoder reads field for field, CRC matching kafkajs's crc32C", async () => {
    // kafkajs adds offsets and timestamps without wrapping at 64 bits, so they stay in a range where no sum overflows.
    const arbitrary = batchArbitrary({
      offsets: fc.bigInt({ min: 0n, max: 2n ** 62n }),
      timestamps: fc.bigInt({ min: -(2n ** 40n), max: 2n ** 41n }),
      headerKeys: fc.constantFrom('trace', 'tag', 'ü', ''),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbitrary, { minLength: 1, maxLength: 2 }), async (batches) => {
        const encoded = encodeRecordBatches(batches);
        expect(await kafkajsDecodeRecordBatches(encoded)).toEqual(batches.map(asKafkajsDecodes));
        expect(encoded.readUInt32BE(17)).toBe(kafkajsCrc32C(encoded.subarray(21, 12 + encoded.readInt32BE(8))));
      }),
      { numRuns: 50 },
    );
  });

  it('writes a null header value, which kafkajs can read but its encoder cannot write', async () => {
    const withNullHeader: RecordBatch = { ...sample, records: [{ ...sample.records[0]!, headers: [{ key: 'gone', value: null }] }] };
    const [decoded] = await kafkajsDecodeRecordBatches(encodeRecordBatches([withNullHeader]));
    expect(decoded?.records[0]?.headers).toEqual({ gone: null });
    expect(() => kafkajsRecord({ value: 'v', headers: { gone: null as unknown as string } })).toThrow(TypeError);
  });

  it('refuses to write a compressed batch, naming the codec', () => {
    expect(() => encodeRecordBatches([{ ...sample, compression: 'zstd' }])).toThrow(ArgumentError);
    expect(() => encodeRecordBatches([{ ...sample, compression: 'zstd' }])).toThrow('batch.compression must be \'none\' (compressed batches are not encoded yet), got "zstd"');
  });
});
