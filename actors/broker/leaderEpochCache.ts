import { brokerInvariant } from './brokerInvariant.ts';

// A replica's leader epoch cache (KIP-101), Kafka's LeaderEpochFileCache as immutable data: the start offset of
// every leader epoch the replica holds data for (or started leading), oldest first, strictly increasing in both
// epoch and start offset. Kafka keeps it in a TreeMap keyed by epoch; a sorted array is the same thing in JSON.
//
// The functions are named assignEpoch / endOffsetFor / truncateFromEnd rather than Kafka's bare `assign`, which
// machines would otherwise import next to XState's `assign`.

/** One cache entry: `epoch` was first written (or led) at `startOffset` (Kafka's EpochEntry). */
export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** The leader epoch cache: entries ordered by epoch and by start offset, both strictly increasing. */
export type LeaderEpochCache = readonly EpochEntry[];

/** An epoch and where it ends: the answer to OffsetsForLeaderEpoch and a Fetch's `divergingEpoch`. */
export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

/** Kafka's UNDEFINED_EPOCH: no epoch is known. */
export const UNDEFINED_EPOCH = -1;

/** Kafka's UNDEFINED_EPOCH_OFFSET: no end offset is known. */
export const UNDEFINED_EPOCH_OFFSET = -1;

/** The latest epoch in the cache, or UNDEFINED_EPOCH when it is empty (LeaderEpochFileCache.latestEpoch). */
export function latestEpoch(cache: LeaderEpochCache): number {
  return cache.at(-1)?.epoch ?? UNDEFINED_EPOCH;
}

/**
 * Records that `epoch` starts at `startOffset` (LeaderEpochFileCache.assign). A repeat of the latest epoch at the
 * same or a later offset changes nothing, so an epoch's start offset is set once. An entry that would break
 * monotonicity (an epoch at or above the new one, or a start offset at or after the new one) is removed first,
 * newest first, as Kafka's maybeTruncateNonMonotonicEntries does.
 */
export function assignEpoch(cache: LeaderEpochCache, epoch: number, startOffset: number): LeaderEpochCache {
  brokerInvariant(
    Number.isInteger(epoch) && epoch >= 0 && Number.isInteger(startOffset) && startOffset >= 0,
    `assignEpoch: epoch and startOffset must be integers >= 0, got epoch ${epoch} at ${startOffset}`,
  );
  const latest = cache.at(-1);
  if (latest !== undefined && latest.epoch === epoch && startOffset >= latest.startOffset) return cache;
  let keep = cache.length;
  while (keep > 0) {
    const entry = cache[keep - 1] as EpochEntry;
    if (entry.epoch < epoch && entry.startOffset < startOffset) break;
    keep--;
  }
  return [...cache.slice(0, keep), { epoch, startOffset }];
}

/**
 * The largest epoch <= `requestedEpoch` and where it ends (LeaderEpochFileCache.endOffsetFor):
 * - UNDEFINED_EPOCH requested, or an epoch above every cached one: (-1, -1);
 * - the latest cached epoch: the log end offset, since that epoch is still being written;
 * - an epoch below the first cached one: (requestedEpoch, start of the first epoch), the data before it is gone;
 * - otherwise: (largest cached epoch <= requested, start offset of the next higher cached epoch).
 */
export function endOffsetFor(cache: LeaderEpochCache, requestedEpoch: number, logEndOffset: number): EpochEndOffset {
  const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
  if (requestedEpoch === UNDEFINED_EPOCH) return undefinedAnswer;
  if (latestEpoch(cache) === requestedEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
  const higherIndex = cache.findIndex((entry) => entry.epoch > requestedEpoch);
  const higher = cache[higherIndex];
  if (higher === undefined) return undefinedAnswer;
  const floor = cache[higherIndex - 1];
  if (floor === undefined) return { epoch: requestedEpoch, endOffset: higher.startOffset };
  return { epoch: floor.epoch, endOffset: higher.startOffset };
}

/**
 * Removes the entries that start at or after `endOffset`, for a log truncated to `endOffset`
 * (LeaderEpochFileCache.truncateFromEnd). A negative offset (UNDEFINED_EPOCH_OFFSET) changes nothing.
 */
export function truncateFromEnd(cache: LeaderEpochCache, endOffset: number): LeaderEpochCache {
  if (endOffset < 0) return cache;
  let keep = cache.length;
  while (keep > 0 && (cache[keep - 1] as EpochEntry).startOffset >= endOffset) keep--;
  return keep === cache.length ? cache : cache.slice(0, keep);
}
