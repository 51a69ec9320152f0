// The protocol rules that are pure functions of their inputs: key and coordinator placement, and Kafka's error table.
export { murmur2, toPositive } from './murmur2.ts';
export { partitionForKey } from './partitionForKey.ts';
export { javaStringHashCode } from './javaStringHashCode.ts';
export { coordinatorPartition } from './coordinatorPartition.ts';
export { kafkaErrors, isRetriable, errorByCode } from './errors.ts';
export type { KafkaError, KafkaErrorType } from './errors.ts';
