import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteWriter } from '../../../src/protocol/wire/ByteWriter.ts';
import { KafkajsEncoder } from './kafkajs.ts';

const int32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
const uint32 = fc.integer({ min: 0, max: 0xffff_ffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

function written(write: (writer: ByteWriter) => void): string {
  const writer = new ByteWriter(1); // capacity 1 so that every test also grows the buffer
  write(writer);
  return writer.toBuffer().toString('hex');
}

// A varint without zigzag: the encoding a port gets when it forgets the zigzag step. Negative numbers then
// take 5 bytes instead of 1, and the bytes differ from kafkajs's.
function plainVarint(value: number): string {
  return written((w) => w.writeUnsignedVarint(value >>> 0));
}

describe('ByteWriter', () => {
  it('writes fixed-width integers big-endian, int64 from a bigint', () => {
    expect(written((w) => w.writeInt8(-1))).toBe('ff');
    expect(written((w) => w.writeInt16(-2))).toBe('fffe');
    expect(written((w) => w.writeInt32(0x01020304))).toBe('01020304');
    expect(written((w) => w.writeInt64(-(2n ** 63n)))).toBe('8000000000000000');
    expect(written((w) => w.writeUint32(0xffff_ffff))).toBe('ffffffff');
    expect(written((w) => w.writeBoolean(true))).toBe('01');
  });

  it('writes varints at their boundaries: 7 bits a byte, zigzag for the signed ones', () => {
    expect(written((w) => w.writeUnsignedVarint(0))).toBe('00');
    expect(written((w) => w.writeUnsignedVarint(127))).toBe('7f');
    expect(written((w) => w.writeUnsignedVarint(128))).toBe('8001');
    expect(written((w) => w.writeUnsignedVarint(0xffff_ffff))).toBe('ffffffff0f');
    expect(written((w) => w.writeVarint(0))).toBe('00');
    expect(written((w) => w.writeVarint(-1))).toBe('01');
    expect(written((w) => w.writeVarint(1))).toBe('02');
    expect(written((w) => w.writeVarint(-64))).toBe('7f');
    expect(written((w) => w.writeVarint(64))).toBe('8001');
    expect(written((w) => w.writeVarint(0x7fff_ffff))).toBe('feffffff0f');
    expect(written((w) => w.writeVarint(-0x8000_0000))).toBe('ffffffff0f');
    expect(written((w) => w.writeVarlong(-1n))).toBe('01');
    expect(written((w) => w.writeVarlong(2n ** 63n - 1n))).toBe('feffffffffffffffff01');
    expect(written((w) => w.writeVarlong(-(2n ** 63n)))).toBe('ffffffffffffffffff01');
  });

  it("writes the same varint, unsigned varint and varlong bytes as kafkajs's Encoder", () => {
    fc.assert(
      fc.property(int32, uint32, int64, (signed, unsigned, long) => {
        const kafkajs = new KafkajsEncoder().writeVarInt(signed).writeUVarInt(unsigned).writeVarLong(long).buffer;
        const ours = written((w) => {
          w.writeVarint(signed);
          w.writeUnsignedVarint(unsigned);
          w.writeVarlong(long);
        });
        expect(ours).toBe(kafkajs.toString('hex'));
      }),
    );
  });

  it('the kafkajs agreement catches a varint without zigzag (the weakening fails it)', () => {
    expect(plainVarint(-1)).not.toBe(new KafkajsEncoder().writeVarInt(-1).buffer.toString('hex'));
    expect(plainVarint(1)).not.toBe(new KafkajsEncoder().writeVarInt(1).buffer.toString('hex'));
  });

  it("writes strings, bytes and arrays with the same lengths as kafkajs's Encoder", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.array(int32, { maxLength: 5 }), (text, ints) => {
        const kafkajs = new KafkajsEncoder()
          .writeString(text)
          .writeUVarIntString(text)
          .writeBytes(Buffer.from(text))
          .writeArray(ints, 'int32').buffer;
        const ours = written((w) => {
          w.writeString(text);
          w.writeCompactString(text);
          w.writeBytes(Buffer.from(text));
          w.writeArray(ints, (writer, n) => writer.writeInt32(n));
        });
        expect(ours).toBe(kafkajs.toString('hex'));
      }),
    );
  });

  it("writes record keys, values and header keys behind a zigzag varint length, as kafkajs's Encoder does", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (key, value) => {
        const keyBytes = Buffer.from(key);
        const kafkajs = new KafkajsEncoder().writeVarInt(keyBytes.length).writeBuffer(keyBytes).writeVarInt(value.length).writeBuffer(Buffer.from(value)).buffer;
        const ours = written((w) => {
          w.writeVarintString(key);
          w.writeVarintNullableBytes(Buffer.from(value));
        });
        expect(ours).toBe(kafkajs.toString('hex'));
      }),
    );
  });

  it('writes null as length -1, or 0 in the compact types, and an empty tag buffer as one 0 byte', () => {
    expect(written((w) => w.writeNullableString(null))).toBe('ffff');
    expect(written((w) => w.writeNullableBytes(null))).toBe('ffffffff');
    expect(written((w) => w.writeNullableArray(null, () => {}))).toBe('ffffffff');
    expect(written((w) => w.writeVarintNullableBytes(null))).toBe('01');
    expect(written((w) => w.writeCompactNullableString(null))).toBe('00');
    expect(written((w) => w.writeCompactNullableBytes(null))).toBe('00');
    expect(written((w) => w.writeCompactNullableArray(null, () => {}))).toBe('00');
    expect(written((w) => w.writeCompactArray([], () => {}))).toBe('01');
    expect(written((w) => w.writeTaggedFields())).toBe('00');
  });

  it('writes tagged fields in ascending tag order, each as tag, size, bytes', () => {
    const fields = new Map([
      [300, Buffer.from([0xaa])],
      [1, Buffer.from([0xbb, 0xcc])],
    ]);
    expect(written((w) => w.writeTaggedFields(fields))).toBe('02' + '01' + '02bbcc' + 'ac02' + '01aa');
  });

  it("writes a UUID from Kafka's URL-safe base64 form", () => {
    const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(written((w) => w.writeUuid(bytes.toString('base64url')))).toBe('00112233445566778899aabbccddeeff');
  });

  it('throws an ArgumentError that names the method for a value its type cannot hold', () => {
    const writer = new ByteWriter();
    expect(() => writer.writeInt16(40_000)).toThrow(ArgumentError);
    expect(() => writer.writeInt16(40_000)).toThrow('ByteWriter.writeInt16: value must be an integer from -32768 to 32767, got 40000');
    expect(() => writer.writeInt32(1.5)).toThrow(/writeInt32/);
    expect(() => writer.writeUnsignedVarint(-1)).toThrow(/writeUnsignedVarint/);
    expect(() => writer.writeVarlong(2n ** 63n)).toThrow(/writeVarlong/);
    expect(() => writer.writeInt64(-(2n ** 63n) - 1n)).toThrow(/writeInt64/);
    expect(() => writer.writeString('x'.repeat(32_768))).toThrow(/at most 32767 bytes/);
    expect(() => writer.writeString(null as unknown as string)).toThrow(/writeString.*does not allow null/);
    expect(() => writer.writeUuid('not-a-uuid')).toThrow(/writeUuid/);
    expect(() => writer.writeVarintString(null as unknown as string)).toThrow(/writeVarintString.*does not allow null/);
    expect(writer.length).toBe(0);
  });
});
