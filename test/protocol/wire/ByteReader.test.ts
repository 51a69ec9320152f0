import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { ByteWriter } from '../../../src/protocol/wire/ByteWriter.ts';
import { KafkajsDecoder, KafkajsEncoder } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const int32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const text = fc.string({ unit: 'grapheme', maxLength: 30 });

function readerOf(write: (writer: ByteWriter) => void): ByteReader {
  const writer = new ByteWriter();
  write(writer);
  return new ByteReader(writer.toBuffer());
}

const hex = (bytes: string): ByteReader => new ByteReader(Buffer.from(bytes.replaceAll(' ', ''), 'hex'));

describe('ByteReader', () => {
  it('reads back every fixed-width type ByteWriter writes', () => {
    fc.assert(
      fc.property(int32, int64, fc.boolean(), fc.uint8Array({ minLength: 16, maxLength: 16 }), (n, long, flag, uuid) => {
        const uuidText = Buffer.from(uuid).toString('base64url');
        const reader = readerOf((w) => {
          w.writeInt8(n >> 24);
          w.writeInt16(n >> 16);
          w.writeInt32(n);
          w.writeInt64(long);
          w.writeUint32(n >>> 0);
          w.writeBoolean(flag);
          w.writeUuid(uuidText);
        });
        expect(reader.readInt8('a')).toBe(n >> 24);
        expect(reader.readInt16('b')).toBe(n >> 16);
        expect(reader.readInt32('c')).toBe(n);
        expect(reader.readInt64('d')).toBe(long);
        expect(reader.readUint32('e')).toBe(n >>> 0);
        expect(reader.readBoolean('f')).toBe(flag);
        expect(reader.readUuid('g')).toBe(uuidText);
        reader.requireEnd('all');
      }),
    );
  });

  it("reads the varints, varlongs and unsigned varints kafkajs's Encoder writes", () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 0xffff_ffff }), int64, (signed, unsigned, long) => {
        const bytes = new KafkajsEncoder().writeVarInt(signed).writeUVarInt(unsigned).writeVarLong(long).buffer;
        const reader = new ByteReader(bytes);
        expect(reader.readVarint('signed')).toBe(signed);
        expect(reader.readUnsignedVarint('unsigned')).toBe(unsigned);
        expect(reader.readVarlong('long')).toBe(long);
        reader.requireEnd('varints');
      }),
    );
  });

  it('reads varints at their boundaries, negative ones through zigzag', () => {
    expect(hex('7f').readUnsignedVarint('n')).toBe(127);
    expect(hex('8001').readUnsignedVarint('n')).toBe(128);
    expect(hex('ffffffff0f').readUnsignedVarint('n')).toBe(0xffff_ffff);
    expect(hex('01').readVarint('n')).toBe(-1);
    expect(hex('7f').readVarint('n')).toBe(-64);
    expect(hex('ffffffff0f').readVarint('n')).toBe(-0x8000_0000);
    expect(hex('feffffff0f').readVarint('n')).toBe(0x7fff_ffff);
    expect(hex('ffffffffffffffffff01').readVarlong('n')).toBe(-(2n ** 63n));
    expect(hex('feffffffffffffffff01').readVarlong('n')).toBe(2n ** 63n - 1n);
  });

  it('reads back strings, bytes and arrays in their classic and compact forms, null included', () => {
    const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
    fc.assert(
      fc.property(text, nullable(text), fc.array(int32, { maxLength: 4 }), nullable(fc.array(text, { maxLength: 3 })), (s, maybe, ints, strings) => {
        const bytes = Buffer.from(s);
        const reader = readerOf((w) => {
          w.writeString(s);
          w.writeNullableString(maybe);
          w.writeCompactString(s);
          w.writeCompactNullableString(maybe);
          w.writeBytes(bytes);
          w.writeCompactNullableBytes(maybe === null ? null : Buffer.from(maybe));
          w.writeArray(ints, (writer, n) => writer.writeInt32(n));
          w.writeNullableArray(strings, (writer, item) => writer.writeString(item));
          w.writeCompactNullableArray(strings, (writer, item) => writer.writeCompactString(item));
        });
        expect(reader.readString('a')).toBe(s);
        expect(reader.readNullableString('b')).toBe(maybe);
        expect(reader.readCompactString('c')).toBe(s);
        expect(reader.readCompactNullableString('d')).toBe(maybe);
        expect(reader.readBytes('e').equals(bytes)).toBe(true);
        expect(reader.readCompactNullableBytes('f')?.toString() ?? null).toBe(maybe);
        expect(reader.readArray('g', (r) => r.readInt32('g[]'))).toEqual(ints);
        expect(reader.readNullableArray('h', (r) => r.readString('h[]'))).toEqual(strings);
        expect(reader.readCompactNullableArray('i', (r) => r.readCompactString('i[]'))).toEqual(strings);
        reader.requireEnd('all');
      }),
    );
  });

  it("reads null and empty apart, as kafkajs's Decoder does", () => {
    const bytes = new KafkajsEncoder().writeString(null).writeString('').writeUVarIntString(null).writeUVarIntString('').buffer;
    const reader = new ByteReader(bytes);
    expect(reader.readNullableString('a')).toBeNull();
    expect(reader.readNullableString('b')).toBe('');
    expect(reader.readCompactNullableString('c')).toBeNull();
    expect(reader.readCompactNullableString('d')).toBe('');
    expect(hex('ffffffff').readNullableArray('topics', (r) => r.readString('name'))).toBeNull();
    expect(hex('00000000').readNullableArray('topics', (r) => r.readString('name'))).toEqual([]);
    expect(hex('00').readCompactNullableArray('topics', (r) => r.readString('name'))).toBeNull();
    expect(hex('01').readCompactNullableArray('topics', (r) => r.readString('name'))).toEqual([]);
  });

  it('rejects null where the schema does not allow it, naming the field', () => {
    expect(() => hex('ffff').readString('host')).toThrow('cannot read host (string) at offset 0: null');
    expect(() => hex('00').readCompactString('name')).toThrow(/name \(compact string\) at offset 0: null/);
    expect(() => hex('ffffffff').readArray('brokers', () => 0)).toThrow(/brokers \(array\) at offset 0: null/);
  });

  it('reads back the varint-length bytes and strings of records, null bytes included', () => {
    fc.assert(
      fc.property(text, fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }), (key, value) => {
        const bytes = value === null ? null : Buffer.from(value);
        const reader = readerOf((w) => {
          w.writeVarintString(key);
          w.writeVarintNullableBytes(bytes);
          w.writeVarintNullableBytes(Buffer.from(key));
        });
        expect(reader.readVarintString('headers[].key')).toBe(key);
        expect(reader.readVarintNullableBytes('value')).toEqual(bytes);
        expect(reader.readVarintNullableBytes('key')?.toString()).toBe(key);
        reader.requireEnd('record');
      }),
    );
  });

  it("reads the varint-length bytes and strings kafkajs's Encoder writes, -1 as null and 0 as empty", () => {
    const bytes = new KafkajsEncoder().writeVarInt(3).writeBuffer(Buffer.from('abc')).writeVarInt(-1).writeVarInt(0).writeVarInt(2).writeBuffer(Buffer.from('ü')).writeVarInt(0).buffer;
    const reader = new ByteReader(bytes);
    expect(reader.readVarintNullableBytes('key')).toEqual(Buffer.from('abc'));
    expect(reader.readVarintNullableBytes('value')).toBeNull();
    expect(reader.readVarintNullableBytes('empty')).toEqual(Buffer.alloc(0));
    expect(reader.readVarintString('headerKey')).toBe('ü');
    expect(reader.readVarintString('emptyKey')).toBe('');
    reader.requireEnd('all');
  });

  it('reads a region of a declared size that ends where it says, moving past it', () => {
    const reader = new ByteReader(Buffer.from([9, 1, 2, 3]), 1);
    const region = reader.readRegion('record', 2);
    expect([region.offset, region.remaining, reader.offset, reader.remaining]).toEqual([1, 2, 3, 1]);
    expect([region.readInt8('a'), region.readInt8('b')]).toEqual([1, 2]);
    region.requireEnd('record');
    expect(reader.readInt8('after')).toBe(3);
    expect(reader.readRegion('empty', 0).remaining).toBe(0);
  });

  it('skips unknown tagged fields, so the field after the tag buffer still reads', () => {
    // Two tagged fields (tag 0 with 3 bytes, tag 7 with 1 byte), then an int16.
    const reader = hex('02 00 03 aabbcc 07 01 dd 0102');
    const fields = reader.readTaggedFields('ApiVersionsResponse');
    expect([...fields.keys()]).toEqual([0, 7]);
    expect(fields.get(0)?.toString('hex')).toBe('aabbcc');
    expect(reader.readInt16('next')).toBe(0x0102);
    reader.requireEnd('all');
  });

  describe('malformed input throws a WireFormatError that names the field, its type and the offset', () => {
    it('a fixed-width read cut short', () => {
      const reader = hex('0003 0000 01');
      reader.readInt16('requestApiKey');
      const error = wireErrorOf(() => reader.readInt32('correlationId'));
      expect(error.field).toBe('correlationId (int32)');
      expect(error.offset).toBe(2);
      expect(error.message).toBe('cannot read correlationId (int32) at offset 2: truncated, needs 4 bytes but 3 remain');
    });

    it('a string whose length runs past the end', () => {
      const reader = hex('ff 0005 6869');
      reader.readInt8('flag');
      const error = wireErrorOf(() => reader.readString('clientId'));
      expect(error.message).toBe('cannot read clientId (string) at offset 1: truncated, needs 5 bytes but 2 remain');
    });

    it('a varint whose last byte still has its continuation bit', () => {
      expect(wireErrorOf(() => hex('8080').readVarint('length')).message).toMatch(/length \(varint\) at offset 0: truncated/);
      expect(wireErrorOf(() => hex('ffffffff8f01').readUnsignedVarint('n')).message).toMatch(/longer than 5 bytes/);
      expect(wireErrorOf(() => hex('ffffffffffffffffff8001').readVarlong('n')).message).toMatch(/longer than 10 bytes/);
    });

    it('a negative length other than -1', () => {
      expect(wireErrorOf(() => hex('fffe').readNullableString('rack')).message).toMatch(/rack \(string\) at offset 0: negative length -2/);
      expect(wireErrorOf(() => hex('fffffffe').readNullableBytes('value')).message).toMatch(/negative length -2/);
    });

    it('a varint length below -1 for bytes, and below 0 for a string, which the record format never nulls', () => {
      expect(wireErrorOf(() => hex('03').readVarintNullableBytes('key')).message).toBe('cannot read key (varint bytes) at offset 0: negative length -2');
      expect(wireErrorOf(() => hex('ffffffff0f').readVarintNullableBytes('key')).message).toMatch(/key \(varint bytes\) at offset 0: negative length -2147483648/);
      expect(wireErrorOf(() => hex('01').readVarintString('headerKey')).message).toBe(
        'cannot read headerKey (varint string) at offset 0: length -1, but the format allows no null or negative length here',
      );
      expect(wireErrorOf(() => hex('03').readVarintString('headerKey')).message).toMatch(/headerKey \(varint string\) at offset 0: length -2/);
    });

    it('a varint length cut short names the length, a length past the end names the bytes', () => {
      expect(wireErrorOf(() => hex('80').readVarintNullableBytes('key')).message).toBe('cannot read key (varint) at offset 0: truncated, needs 1 bytes but 0 remain');
      expect(wireErrorOf(() => hex('80').readVarintString('headerKey')).message).toMatch(/headerKey \(varint\) at offset 0: truncated/);
      const value = wireErrorOf(() => hex('0a 6162').readVarintNullableBytes('value'));
      expect([value.field, value.offset, value.problem]).toEqual(['value (varint bytes)', 0, 'truncated, needs 5 bytes but 2 remain']);
      const reader = hex('ff 0a 6162');
      reader.readInt8('attributes');
      expect(wireErrorOf(() => reader.readVarintString('headerKey')).message).toBe('cannot read headerKey (varint string) at offset 1: truncated, needs 5 bytes but 2 remain');
    });

    it('a region longer than the bytes left, or of negative size, and a read past the end of a region', () => {
      const reader = new ByteReader(Buffer.from([9, 1, 2, 3]), 1);
      const region = reader.readRegion('record', 2);
      region.readInt8('a');
      expect(wireErrorOf(() => region.requireEnd('record')).message).toBe('cannot read record at offset 2: 1 bytes left over after the last field');
      region.readInt8('b');
      expect(wireErrorOf(() => region.readInt8('c')).message).toBe('cannot read c (int8) at offset 3: truncated, needs 1 bytes but 0 remain');
      expect(wireErrorOf(() => reader.readRegion('record', 2)).message).toBe('cannot read record at offset 3: truncated, needs 2 bytes but 1 remain');
      expect(wireErrorOf(() => reader.readRegion('record', -1)).message).toBe('cannot read record at offset 3: negative length -1');
      expect(reader.offset).toBe(3);
    });

    it('an array count larger than the bytes left, before anything is allocated', () => {
      const error = wireErrorOf(() => hex('7fffffff 00').readArray('topics', (r) => r.readString('name')));
      expect(error.message).toBe('cannot read topics (array) at offset 0: 2147483647 elements but only 1 bytes remain');
    });

    it('a tagged field whose size runs past the end', () => {
      expect(wireErrorOf(() => hex('01 00 05 aa').readTaggedFields('header')).message).toMatch(/header \(tagged fields\) at offset 0: truncated/);
    });

    it('bytes left over after the last field', () => {
      const reader = hex('0001 ff');
      reader.readInt16('errorCode');
      expect(wireErrorOf(() => reader.requireEnd('MetadataRequest')).message).toBe(
        'cannot read MetadataRequest at offset 2: 1 bytes left over after the last field',
      );
    });
  });

  it("agrees with kafkajs's Decoder on a mixed message it did not write", () => {
    const bytes = Buffer.from('0005' + '0003616263' + '00000002' + '0000000b' + 'fffffff5' + '01', 'hex');
    const kafkajs = new KafkajsDecoder(bytes);
    const ours = new ByteReader(bytes);
    expect(ours.readInt16('a')).toBe(kafkajs.readInt16());
    expect(ours.readString('b')).toBe(kafkajs.readString());
    expect(ours.readArray('c', (r) => r.readInt32('c[]'))).toEqual(kafkajs.readArray((d) => d.readInt32()));
    expect(ours.readBoolean('d')).toBe(kafkajs.readBoolean());
    expect(ours.offset).toBe(kafkajs.offset);
  });
});
