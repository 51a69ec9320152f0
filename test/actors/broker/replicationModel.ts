import { divergingEpoch } from '../../../actors/broker/divergingEpoch.ts';
import { truncateToHighWatermark, truncationByLeaderEpoch } from '../../../actors/broker/followerTruncation.ts';
import { followerHighWatermark, nextHighWatermark } from '../../../actors/broker/highWatermark.ts';
import {
  isFollowerInSync,
  outOfSyncReplicas,
  resetFetchState,
  unknownFollowerFetchState,
  updateFetchState,
} from '../../../actors/broker/isrMembership.ts';
import type { FollowerFetchState } from '../../../actors/broker/isrMembership.ts';
import { endOffsetFor, latestEpoch } from '../../../actors/broker/leaderEpochCache.ts';
import {
  appendAsFollower,
  appendAsLeader,
  assignEpochStartOffset,
  dropUnflushed,
  flush,
  isAppendableAsFollower,
  readFrom,
  truncateTo,
  updateHighWatermark,
} from '../../../actors/broker/partitionLog.ts';
import { emptyReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import type { ReplicaLog } from '../../../actors/broker/ReplicaLog.ts';
import { offsetsOf } from './logFixtures.ts';

// One partition replicated over a few brokers, driven step by step with the broker's pure rules and nothing
// else: no network, no timers, every step atomic. Elections are clean (the first ISR member in replica order
// other than the crashed leader, else the crashed leader again) and a restart keeps the ISR, as a broker that
// comes back within the session timeout does; so the only source of divergence left is the truncation rule.
// Followers truncate when they start following: by leader epoch at their first fetch from the new leader
// (KIP-101 needs the leader's answer), or to their own high watermark at once (pre-KIP-101, which needs nobody).

/** How followers truncate: Kafka's rule since 0.11 (KIP-101/279) or the `truncate-to-high-watermark` weakening. */
export type TruncationRule = 'leaderEpoch' | 'highWatermark';

/** One step of the model. Replica indexes wrap around the replica count. */
export type ReplicationStep =
  | { readonly kind: 'produce'; readonly count: number }
  | { readonly kind: 'fetch'; readonly replica: number }
  | { readonly kind: 'shrinkIsr' }
  | { readonly kind: 'restart'; readonly replica: number }
  | { readonly kind: 'flush'; readonly replica: number }
  | { readonly kind: 'powerLoss'; readonly replica: number };

/** A replica's log and whether it still has to truncate against the current leader. */
export interface ModelReplica {
  readonly log: ReplicaLog;
  readonly mustTruncate: boolean;
}

/** The whole partition at one instant. */
export interface ReplicationModel {
  readonly rule: TruncationRule;
  readonly replicas: readonly ModelReplica[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly leaderEpochStartOffset: number;
  readonly isr: readonly number[];
  /** The leader's view of each follower. */
  readonly followers: Readonly<Record<number, FollowerFetchState>>;
  readonly nowMs: number;
  readonly nextValue: number;
  /** The value at each offset that was ever below the leader's high watermark: what acks=all promised. */
  readonly committed: readonly string[];
  /** Fetches whose divergence check fired although the follower had truncated by epoch first. */
  readonly divergingFetches: number;
}

const stepMs = 1_000;
const replicaLagTimeMaxMs = 3_000;

/** A partition whose first replica leads epoch 0, with every replica in the ISR and empty logs. */
export function initialModel(replicaCount: number, rule: TruncationRule): ReplicationModel {
  const ids = Array.from({ length: replicaCount }, (_, id) => id);
  return {
    rule,
    replicas: ids.map((id) => ({ log: id === 0 ? assignEpochStartOffset(emptyReplicaLog(), 0) : emptyReplicaLog(), mustTruncate: false })),
    leader: 0,
    leaderEpoch: 0,
    leaderEpochStartOffset: 0,
    isr: ids,
    followers: Object.fromEntries(ids.slice(1).map((id) => [id, unknownFollowerFetchState])),
    nowMs: 0,
    nextValue: 0,
    committed: [],
    divergingFetches: 0,
  };
}

/** The model after one step; a step that does not apply (a leader fetching from itself) changes only the time. */
export function applyStep(model: ReplicationModel, step: ReplicationStep): ReplicationModel {
  const timed = { ...model, nowMs: model.nowMs + stepMs };
  switch (step.kind) {
    case 'produce':
      return produce(timed, step.count);
    case 'fetch':
      return fetch(timed, step.replica % model.replicas.length);
    case 'shrinkIsr': {
      const leaderLeo = leaderLog(timed).logEndOffset;
      const view = { leaderId: timed.leader, leaderLeo, isr: timed.isr, followers: timed.followers };
      const out = outOfSyncReplicas(view, timed.nowMs, replicaLagTimeMaxMs);
      return withLeaderHighWatermark({ ...timed, isr: timed.isr.filter((id) => !out.includes(id)) });
    }
    case 'flush':
      return withLog(timed, step.replica % model.replicas.length, flush);
    case 'powerLoss':
      return restart(withLog(timed, step.replica % model.replicas.length, dropUnflushed), step.replica % model.replicas.length);
    case 'restart':
      return restart(timed, step.replica % model.replicas.length);
  }
}

/** The replicas that follow the current leader's log: the leader and the followers that truncated against it. */
export function settledReplicas(model: ReplicationModel): number[] {
  return model.replicas.flatMap((replica, id) => (id === model.leader || !replica.mustTruncate ? [id] : []));
}

/** Offsets where two settled replicas hold different records below both their high watermarks. */
export function logMatchingViolations(model: ReplicationModel): string[] {
  const settled = settledReplicas(model);
  const violations: string[] = [];
  for (const a of settled) {
    for (const b of settled.filter((id) => id > a)) {
      const logA = (model.replicas[a] as ModelReplica).log;
      const logB = (model.replicas[b] as ModelReplica).log;
      const limit = Math.min(logA.highWatermark, logB.highWatermark);
      const recordsA = offsetsOf(logA);
      const recordsB = offsetsOf(logB);
      for (let offset = 0; offset < limit; offset++) {
        const [x, y] = [recordsA[offset], recordsB[offset]];
        if (x?.value !== y?.value || x?.epoch !== y?.epoch) {
          violations.push(`replicas ${a} and ${b} differ at offset ${offset} (below both HWs): ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
        }
      }
    }
  }
  return violations;
}

/** Committed offsets whose record the leader no longer holds: acknowledged acks=all writes that were lost. */
export function lostCommittedRecords(model: ReplicationModel): string[] {
  const leaderRecords = offsetsOf(leaderLog(model));
  return model.committed.flatMap((value, offset) =>
    leaderRecords[offset]?.value === value ? [] : [`offset ${offset} committed ${value}, leader ${model.leader} has ${leaderRecords[offset]?.value}`],
  );
}

function produce(model: ReplicationModel, count: number): ReplicationModel {
  const values = Array.from({ length: count }, (_, index) => ({ key: null, value: `v${model.nextValue + index}` }));
  const { log } = appendAsLeader(leaderLog(model), values, { leaderEpoch: model.leaderEpoch });
  return withLeaderHighWatermark({ ...withLog(model, model.leader, () => log), nextValue: model.nextValue + count });
}

function fetch(model: ReplicationModel, replica: number): ReplicationModel {
  if (replica === model.leader) return model;
  const leader = leaderLog(model);
  let { log } = model.replicas[replica] as ModelReplica;
  let divergingFetches = model.divergingFetches;
  if ((model.replicas[replica] as ModelReplica).mustTruncate) log = truncateByLeaderEpoch(log, leader);
  // Kafka's handleOffsetOutOfRange: a follower ahead of its leader cuts back to the leader's LEO.
  if (log.logEndOffset > leader.logEndOffset) log = truncateTo(log, leader.logEndOffset);
  if (model.rule === 'leaderEpoch') {
    const diverging = divergingEpoch(leader, { fetchOffset: log.logEndOffset, lastFetchedEpoch: latestEpoch(log.epochCache) });
    if (diverging !== undefined) {
      divergingFetches++;
      if (diverging !== 'OFFSET_OUT_OF_RANGE') log = truncateTo(log, truncationByLeaderEpoch(log, diverging).offset);
    }
  }
  const fetchOffset = log.logEndOffset;
  const highWatermarkInResponse = leader.highWatermark; // read before the leader learns this fetch, as Kafka does
  const batches = readFrom(leader, fetchOffset, leader.logEndOffset).batches ?? [];
  // A diverged follower can end inside a leader batch: Kafka's append fails and the fetch makes no progress.
  if (isAppendableAsFollower(log, batches)) {
    log = appendAsFollower(log, batches);
    log = updateHighWatermark(log, followerHighWatermark(highWatermarkInResponse, log.logEndOffset));
  }
  const followerState = updateFetchState(model.followers[replica] ?? unknownFollowerFetchState, {
    fetchOffset,
    fetchTimeMs: model.nowMs,
    leaderLeo: leader.logEndOffset,
  });
  const joins =
    !model.isr.includes(replica) &&
    isFollowerInSync({ followerLeo: fetchOffset, highWatermark: leader.highWatermark, leaderEpochStartOffset: model.leaderEpochStartOffset });
  const replicas = model.replicas.map((r, id) => (id === replica ? { log, mustTruncate: false } : r));
  return withLeaderHighWatermark({
    ...model,
    replicas,
    followers: { ...model.followers, [replica]: followerState },
    isr: joins ? [...model.isr, replica].sort((x, y) => x - y) : model.isr,
    divergingFetches,
  });
}

// OffsetsForLeaderEpoch rounds until the follower is done; each round asks about a smaller epoch.
function truncateByLeaderEpoch(followerLog: ReplicaLog, leader: ReplicaLog): ReplicaLog {
  let log = followerLog;
  for (let round = 0; round < 100; round++) {
    const answer = endOffsetFor(leader.epochCache, latestEpoch(log.epochCache), leader.logEndOffset);
    const state = truncationByLeaderEpoch(log, answer);
    log = truncateTo(log, state.offset);
    if (state.truncationCompleted) return log;
  }
  throw new Error('replicationModel: truncation by leader epoch did not finish in 100 rounds');
}

// A crash and a restart. A crashed leader hands over to the first other ISR member; every follower then starts
// following anew. Under the high-watermark rule a follower truncates right away; by epoch it waits for the leader.
function restart(model: ReplicationModel, replica: number): ReplicationModel {
  const restarted = model.rule === 'highWatermark' ? withLog(model, replica, (log) => truncateTo(log, truncateToHighWatermark(log).offset)) : model;
  if (replica !== model.leader) return markMustTruncate(restarted, [replica]);
  const successor = model.isr.filter((id) => id !== replica).sort((x, y) => x - y)[0] ?? replica;
  const isr = successor === replica ? model.isr : model.isr.filter((id) => id !== replica);
  const leaderEpoch = model.leaderEpoch + 1;
  const elected = withLog(restarted, successor, (log) => assignEpochStartOffset(log, leaderEpoch));
  const leaderLeo = (elected.replicas[successor] as ModelReplica).log.logEndOffset;
  const followers = Object.fromEntries(
    elected.replicas.flatMap((_, id) =>
      id === successor
        ? []
        : [
            [
              id,
              resetFetchState(elected.followers[id] ?? unknownFollowerFetchState, {
                nowMs: model.nowMs,
                leaderLeo,
                isNewLeader: successor !== model.leader,
                isFollowerInIsr: isr.includes(id),
              }),
            ],
          ],
    ),
  );
  const others = elected.replicas.map((_, id) => id).filter((id) => id !== successor);
  const handedOver = markMustTruncate({ ...elected, leader: successor, leaderEpoch, leaderEpochStartOffset: leaderLeo, isr, followers }, others);
  return withLeaderHighWatermark(handedOver);
}

function markMustTruncate(model: ReplicationModel, ids: readonly number[]): ReplicationModel {
  const replicas = model.replicas.map((replica, id) => {
    if (!ids.includes(id)) return id === model.leader ? { ...replica, mustTruncate: false } : replica;
    if (model.rule === 'leaderEpoch') return { ...replica, mustTruncate: true };
    return { log: truncateTo(replica.log, truncateToHighWatermark(replica.log).offset), mustTruncate: false };
  });
  return { ...model, replicas };
}

function withLeaderHighWatermark(model: ReplicationModel): ReplicationModel {
  const log = leaderLog(model);
  const highWatermark = nextHighWatermark({
    current: log.highWatermark,
    leaderId: model.leader,
    leaderLeo: log.logEndOffset,
    isr: model.isr,
    replicaLeos: Object.fromEntries(Object.entries(model.followers).map(([id, state]) => [id, state.leo])),
    minInsyncReplicas: 1,
  });
  const updated = withLog(model, model.leader, (current) => updateHighWatermark(current, highWatermark));
  const leaderRecords = offsetsOf(leaderLog(updated));
  const committed = [...model.committed];
  for (let offset = committed.length; offset < highWatermark; offset++) committed.push((leaderRecords[offset] as { value: string }).value);
  return { ...updated, committed };
}

function withLog(model: ReplicationModel, id: number, change: (log: ReplicaLog) => ReplicaLog): ReplicationModel {
  return { ...model, replicas: model.replicas.map((replica, index) => (index === id ? { ...replica, log: change(replica.log) } : replica)) };
}

function leaderLog(model: ReplicationModel): ReplicaLog {
  return (model.replicas[model.leader] as ModelReplica).log;
}
