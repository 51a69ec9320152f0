import type { KafkaErrorType } from '../../src/protocol/errors.ts';

/** A request's view of the partition against the broker's own (Partition.checkCurrentLeaderEpoch, getLocalLog). */
export interface LeaderEpochCheckInput {
  /** The request's currentLeaderEpoch; -1 or undefined when the client does not send one (before KIP-320). */
  readonly currentLeaderEpoch: number | undefined;
  /** The broker's leader epoch for the partition. */
  readonly leaderEpoch: number;
  readonly isLeader: boolean;
  /** Whether the request must go to the leader (Produce, follower Fetch, OffsetsForLeaderEpoch). Defaults to true. */
  readonly requireLeader?: boolean;
}

/**
 * The fencing error for a request, or undefined to serve it (KIP-320). The epoch is compared first:
 * FENCED_LEADER_EPOCH when the request's epoch is older than the broker's (the client or follower is behind and
 * must refresh metadata), UNKNOWN_LEADER_EPOCH when it is newer (this broker has not heard of the new epoch
 * yet, so the client retries). Then NOT_LEADER_OR_FOLLOWER when the request needs the leader and this broker is
 * not it. A request without an epoch skips the epoch check.
 */
export function checkCurrentLeaderEpoch(
  input: LeaderEpochCheckInput,
): Extract<KafkaErrorType, 'FENCED_LEADER_EPOCH' | 'UNKNOWN_LEADER_EPOCH' | 'NOT_LEADER_OR_FOLLOWER'> | undefined {
  const { currentLeaderEpoch, leaderEpoch, isLeader, requireLeader = true } = input;
  if (currentLeaderEpoch !== undefined && currentLeaderEpoch !== -1) {
    if (currentLeaderEpoch < leaderEpoch) return 'FENCED_LEADER_EPOCH';
    if (currentLeaderEpoch > leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
  }
  if (requireLeader && !isLeader) return 'NOT_LEADER_OR_FOLLOWER';
  return undefined;
}
