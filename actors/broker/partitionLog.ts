import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { batchSizeBytes } from '../../src/protocol/recordSize.ts';
import { brokerInvariant } from './brokerInvariant.ts';
import { assignEpoch, latestEpoch, truncateFromEnd } from './leaderEpochCache.ts';
import { NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE, batchLastOffset } from './RecordBatch.ts';
import type { RecordBatch, WireRecord } from './RecordBatch.ts';
import type { ReplicaLog } from './ReplicaLog.ts';

// The operations on a replica log (Kafka's UnifiedLog / LocalLog, without segments, indexes or retention). Each
// takes a log and returns a new one; nothing is mutated, and batches are shared between logs, never copied, so
// an append is one array copy. Each operation asserts what it changes; logInvariantProblems checks a whole log.
// Longer than most files because the operations share one batch search and one watermark assertion.

/** What an idempotent producer stamps on its batches; a producer without idempotence stamps nothing. */
export interface ProducerStamp {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

/** How the leader stamps a batch: its current leader epoch, and the producer's stamp if it has one. */
export interface LeaderAppendOptions extends AppendOptions {
  readonly leaderEpoch: number;
  readonly producer?: ProducerStamp;
  /** The batch's size as its producer counted it; computed from the records when not given. */
  readonly sizeInBytes?: number;
}

/** How an append may treat the log it is given. */
export interface AppendOptions {
  /**
   * The caller drops the log it passes in (a machine replacing its state with the result): the new batch may then
   * be pushed onto the batch array the two logs share instead of copying it, which makes an append O(1) instead
   * of O(batches). The old log then sees the longer array but keeps its own logEndOffset, and every read of it is
   * bounded by that; a later append to the old log copies first (ownedBatches). Off by default: every operation
   * here leaves the log it was given unchanged.
   */
  readonly reuseBatches?: boolean;
}

/** The log after a leader append, the batch as stored, and its first and last offsets. */
export interface LeaderAppendResult {
  readonly log: ReplicaLog;
  readonly batch: RecordBatch;
  readonly baseOffset: number;
  readonly lastOffset: number;
}

/** Batches read from a log, or Kafka's error for a fetch offset outside it. */
export type ReadResult =
  | { readonly error?: undefined; readonly batches: RecordBatch[] }
  | { readonly error: Extract<KafkaErrorType, 'OFFSET_OUT_OF_RANGE'>; readonly batches?: undefined };

/**
 * Appends `records` as one batch at the log end offset, stamped with the leader's epoch (UnifiedLog.appendAsLeader),
 * and records the epoch's start offset in the epoch cache the first time the epoch writes (assignEpoch).
 * Idempotence and acks are checked before, by checkIdempotentAppend and checkProduce.
 */
export function appendAsLeader(log: ReplicaLog, records: readonly WireRecord[], options: LeaderAppendOptions): LeaderAppendResult {
  const { leaderEpoch, producer } = options;
  brokerInvariant(records.length > 0, 'appendAsLeader: records must hold at least one record, got none');
  const own = ownedBatches(log);
  const newestEpoch = Math.max(latestEpoch(log.epochCache), own.at(-1)?.leaderEpoch ?? -1);
  brokerInvariant(
    Number.isInteger(leaderEpoch) && leaderEpoch >= newestEpoch,
    `appendAsLeader: leaderEpoch must be the leader's current epoch, at least ${newestEpoch} (the newest in the log), got ${leaderEpoch}`,
  );
  const baseOffset = log.logEndOffset;
  const batch: RecordBatch = {
    baseOffset,
    leaderEpoch,
    producerId: producer?.producerId ?? NO_PRODUCER_ID,
    producerEpoch: producer?.producerEpoch ?? NO_PRODUCER_EPOCH,
    baseSequence: producer?.baseSequence ?? NO_SEQUENCE,
    sizeInBytes: options.sizeInBytes ?? batchSizeBytes(records),
    // Copied: the caller's records may be a producer buffer that changes later; the log must not.
    records: records.map((record) => ({ key: record.key, value: record.value })),
  };
  const next: ReplicaLog = {
    ...log,
    batches: appendedBatches(log, own, [batch], options.reuseBatches === true),
    logEndOffset: baseOffset + batch.records.length,
    epochCache: assignEpoch(log.epochCache, leaderEpoch, baseOffset),
  };
  return { log: checked(next), batch, baseOffset, lastOffset: batchLastOffset(batch) };
}

/**
 * Appends batches fetched from the leader as they are (UnifiedLog.appendAsFollower): the first must start at
 * this log's end offset, which the follower guarantees by fetching from its LEO after truncating (check with
 * isAppendableAsFollower). Each batch's epoch goes into the epoch cache as Kafka's assign does, so an older
 * epoch after a newer one (possible only after a pre-KIP-101 truncation) drops the newer cache entries instead
 * of throwing.
 */
export function appendAsFollower(log: ReplicaLog, batches: readonly RecordBatch[], options: AppendOptions = {}): ReplicaLog {
  if (batches.length === 0) return log;
  let logEndOffset = log.logEndOffset;
  let epochCache = log.epochCache;
  for (const batch of batches) {
    brokerInvariant(
      batch.baseOffset === logEndOffset && batch.records.length > 0,
      `appendAsFollower: each batch must be non-empty and start at the log end offset ${logEndOffset}, got a batch of ` +
        `${batch.records.length} records at ${batch.baseOffset}; truncate first and fetch from the log end offset`,
    );
    epochCache = assignEpoch(epochCache, batch.leaderEpoch, batch.baseOffset);
    logEndOffset = batchLastOffset(batch) + 1;
  }
  return checked({ ...log, batches: appendedBatches(log, ownedBatches(log), batches, options.reuseBatches === true), logEndOffset, epochCache });
}

/**
 * Whether fetched batches can be appended: none, or the first starts at the log end offset. A follower whose
 * log diverged from its leader's (only after a pre-KIP-101 truncation) can end inside one of the leader's
 * batches; Kafka then throws UnexpectedAppendOffsetException and its fetcher retries the partition without
 * ever progressing, so a machine treats `false` as a failed fetch.
 */
export function isAppendableAsFollower(log: ReplicaLog, batches: readonly RecordBatch[]): boolean {
  return batches.length === 0 || batches[0]?.baseOffset === log.logEndOffset;
}

/**
 * Starts a leader epoch at the log end offset, as a broker does when it becomes leader
 * (Partition.makeLeader -> UnifiedLog.maybeAssignEpochStartOffset): followers asking where an older epoch ends
 * then get this offset even before the new leader appends anything.
 */
export function assignEpochStartOffset(log: ReplicaLog, leaderEpoch: number): ReplicaLog {
  brokerInvariant(
    leaderEpoch >= latestEpoch(log.epochCache),
    `assignEpochStartOffset: a new leader epoch must be at least ${latestEpoch(log.epochCache)}, got ${leaderEpoch}`,
  );
  return { ...log, epochCache: assignEpoch(log.epochCache, leaderEpoch, log.logEndOffset) };
}

/**
 * Reads whole batches from the one holding `fetchOffset` up to, not including, `maxOffsetExclusive`: the high
 * watermark for consumers, the log end offset for followers (FetchIsolation). A batch that crosses the limit is
 * left out, like the partial batch Kafka's size-bounded read returns and clients drop. A fetch offset between the
 * limit and the LEO reads nothing; one past the LEO (or below 0) is OFFSET_OUT_OF_RANGE. At most `maxBytes` of
 * batches, except that `minOneBatch` returns the first batch whatever its size (KIP-74: a fetch always makes
 * progress). The first batch may start before `fetchOffset`: consumers skip the records below their position, as
 * Kafka's fetcher does.
 */
export function readFrom(
  log: ReplicaLog,
  fetchOffset: number,
  maxOffsetExclusive: number,
  maxBytes = Number.POSITIVE_INFINITY,
  minOneBatch = true,
): ReadResult {
  brokerInvariant(
    maxOffsetExclusive >= 0 && maxOffsetExclusive <= log.logEndOffset,
    `readFrom: maxOffsetExclusive must be the HW or the LEO, within [0, ${log.logEndOffset}], got ${maxOffsetExclusive}`,
  );
  if (!Number.isInteger(fetchOffset) || fetchOffset < 0 || fetchOffset > log.logEndOffset) return { error: 'OFFSET_OUT_OF_RANGE' };
  const batches: RecordBatch[] = [];
  let sizeBytes = 0;
  for (let index = batchIndexAt(log, fetchOffset); index < log.batches.length; index++) {
    const batch = log.batches[index] as RecordBatch;
    if (batchLastOffset(batch) >= maxOffsetExclusive) break;
    if (sizeBytes + batch.sizeInBytes > maxBytes && !(batches.length === 0 && minOneBatch)) break;
    batches.push(batch);
    sizeBytes += batch.sizeInBytes;
  }
  return { batches };
}

/**
 * The bytes a fetch from `fetchOffset` could read below `maxOffsetExclusive` (DelayedFetch's `positionDiff`): the
 * whole batches from the one holding `fetchOffset`, up to `maxBytes`. Zero when there is nothing new.
 */
export function bytesAvailable(log: ReplicaLog, fetchOffset: number, maxOffsetExclusive: number, maxBytes: number): number {
  if (fetchOffset < 0 || fetchOffset >= maxOffsetExclusive) return 0;
  let sizeBytes = 0;
  for (let index = batchIndexAt(log, fetchOffset); index < log.batches.length && sizeBytes < maxBytes; index++) {
    const batch = log.batches[index] as RecordBatch;
    if (batch.baseOffset >= maxOffsetExclusive) break;
    sizeBytes += batch.sizeInBytes;
  }
  return Math.min(sizeBytes, maxBytes);
}

/**
 * Removes every offset at or after `offset` (UnifiedLog.truncateTo): the epoch cache loses the epochs that
 * started there or later, and the high watermark and the flushed prefix are cut to the new LEO. An offset at or
 * past the LEO keeps the data but still drops epochs that start at the LEO, as Kafka does for a broker that
 * became leader and lost leadership before writing anything. Kafka cuts the segment before the batch holding
 * `offset` and still sets the LEO to `offset`; here that batch keeps its records below `offset`, so the log stays
 * contiguous. Truncation points fall inside a batch only on replicas that already diverged.
 */
export function truncateTo(log: ReplicaLog, offset: number): ReplicaLog {
  brokerInvariant(Number.isInteger(offset) && offset >= 0, `truncateTo: offset must be an integer >= 0, got ${offset}`);
  if (offset >= log.logEndOffset) {
    const epochCache = truncateFromEnd(log.epochCache, log.logEndOffset);
    return epochCache === log.epochCache ? log : { ...log, epochCache };
  }
  const index = batchIndexAt(log, offset);
  const batches = log.batches.slice(0, index);
  const straddling = log.batches[index];
  if (straddling !== undefined && straddling.baseOffset < offset) {
    const records = straddling.records.slice(0, offset - straddling.baseOffset);
    batches.push({ ...straddling, records, sizeInBytes: batchSizeBytes(records) });
  }
  return checked({
    batches,
    logEndOffset: offset,
    highWatermark: Math.min(log.highWatermark, offset),
    flushedOffset: Math.min(log.flushedOffset, offset),
    epochCache: truncateFromEnd(log.epochCache, offset),
  });
}

/**
 * Sets the high watermark, which must lie within [0, LEO]. Which value is right is decided by nextHighWatermark
 * (leader) and followerHighWatermark (follower).
 */
export function updateHighWatermark(log: ReplicaLog, highWatermark: number): ReplicaLog {
  if (highWatermark === log.highWatermark) return log;
  return checked({ ...log, highWatermark });
}

/** Flushes the page cache: everything up to the LEO now survives a power loss (UnifiedLog.flush). */
export function flush(log: ReplicaLog): ReplicaLog {
  return log.flushedOffset === log.logEndOffset ? log : { ...log, flushedOffset: log.logEndOffset };
}

/**
 * The log as a power loss leaves it: only the flushed prefix survives, and the epoch cache and high watermark
 * are cut to it as Kafka's log recovery does. A process crash keeps the page cache and needs no call.
 */
export function dropUnflushed(log: ReplicaLog): ReplicaLog {
  return truncateTo(log, log.flushedOffset);
}

/**
 * The log with its batch array cut to its own log end offset: a log saved before later appends reused its array
 * (AppendOptions.reuseBatches) holds batches past its end, which a restart from it must drop.
 */
export function trimToLogEnd(log: ReplicaLog): ReplicaLog {
  const own = ownedBatches(log);
  return own === log.batches ? log : { ...log, batches: own };
}

// The batches up to the log end offset: the whole array unless a newer log has appended to it in place.
function ownedBatches(log: ReplicaLog): readonly RecordBatch[] {
  const last = log.batches.at(-1);
  if (last === undefined || batchLastOffset(last) < log.logEndOffset) return log.batches;
  return log.batches.slice(0, batchIndexAt(log, log.logEndOffset));
}

// The batch array after appending `added`: the shared array itself when the caller allows it and this log owns
// all of it, else a copy.
function appendedBatches(log: ReplicaLog, own: readonly RecordBatch[], added: readonly RecordBatch[], reuse: boolean): readonly RecordBatch[] {
  if (reuse && own === log.batches) {
    (log.batches as RecordBatch[]).push(...added);
    return log.batches;
  }
  return own.concat(added);
}

// The index of the batch holding `offset`, or batches.length when the offset is the LEO. Binary search: logs in
// long runs hold thousands of batches and followers read at their LEO on every fetch.
function batchIndexAt(log: ReplicaLog, offset: number): number {
  let low = 0;
  let high = log.batches.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (batchLastOffset(log.batches[middle] as RecordBatch) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

// What every operation relies on and may have changed: the watermarks stay inside the log.
function checked(log: ReplicaLog): ReplicaLog {
  const { logEndOffset, highWatermark, flushedOffset } = log;
  brokerInvariant(
    highWatermark >= 0 && highWatermark <= logEndOffset,
    `high watermark ${highWatermark} must be within [0, log end offset ${logEndOffset}]`,
  );
  brokerInvariant(
    flushedOffset >= 0 && flushedOffset <= logEndOffset,
    `flushed offset ${flushedOffset} must be within [0, log end offset ${logEndOffset}]`,
  );
  return log;
}
