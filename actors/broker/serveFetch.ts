import type { FetchRequest } from '../../src/protocol/messages.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { nextTimer, replicaOf, withReplica } from './BrokerState.ts';
import { divergingEpoch } from './divergingEpoch.ts';
import { checkCurrentLeaderEpoch } from './epochFencing.ts';
import { advanceHighWatermark, fetchResponse } from './highWatermarkAdvance.ts';
import { maybeExpandIsr } from './isrChanges.ts';
import { unknownFollowerFetchState, updateFetchState } from './isrMembership.ts';
import { readFrom } from './partitionLog.ts';

// Fetch on the leader (ReplicaManager.fetchMessages, Partition.fetchRecords). Consumers read up to the HW and get
// an answer at once; followers read up to the LEO, and their fetch offset tells the leader how far they have
// replicated, which moves the HW and may bring them back into the ISR. A follower fetch that finds nothing new
// waits at the leader until data arrives or replica.fetch.wait.max.ms passes (DelayedFetch), so replication
// keeps pace with appends without followers polling in a loop.

/** Serves a Fetch from a consumer (replicaId -1) or a follower. */
export function serveFetch(state: BrokerState, request: FetchRequest & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const replica = replicaOf(state, request.topic, request.partition);
  const respond = (fields: Parameters<typeof fetchResponse>[2]): BrokerState => {
    out.push({ kind: 'send', to: request.from, message: fetchResponse(state, request, fields) });
    return state;
  };
  if (replica === undefined) return respond({ errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
  const isFollower = request.replicaId >= 0;
  const unfenced = isFollower && state.config.weakenings.noFetchEpochFencing;
  const fenced = checkCurrentLeaderEpoch({
    currentLeaderEpoch: unfenced ? -1 : request.currentLeaderEpoch,
    leaderEpoch: replica.leaderEpoch,
    isLeader: replica.leader === state.brokerId,
  });
  if (fenced !== undefined) return respond({ errorCode: fenced });
  if (!isFollower) {
    const read = readFrom(replica.log, request.fetchOffset, replica.log.highWatermark, request.maxRecords);
    if (read.error !== undefined) return respond({ errorCode: read.error });
    return respond({ batches: read.batches });
  }
  // A follower whose last epoch ends earlier on the leader has diverged: it must truncate before its fetch
  // offset means anything, so the leader neither reads for it nor counts its position (KIP-595 style fetch).
  const diverging = divergingEpoch(replica.log, { fetchOffset: request.fetchOffset, lastFetchedEpoch: request.lastFetchedEpoch });
  if (diverging === 'OFFSET_OUT_OF_RANGE') return respond({ errorCode: diverging });
  if (diverging !== undefined) return respond({ divergingEpoch: diverging });
  if (request.fetchOffset > replica.log.logEndOffset) return respond({ errorCode: 'OFFSET_OUT_OF_RANGE' });

  const key = `${request.topic}-${request.partition}`;
  const previous = replica.followers[request.replicaId] ?? { ...unknownFollowerFetchState, brokerEpoch: -1 };
  const follower = {
    ...updateFetchState(previous, { fetchOffset: request.fetchOffset, fetchTimeMs: nowMs, leaderLeo: replica.log.logEndOffset }),
    brokerEpoch: request.replicaEpoch,
  };
  let next = withReplica(state, { ...replica, followers: { ...replica.followers, [request.replicaId]: follower } });
  next = maybeExpandIsr(next, key, request.replicaId, out);
  next = advanceHighWatermark(next, key, out);
  return answerOrPark(next, request, out);
}

/** Answers a follower fetch with what the log has from its offset, or parks it when there is nothing yet. */
function answerOrPark(state: BrokerState, request: FetchRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const replica = replicaOf(state, request.topic, request.partition);
  if (replica === undefined) return state;
  const read = readFrom(replica.log, request.fetchOffset, replica.log.logEndOffset, request.maxRecords);
  if (read.error !== undefined || read.batches.length > 0) {
    out.push({ kind: 'send', to: request.from, message: fetchResponse(state, request, read.error === undefined ? { batches: read.batches } : { errorCode: read.error }) });
    return state;
  }
  const [next, timerId] = nextTimer(state, 'parked-fetch');
  out.push({ kind: 'timer', id: timerId, delayMs: state.config.replicaFetchWaitMaxMs, event: { type: 'fetch.parkedTimeout', timerId } });
  return { ...next, parkedFetches: { ...next.parkedFetches, [timerId]: { to: request.from, request } } };
}

/** Answers the parked follower fetches of a partition (data arrived, or the broker's role changed). */
export function releaseParkedFetches(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  let parked = state.parkedFetches;
  for (const [timerId, fetch] of Object.entries(state.parkedFetches)) {
    if (`${fetch.request.topic}-${fetch.request.partition}` !== key) continue;
    if (parked === state.parkedFetches) parked = { ...parked };
    delete (parked as Record<string, unknown>)[timerId];
    out.push({ kind: 'cancel', id: timerId });
    out.push({ kind: 'send', to: fetch.to, message: parkedAnswer(state, fetch.request) });
  }
  return parked === state.parkedFetches ? state : { ...state, parkedFetches: parked };
}

/** replica.fetch.wait.max.ms passed with nothing new: the parked fetch is answered with what there is. */
export function onParkedFetchTimeout(state: BrokerState, timerId: string, out: BrokerEffect[]): BrokerState {
  const fetch = state.parkedFetches[timerId];
  if (fetch === undefined) return state;
  const parked = { ...state.parkedFetches };
  delete parked[timerId];
  out.push({ kind: 'send', to: fetch.to, message: parkedAnswer(state, fetch.request) });
  return { ...state, parkedFetches: parked };
}

function parkedAnswer(state: BrokerState, request: FetchRequest) {
  const replica = replicaOf(state, request.topic, request.partition);
  if (replica === undefined || replica.leader !== state.brokerId) return fetchResponse(state, request, { errorCode: 'NOT_LEADER_OR_FOLLOWER' });
  const read = readFrom(replica.log, Math.min(request.fetchOffset, replica.log.logEndOffset), replica.log.logEndOffset, request.maxRecords);
  return fetchResponse(state, request, { batches: read.batches ?? [] });
}
