import type { LeaderEpochCache } from './leaderEpochCache.ts';
import { batchLastOffset } from './RecordBatch.ts';
import type { RecordBatch } from './RecordBatch.ts';

/**
 * One replica's copy of a partition (Kafka's UnifiedLog, reduced to what the protocols can observe), as plain
 * JSON data: it is persisted through the host's disk and shown in traces and reports.
 * - `batches`: contiguous from offset 0 (the simulator does not model retention, so the log start offset is 0);
 * - `logEndOffset` (LEO): the next offset to append;
 * - `highWatermark`: offsets below it are committed and visible to consumers;
 * - `flushedOffset`: the prefix fsync'd to disk. A process crash keeps the page cache, so it keeps everything;
 *   a power loss keeps only `[0, flushedOffset)` (Kafka's recovery point);
 * - `epochCache`: the leader epoch cache (KIP-101).
 */
export interface ReplicaLog {
  readonly batches: readonly RecordBatch[];
  readonly logEndOffset: number;
  readonly highWatermark: number;
  readonly flushedOffset: number;
  readonly epochCache: LeaderEpochCache;
}

/** A replica log with no data, as a broker creates it for a new partition. */
export function emptyReplicaLog(): ReplicaLog {
  return { batches: [], logEndOffset: 0, highWatermark: 0, flushedOffset: 0, epochCache: [] };
}

/**
 * Everything wrong with a log's shape, as sentences (empty when it is sound). It walks the whole log, so the
 * operations in partitionLog.ts assert only what they change; tests and checkers call this one.
 *
 * Batch epochs are non-decreasing in every log that leader appends and KIP-101 truncation produce. A follower
 * that truncated by the pre-KIP-101 high-watermark rule (the `truncate-to-high-watermark` weakening) can keep a
 * newer epoch's tail that its leader never had and then append the leader's older-epoch batches after it, as
 * Kafka before 0.11 would: appendAsFollower does not throw on that, and this check reports it as a symptom of
 * the divergence.
 */
export function logInvariantProblems(log: ReplicaLog): string[] {
  const problems: string[] = [];
  let expectedBaseOffset = 0;
  let previousEpoch = -1;
  for (const batch of log.batches) {
    if (batch.records.length === 0) problems.push(`batch at ${batch.baseOffset} has no records`);
    if (batch.baseOffset !== expectedBaseOffset) {
      problems.push(`batch at ${batch.baseOffset} should start at ${expectedBaseOffset}: offsets must be contiguous`);
    }
    if (batch.leaderEpoch < previousEpoch) {
      problems.push(`batch at ${batch.baseOffset} has epoch ${batch.leaderEpoch} after epoch ${previousEpoch}`);
    }
    previousEpoch = Math.max(previousEpoch, batch.leaderEpoch);
    expectedBaseOffset = batchLastOffset(batch) + 1;
  }
  const { logEndOffset, highWatermark, flushedOffset } = log;
  if (logEndOffset !== expectedBaseOffset) problems.push(`logEndOffset ${logEndOffset} should be ${expectedBaseOffset}`);
  if (!(highWatermark >= 0 && highWatermark <= logEndOffset)) {
    problems.push(`highWatermark ${highWatermark} must be within [0, logEndOffset ${logEndOffset}]`);
  }
  if (!(flushedOffset >= 0 && flushedOffset <= logEndOffset)) {
    problems.push(`flushedOffset ${flushedOffset} must be within [0, logEndOffset ${logEndOffset}]`);
  }
  log.epochCache.forEach((entry, index) => {
    const previous = log.epochCache[index - 1];
    if (entry.startOffset > logEndOffset) problems.push(`epoch ${entry.epoch} starts at ${entry.startOffset}, past the LEO`);
    if (previous !== undefined && !(previous.epoch < entry.epoch && previous.startOffset < entry.startOffset)) {
      problems.push(`epoch cache entries ${JSON.stringify(previous)} and ${JSON.stringify(entry)} are not increasing`);
    }
  });
  return problems;
}
