import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur2, toPositive } from '../../src/protocol/murmur2.ts';
import { partitionForKey } from '../../src/protocol/partitionForKey.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('partitionForKey', () => {
  it('places the same key on the same partition every time', () => {
    const first = partitionForKey('order-42', 12);
    for (let i = 0; i < 5; i++) expect(partitionForKey('order-42', 12)).toBe(first);
  });

  // Placements computed from Kafka's published murmur2 values (UtilsTest#testMurmur2):
  // partition = toPositive(hash) % numPartitions.
  it.each([
    { key: '21', hash: -973932308, numPartitions: 6, partition: 0 }, // 1173551340 % 6
    { key: '21', hash: -973932308, numPartitions: 50, partition: 40 }, // 1173551340 % 50
    { key: 'foobar', hash: -790332482, numPartitions: 50, partition: 16 }, // 1357151166 % 50
    { key: 'abc', hash: 479470107, numPartitions: 6, partition: 3 }, // 479470107 % 6
    { key: 'a-little-bit-longer-string', hash: -1486304829, numPartitions: 6, partition: 5 }, // 661178819 % 6
  ])('puts key $key on partition $partition of $numPartitions', ({ key, hash, numPartitions, partition }) => {
    expect(toPositive(hash) % numPartitions).toBe(partition);
    expect(partitionForKey(key, numPartitions)).toBe(partition);
  });

  it('masks the sign bit rather than taking Math.abs, so "21" goes to 0 of 6, not 2', () => {
    expect(Math.abs(-973932308) % 6).toBe(2);
    expect(partitionForKey('21', 6)).toBe(0);
  });

  it('hashes a string key as its UTF-8 bytes, as StringSerializer sends it', () => {
    // 'é' is one UTF-16 unit but two UTF-8 bytes (c3 a9); Latin-1 would give the single byte e9.
    const utf8Bytes = Uint8Array.of(0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f);
    const latin1Bytes = Uint8Array.of(0x68, 0xe9, 0x6c, 0x6c, 0x6f);
    expect(murmur2(utf8Bytes)).toBe(614509002);
    expect(murmur2(latin1Bytes)).not.toBe(614509002);
    for (const numPartitions of [3, 7, 50, 1000]) {
      expect(partitionForKey('héllo', numPartitions)).toBe(toPositive(614509002) % numPartitions);
    }
  });

  it('hashes a character outside the BMP as its four UTF-8 bytes', () => {
    expect(partitionForKey('😀', 1000)).toBe(partitionForKey(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80), 1000));
  });

  it('encodes an unpaired surrogate as "?", as Java\'s String#getBytes does, not as U+FFFD', () => {
    const numPartitions = 1_000_003;
    expect(partitionForKey('a\uD800b', numPartitions)).toBe(partitionForKey(utf8('a?b'), numPartitions));
    expect(partitionForKey('\uDC00', numPartitions)).toBe(partitionForKey(utf8('?'), numPartitions));
    expect(partitionForKey('a\uD800b', numPartitions)).not.toBe(partitionForKey(utf8('a\uFFFDb'), numPartitions));
  });

  it('hashes the empty string, a non-null key', () => {
    expect(partitionForKey('', 50)).toBe(toPositive(murmur2(new Uint8Array(0))) % 50);
    expect(partitionForKey(new Uint8Array(0), 50)).toBe(partitionForKey('', 50));
  });

  it('agrees with the UTF-8 bytes of any well-formed string key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1, max: 10_000 }), (key, n) => {
        return partitionForKey(key, n) === partitionForKey(utf8(key), n);
      }),
    );
  });

  const keyArbitrary = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.uint8Array({ maxLength: 40 }));
  const isPlacement = (partition: number, n: number): boolean =>
    Number.isInteger(partition) && partition >= 0 && partition < n;

  it('always returns a partition in [0, numPartitions), the same one on every call', () => {
    fc.assert(
      fc.property(keyArbitrary, fc.integer({ min: 1, max: 100_000 }), (key, n) => {
        const partition = partitionForKey(key, n);
        return isPlacement(partition, n) && partitionForKey(key, n) === partition;
      }),
    );
  });

  it('would catch a signed modulus (no toPositive) with the same range property', () => {
    const signedModulus = (key: Uint8Array, n: number): number => murmur2(key) % n;
    const run = fc.check(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 2, max: 100_000 }), (key, n) =>
        isPlacement(signedModulus(key, n), n),
      ),
    );
    expect(run.failed).toBe(true);
  });

  it.each([0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'throws for numPartitions %s, naming the argument and what is allowed',
    (numPartitions) => {
      expect(() => partitionForKey('k', numPartitions)).toThrow(
        `partitionForKey: numPartitions must be a positive integer, got ${String(numPartitions)}`,
      );
    },
  );

  it('throws for a null key, which the sticky partitioner places instead', () => {
    expect(() => partitionForKey(null as unknown as string, 6)).toThrow(/partitionForKey: key must be a string or a Uint8Array/);
  });
});
