// The Java producer's client-side rules as pure functions: configuration, partitioning, batching, sequencing and
// retries. The producer machine calls these from `assign`; time comes in as `nowMs`, randomness as a Draw.
export { producerConfigNames, producerDefaults } from './producerDefaults.ts';
export type { Acks, NullKeyPartitioner, ProducerSettings } from './producerDefaults.ts';
export { ConfigException, resolveProducerConfig } from './producerConfig.ts';
export type { ProducerConfig } from './producerConfig.ts';
export type { Draw } from './Draw.ts';
export { choosePartition, emptyPartitionerState, onNewBatch } from './partitioner.ts';
export type { NewBatchInput, PartitionChoice, PartitionerOptions, PartitionerState, PartitionInput } from './partitioner.ts';
export {
  RECORD_BATCH_OVERHEAD_BYTES,
  RECORD_OVERHEAD_BYTES,
  incrementSequence,
  inRetry,
  isBatchFull,
  lastSequence,
  recordSizeBytes,
  topicPartitionKey,
} from './ProducerBatch.ts';
export type { BatchRecord, ProducerBatch } from './ProducerBatch.ts';
export { append, createRecordAccumulator, drain, hasRoomFor, pendingSequencedBatches, ready } from './recordAccumulator.ts';
export type {
  AppendInput,
  AppendResult,
  LeaderOf,
  PartitionSequence,
  ProduceRequestBatches,
  ReadyResult,
  RecordAccumulator,
  SendOptions,
} from './recordAccumulator.ts';
export { completeBatch, expireBatches, failBatch, reenqueueBatch, requestCompleted } from './completeBatch.ts';
export type { ExpiredBatch, ReenqueueInput } from './completeBatch.ts';
export {
  bumpIdempotentEpochIfNeeded,
  bumpProducerEpoch,
  hasUnresolvedSequence,
  isNextSequence,
  lastAckedSequence,
  markSequenceUnresolved,
  maybeResolveSequences,
  requestEpochBumpForPartition,
  sequenceStanding,
  setProducerIdAndEpoch,
} from './idempotentSequences.ts';
export { expiryDecision, exponentialBackoffMs, retryDecision } from './retryPolicy.ts';
export type { RetryConfig, RetryDecision, RetryInput, SendOutcome, SequenceStanding } from './retryPolicy.ts';
export { producerMachine } from './producerMachine.ts';
export type { ProducerContext, ProducerEvent, ProducerInput } from './producerMachine.ts';
