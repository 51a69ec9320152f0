import { brokerInvariant } from './brokerInvariant.ts';

// How a leader decides who is in sync (Partition.getOutOfSyncReplicas, Partition.isFollowerInSync) from what it
// learns on each follower fetch (Replica.updateFetchStateOrThrow), and who may join the ISR at all
// (Partition.isReplicaIsrEligible). Lag is measured in time, not in messages: a follower is out of sync when it has
// not been caught up with the leader for replica.lag.time.max.ms.

/**
 * "Never", for the two fetch times below. Kafka writes 0 there, the wall clock's epoch, decades before any fetch;
 * virtual time starts at 0, so here "never" must lie further back, or a follower that was never caught up would
 * count as caught up (and hold the HW, shouldWaitForReplicaToJoinIsr) during a run's first replica.lag.time.max.ms.
 */
export const NEVER_MS = Number.MIN_SAFE_INTEGER;

/** What the leader knows about one follower (Kafka's ReplicaState, without log start offset and broker epoch). */
export interface FollowerFetchState {
  /** The follower's LEO: the offset of its last fetch; -1 while unknown. */
  readonly leo: number;
  /** The last time the follower had read up to the leader's LEO of that moment. */
  readonly lastCaughtUpTimeMs: number;
  /** The leader's LEO at the follower's previous fetch (never decreasing). */
  readonly lastFetchLeaderLeo: number;
  readonly lastFetchTimeMs: number;
}

/** The state of a follower the leader has not heard from (ReplicaState.Empty). */
export const unknownFollowerFetchState: FollowerFetchState = {
  leo: -1,
  lastCaughtUpTimeMs: NEVER_MS,
  lastFetchLeaderLeo: 0,
  lastFetchTimeMs: NEVER_MS,
};

/** One follower fetch, as the leader sees it: where the follower read from, when, and the leader's LEO then. */
export interface FollowerFetch {
  readonly fetchOffset: number;
  readonly fetchTimeMs: number;
  readonly leaderLeo: number;
}

/**
 * The follower's state after a fetch (Replica.updateFetchStateOrThrow). `lastCaughtUpTimeMs` becomes the fetch
 * time if the follower read from the leader's current LEO, else the previous fetch time if it read from at least
 * the LEO the leader had at that previous fetch (it was caught up then), else it stays. The second case keeps a
 * follower in sync under a steady stream of small appends, where it never quite reaches the moving LEO.
 */
export function updateFetchState(state: FollowerFetchState, fetch: FollowerFetch): FollowerFetchState {
  const { fetchOffset, fetchTimeMs, leaderLeo } = fetch;
  let lastCaughtUpTimeMs = state.lastCaughtUpTimeMs;
  if (fetchOffset >= leaderLeo) lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, fetchTimeMs);
  else if (fetchOffset >= state.lastFetchLeaderLeo) lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, state.lastFetchTimeMs);
  return {
    leo: fetchOffset,
    lastCaughtUpTimeMs,
    lastFetchLeaderLeo: Math.max(leaderLeo, state.lastFetchLeaderLeo),
    lastFetchTimeMs: fetchTimeMs,
  };
}

/** What a broker knows about a follower when it becomes (or stays) leader with a new leader epoch. */
export interface LeaderChange {
  readonly nowMs: number;
  readonly leaderLeo: number;
  /** True when this broker was not the leader before. */
  readonly isNewLeader: boolean;
  /** Whether the follower is in the new ISR. */
  readonly isFollowerInIsr: boolean;
}

/**
 * A follower's state when the leader changes (Replica.resetReplicaState). A follower in the ISR counts as caught
 * up now, so it is not shrunk before it had a chance to fetch; one outside counts as never caught up. A new
 * leader forgets the follower's LEO, which holds the HW until the follower fetches again.
 */
export function resetFetchState(state: FollowerFetchState, change: LeaderChange): FollowerFetchState {
  const lastCaughtUpTimeMs = change.isFollowerInIsr ? change.nowMs : NEVER_MS;
  if (change.isNewLeader) return { leo: -1, lastCaughtUpTimeMs, lastFetchLeaderLeo: -1, lastFetchTimeMs: NEVER_MS };
  return {
    leo: state.leo,
    lastCaughtUpTimeMs,
    lastFetchLeaderLeo: change.leaderLeo,
    lastFetchTimeMs: change.isFollowerInIsr ? change.nowMs : NEVER_MS,
  };
}

/**
 * Whether a follower is caught up: its LEO equals the leader's, or it was caught up within the last
 * `replicaLagTimeMaxMs` (ReplicaState.isCaughtUp).
 */
export function isCaughtUp(state: FollowerFetchState, leaderLeo: number, nowMs: number, replicaLagTimeMaxMs: number): boolean {
  return state.leo === leaderLeo || nowMs - state.lastCaughtUpTimeMs <= replicaLagTimeMaxMs;
}

/** The leader's view of a partition's replicas, for the ISR shrink check. */
export interface IsrView {
  readonly leaderId: number;
  readonly leaderLeo: number;
  /** The ISR, leader included. */
  readonly isr: readonly number[];
  readonly followers: Readonly<Record<number, FollowerFetchState>>;
}

/**
 * The ISR followers to remove, in ISR order (Partition.getOutOfSyncReplicas): those whose LEO differs from the
 * leader's and who have not been caught up for more than `replicaLagTimeMaxMs`. That covers stuck followers
 * (no fetch at all) and slow ones (fetching, never reaching the LEO). A follower the leader has no state for is
 * out of sync. The leader itself never is. Kafka skips the check while an AlterPartition is in flight; so must
 * the caller.
 */
export function outOfSyncReplicas(view: IsrView, nowMs: number, replicaLagTimeMaxMs: number): number[] {
  brokerInvariant(replicaLagTimeMaxMs >= 0, `outOfSyncReplicas: replicaLagTimeMaxMs must be >= 0, got ${replicaLagTimeMaxMs}`);
  return view.isr.filter((replicaId) => {
    if (replicaId === view.leaderId) return false;
    const state = view.followers[replicaId];
    return state === undefined || !isCaughtUp(state, view.leaderLeo, nowMs, replicaLagTimeMaxMs);
  });
}

/** The numbers the ISR expansion check compares. */
export interface InSyncCheck {
  readonly followerLeo: number;
  readonly highWatermark: number;
  /** The leader's LEO when it became leader of its current epoch. */
  readonly leaderEpochStartOffset: number;
}

/**
 * Whether a follower outside the ISR may join it (Partition.isFollowerInSync): its LEO has reached the leader's
 * HW and the start of the leader's current epoch. The second condition matters after a failover, when the new
 * leader's HW may lag the committed offset: a follower that only reached that stale HW could be elected later and
 * lose committed records (bug R8).
 */
export function isFollowerInSync(check: InSyncCheck): boolean {
  return check.followerLeo >= check.highWatermark && check.followerLeo >= check.leaderEpochStartOffset;
}

/** What the leader's metadata says of a follower's broker (KRaftMetadataCache): undefined when it is not registered. */
export interface BrokerRegistrationView {
  readonly epoch: number;
  readonly fenced: boolean;
  /** Absent: not in controlled shutdown. */
  readonly inControlledShutdown?: boolean;
}

/**
 * Whether a follower's fetch comes from an earlier incarnation of its broker (KIP-903, Replica.updateFetchStateOrThrow):
 * the leader's metadata has the broker registered, unfenced, under a newer broker epoch than the fetch carried. The
 * leader then records nothing from the fetch and answers NOT_LEADER_OR_FOLLOWER: the restarted broker may have lost
 * what that incarnation had. A fetch without a broker epoch (-1) is never stale.
 */
export function isStaleBrokerEpoch(fetchBrokerEpoch: number, registration: BrokerRegistrationView | undefined): boolean {
  const aliveBrokerEpoch = registration === undefined || registration.fenced ? undefined : registration.epoch;
  return fetchBrokerEpoch !== -1 && aliveBrokerEpoch !== undefined && aliveBrokerEpoch > fetchBrokerEpoch;
}

/** What decides whether a follower may join the ISR, besides its position. */
export interface IsrEligibilityCheck {
  /** The broker epoch of the follower's last fetch in this leader's tenure; null before its first (Kafka's None). */
  readonly storedBrokerEpoch: number | null;
  readonly registration: BrokerRegistrationView | undefined;
}

/**
 * Whether a follower may join the ISR, or hold the HW as one about to (Partition.isReplicaIsrEligible, KRaft): its
 * broker is registered, unfenced and not in controlled shutdown, and it fetched with the broker epoch the leader's
 * metadata has for it (isBrokerEpochIsrEligible; a fetch without one, -1, skips that comparison).
 */
export function isReplicaIsrEligible(check: IsrEligibilityCheck): boolean {
  const { storedBrokerEpoch, registration } = check;
  if (registration === undefined || registration.fenced || registration.inControlledShutdown === true) return false;
  // A ZooKeeper-mode metadata cache has no broker epochs (UpdateMetadata carries none, zkBroker.ts): there Kafka
  // only asks that the broker be alive (`Partition#isReplicaIsrEligible`, the ZkMetadataCache case).
  if (registration.epoch === -1) return true;
  if (storedBrokerEpoch === null) return false;
  return storedBrokerEpoch === -1 || storedBrokerEpoch === registration.epoch;
}
