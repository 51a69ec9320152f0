import { brokerInvariant } from './brokerInvariant.ts';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, endOffsetFor, latestEpoch } from './leaderEpochCache.ts';
import type { EpochEndOffset } from './leaderEpochCache.ts';
import type { ReplicaLog } from './ReplicaLog.ts';

// Where a follower cuts its log before fetching from a new leader. The follower sends OffsetsForLeaderEpoch with
// its latest epoch (or Fetch v12+ with lastFetchedEpoch, answered with a divergingEpoch); the leader answers with
// the largest epoch it knows at or below it and where that epoch ends on the leader. A fetch the leader cannot
// serve at all is answered OFFSET_OUT_OF_RANGE, after which the follower goes by the leader's log end offset. The
// functions return the offset and leave the cut itself to truncateTo, so a machine can swap one rule for another.

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

/** Where the leader's log starts and ends, as a follower answered OFFSET_OUT_OF_RANGE learns them (ListOffsets). */
export interface LeaderLogOffsets {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

/**
 * Where a follower cuts its log after the leader answered its fetch with OFFSET_OUT_OF_RANGE
 * (AbstractFetcherThread.fetchOffsetAndTruncate), which is for fetches without a last fetched epoch and for a leader
 * that cannot place the follower's epoch; other divergence is settled by epoch. A leader whose log ends before the
 * follower's (a shorter replica was elected uncleanly) makes the follower cut to the leader's log end offset, not
 * its HW: the follower keeps its own records below that offset even where the leader holds others there, a mismatch
 * Kafka leaves be. A leader whose log reaches the follower's leaves the log as it is, and the follower fetches from
 * its LEO again. Kafka's third case, a follower ending below the leader's log start (the leader deleted old
 * segments), cannot arise here: every simulated log starts at 0.
 */
export function truncationOnOutOfRange(log: ReplicaLog, leader: LeaderLogOffsets): OffsetTruncationState {
  brokerInvariant(
    leader.logStartOffset <= log.logEndOffset,
    `truncationOnOutOfRange: the leader's log start ${leader.logStartOffset} is past the follower's LEO ${log.logEndOffset}; ` +
      'Kafka truncates fully and starts at the log start, which needs a log start offset the simulated log does not have',
  );
  return { offset: Math.min(leader.logEndOffset, log.logEndOffset), truncationCompleted: true };
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
