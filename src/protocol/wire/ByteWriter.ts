// Writes the primitive types of Kafka's wire protocol (https://kafka.apache.org/protocol#protocol_types; Kafka's
// `Writable` and `ByteUtils`). Longer than most files: one short method per wire type, in ByteReader.ts's order.
import { ArgumentError } from '../../kernel/argumentError.ts';
import type { TaggedFields } from './ByteReader.ts';

/** Writes one item of an array; codecs pass their struct writers here. */
export type WriteItem<T> = (writer: ByteWriter, item: T) => void;

const int16Max = 0x7fff;
const noTaggedFields: TaggedFields = new Map();

/**
 * A growable buffer that writes Kafka's wire types. A value the type cannot hold (an int16 of 40000, a string
 * longer than 32767 bytes) is a bug in the caller and throws an ArgumentError.
 */
export class ByteWriter {
  #buffer: Buffer;
  #length = 0;

  constructor(initialCapacityBytes = 256) {
    this.#buffer = Buffer.alloc(initialCapacityBytes);
  }

  /** How many bytes have been written. */
  get length(): number {
    return this.#length;
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    return Buffer.from(this.#buffer.subarray(0, this.#length));
  }

  writeInt8(value: number): void {
    const int8 = requireInteger('writeInt8', value, -0x80, 0x7f);
    const at = this.#reserve(1);
    this.#buffer.writeInt8(int8, at);
  }

  writeInt16(value: number): void {
    const int16 = requireInteger('writeInt16', value, -0x8000, int16Max);
    const at = this.#reserve(2);
    this.#buffer.writeInt16BE(int16, at);
  }

  writeInt32(value: number): void {
    const int32 = requireInteger('writeInt32', value, -0x8000_0000, 0x7fff_ffff);
    const at = this.#reserve(4);
    this.#buffer.writeInt32BE(int32, at);
  }

  writeInt64(value: bigint): void {
    const int64 = requireInt64('writeInt64', value);
    const at = this.#reserve(8);
    this.#buffer.writeBigInt64BE(int64, at);
  }

  writeUint32(value: number): void {
    const uint32 = requireInteger('writeUint32', value, 0, 0xffff_ffff);
    const at = this.#reserve(4);
    this.#buffer.writeUInt32BE(uint32, at);
  }

  writeBoolean(value: boolean): void {
    this.#writeByte(value ? 1 : 0);
  }

  /** A UUID as Kafka prints it (`Uuid#toString`): 16 bytes in URL-safe base64 without padding. */
  writeUuid(value: string): void {
    const bytes = Buffer.from(value, 'base64url');
    if (bytes.length !== 16 || bytes.toString('base64url') !== value) {
      throw new ArgumentError('ByteWriter.writeUuid', 'value', value, '16 bytes in URL-safe base64 (22 characters)');
    }
    this.writeRaw(bytes);
  }

  writeUnsignedVarint(value: number): void {
    let rest = requireInteger('writeUnsignedVarint', value, 0, 0xffff_ffff);
    while (rest >= 0x80) {
      this.#writeByte((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    this.#writeByte(rest);
  }

  /** Zigzag encoding maps small negative numbers to small unsigned ones: 0, -1, 1, -2 become 0, 1, 2, 3. */
  writeVarint(value: number): void {
    const int = requireInteger('writeVarint', value, -0x8000_0000, 0x7fff_ffff);
    this.writeUnsignedVarint(((int << 1) ^ (int >> 31)) >>> 0);
  }

  writeVarlong(value: bigint): void {
    const int64 = requireInt64('writeVarlong', value);
    let rest = BigInt.asUintN(64, (int64 << 1n) ^ (int64 >> 63n));
    while (rest >= 0x80n) {
      this.#writeByte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.#writeByte(Number(rest));
  }

  writeString(value: string): void {
    this.writeNullableString(requireNotNull('writeString', value));
  }

  writeNullableString(value: string | null): void {
    if (value === null) return this.writeInt16(-1);
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > int16Max) {
      throw new ArgumentError('ByteWriter.writeString', 'value', value, `at most ${int16Max} bytes in UTF-8`);
    }
    this.writeInt16(bytes.length);
    this.writeRaw(bytes);
  }

  writeCompactString(value: string): void {
    this.writeCompactNullableString(requireNotNull('writeCompactString', value));
  }

  writeCompactNullableString(value: string | null): void {
    this.writeCompactNullableBytes(value === null ? null : Buffer.from(value, 'utf8'));
  }

  writeBytes(value: Buffer): void {
    this.writeNullableBytes(requireNotNull('writeBytes', value));
  }

  writeNullableBytes(value: Buffer | null): void {
    if (value === null) return this.writeInt32(-1);
    this.writeInt32(value.length);
    this.writeRaw(value);
  }

  writeCompactBytes(value: Buffer): void {
    this.writeCompactNullableBytes(requireNotNull('writeCompactBytes', value));
  }

  writeCompactNullableBytes(value: Buffer | null): void {
    if (value === null) return this.writeUnsignedVarint(0);
    this.writeUnsignedVarint(value.length + 1);
    this.writeRaw(value);
  }

  /** Bytes behind a zigzag varint length, -1 for null: a record key, value or header value. */
  writeVarintNullableBytes(value: Buffer | null): void {
    if (value === null) return this.writeVarint(-1);
    this.writeVarint(value.length);
    this.writeRaw(value);
  }

  /** A UTF-8 string behind a zigzag varint length: a record header key, never null. */
  writeVarintString(value: string): void {
    this.writeVarintNullableBytes(Buffer.from(requireNotNull('writeVarintString', value), 'utf8'));
  }

  writeArray<T>(items: readonly T[], writeItem: WriteItem<T>): void {
    this.writeNullableArray(requireNotNull('writeArray', items), writeItem);
  }

  writeNullableArray<T>(items: readonly T[] | null, writeItem: WriteItem<T>): void {
    if (items === null) return this.writeInt32(-1);
    this.writeInt32(items.length);
    for (const item of items) writeItem(this, item);
  }

  writeCompactArray<T>(items: readonly T[], writeItem: WriteItem<T>): void {
    this.writeCompactNullableArray(requireNotNull('writeCompactArray', items), writeItem);
  }

  writeCompactNullableArray<T>(items: readonly T[] | null, writeItem: WriteItem<T>): void {
    if (items === null) return this.writeUnsignedVarint(0);
    this.writeUnsignedVarint(items.length + 1);
    for (const item of items) writeItem(this, item);
  }

  /** A tag buffer, tags in ascending order as KIP-482 requires; no argument writes the empty buffer (one 0 byte). */
  writeTaggedFields(fields: TaggedFields = noTaggedFields): void {
    const tags = [...fields.keys()].sort((a, b) => a - b);
    this.writeUnsignedVarint(tags.length);
    for (const tag of tags) {
      const bytes = fields.get(tag) as Buffer;
      this.writeUnsignedVarint(tag);
      this.writeUnsignedVarint(bytes.length);
      this.writeRaw(bytes);
    }
  }

  /** Appends bytes as they are: an encoded body after its header, a frame after its size. */
  writeRaw(bytes: Buffer): void {
    const at = this.#reserve(bytes.length);
    bytes.copy(this.#buffer, at);
  }

  #writeByte(byte: number): void {
    const at = this.#reserve(1);
    this.#buffer[at] = byte;
  }

  // Makes room for `size` more bytes and returns the offset where they go. It may replace #buffer, so callers
  // take the offset first and read #buffer after: `this.#buffer.writeInt8(v, this.#reserve(1))` writes to the
  // old buffer whenever the call grows it.
  #reserve(size: number): number {
    const at = this.#length;
    if (at + size > this.#buffer.length) {
      const grown = Buffer.alloc(Math.max(2 * this.#buffer.length, at + size));
      this.#buffer.copy(grown, 0, 0, at);
      this.#buffer = grown;
    }
    this.#length += size;
    return at;
  }
}

function requireInteger(method: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(`ByteWriter.${method}`, 'value', value, `an integer from ${min} to ${max}`);
  }
  return value;
}

function requireInt64(method: string, value: bigint): bigint {
  if (typeof value !== 'bigint' || BigInt.asIntN(64, value) !== value) {
    throw new ArgumentError(`ByteWriter.${method}`, 'value', value, 'a bigint that fits in 64 signed bits');
  }
  return value;
}

// The codecs' types already exclude null where the schema does; this catches plain-JavaScript callers.
function requireNotNull<T>(method: string, value: T | null): T {
  if (value === null || value === undefined) {
    throw new ArgumentError(`ByteWriter.${method}`, 'value', value, 'present (the schema does not allow null here)');
  }
  return value;
}
