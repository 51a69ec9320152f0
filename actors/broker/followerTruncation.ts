import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, endOffsetFor, latestEpoch } from './leaderEpochCache.ts';
import type { EpochEndOffset } from './leaderEpochCache.ts';
import type { ReplicaLog } from './ReplicaLog.ts';

// Where a follower cuts its log before fetching from a new leader. The follower sends OffsetsForLeaderEpoch with
// its latest epoch (or Fetch v12+ with lastFetchedEpoch, answered with a divergingEpoch); the leader answers with
// the largest epoch it knows at or below it and where that epoch ends on the leader. Both functions return the
// offset and leave the cut itself to truncateTo, so a machine can swap one rule for the other.

/** The offset to truncate to, and whether the follower is done or must ask the leader again (OffsetTruncationState). */
export interface OffsetTruncationState {
  readonly offset: number;
  readonly truncationCompleted: boolean;
}

/**
 * The truncation offset from the leader's answer (AbstractFetcherThread.getOffsetTruncationState, KIP-101 and
 * KIP-279):
 * - the leader knows no end offset: truncate to the follower's initial fetch offset, its LEO when its log has
 *   epochs (Kafka 2.7+ fetches from there and relies on divergence checks) and its HW otherwise;
 * - the leader answers an end offset without an epoch (a pre-2.0 leader): min(that offset, LEO);
 * - the follower knows the answered epoch: min(leader's end offset, the follower's own end of that epoch, LEO),
 *   and it is done;
 * - the follower does not know the answered epoch: truncate to the end of its largest lower epoch and ask again
 *   with the epoch it now ends with (truncationCompleted false). Each round asks about a smaller epoch;
 * - the follower's cache cannot place the answered epoch (it is empty, or the epoch is newer than all of it):
 *   min(leader's end offset, LEO), done.
 */
export function truncationByLeaderEpoch(log: ReplicaLog, leaderAnswer: EpochEndOffset): OffsetTruncationState {
  const { logEndOffset } = log;
  if (leaderAnswer.endOffset === UNDEFINED_EPOCH_OFFSET) {
    const initialFetchOffset = latestEpoch(log.epochCache) === UNDEFINED_EPOCH ? log.highWatermark : logEndOffset;
    return { offset: initialFetchOffset, truncationCompleted: true };
  }
  if (leaderAnswer.epoch === UNDEFINED_EPOCH) {
    return { offset: Math.min(leaderAnswer.endOffset, logEndOffset), truncationCompleted: true };
  }
  const followerEnd = endOffsetFor(log.epochCache, leaderAnswer.epoch, logEndOffset);
  if (followerEnd.endOffset === UNDEFINED_EPOCH_OFFSET) {
    return { offset: Math.min(leaderAnswer.endOffset, logEndOffset), truncationCompleted: true };
  }
  if (followerEnd.epoch !== leaderAnswer.epoch) {
    return { offset: Math.min(followerEnd.endOffset, logEndOffset), truncationCompleted: false };
  }
  return { offset: Math.min(followerEnd.endOffset, leaderAnswer.endOffset, logEndOffset), truncationCompleted: true };
}

/**
 * The pre-KIP-101 rule: a follower truncates to its own high watermark, whatever the leader has. It loses
 * records that were committed while the follower's HW lagged one fetch behind (bug R3), and it keeps records the
 * new leader never had when both replicas lost unflushed data (bug R4). Kept only for the
 * `truncate-to-high-watermark` weakening; safe runs use truncationByLeaderEpoch.
 */
export function truncateToHighWatermark(log: ReplicaLog): OffsetTruncationState {
  return { offset: log.highWatermark, truncationCompleted: true };
}
