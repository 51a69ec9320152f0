import type { FetchResponse } from '../../src/protocol/messages.ts';
import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import type { BrokerEffect, BrokerState, PartitionReplica } from './BrokerState.ts';
import { nextCorrelation, withReplica } from './BrokerState.ts';
import { truncateToHighWatermark, truncationByLeaderEpoch } from './followerTruncation.ts';
import { followerHighWatermark } from './highWatermark.ts';
import { latestEpoch, UNDEFINED_EPOCH } from './leaderEpochCache.ts';
import { appendAsFollower, isAppendableAsFollower, truncateTo, updateHighWatermark } from './partitionLog.ts';
import { recordAppend } from './producerState.ts';

// The follower's fetcher (ReplicaFetcherThread / AbstractFetcherThread), one fetch in flight per partition: it
// fetches from its LEO with the epoch of its last batch (Fetch v12+), truncates when the leader answers with a
// diverging epoch (KIP-101/279 through KIP-595's fetch path), appends what it gets and fetches again. An answer to
// any fetch but the outstanding one is stale and dropped (bug R13); a fetch with no answer is abandoned after
// replica.socket.timeout.ms.

/** Sends the next fetch for a partition to its leader, if this broker follows one. */
export function sendFollowerFetch(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.leader < 0 || replica.leader === state.brokerId) return state;
  const [next, correlationId] = nextCorrelation(state);
  const weak = state.config.weakenings;
  // Before KIP-320 a follower's fetch carried no leader epoch, and before Fetch v12 no last fetched epoch: under
  // either weakening the leader cannot see that a follower's log diverged from its own.
  const unfenced = weak.truncateToHighWatermark || weak.noFetchEpochFencing;
  const lastFetchedEpoch = unfenced ? UNDEFINED_EPOCH : lastBatchEpoch(replica);
  out.push({
    kind: 'send',
    to: brokerNodeId(replica.leader),
    message: {
      type: 'fetch.request',
      correlationId,
      replicaId: state.brokerId,
      replicaEpoch: state.brokerEpoch,
      topic: replica.topic,
      partition: replica.partition,
      fetchOffset: replica.log.logEndOffset,
      currentLeaderEpoch: weak.noFetchEpochFencing ? -1 : replica.leaderEpoch,
      lastFetchedEpoch,
      maxRecords: state.config.replicaFetchMaxRecords,
    },
  });
  out.push({
    kind: 'timer',
    id: `follower-fetch:${key}`,
    delayMs: state.config.replicaSocketTimeoutMs,
    event: { type: 'follower.fetchTimeout', key, correlationId },
  });
  return withReplica(next, { ...replica, fetchCorrelationId: correlationId });
}

/** Handles the leader's answer to this follower's fetch. */
export function onFollowerFetchResponse(state: BrokerState, response: FetchResponse, out: BrokerEffect[]): BrokerState {
  const key = `${response.topic}-${response.partition}`;
  const replica = state.partitions[key];
  if (replica === undefined || response.correlationId !== replica.fetchCorrelationId) return state;
  out.push({ kind: 'cancel', id: `follower-fetch:${key}` });
  let next: PartitionReplica = { ...replica, fetchCorrelationId: -1 };
  if (response.divergingEpoch !== undefined) {
    // KIP-279: cut to where the leader's copy of our last epoch ends, then ask again from there.
    const truncation = truncationByLeaderEpoch(next.log, response.divergingEpoch);
    next = truncated(next, truncation.offset);
    out.push({ kind: 'persist', fsync: false });
    return sendFollowerFetch(withReplica(state, next), key, out);
  }
  if (response.errorCode === 'OFFSET_OUT_OF_RANGE') {
    // The leader's log is shorter than ours and cannot say where our epoch ends: keep only what it has committed.
    next = truncated(next, Math.min(next.log.logEndOffset, Math.max(0, response.highWatermark)));
    out.push({ kind: 'persist', fsync: false });
    return backOff(withReplica(state, next), key, out);
  }
  if (response.errorCode !== undefined || !isAppendableAsFollower(next.log, response.batches)) {
    return backOff(withReplica(state, next), key, out);
  }
  if (response.batches.length > 0) {
    let producerStates = next.producerStates;
    for (const batch of response.batches) producerStates = recordAppend(producerStates, batch, batch);
    next = { ...next, log: appendAsFollower(next.log, response.batches, { reuseBatches: true }), producerStates };
    out.push({ kind: 'persist', fsync: false });
  }
  next = { ...next, log: updateHighWatermark(next.log, followerHighWatermark(response.highWatermark, next.log.logEndOffset)) };
  return sendFollowerFetch(withReplica(state, next), key, out);
}

/** The outstanding fetch got no answer: try again (the leader may have changed meanwhile). */
export function onFollowerFetchTimeout(state: BrokerState, key: string, correlationId: number, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.fetchCorrelationId !== correlationId) return state;
  return sendFollowerFetch(withReplica(state, { ...replica, fetchCorrelationId: -1 }), key, out);
}

/**
 * The network reset the connection to a leader (a message on it was lost): every fetch outstanding on it failed,
 * and each of those partitions fetches again after replica.fetch.backoff.ms, as the fetcher does after a disconnect.
 */
export function onFollowerConnectionReset(state: BrokerState, leaderId: number, out: BrokerEffect[]): BrokerState {
  let next = state;
  for (const [key, replica] of Object.entries(state.partitions)) {
    if (replica.leader !== leaderId || replica.fetchCorrelationId === -1) continue;
    out.push({ kind: 'cancel', id: `follower-fetch:${key}` });
    next = backOff(withReplica(next, { ...replica, fetchCorrelationId: -1 }), key, out);
  }
  return next;
}

/** replica.fetch.backoff.ms after an error: fetch again if nothing else has started a fetch meanwhile. */
export function onFollowerFetchBackoff(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.fetchCorrelationId !== -1) return state;
  return sendFollowerFetch(state, key, out);
}

/**
 * What a broker does to its log when it starts following a new leader epoch. With leader epochs it keeps the log
 * and lets the diverging-epoch answer decide; the pre-KIP-101 rule (weakening) cuts to its own HW at once.
 */
export function truncateOnBecomingFollower(state: BrokerState, replica: PartitionReplica): PartitionReplica {
  if (!state.config.weakenings.truncateToHighWatermark) return replica;
  return truncated(replica, truncateToHighWatermark(replica.log).offset);
}

function backOff(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  out.push({ kind: 'timer', id: `follower-backoff:${key}`, delayMs: state.config.replicaFetchBackoffMs, event: { type: 'follower.fetchBackoff', key } });
  return state;
}

// Truncation cuts the log and rebuilds the producer state from what is left (Kafka reloads its snapshot).
function truncated(replica: PartitionReplica, offset: number): PartitionReplica {
  if (offset >= replica.log.logEndOffset) return { ...replica, log: truncateTo(replica.log, offset) };
  const log = truncateTo(replica.log, offset);
  let producerStates = {};
  for (const batch of log.batches) producerStates = recordAppend(producerStates, batch, batch);
  return { ...replica, log, producerStates };
}

// The latest epoch of the epoch cache, as UnifiedLog.latestEpoch: after becoming leader without writing, a
// replica's newest epoch has no batch yet, and the leader must still be asked where that epoch ends.
function lastBatchEpoch(replica: PartitionReplica): number {
  return latestEpoch(replica.log.epochCache);
}
