// Kafka's key hash, copied bit for bit because keyed placement must agree with the Java client: a record a
// Java producer sends with key "k" and one this simulator sends with key "k" land on the same partition.

const SEED = 0x9747b28c;
// Mixing constants from Austin Appleby's MurmurHash2; Kafka uses them unchanged.
const M = 0x5bd1e995;
const R = 24;

/**
 * MurmurHash2 of `bytes` as Kafka computes it (`org.apache.kafka.common.utils.Utils#murmur2`): a signed 32-bit
 * integer, with Java's int wrap-around reproduced through `Math.imul` and `| 0`.
 */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  // Java assembles each 4-byte block with the first byte lowest (little-endian). A DataView reads the same way,
  // and its reads are typed `number` where indexing would be `number | undefined` (noUncheckedIndexedAccess).
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tailStart = length & ~3;
  let h = SEED ^ length;

  for (let i = 0; i < tailStart; i += 4) {
    let k = view.getInt32(i, true);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }

  // Kafka's switch over `length % 4` falls through from case 3 to case 1; tsconfig forbids fallthrough, so the
  // same steps are written as conditions.
  const tailLength = length & 3;
  if (tailLength > 0) {
    if (tailLength === 3) h ^= view.getUint8(tailStart + 2) << 16;
    if (tailLength >= 2) h ^= view.getUint8(tailStart + 1) << 8;
    h ^= view.getUint8(tailStart);
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * Clears the sign bit of a 32-bit integer, as Kafka's `Utils#toPositive` does before taking a modulus. It is
 * not `Math.abs`: `toPositive(-1)` is 2147483647, not 1.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}
