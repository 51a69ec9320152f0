// Reads the primitive types of Kafka's wire protocol (https://kafka.apache.org/protocol#protocol_types; Kafka's
// `Readable` and `ByteUtils`). Longer than most files: one short method per wire type, kept together so that
// ByteWriter.ts mirrors it line for line.
import { WireFormatError } from './WireFormatError.ts';

/** Tagged fields by tag number, each the raw bytes of its value (KIP-482). */
export type TaggedFields = ReadonlyMap<number, Buffer>;

/** Reads one item of an array; codecs pass their struct readers here. */
export type ReadItem<T> = (reader: ByteReader) => T;

/**
 * A cursor over one frame. Every read names the field it reads (`reader.readInt32('correlationId')`) so that
 * malformed input throws a WireFormatError that says which field, of which type, at which offset.
 */
export class ByteReader {
  #offset: number;

  constructor(
    readonly buffer: Buffer,
    offset = 0,
  ) {
    this.#offset = offset;
  }

  /** The offset of the next byte to read. */
  get offset(): number {
    return this.#offset;
  }

  /** How many bytes are left after the cursor. */
  get remaining(): number {
    return this.buffer.length - this.#offset;
  }

  readInt8(field: string): number {
    return this.buffer.readInt8(this.#take(`${field} (int8)`, this.#offset, 1));
  }

  readInt16(field: string): number {
    return this.#int16(`${field} (int16)`);
  }

  readInt32(field: string): number {
    return this.#int32(`${field} (int32)`);
  }

  readInt64(field: string): bigint {
    return this.buffer.readBigInt64BE(this.#take(`${field} (int64)`, this.#offset, 8));
  }

  readUint32(field: string): number {
    return this.buffer.readUInt32BE(this.#take(`${field} (uint32)`, this.#offset, 4));
  }

  /** Any non-zero byte is true, as in Kafka's `Readable#readByte() != 0`. */
  readBoolean(field: string): boolean {
    return this.buffer[this.#take(`${field} (boolean)`, this.#offset, 1)] !== 0;
  }

  /** A UUID as Kafka prints it (`Uuid#toString`): the 16 bytes in URL-safe base64 without padding. */
  readUuid(field: string): string {
    const at = this.#take(`${field} (uuid)`, this.#offset, 16);
    return this.buffer.toString('base64url', at, at + 16);
  }

  readUnsignedVarint(field: string): number {
    return this.#unsignedVarint(`${field} (unsigned varint)`);
  }

  /** A zigzag-encoded int32 in at most 5 bytes. */
  readVarint(field: string): number {
    const zigzag = this.#unsignedVarint(`${field} (varint)`);
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  /** A zigzag-encoded int64 in at most 10 bytes. */
  readVarlong(field: string): bigint {
    const label = `${field} (varlong)`;
    const start = this.#offset;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.buffer[this.#take(label, start, 1)] as number;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) {
        const zigzag = BigInt.asUintN(64, value);
        return (zigzag >> 1n) ^ -(zigzag & 1n);
      }
    }
    throw new WireFormatError(label, start, 'longer than 10 bytes');
  }

  readString(field: string): string {
    const start = this.#offset;
    return requirePresent(this.readNullableString(field), `${field} (string)`, start);
  }

  readNullableString(field: string): string | null {
    const label = `${field} (string)`;
    const start = this.#offset;
    return this.#utf8(label, start, this.#int16(label));
  }

  readCompactString(field: string): string {
    const start = this.#offset;
    return requirePresent(this.readCompactNullableString(field), `${field} (compact string)`, start);
  }

  readCompactNullableString(field: string): string | null {
    const label = `${field} (compact string)`;
    const start = this.#offset;
    return this.#utf8(label, start, this.#unsignedVarint(label) - 1);
  }

  readBytes(field: string): Buffer {
    const start = this.#offset;
    return requirePresent(this.readNullableBytes(field), `${field} (bytes)`, start);
  }

  /** The bytes are a view into the frame, not a copy. */
  readNullableBytes(field: string): Buffer | null {
    const label = `${field} (bytes)`;
    const start = this.#offset;
    return this.#bytes(label, start, this.#int32(label));
  }

  readCompactBytes(field: string): Buffer {
    const start = this.#offset;
    return requirePresent(this.readCompactNullableBytes(field), `${field} (compact bytes)`, start);
  }

  readCompactNullableBytes(field: string): Buffer | null {
    const label = `${field} (compact bytes)`;
    const start = this.#offset;
    return this.#bytes(label, start, this.#unsignedVarint(label) - 1);
  }

  /**
   * Bytes behind a zigzag varint length, -1 for null, as record keys, values and header values are stored (Kafka's
   * `DefaultRecord#readFrom`). A view into the frame, not a copy. The length is read as the varint it is, so a
   * length cut short names `${field} (varint)`.
   */
  readVarintNullableBytes(field: string): Buffer | null {
    const label = `${field} (varint bytes)`;
    const start = this.#offset;
    return this.#bytes(label, start, this.readVarint(field));
  }

  /** A UTF-8 string behind a zigzag varint length: a record header key, which Kafka's record format never nulls. */
  readVarintString(field: string): string {
    const label = `${field} (varint string)`;
    const start = this.#offset;
    const length = this.readVarint(field);
    if (length < 0) throw new WireFormatError(label, start, `length ${length}, but the format allows no null or negative length here`);
    const at = this.#take(label, start, length);
    return this.buffer.toString('utf8', at, at + length);
  }

  readArray<T>(field: string, readItem: ReadItem<T>): T[] {
    const start = this.#offset;
    return requirePresent(this.readNullableArray(field, readItem), `${field} (array)`, start);
  }

  readNullableArray<T>(field: string, readItem: ReadItem<T>): T[] | null {
    const label = `${field} (array)`;
    const start = this.#offset;
    return this.#items(label, start, this.#int32(label), readItem);
  }

  readCompactArray<T>(field: string, readItem: ReadItem<T>): T[] {
    const start = this.#offset;
    return requirePresent(this.readCompactNullableArray(field, readItem), `${field} (compact array)`, start);
  }

  readCompactNullableArray<T>(field: string, readItem: ReadItem<T>): T[] | null {
    const label = `${field} (compact array)`;
    const start = this.#offset;
    return this.#items(label, start, this.#unsignedVarint(label) - 1, readItem);
  }

  /**
   * A tag buffer: a count, then per field its tag, its size and its bytes. Every field is returned raw; a codec
   * picks the tags its version knows and ignores the rest, which is how Kafka stays compatible with newer peers.
   */
  readTaggedFields(field: string): TaggedFields {
    const label = `${field} (tagged fields)`;
    const start = this.#offset;
    const count = this.#unsignedVarint(label);
    this.#requireRoomFor(label, start, count);
    const fields = new Map<number, Buffer>();
    for (let i = 0; i < count; i++) {
      const tag = this.#unsignedVarint(label);
      const size = this.#unsignedVarint(label);
      const at = this.#take(label, start, size);
      fields.set(tag, this.buffer.subarray(at, at + size));
    }
    return fields;
  }

  /**
   * A reader over the next `size` bytes, which this cursor moves past: a batch or a record of its declared length.
   * Its buffer ends where the region ends, so a field running past the region reads as truncated and `requireEnd`
   * checks the region; offsets stay those of the frame. `field` names the region as errors should print it.
   */
  readRegion(field: string, size: number): ByteReader {
    if (size < 0) throw new WireFormatError(field, this.#offset, `negative length ${size}`);
    const at = this.#take(field, this.#offset, size);
    return new ByteReader(this.buffer.subarray(0, at + size), at);
  }

  /** Throws unless every byte has been read: bytes left over mean client and server disagree on the schema. */
  requireEnd(what: string): void {
    if (this.remaining > 0) {
      throw new WireFormatError(what, this.#offset, `${this.remaining} bytes left over after the last field`);
    }
  }

  #int16(label: string): number {
    return this.buffer.readInt16BE(this.#take(label, this.#offset, 2));
  }

  #int32(label: string): number {
    return this.buffer.readInt32BE(this.#take(label, this.#offset, 4));
  }

  // Kafka's ByteUtils#readUnsignedVarint: at most 5 bytes, the bits above 32 of the 5th byte dropped.
  #unsignedVarint(label: string): number {
    const start = this.#offset;
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.buffer[this.#take(label, start, 1)] as number;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) return value >>> 0;
    }
    throw new WireFormatError(label, start, 'longer than 5 bytes');
  }

  #utf8(label: string, start: number, length: number): string | null {
    if (!this.#hasValue(label, start, length)) return null;
    const at = this.#take(label, start, length);
    return this.buffer.toString('utf8', at, at + length);
  }

  #bytes(label: string, start: number, length: number): Buffer | null {
    if (!this.#hasValue(label, start, length)) return null;
    const at = this.#take(label, start, length);
    return this.buffer.subarray(at, at + length);
  }

  #items<T>(label: string, start: number, count: number, readItem: ReadItem<T>): T[] | null {
    if (!this.#hasValue(label, start, count)) return null;
    this.#requireRoomFor(label, start, count);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  // A length of -1 is null (compact types store length + 1, so 0 becomes -1 too); below that is malformed.
  #hasValue(label: string, start: number, length: number): boolean {
    if (length < -1) throw new WireFormatError(label, start, `negative length ${length}`);
    return length !== -1;
  }

  // Every element takes at least one byte, so a count beyond the bytes left is malformed; checking it first
  // keeps a corrupt count from allocating a huge array (Kafka's generated readers make the same check).
  #requireRoomFor(label: string, start: number, count: number): void {
    if (count > this.remaining) {
      throw new WireFormatError(label, start, `${count} elements but only ${this.remaining} bytes remain`);
    }
  }

  /** Advances past `size` bytes and returns where they start; throws if the frame ends first. */
  #take(label: string, start: number, size: number): number {
    if (size > this.remaining) {
      throw new WireFormatError(label, start, `truncated, needs ${size} bytes but ${this.remaining} remain`);
    }
    const at = this.#offset;
    this.#offset += size;
    return at;
  }
}

function requirePresent<T>(value: T | null, label: string, start: number): T {
  if (value === null) throw new WireFormatError(label, start, 'null, but the schema does not allow null here');
  return value;
}
