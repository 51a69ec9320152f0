import { ArgumentError } from '../kernel/argumentError.ts';
import { javaStringHashCode } from './javaStringHashCode.ts';

const INT_MIN_VALUE = -2147483648;

/**
 * The partition of `__consumer_offsets` whose leader coordinates `groupId`:
 * `Utils.abs(groupId.hashCode()) % numPartitions` (`GroupCoordinatorService#partitionFor`, formerly
 * `GroupMetadataManager#partitionFor`). Transactional ids map onto `__transaction_state` the same way
 * (`TransactionStateManager#partitionFor`). Both topics default to 50 partitions.
 */
export function coordinatorPartition(groupId: string, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new ArgumentError('coordinatorPartition', 'numPartitions', numPartitions, 'a positive integer');
  }
  if (typeof groupId !== 'string') {
    throw new ArgumentError('coordinatorPartition', 'groupId', groupId, 'a string');
  }
  return kafkaAbs(javaStringHashCode(groupId)) % numPartitions;
}

// Kafka's `Utils#abs`: Math.abs, except that Integer.MIN_VALUE, which has no positive int counterpart, maps to 0.
// It differs from toPositive (the sign-bit mask the key partitioner uses) for every negative input.
function kafkaAbs(n: number): number {
  return n === INT_MIN_VALUE ? 0 : Math.abs(n);
}
