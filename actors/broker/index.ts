// The broker's protocol rules as pure functions of their inputs: the replica log and its leader epoch cache,
// high watermark and ISR membership, follower truncation, produce checks, idempotent-producer state and leader
// epoch fencing. The broker machine calls them from `assign`; nothing here reads a clock or draws randomness.
export { brokerDefaults } from './brokerDefaults.ts';
export { NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, batchLastOffset, batchLastSequence, incrementSequence } from './RecordBatch.ts';
export type { RecordBatch, WireRecord } from './RecordBatch.ts';
export { emptyReplicaLog, logInvariantProblems } from './ReplicaLog.ts';
export type { ReplicaLog } from './ReplicaLog.ts';
export {
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
  assignEpoch,
  endOffsetFor,
  latestEpoch,
  truncateFromEnd,
} from './leaderEpochCache.ts';
export type { EpochEndOffset, EpochEntry, LeaderEpochCache } from './leaderEpochCache.ts';
export {
  appendAsFollower,
  appendAsLeader,
  assignEpochStartOffset,
  dropUnflushed,
  flush,
  isAppendableAsFollower,
  readFrom,
  truncateTo,
  updateHighWatermark,
} from './partitionLog.ts';
export type { LeaderAppendOptions, LeaderAppendResult, ProducerStamp, ReadResult } from './partitionLog.ts';
export { followerHighWatermark, nextHighWatermark } from './highWatermark.ts';
export type { LeaderHighWatermarkInput } from './highWatermark.ts';
export {
  isCaughtUp,
  isFollowerInSync,
  outOfSyncReplicas,
  resetFetchState,
  unknownFollowerFetchState,
  updateFetchState,
} from './isrMembership.ts';
export type { FollowerFetch, FollowerFetchState, InSyncCheck, IsrView, LeaderChange } from './isrMembership.ts';
export { truncateToHighWatermark, truncationByLeaderEpoch } from './followerTruncation.ts';
export type { OffsetTruncationState } from './followerTruncation.ts';
export { divergingEpoch } from './divergingEpoch.ts';
export type { FollowerPosition } from './divergingEpoch.ts';
export { checkAcksAllComplete, checkProduce } from './produceChecks.ts';
export type { AcksAllInput, ProduceCheckInput } from './produceChecks.ts';
export { NUM_BATCHES_TO_RETAIN, checkIdempotentAppend, rebuildProducerState, recordAppend } from './producerState.ts';
export type {
  IdempotentAppendCheck,
  ProducerBatch,
  ProducerBatchMetadata,
  ProducerStateEntry,
  ProducerStates,
} from './producerState.ts';
export { checkCurrentLeaderEpoch } from './epochFencing.ts';
export type { LeaderEpochCheckInput } from './epochFencing.ts';
