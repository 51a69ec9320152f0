import { ArgumentError } from '../kernel/argumentError.ts';
import { murmur2, toPositive } from './murmur2.ts';

const utf8 = new TextEncoder();
// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one (no `u` flag, so
// the pattern walks UTF-16 code units, as Java strings do).
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The partition the Java producer picks for a record with a non-null key and no explicit partition:
 * `toPositive(murmur2(keyBytes)) % numPartitions` (`BuiltInPartitioner#partitionForKey`, called from
 * `KafkaProducer#partition`). `numPartitions` counts every partition of the topic, with a leader or not.
 * A string key is hashed as the bytes Kafka's `StringSerializer` would send: UTF-8.
 */
export function partitionForKey(key: string | Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new ArgumentError('partitionForKey', 'numPartitions', numPartitions, 'a positive integer');
  }
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) {
    // A null key is not hashed: the sticky partitioner places it, and that needs the seeded Rng.
    throw new ArgumentError('partitionForKey', 'key', key, 'a string or a Uint8Array (null keys are not hashed)');
  }
  const bytes = typeof key === 'string' ? javaUtf8(key) : key;
  return toPositive(murmur2(bytes)) % numPartitions;
}

// `StringSerializer` calls `String#getBytes(UTF_8)`, which writes an unpaired surrogate as '?' (0x3f);
// TextEncoder would write U+FFFD (three bytes) and so place such a key on a different partition.
function javaUtf8(key: string): Uint8Array {
  return utf8.encode(key.replace(UNPAIRED_SURROGATE, '?'));
}
