import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, endOffsetFor } from './leaderEpochCache.ts';
import type { EpochEndOffset } from './leaderEpochCache.ts';
import type { ReplicaLog } from './ReplicaLog.ts';

/** What a follower's Fetch (v12+) says about its log: where it reads from and the epoch of its last batch. */
export interface FollowerPosition {
  readonly fetchOffset: number;
  /** The epoch of the follower's last batch; -1 when it has none (then no divergence check, as before Fetch v12). */
  readonly lastFetchedEpoch: number;
}

/**
 * The leader's divergence check on a follower fetch (Partition.readRecords with lastFetchedEpoch, KIP-595 for
 * replication): undefined when the follower's log matches the leader's up to `fetchOffset`; the leader's
 * `{ epoch, endOffset }` for the follower's epoch when the follower wrote past where that epoch ends on the
 * leader (the follower then truncates with truncationByLeaderEpoch); OFFSET_OUT_OF_RANGE when the leader cannot
 * tell where that epoch ends.
 */
export function divergingEpoch(
  leaderLog: ReplicaLog,
  position: FollowerPosition,
): EpochEndOffset | Extract<KafkaErrorType, 'OFFSET_OUT_OF_RANGE'> | undefined {
  const { fetchOffset, lastFetchedEpoch } = position;
  if (lastFetchedEpoch === UNDEFINED_EPOCH) return undefined;
  const leaderEnd = endOffsetFor(leaderLog.epochCache, lastFetchedEpoch, leaderLog.logEndOffset);
  if (leaderEnd.endOffset === UNDEFINED_EPOCH_OFFSET || leaderEnd.epoch === UNDEFINED_EPOCH || fetchOffset < 0) {
    return 'OFFSET_OUT_OF_RANGE';
  }
  if (leaderEnd.epoch < lastFetchedEpoch || leaderEnd.endOffset < fetchOffset) return leaderEnd;
  return undefined;
}
