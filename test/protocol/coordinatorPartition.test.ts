import { describe, expect, it } from 'vitest';
import { coordinatorPartition } from '../../src/protocol/coordinatorPartition.ts';
import { javaStringHashCode } from '../../src/protocol/javaStringHashCode.ts';
import { toPositive } from '../../src/protocol/murmur2.ts';

// offsets.topic.num.partitions
const OFFSETS_TOPIC_PARTITIONS = 50;

describe('coordinatorPartition', () => {
  // partition = |groupId.hashCode()| % 50 (GroupCoordinatorService#partitionFor).
  it.each([
    { groupId: 'testgroup', hashCode: -1172783827, partition: 27 }, // 1172783827 % 50
    { groupId: 'my-group', hashCode: -1906497762, partition: 12 }, // 1906497762 % 50
    { groupId: 'console-consumer-1', hashCode: 35782224, partition: 24 }, // 35782224 % 50
    { groupId: 'a', hashCode: 97, partition: 47 }, // 97 % 50
    { groupId: '', hashCode: 0, partition: 0 },
  ])('puts group $groupId on __consumer_offsets-$partition of 50', ({ groupId, hashCode, partition }) => {
    expect(javaStringHashCode(groupId)).toBe(hashCode);
    expect(coordinatorPartition(groupId, OFFSETS_TOPIC_PARTITIONS)).toBe(partition);
  });

  it('maps a hashCode of Integer.MIN_VALUE to partition 0, as Kafka Utils#abs does', () => {
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(coordinatorPartition('polygenelubricants', OFFSETS_TOPIC_PARTITIONS)).toBe(0);
    // JavaScript's Math.abs would give 2147483648, which is 2 modulo 7, not 0.
    expect(coordinatorPartition('polygenelubricants', 7)).toBe(0);
  });

  it('takes the absolute value, not the key partitioner\'s sign-bit mask', () => {
    const hashCode = javaStringHashCode('testgroup');
    expect(toPositive(hashCode) % OFFSETS_TOPIC_PARTITIONS).toBe(21);
    expect(coordinatorPartition('testgroup', OFFSETS_TOPIC_PARTITIONS)).toBe(27);
  });

  it.each([0, -1, 1.5, Number.NaN])('throws for numPartitions %s, naming the argument and what is allowed', (n) => {
    expect(() => coordinatorPartition('g', n)).toThrow(
      `coordinatorPartition: numPartitions must be a positive integer, got ${String(n)}`,
    );
  });

  it('throws for a group id that is not a string', () => {
    expect(() => coordinatorPartition(undefined as unknown as string, 50)).toThrow(
      'coordinatorPartition: groupId must be a string, got undefined',
    );
  });
});
