/** The bytes of ASCII text that needs no JSON escaping, for `JsonLineWriter.ascii`. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

// The longest time `ms` writes digit by digit: a safe integer of micros is 16 digits, plus the point.
const MAX_MS_BYTES = 17;

/**
 * Writes JSON text as UTF-8 bytes straight into a reusable buffer, and hands each full chunk to `onChunk`.
 * The trace writes several lines per delivery; building them as JavaScript strings (a rope of pieces per
 * line, then a flat copy, then UTF-8) cost a quarter of a delivery, while writing the same bytes here costs a
 * few stores per field. The bytes are exactly what the strings would have encoded to.
 */
export class JsonLineWriter {
  private buffer: Buffer;
  private offset = 0;
  private lines = 0;
  private readonly encoded = new Map<string, Uint8Array>();
  // The last time `ms` wrote and its bytes (see `ms`).
  private lastMs = NaN;
  private lastMsLength = 0;
  private readonly lastMsBytes = new Uint8Array(MAX_MS_BYTES);

  constructor(
    private readonly chunkBytes: number,
    private readonly onChunk: (bytes: Buffer) => void,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** How many lines have been started. */
  get lineCount(): number {
    return this.lines;
  }

  /** Starts a line: a newline before every line but the first. */
  startLine(): void {
    if (this.lines++ > 0) this.byte(10);
  }

  /** Ends a line, handing the chunk over once it is full. */
  endLine(): void {
    if (this.offset >= this.chunkBytes - 256) this.flush();
  }

  /** Hands over whatever has been written since the last chunk. The receiver must copy what it keeps. */
  flush(): void {
    if (this.offset === 0) return;
    this.onChunk(this.buffer.subarray(0, this.offset));
    this.offset = 0;
  }

  /** Writes text known to be ASCII and to need no JSON escaping (the writer's own punctuation and keys). */
  raw(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let offset = this.offset;
    for (let i = 0; i < text.length; i++) buffer[offset++] = text.charCodeAt(i);
    this.offset = offset;
  }

  /** Writes bytes made by `asciiBytes` (the trace's fixed keys and punctuation, without a per-character loop). */
  ascii(bytes: Uint8Array): void {
    this.bytes(bytes, bytes.length);
  }

  /** Writes any text as UTF-8, unchanged (for JSON that is already serialized). */
  text(text: string): void {
    this.ensure(text.length * 3);
    // Most text is ASCII and short: a byte loop beats the native call until the first non-ASCII character.
    const buffer = this.buffer;
    let offset = this.offset;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        this.offset = offset + buffer.write(text.slice(i), offset, 'utf8');
        return;
      }
      buffer[offset++] = code;
    }
    this.offset = offset;
  }

  /** Writes a JSON string literal; the quoted bytes of strings seen before are reused. */
  string(text: string): void {
    let bytes = this.encoded.get(text);
    if (bytes === undefined) {
      bytes = new Uint8Array(Buffer.from(JSON.stringify(text), 'utf8'));
      // Node ids and event types are few; bound the cache in case a machine invents event types.
      if (this.encoded.size < 100_000) this.encoded.set(text, bytes);
    }
    this.bytes(bytes, bytes.length);
  }

  /**
   * Writes a JSON string literal for text that is not worth caching (payload values): printable ASCII is
   * copied byte by byte; anything that needs escaping or encoding goes through JSON.stringify.
   */
  stringLiteral(text: string): void {
    this.ensure(text.length + 2);
    const buffer = this.buffer;
    const start = this.offset;
    let offset = start;
    buffer[offset++] = 34; // '"'
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code >= 0x7f || code === 34 || code === 92) {
        this.offset = start;
        this.text(JSON.stringify(text));
        return;
      }
      buffer[offset++] = code;
    }
    buffer[offset++] = 34;
    this.offset = offset;
  }

  /** Writes a number as `String(n)` would; non-negative safe integers (ids, counts) without a string. */
  uint(n: number): void {
    // Ids and counts nearly always fit in 31 bits, where int32 division is much cheaper than Math.floor.
    if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) {
      this.smallUint(n);
      return;
    }
    if (!(n >= 0 && Number.isSafeInteger(n))) {
      this.raw('' + n);
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.ensure(digits);
    const end = this.offset + digits;
    let rest = n;
    for (let i = end - 1; i >= this.offset; i--) {
      this.buffer[i] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.offset = end;
  }

  /**
   * Writes a time in ms exactly as `String(t)` would. Times on the network are rounded to the microsecond,
   * so most are a whole part and up to three decimals; anything else is written through String.
   */
  ms(t: number): void {
    // A delivery writes its `delivered` line and then the `sent` lines of its replies, all at the same
    // instant: copying the last time's bytes skips the digit arithmetic for most of them.
    if (t === this.lastMs) {
      this.bytes(this.lastMsBytes, this.lastMsLength);
      return;
    }
    const micros = Math.round(t * 1000);
    if (micros / 1000 !== t || !(micros >= 0) || micros > Number.MAX_SAFE_INTEGER) {
      this.raw('' + t);
      return;
    }
    // At most 16 digits, a point and three decimals: reserve them first so no flush moves `start`.
    this.ensure(MAX_MS_BYTES);
    const start = this.offset;
    const whole = Math.floor(micros / 1000);
    let frac = micros - whole * 1000;
    this.uint(whole);
    if (frac !== 0) {
      // Three decimals with trailing zeros dropped, as JavaScript prints them.
      let digits = 3;
      while (frac % 10 === 0) {
        frac /= 10;
        digits--;
      }
      const buffer = this.buffer;
      let offset = this.offset;
      buffer[offset++] = 46; // '.'
      for (let place = 10 ** (digits - 1); place >= 1; place /= 10) buffer[offset++] = 48 + (Math.floor(frac / place) % 10);
      this.offset = offset;
    }
    this.lastMs = t;
    const length = this.offset - start;
    const buffer = this.buffer;
    const last = this.lastMsBytes;
    for (let i = 0; i < length; i++) last[i] = buffer[start + i] as number;
    this.lastMsLength = length;
  }

  private smallUint(n: number): void {
    let digits = 1;
    for (let power = 10; power <= n; power *= 10) digits++;
    this.ensure(digits);
    const buffer = this.buffer;
    const end = this.offset + digits;
    let rest = n;
    for (let i = end - 1; i >= this.offset; i--) {
      const quotient = (rest / 10) | 0;
      buffer[i] = 48 + rest - quotient * 10;
      rest = quotient;
    }
    this.offset = end;
  }

  // Every source here is a plain Uint8Array (never a Buffer): one element kind keeps this loop monomorphic,
  // and it runs on every field of every line.
  private bytes(bytes: Uint8Array, length: number): void {
    this.ensure(length);
    const buffer = this.buffer;
    let offset = this.offset;
    for (let i = 0; i < length; i++) buffer[offset++] = bytes[i] as number;
    this.offset = offset;
  }

  private byte(code: number): void {
    this.ensure(1);
    this.buffer[this.offset++] = code;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    this.flush();
    // A value larger than a chunk (a big message) gets a buffer of its own size.
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }
}
