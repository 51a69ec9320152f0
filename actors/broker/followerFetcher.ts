import type { FetchPartition, FetchPartitionResponse, FetchResponse } from '../../src/protocol/messages.ts';
import { brokerIdOf, brokerNodeId } from '../../src/protocol/nodeIds.ts';
import type { BrokerEffect, BrokerState, FetchedPartition, FetcherState, PartitionReplica } from './BrokerState.ts';
import { nextCorrelation, withReplica } from './BrokerState.ts';
import { truncateToHighWatermark, truncationByLeaderEpoch, truncationOnOutOfRange } from './followerTruncation.ts';
import { followerHighWatermark } from './highWatermark.ts';
import { latestEpoch, UNDEFINED_EPOCH } from './leaderEpochCache.ts';
import { appendAsFollower, isAppendableAsFollower, truncateTo, updateHighWatermark } from './partitionLog.ts';
import { recordAppend, retainedBatches, type ProducerStates } from './producerState.ts';
import type { RecordBatch } from './RecordBatch.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// The follower's fetchers (ReplicaFetcherThread / AbstractFetcherThread): one per leader this broker follows a
// partition of, each with one Fetch in flight covering every such partition, long-polled at the leader for
// replica.fetch.wait.max.ms. Each fetch goes from the replica's LEO with the epoch of its last batch (Fetch v12+);
// a partition answered with a diverging epoch is truncated (KIP-101/279 through KIP-595's fetch path) and fetched
// again from there in the next round; one answered OFFSET_OUT_OF_RANGE goes by the leader's log end offset; one that
// errs otherwise waits replica.fetch.backoff.ms. A partition's answer counts only if the replica is still where the
// fetch asked from, in the same leader epoch (a stale answer is dropped, bug R13); a fetch with no answer is
// abandoned after replica.socket.timeout.ms and the fetcher backs off.

const fetchTimerId = (leaderId: number) => `follower-fetch:${leaderId}`;
const backoffTimerId = (leaderId: number) => `follower-backoff:${leaderId}`;
const idleFetcher: FetcherState = { inFlight: null, timeoutTimerAtMs: null, backoffUntilMs: 0, delayedUntilMs: {} };

/** Sends the fetcher's next Fetch to `leaderId`, unless one is in flight, it backs off, or it has nothing to fetch. */
export function sendFollowerFetch(state: BrokerState, leaderId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  if (leaderId < 0 || leaderId === state.brokerId) return state;
  const fetcher = state.fetchers[leaderId] ?? idleFetcher;
  if (fetcher.inFlight !== null || fetcher.backoffUntilMs > nowMs) return state;
  const weak = state.config.weakenings;
  // Before KIP-320 a follower's fetch carried no leader epoch, and before Fetch v12 no last fetched epoch: under
  // either weakening the leader cannot see that a follower's log diverged from its own.
  const unfenced = weak.truncateToHighWatermark || weak.noFetchEpochFencing;
  const partitions: FetchPartition[] = [];
  const fetched: FetchedPartition[] = [];
  for (const [key, replica] of Object.entries(state.partitions)) {
    if (replica.leader !== leaderId || (fetcher.delayedUntilMs[key] ?? 0) > nowMs) continue;
    partitions.push({
      topic: replica.topic,
      partition: replica.partition,
      fetchOffset: replica.log.logEndOffset,
      currentLeaderEpoch: weak.noFetchEpochFencing ? -1 : replica.leaderEpoch,
      lastFetchedEpoch: unfenced ? UNDEFINED_EPOCH : latestEpoch(replica.log.epochCache),
      partitionMaxBytes: state.config.replicaFetchMaxBytes,
    });
    fetched.push({ key, fetchOffset: replica.log.logEndOffset, leaderEpoch: replica.leaderEpoch });
  }
  if (partitions.length === 0) return state;
  const [next, correlationId] = nextCorrelation(state);
  const { config } = state;
  out.push({
    kind: 'send',
    to: brokerNodeId(leaderId),
    message: {
      type: 'fetch.request',
      correlationId,
      replicaId: state.brokerId,
      replicaEpoch: state.brokerEpoch,
      maxWaitMs: config.replicaFetchWaitMaxMs,
      minBytes: config.replicaFetchMinBytes,
      maxBytes: config.replicaFetchResponseMaxBytes,
      partitions,
    },
  });
  const deadlineMs = nowMs + config.replicaSocketTimeoutMs;
  let timeoutTimerAtMs = fetcher.timeoutTimerAtMs;
  if (timeoutTimerAtMs === null) {
    out.push({ kind: 'timer', id: fetchTimerId(leaderId), delayMs: config.replicaSocketTimeoutMs, event: { type: 'follower.fetchTimeout', leaderId } });
    timeoutTimerAtMs = deadlineMs;
  }
  return withFetcher(next, leaderId, { ...fetcher, timeoutTimerAtMs, inFlight: { correlationId, deadlineMs, partitions: fetched } });
}

/** Handles the leader's answer to a fetcher's Fetch, partition by partition, then fetches again. */
export function onFollowerFetchResponse(state: BrokerState, response: FetchResponse & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const leaderId = brokerIdOf(response.from);
  if (leaderId === undefined) return state;
  const fetcher = state.fetchers[leaderId];
  const inFlight = fetcher?.inFlight;
  if (fetcher === undefined || inFlight == null || inFlight.correlationId !== response.correlationId) return state;
  let next = withFetcher(state, leaderId, { ...fetcher, inFlight: null });
  const delayed: string[] = [];
  for (const answer of response.partitions) {
    const key = topicPartitionKey(answer.topic, answer.partition);
    const asked = inFlight.partitions.find((p) => p.key === key);
    const replica = next.partitions[key];
    if (asked === undefined || replica === undefined) continue;
    if (isStaleAnswer(replica, leaderId, asked)) continue;
    const outcome = applyPartitionAnswer(next, replica, answer, out);
    next = withReplica(next, outcome.replica);
    if (outcome.delay) delayed.push(key);
  }
  if (delayed.length > 0) next = delayPartitions(next, leaderId, delayed, nowMs, out);
  return sendFollowerFetch(next, leaderId, nowMs, out);
}

/**
 * The fetcher's timeout timer: a fetch out for replica.socket.timeout.ms got no answer, so the fetcher backs off,
 * then fetches again (the leader may have changed); a fetch sent since the timer was set gets it set again.
 */
export function onFollowerFetchTimeout(state: BrokerState, leaderId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  const fetcher = state.fetchers[leaderId];
  if (fetcher === undefined) return state;
  const next = withFetcher(state, leaderId, { ...fetcher, timeoutTimerAtMs: null });
  const inFlight = fetcher.inFlight;
  if (inFlight === null) return next;
  if (inFlight.deadlineMs > nowMs) {
    out.push({ kind: 'timer', id: fetchTimerId(leaderId), delayMs: inFlight.deadlineMs - nowMs, event: { type: 'follower.fetchTimeout', leaderId } });
    return withFetcher(next, leaderId, { ...fetcher, timeoutTimerAtMs: inFlight.deadlineMs });
  }
  return backOff(next, leaderId, nowMs, out);
}

/**
 * The network reset the connection to a leader (a message on it was lost): the fetch on it failed, and the fetcher
 * fetches again after replica.fetch.backoff.ms, as it does after a disconnect.
 */
export function onFollowerConnectionReset(state: BrokerState, leaderId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  if (state.fetchers[leaderId]?.inFlight == null) return state;
  return backOff(state, leaderId, nowMs, out);
}

/** A backoff ended: the fetcher fetches again what is no longer held back. */
export function onFollowerFetchBackoff(state: BrokerState, leaderId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  const fetcher = state.fetchers[leaderId];
  if (fetcher === undefined) return state;
  const delayedUntilMs = Object.fromEntries(Object.entries(fetcher.delayedUntilMs).filter(([, untilMs]) => untilMs > nowMs));
  const next = withFetcher(state, leaderId, { ...fetcher, delayedUntilMs });
  rearmBackoff(next, leaderId, nowMs, out);
  return sendFollowerFetch(next, leaderId, nowMs, out);
}

/**
 * What a broker does to its log when it starts following a new leader epoch. With leader epochs it keeps the log
 * and lets the diverging-epoch answer decide; the pre-KIP-101 rule (weakening) cuts to its own HW at once.
 */
export function truncateOnBecomingFollower(state: BrokerState, replica: PartitionReplica): PartitionReplica {
  if (!state.config.weakenings.truncateToHighWatermark) return replica;
  return truncated(state, replica, truncateToHighWatermark(replica.log).offset);
}

// AbstractFetcherThread.processFetchRequest: an answer counts only while the replica still follows that leader in
// the epoch it asked in, from the offset it asked from (else the partition moved on while the fetch was out).
function isStaleAnswer(replica: PartitionReplica, leaderId: number, asked: FetchedPartition): boolean {
  return replica.leader !== leaderId || replica.leaderEpoch !== asked.leaderEpoch || replica.log.logEndOffset !== asked.fetchOffset;
}

// One partition's part of the answer: truncate, append, or hold the partition back for a while.
function applyPartitionAnswer(
  state: BrokerState,
  replica: PartitionReplica,
  answer: FetchPartitionResponse,
  out: BrokerEffect[],
): { replica: PartitionReplica; delay: boolean } {
  if (answer.divergingEpoch !== undefined) {
    // KIP-279: cut to where the leader's copy of our last epoch ends, then ask again from there.
    out.push({ kind: 'persist', fsync: false });
    return { replica: truncated(state, replica, truncationByLeaderEpoch(replica.log, answer.divergingEpoch).offset), delay: false };
  }
  if (answer.errorCode === 'OFFSET_OUT_OF_RANGE') return outOfRange(state, replica, answer, out);
  if (answer.errorCode !== undefined || !isAppendableAsFollower(replica.log, answer.batches)) return { replica, delay: true };
  let next = replica;
  if (answer.batches.length > 0) {
    const producerStates = followerProducerStates(state, next.producerStates, answer.batches, retainedBatches(state.config.weakenings));
    next = { ...next, log: appendAsFollower(next.log, answer.batches, { reuseBatches: true }), producerStates };
    out.push({ kind: 'persist', fsync: false });
  }
  return { replica: { ...next, log: updateHighWatermark(next.log, followerHighWatermark(answer.highWatermark, next.log.logEndOffset)) }, delay: false };
}

// AbstractFetcherThread.handleOutOfRangeError: the follower learns the leader's log end offset (the answer carries
// what Kafka's follower asks with ListOffsets) and cuts its log to it if its own is longer, then fetches again at
// once; without that offset (Kafka's ListOffsets failed) the partition waits replica.fetch.backoff.ms.
function outOfRange(state: BrokerState, replica: PartitionReplica, answer: FetchPartitionResponse, out: BrokerEffect[]): { replica: PartitionReplica; delay: boolean } {
  if (answer.logEndOffset === undefined) return { replica, delay: true };
  const { offset } = truncationOnOutOfRange(replica.log, { logStartOffset: answer.logStartOffset, logEndOffset: answer.logEndOffset });
  if (offset >= replica.log.logEndOffset) return { replica, delay: false };
  out.push({ kind: 'persist', fsync: false });
  return { replica: truncated(state, replica, offset), delay: false };
}

// AbstractFetcherThread.delayPartitions: the partitions that erred wait replica.fetch.backoff.ms.
function delayPartitions(state: BrokerState, leaderId: number, keys: readonly string[], nowMs: number, out: BrokerEffect[]): BrokerState {
  const fetcher = state.fetchers[leaderId] ?? idleFetcher;
  const untilMs = nowMs + state.config.replicaFetchBackoffMs;
  const delayedUntilMs = { ...fetcher.delayedUntilMs };
  for (const key of keys) delayedUntilMs[key] = untilMs;
  const next = withFetcher(state, leaderId, { ...fetcher, delayedUntilMs });
  rearmBackoff(next, leaderId, nowMs, out);
  return next;
}

// A failed request: every partition of the fetcher waits replica.fetch.backoff.ms.
function backOff(state: BrokerState, leaderId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  const fetcher = state.fetchers[leaderId] ?? idleFetcher;
  const next = withFetcher(state, leaderId, { ...fetcher, inFlight: null, backoffUntilMs: nowMs + state.config.replicaFetchBackoffMs });
  rearmBackoff(next, leaderId, nowMs, out);
  return next;
}

// One backoff timer per fetcher, set for the earliest time something it holds back may be fetched again.
function rearmBackoff(state: BrokerState, leaderId: number, nowMs: number, out: BrokerEffect[]): void {
  const fetcher = state.fetchers[leaderId] ?? idleFetcher;
  let wakeMs = fetcher.backoffUntilMs > nowMs ? fetcher.backoffUntilMs : Infinity;
  for (const untilMs of Object.values(fetcher.delayedUntilMs)) if (untilMs > nowMs && untilMs < wakeMs) wakeMs = untilMs;
  if (wakeMs === Infinity) out.push({ kind: 'cancel', id: backoffTimerId(leaderId) });
  else out.push({ kind: 'timer', id: backoffTimerId(leaderId), delayMs: wakeMs - nowMs, event: { type: 'follower.fetchBackoff', leaderId } });
}

function withFetcher(state: BrokerState, leaderId: number, fetcher: FetcherState): BrokerState {
  return { ...state, fetchers: { ...state.fetchers, [leaderId]: fetcher } };
}

// Truncation cuts the log and rebuilds the producer state from what is left (Kafka reloads its snapshot).
function truncated(state: BrokerState, replica: PartitionReplica, offset: number): PartitionReplica {
  if (offset >= replica.log.logEndOffset) return { ...replica, log: truncateTo(replica.log, offset) };
  const log = truncateTo(replica.log, offset);
  return { ...replica, log, producerStates: followerProducerStates(state, {}, log.batches) };
}

// The producer state a follower keeps as it takes `batches` on top of `states`: every replica feeds its
// ProducerStateManager, so a new leader can answer retries. Under the producer-state-not-replicated weakening
// (bug P3) a follower adds nothing.
function followerProducerStates(state: BrokerState, states: ProducerStates, batches: readonly RecordBatch[], retain?: number): ProducerStates {
  if (state.config.weakenings.producerStateNotReplicated) return states;
  let next = states;
  for (const batch of batches) next = recordAppend(next, batch, batch, retain);
  return next;
}
