import { javaStringHashCode } from '../../src/protocol/javaStringHashCode.ts';

// java.util.HashMap: the table starts at 16 buckets and doubles once it holds more than 3/4 of its capacity.
const initialCapacity = 16;
const loadFactor = 0.75;

/**
 * The order in which a `java.util.HashMap<String, ?>` filled by successive `put`s in `keys` order iterates its keys.
 *
 * Kafka's sticky assignors walk their members in the order of such a map (`AbstractStickyAssignor`'s
 * `consumerToOwnedPartitions`), and where quotas are scarce that order decides who keeps an extra partition;
 * Kafka's own test expectations depend on it. Iteration goes bucket by bucket, bucket = spread(hashCode) &
 * (capacity - 1), and within a bucket in insertion order. Not modelled: buckets of 8+ colliding keys in tables
 * of 64+ buckets, which Java turns into trees that iterate differently.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = initialCapacity;
  while (keys.length > capacity * loadFactor) capacity *= 2;
  const bucketOf = (key: string): number => {
    const hash = javaStringHashCode(key);
    // HashMap.hash() folds the high half into the low half because the bucket index only reads the low bits.
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  // Array.prototype.sort is stable, so keys sharing a bucket keep their insertion order.
  return keys
    .map((key) => ({ key, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket)
    .map(({ key }) => key);
}
