import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { FetchPartition, FetchPartitionResponse, FetchRequest, FetchResponse, RecordBatch } from '../../src/protocol/messages.ts';
import { brokerOf } from '../controller/metadataImage.ts';
import type { BrokerEffect, BrokerState, FollowerState, PartitionReplica } from './BrokerState.ts';
import { nextTimer, replicaOf, withReplica } from './BrokerState.ts';
import { divergingEpoch } from './divergingEpoch.ts';
import { checkCurrentLeaderEpoch } from './epochFencing.ts';
import { advanceHighWatermark, isFollowerIsrEligible } from './highWatermarkAdvance.ts';
import { maybeExpandIsr } from './isrChanges.ts';
import { isStaleBrokerEpoch, unknownFollowerFetchState, updateFetchState } from './isrMembership.ts';
import { bytesAvailable, readFrom } from './partitionLog.ts';
import { operationOf, unwatch } from './purgatory.ts';
import { park } from './purgatoryTimer.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// Fetch on the leader (ReplicaManager.fetchMessages, readFromLog, DelayedFetch) for consumers and followers alike:
// every partition of the request is read (consumers up to the HW, followers up to the LEO, each within
// max.partition.fetch.bytes and the whole response within fetch.max.bytes, at least one batch), and a follower's
// fetch offset tells the leader how far it has replicated, which moves the HW and may bring it back into the ISR.
// A follower fetch from an earlier incarnation of its broker (a stale broker epoch, KIP-903) is refused instead.
// The answer goes out at once when it has `minBytes`, an error or a diverging epoch, or when the request does not
// wait; otherwise the fetch waits in the purgatory until enough data arrives, a partition changes leader or epoch,
// or `maxWaitMs` passes, and is then read again. One builder makes every fetch.response.

/** Serves a FetchRequest: answers it now or puts it in the purgatory. */
export function serveFetch(state: BrokerState, request: FetchRequest & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  let next = state;
  if (request.replicaId >= 0) {
    // The follower's position first (Partition.fetchRecords updates it before reading), so the HW it gets back
    // already counts this fetch.
    for (const fetch of request.partitions) next = updateFollower(next, request, fetch, nowMs, out);
  }
  const read = readPartitions(next, request, { updateFetchState: true });
  const mustAnswer =
    request.maxWaitMs <= 0 ||
    request.partitions.length === 0 ||
    read.bytes >= request.minBytes ||
    read.partitions.some((p) => p.errorCode !== undefined || p.divergingEpoch !== undefined);
  if (mustAnswer) {
    out.push({ kind: 'send', to: request.from, message: fetchResponse(request.correlationId, read.partitions) });
    return next;
  }
  const [timed, id] = nextTimer(next, 'fetch');
  const { from, ...wire } = request;
  return park(timed, id, { kind: 'fetch', to: from, request: wire, expiresAtMs: nowMs + request.maxWaitMs }, nowMs, out);
}

/**
 * DelayedFetch.tryComplete: the fetch is answered when a partition's leader moved or its epoch changed, when a
 * follower's log diverged or the leader's log was truncated below the fetch offset, or when the new data adds up to
 * `minBytes` (each partition counted up to its own limit). `changed` names the partition whose change woke the
 * check: with `minBytes` of 1 (every client's default) only that partition can have made the difference, since each
 * partition's own changes wake the fetch and it found nothing when it was parked, so only it is looked at; a fetch
 * of a thousand partitions is then not read through a thousand times per round of appends.
 */
export function tryCompleteFetch(state: BrokerState, id: string, out: BrokerEffect[], changed?: string): BrokerState {
  const operation = operationOf(state.purgatory, id);
  if (operation?.kind !== 'fetch') return state;
  const { request } = operation;
  let accumulatedBytes = 0;
  for (const fetch of request.partitions) {
    if (changed !== undefined && request.minBytes <= 1 && topicPartitionKey(fetch.topic, fetch.partition) !== changed) continue;
    const replica = replicaOf(state, fetch.topic, fetch.partition);
    if (replica === undefined || fencingError(state, request, fetch, replica) !== undefined) return completeFetch(state, id, out);
    const endOffset = readLimit(state, replica, request.replicaId >= 0);
    if (endOffset < fetch.fetchOffset) return completeFetch(state, id, out);
    if (request.replicaId >= 0 && divergingEpoch(replica.log, fetch) !== undefined) return completeFetch(state, id, out);
    accumulatedBytes += bytesAvailable(replica.log, fetch.fetchOffset, endOffset, fetch.partitionMaxBytes);
    if (accumulatedBytes >= request.minBytes) return completeFetch(state, id, out);
  }
  return state;
}

/** `maxWaitMs` passed: the fetch is answered with what there is now. */
export function expireFetch(state: BrokerState, id: string, out: BrokerEffect[]): BrokerState {
  const operation = operationOf(state.purgatory, id);
  if (operation?.kind !== 'fetch') return state;
  const read = readPartitions(state, operation.request, { updateFetchState: false });
  out.push({ kind: 'send', to: operation.to, message: fetchResponse(operation.request.correlationId, read.partitions) });
  return { ...state, purgatory: unwatch(state.purgatory, id) };
}

/** The fetch.response for a request's partitions (the one place that builds it). */
export function fetchResponse(correlationId: number, partitions: FetchPartitionResponse[]): FetchResponse {
  return { type: 'fetch.response', correlationId, partitions };
}

function completeFetch(state: BrokerState, id: string, out: BrokerEffect[]): BrokerState {
  return expireFetch(state, id, out);
}

// What the leader learns from a follower's fetch of one partition: its LEO and when it was caught up, which may add
// it to the ISR and move the HW (Partition.updateFollowerFetchState). A fetch that is fenced, diverged or out of
// range says nothing about the follower's position, nor does one with a stale broker epoch
// (Replica.updateFetchStateOrThrow refuses it). Only an ISR-eligible follower is added to the ISR
// (Partition.maybeExpandIsr checks canAddReplicaToIsr first, isReplicaIsrEligible among it).
function updateFollower(state: BrokerState, request: FetchRequest, fetch: FetchPartition, nowMs: number, out: BrokerEffect[]): BrokerState {
  const replica = replicaOf(state, fetch.topic, fetch.partition);
  if (replica === undefined || fencingError(state, request, fetch, replica) !== undefined) return state;
  if (divergingEpoch(replica.log, fetch) !== undefined || fetch.fetchOffset > replica.log.logEndOffset) return state;
  if (isStaleBrokerEpoch(request.replicaEpoch, brokerOf(state.image, request.replicaId))) return state;
  const key = topicPartitionKey(fetch.topic, fetch.partition);
  const previous: FollowerState = replica.followers[request.replicaId] ?? { ...unknownFollowerFetchState, brokerEpoch: null };
  const follower: FollowerState = {
    ...updateFetchState(previous, { fetchOffset: fetch.fetchOffset, fetchTimeMs: nowMs, leaderLeo: replica.log.logEndOffset }),
    brokerEpoch: request.replicaEpoch,
  };
  const updated: PartitionReplica = { ...replica, followers: { ...replica.followers, [request.replicaId]: follower } };
  let next = withReplica(state, updated);
  if (isFollowerIsrEligible(next, updated, request.replicaId)) next = maybeExpandIsr(next, key, request.replicaId, out);
  return advanceHighWatermark(next, key, out, nowMs);
}

// Reads every partition of the request from the logs as they are now (ReplicaManager.readFromLog): the response
// holds at most `maxBytes`, and only the first batch of the first partition with data may exceed a limit. The first
// read of a follower fetch also records the follower's position (`updateFetchState`, false when a delayed fetch
// completes), and so is where a stale broker epoch is refused.
function readPartitions(
  state: BrokerState,
  request: FetchRequest,
  options: { readonly updateFetchState: boolean },
): { partitions: FetchPartitionResponse[]; bytes: number } {
  let limitBytes = request.maxBytes;
  let minOneBatch = true;
  let bytes = 0;
  const partitions = request.partitions.map((fetch) => {
    const response = readPartition(state, request, fetch, { maxBytes: Math.min(fetch.partitionMaxBytes, limitBytes), minOneBatch, ...options });
    let size = 0;
    for (const batch of response.batches) size += batch.sizeInBytes;
    if (size > 0) minOneBatch = false;
    limitBytes = Math.max(0, limitBytes - size);
    bytes += size;
    return response;
  });
  return { partitions, bytes };
}

function readPartition(
  state: BrokerState,
  request: FetchRequest,
  fetch: FetchPartition,
  options: { readonly maxBytes: number; readonly minOneBatch: boolean; readonly updateFetchState: boolean },
): FetchPartitionResponse {
  const replica = replicaOf(state, fetch.topic, fetch.partition);
  if (replica === undefined) return partitionResponse(fetch, undefined, { errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
  const fenced = fencingError(state, request, fetch, replica);
  if (fenced !== undefined) return partitionResponse(fetch, replica, { errorCode: fenced });
  const isFollower = request.replicaId >= 0;
  if (isFollower) {
    // A follower whose last epoch ends earlier on the leader has diverged: it must truncate before its fetch offset
    // means anything (KIP-595's fetch path for KIP-101/279).
    const diverging = divergingEpoch(replica.log, fetch);
    if (diverging === 'OFFSET_OUT_OF_RANGE') return outOfRange(fetch, replica);
    if (diverging !== undefined) return partitionResponse(fetch, replica, { divergingEpoch: diverging });
  }
  const limit = readLimit(state, replica, isFollower);
  const read = readFrom(replica.log, fetch.fetchOffset, limit, options.maxBytes, options.minOneBatch);
  if (read.error === 'OFFSET_OUT_OF_RANGE' && isFollower) return outOfRange(fetch, replica);
  if (read.error !== undefined) return partitionResponse(fetch, replica, { errorCode: read.error });
  if (isFollower && options.updateFetchState && isStaleBrokerEpoch(request.replicaEpoch, brokerOf(state.image, request.replicaId))) {
    return partitionResponse(fetch, replica, { errorCode: 'NOT_LEADER_OR_FOLLOWER' });
  }
  return partitionResponse(fetch, replica, { batches: read.batches });
}

// A follower's OFFSET_OUT_OF_RANGE carries the leader's log end offset: the answer to the ListOffsets (latest, as a
// replica) that the follower's fetcher sends next (AbstractFetcherThread.fetchOffsetAndTruncate), folded in here.
function outOfRange(fetch: FetchPartition, replica: PartitionReplica): FetchPartitionResponse {
  return { ...partitionResponse(fetch, replica, { errorCode: 'OFFSET_OUT_OF_RANGE' }), logEndOffset: replica.log.logEndOffset };
}

// KIP-320's epoch check for every fetch; the noFetchEpochFencing weakening (bug R6) skips it for followers.
function fencingError(state: BrokerState, request: FetchRequest, fetch: FetchPartition, replica: PartitionReplica): KafkaErrorType | undefined {
  const unfenced = request.replicaId >= 0 && state.config.weakenings.noFetchEpochFencing;
  return checkCurrentLeaderEpoch({
    currentLeaderEpoch: unfenced ? -1 : fetch.currentLeaderEpoch,
    leaderEpoch: replica.leaderEpoch,
    isLeader: replica.leader === state.brokerId,
  });
}

function partitionResponse(
  fetch: FetchPartition,
  replica: PartitionReplica | undefined,
  fields: { batches?: RecordBatch[]; divergingEpoch?: { epoch: number; endOffset: number }; errorCode?: KafkaErrorType },
): FetchPartitionResponse {
  return {
    topic: fetch.topic,
    partition: fetch.partition,
    highWatermark: replica?.log.highWatermark ?? -1,
    logStartOffset: 0,
    batches: fields.batches ?? [],
    ...(fields.divergingEpoch === undefined ? {} : { divergingEpoch: fields.divergingEpoch }),
    ...(fields.errorCode === undefined ? {} : { errorCode: fields.errorCode }),
  };
}

// Followers read to the log end, consumers (read_uncommitted) to the HW (Partition.fetchOffsetSnapshot's
// FetchHighWatermark); the fetch-beyond-high-watermark weakening lets consumers read what is not committed yet.
function readLimit(state: BrokerState, replica: PartitionReplica, isFollower: boolean): number {
  return isFollower || state.config.weakenings.fetchBeyondHighWatermark ? replica.log.logEndOffset : replica.log.highWatermark;
}
