// The group consumer's behaviour as rules over ConsumerState: subscribe, the application's poll loop (rebalance
// callbacks, the join, auto-commit, fetching, processing one record at a time), the coordinator's answers,
// heartbeats, the poll timeout and close. The protocol decisions are the pure functions of this folder
// (membership, membershipResponses, offsetTracking, offsetCommits, processing) and of actors/reader (fetch
// rounds, position validation); this file sequences them the way KafkaConsumer's poll thread and heartbeat thread do. It is long
// because that sequencing is one piece: splitting it would scatter the order of a poll over several files.
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import {
  groupErrorAnswer,
  type FindCoordinatorResponse,
  type GroupApi,
  type GroupRequestMessage,
  type GroupResponseMessage,
  type JoinGroupResponse,
  type OffsetCommitRequest,
  type SyncGroupResponse,
} from '../../src/protocol/groupMessages.ts';
import { knownLeader, metadataRequestFailed, nextMetadataRequest, requestMetadataUpdate, updateMetadata } from '../client/metadata.ts';
import { exponentialBackoffMs } from '../client/exponentialBackoff.ts';
import { isConnectable, nextConnectableMs } from '../client/reconnectBackoff.ts';
import { collectRecords, discardPartitions, failFetch, hasBufferedRecords, onFetchResponse, sendFetches as sendFetchRequests, type FetchTarget } from '../client/fetcher.ts';
import {
  answeredBy as networkAnsweredBy,
  canSendTo,
  closeConnection as closeNetworkConnection,
  connectionReset,
  forgetRequests,
  hasRequest,
  leastLoadedNode,
  nextNetworkDeadlineMs,
  onHandshakeResponse,
  requestOf,
  sendRequest,
  sendThrough,
  takeResponse,
  timedOutNodes,
  type FailedRequest,
  type NetworkClient,
  type ClientMessage,
  type RequestTiming,
} from '../client/networkClient.ts';
import {
  failValidations,
  fetchablePositions,
  forgetPositions,
  isAwaitingValidation,
  logTruncationNote,
  onOffsetsForLeaderEpochResponse,
  sendValidations as sendPositionValidations,
  recordConsumedEpochs,
  validatePositionsForCurrentLeaders,
} from '../client/positionValidation.ts';
import type { ApiVersionsResponse, FetchResponse, KafkaMessage, ListOffsetsResponse, MetadataResponse, OffsetsForLeaderEpochResponse } from '../../src/protocol/messages.ts';
import { parseTopicPartitionKey, topicPartitionKey } from '../../src/protocol/messages.ts';
import { brokerIdOf } from '../../src/protocol/nodeIds.ts';
import { NO_FIND_BACKOFF, type ConsumerEffect, type ConsumerRequest, type ConsumerState, type ConsumerTimerEvent, type InflightRequest, type QueuedEffect } from './ConsumerState.ts';
import { isRejoinNeeded, heartbeatRequest, requestRejoin, startJoin, type Membership, type MembershipEffect } from './membership.ts';
import { onGroupError, onHeartbeatResponse, onJoinGroupResponse, onSyncGroupResponse } from './membershipResponses.ts';
import { closeMembership, isPollTimeoutExpired, onPollTimeout, pollTimeoutDeadlineMs, recordPoll } from './leaveGroup.ts';
import { rebalanceProtocolFor, unwithheldAssignment } from './rebalanceProtocol.ts';
import { trustEveryClaim, withStaleClaim } from './staleOwnedPartitions.ts';
import { applyCommitResponse, autoCommitDone, isAutoCommitDue, offsetsToCommit } from './offsetCommits.ts';
import {
  applyLatestOffset,
  applyOffsetFetch,
  onPartitionsAssigned,
  onPartitionsRemoved,
  recordPolled,
  recordProcessed,
  resetOutOfRange,
  seekToDivergentOffset,
} from './offsetTracking.ts';
import { dropPartitions, enqueuePolled, finishRecord, isProcessingIdle, pollValue, startNextRecord } from './processing.ts';

type Out = ConsumerEffect[];

// ---- Subscribe and close ----

/** KafkaConsumer.subscribe: the history's `subscribe`, then the poll loop starts. */
export function subscribe(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'idle') return state;
  const id = state.nextOperationId;
  const value = { topics: [...state.membership.topics] };
  out.push({ kind: 'note', data: { history: 'invoke', id, f: 'subscribe', value } }, { kind: 'note', data: { history: 'complete', id, type: 'ok', value } });
  out.push({ kind: 'persist', data: { subscribed: true } });
  out.push(timer('consumer.poll', 0, { type: 'consumer.poll' }), timer('consumer.heartbeat', state.config.heartbeatIntervalMs, { type: 'consumer.heartbeat' }));
  const next = { ...state, status: 'subscribed' as const, nextOperationId: id + 1, membership: recordPoll(state.membership, nowMs) };
  return ensureCoordinator(requestMetadata(next, nowMs, out), nowMs, out);
}

/**
 * KafkaConsumer.close: a dynamic member revokes (committing what it processed, under auto-commit) and leaves the
 * group so its partitions move at once; a static member only stops. Nothing runs after it.
 */
export function close(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'subscribed') return state;
  const m = state.membership;
  const result = closeMembership(m, state.config);
  let next: ConsumerState = { ...state, membership: result.state, queued: [] };
  for (const effect of result.effects) {
    if (effect.type === 'revokePartitions') next = commitRevoked(next, effect.partitions, m, nowMs, out);
    if (effect.type === 'revokePartitions' || effect.type === 'losePartitions') next = removePartitions(next, effect.partitions);
    if (effect.type === 'leaveGroup' && next.coordinator !== null) next = sendGroup(next, 'leaveGroup', effect.request, m, nowMs, out);
  }
  next = reportOwned(next, out);
  for (const id of ['consumer.poll', 'consumer.pollEnd', 'consumer.heartbeat', 'consumer.pollTimeout', 'consumer.processed', 'consumer.metadata', 'consumer.findCoordinator']) out.push({ kind: 'cancel', id });
  out.push({ kind: 'persist', data: { subscribed: false } });
  if (next.poll !== null) out.push({ kind: 'note', data: { history: 'complete', id: next.poll.operationId, type: 'ok', value: pollValue(next.membership, []) } });
  return { ...next, status: 'closed', phase: 'waiting', poll: null, pollEndTimerAtMs: null, pollTimeoutTimerAtMs: null, findBackoff: NO_FIND_BACKOFF };
}

// ---- The poll loop ----

/**
 * The application calls poll(): the max.poll.interval.ms timer restarts, the history's `invoke` goes out, and the
 * poll runs (continuePoll) until it has records or its timeout passes.
 */
export function poll(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'subscribed' || state.phase !== 'waiting') return state;
  const operationId = state.nextOperationId;
  out.push({ kind: 'note', data: { history: 'invoke', id: operationId, f: 'poll', value: {} } });
  const deadlineMs = nowMs + state.client.pollTimeoutMs;
  let next: ConsumerState = { ...state, membership: recordPoll(state.membership, nowMs), phase: 'polling', poll: { operationId, deadlineMs }, nextOperationId: operationId + 1 };
  if (next.pollTimeoutTimerAtMs === null) {
    out.push(timer('consumer.pollTimeout', state.config.maxPollIntervalMs, { type: 'consumer.pollTimeout' }));
    next = { ...next, pollTimeoutTimerAtMs: nowMs + state.config.maxPollIntervalMs };
  }
  if (next.pollEndTimerAtMs === null) {
    out.push(timer('consumer.pollEnd', state.client.pollTimeoutMs, { type: 'consumer.pollEnd' }));
    next = { ...next, pollEndTimerAtMs: deadlineMs };
  }
  return continuePoll(next, nowMs, out);
}

/**
 * One turn of poll()'s loop (`KafkaConsumer#poll`: `updateAssignmentMetadataIfNeeded`, then `pollForFetches`), run
 * when the poll begins and again after every event while it is open, as Java's poll thread wakes for every
 * response: rebalance callbacks decided since the last turn, the coordinator lookup or the join, auto-commit when
 * due; then the records buffered by the fetcher, or else position validations after a leader change and offset
 * resets (`updateFetchPositions`) and fetches to the leaders. An EAGER member gets no
 * records while it rebalances (it owns nothing then); a COOPERATIVE one keeps fetching what it owns.
 */
export function continuePoll(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'subscribed' || state.phase !== 'polling') return state;
  let next = runQueued(state, nowMs, out);
  if (next.blockingCommit !== null) return next;
  if (next.coordinator === null) next = ensureCoordinator(next, nowMs, out);
  else if (isRejoinNeeded(next.membership)) {
    const before = next.membership;
    const joined = startJoin(before, next.config);
    next = carryOut({ ...next, membership: joined.state }, joined.effects, before, nowMs, out, true);
    if (next.blockingCommit !== null) return next;
  }
  if (next.status !== 'subscribed' || next.phase !== 'polling') return next;
  const eager = rebalanceProtocolFor(next.config.partitionAssignmentStrategy) === 'EAGER';
  // An eager member consumes nothing during a rebalance (it revoked everything); under the
  // eager-rejoin-without-revoking weakening it goes on with what it kept.
  if (eager && next.membership.state !== 'STABLE' && !next.weakenings.eagerRejoinWithoutRevoking) return next;
  if (!next.weakenings.commitBeforeProcessing && isAutoCommitDue(next.offsets, nowMs, next.config)) next = autoCommit(next, nowMs, out);
  if (hasBufferedRecords(next.fetcher)) return completePoll(next, nowMs, out);
  next = sendValidations(next, nowMs, out);
  next = sendResets(next, nowMs, out);
  return sendFetches(next, nowMs, out);
}

/**
 * The poll-end timer: a poll past its timeout returns what there is (nothing), and the application calls poll() again;
 * one that began after the timer was set gets the timer set again for its own deadline.
 */
export function onPollEnd(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const next: ConsumerState = { ...state, pollEndTimerAtMs: null };
  if (next.phase !== 'polling' || next.poll === null) return next;
  if (next.poll.deadlineMs > nowMs) {
    out.push(timer('consumer.pollEnd', next.poll.deadlineMs - nowMs, { type: 'consumer.pollEnd' }));
    return { ...next, pollEndTimerAtMs: next.poll.deadlineMs };
  }
  return completePoll(next, nowMs, out);
}

/** A fetch answer: its records wait in the fetcher's buffer for poll(); errors ask for metadata or reset the position. */
export function onFetchAnswer(state: ConsumerState, answer: FetchResponse & { from: string }, nowMs: number, out: Out): ConsumerState {
  const isLeader = (key: string, node: number) => knownLeader(state.metadata.leaders, key)?.leader === node;
  const outcome = onFetchResponse(state.fetcher, answer, fetchablePositions(state.offsets.positions, state.validation), isLeader);
  if (!outcome.matched) return state;
  const taken = takeAnswer(state, answer, nowMs, out);
  if (taken.network === undefined) return taken.state;
  let next: ConsumerState = { ...state, network: taken.network, fetcher: outcome.fetcher };
  for (const key of outcome.outOfRange) {
    const reset = resetOutOfRange(next.offsets, key, next.config.autoOffsetReset);
    next = { ...next, offsets: reset.state, validation: forgetPositions(next.validation, [key]) };
    if (reset.effects.some((effect) => effect.type === 'noOffsetForPartition')) next = carryOutOne(next, { effect: { type: 'fatal', errorCode: 'OFFSET_OUT_OF_RANGE' }, memberId: next.membership.memberId, generationId: next.membership.generationId }, nowMs, out);
  }
  if (outcome.refreshMetadata) next = requestMetadata(next, nowMs, out);
  return continuePoll(next, nowMs, out);
}

// poll() returns: at most max.poll.records buffered records; the application processes them one at a time, or,
// with none, calls poll() again at once.
function completePoll(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.poll === null) return state;
  const collected = collectRecords(state.fetcher, state.offsets.positions, state.config.maxPollRecords);
  const records = collected.records;
  out.push({ kind: 'note', data: { history: 'complete', id: state.poll.operationId, type: 'ok', value: pollValue(state.membership, records) } });
  const validation = recordConsumedEpochs(state.validation, collected.offsetEpochs, state.metadata.leaders);
  let next: ConsumerState = { ...state, fetcher: collected.fetcher, offsets: recordPolled(state.offsets, records), validation, poll: null, phase: 'waiting' };
  if (records.length === 0) return poll(next, nowMs, out);
  if (next.weakenings.commitBeforeProcessing) next = autoCommit(next, nowMs, out);
  next = { ...next, phase: 'processing', processing: enqueuePolled(next.processing, records) };
  return startProcessing(next, nowMs, out);
}

function startProcessing(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const processing = startNextRecord(state.processing, nowMs, state.config.processingTimeMs);
  const current = processing.current;
  if (current === null) {
    out.push(timer('consumer.poll', 0, { type: 'consumer.poll' }));
    return { ...state, processing, phase: 'waiting' };
  }
  out.push(timer('consumer.processed', current.doneAtMs - nowMs, { type: 'consumer.processed' }));
  return { ...state, processing };
}

/** The application finished a record: it counts as processed (what a commit stores), and the next one starts. */
export function onRecordProcessed(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.processing.current === null) return state;
  const { state: processing, record } = finishRecord(state.processing, nowMs);
  const { memberId, generationId } = state.owned;
  out.push({ kind: 'note', data: { group: 'processed', groupId: state.groupId, memberId, generation: generationId, topic: record.topic, partition: record.partition, offset: record.offset, value: record.value } });
  const key = topicPartitionKey(record.topic, record.partition);
  const offsets = Object.hasOwn(state.offsets.processed, key) ? recordProcessed(state.offsets, record) : state.offsets;
  const next = { ...state, processing, offsets };
  if (!isProcessingIdle(processing)) return startProcessing(next, nowMs, out);
  out.push(timer('consumer.poll', 0, { type: 'consumer.poll' }));
  return { ...next, phase: 'waiting' };
}

// The fetcher's targets: owned partitions whose start is known and that wait neither for a reset nor for a
// validation, at leaders the client may send to now (one backing off is fetched from once its backoff ends, when the
// deadline timer wakes the poll).
function sendFetches(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const targets: FetchTarget[] = [];
  const { positions, awaitingReset } = state.offsets;
  for (const key of Object.keys(positions)) {
    const leader = knownLeader(state.metadata.leaders, key);
    if (leader === undefined || awaitingReset.includes(key) || isAwaitingValidation(state.validation, key)) continue;
    if (!canSendTo(state.network, leader.leader, nowMs)) continue;
    const { topic, partition } = parseTopicPartitionKey(key);
    targets.push({ key, topic, partition, position: positions[key] as number, leader: leader.leader, leaderEpoch: leader.leaderEpoch });
  }
  const sender = sendThrough(state.network, { kind: 'fetch' }, requestTiming(state, nowMs), out);
  const fetcher = sendFetchRequests(state.fetcher, targets, { settings: state.client, send: sender.send });
  return fetcher === state.fetcher ? state : { ...state, fetcher, network: sender.network() };
}

// ---- Commits ----

// An auto-commit of what changed since the last one (the processed positions, or the polled ones under C4).
function autoCommit(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const offsets = offsetsToCommit(state.offsets, { commitBeforeProcessing: state.weakenings.commitBeforeProcessing });
  const next = { ...state, offsets: autoCommitDone(state.offsets, nowMs, state.config) };
  if (Object.keys(offsets).length === 0 || state.membership.state !== 'STABLE') return next;
  return sendCommit(next, offsets, state.membership, nowMs, out);
}

// Commits the processed positions of partitions being revoked, so their next owner starts after them.
function commitRevoked(state: ConsumerState, partitions: readonly TopicPartition[], as: { memberId: string; generationId: number }, nowMs: number, out: Out): ConsumerState {
  if (!state.config.enableAutoCommit || as.generationId < 0) return state;
  const keys = new Set(partitions.map(([topic, partition]) => topicPartitionKey(topic, partition)));
  const all = offsetsToCommit(state.offsets, { commitBeforeProcessing: state.weakenings.commitBeforeProcessing });
  const offsets = Object.fromEntries(Object.entries(all).filter(([key]) => keys.has(key)));
  if (Object.keys(offsets).length === 0) return state;
  return sendCommit(state, offsets, as, nowMs, out);
}

function sendCommit(state: ConsumerState, offsets: Readonly<Record<string, number>>, as: { memberId: string; generationId: number }, nowMs: number, out: Out): ConsumerState {
  if (state.coordinator === null) return state;
  const { groupInstanceId } = state.config;
  const request: OffsetCommitRequest = {
    memberId: as.memberId,
    ...(groupInstanceId === undefined ? {} : { groupInstanceId }),
    generationId: as.generationId,
    offsets: Object.entries(offsets).map(([key, offset]) => ({ ...parseTopicPartitionKey(key), offset })),
  };
  const operationId = state.nextOperationId;
  out.push({ kind: 'note', data: { history: 'invoke', id: operationId, f: 'commit', value: { offsets: { ...offsets }, memberId: as.memberId, generation: as.generationId } } });
  const next = { ...state, nextOperationId: operationId + 1 };
  return sendGroup(next, 'offsetCommit', request, as, nowMs, out, { request, operationId });
}

// ---- Answers from the coordinator ----

/** A group answer: routed by the API of the request it answers; unknown correlation ids are stale. */
export function onGroupAnswer(state: ConsumerState, answer: GroupResponseMessage & { from: string }, nowMs: number, out: Out): ConsumerState {
  const request = requestOf(state.network, answer.correlationId)?.data;
  if (request?.kind !== 'group') return state;
  const taken = takeAnswer(state, answer, nowMs, out);
  if (taken.network === undefined) return taken.state;
  return answerGroupRequest({ ...state, network: taken.network }, request.request, answer, nowMs, out);
}

// A group request's answer (or the error it failed with), routed by its API.
function answerGroupRequest(next: ConsumerState, sent: InflightRequest, answer: GroupResponseMessage, nowMs: number, out: Out): ConsumerState {
  // After close only the commits close sent still matter: their outcome completes the history's operation.
  if (next.status !== 'subscribed') return answer.type === 'offsetCommit.response' ? recordCommitOutcome(next, answer.body, sent, out).state : next;
  const m = next.membership;
  switch (answer.type) {
    case 'joinGroup.response': {
      if (answer.correlationId !== next.joinCorrelationId) return next;
      return onJoinAnswer({ ...next, joinCorrelationId: null }, answer.body, nowMs, out);
    }
    case 'syncGroup.response': {
      if (answer.correlationId !== next.syncCorrelationId) return next;
      return onSyncAnswer({ ...next, syncCorrelationId: null, lastHeartbeatOkMs: nowMs }, answer.body, nowMs, out);
    }
    case 'heartbeat.response': {
      const result = onHeartbeatResponse(m, answer.body, sent);
      const alive = answer.body.errorCode === 'NONE' || answer.body.errorCode === 'REBALANCE_IN_PROGRESS' ? { lastHeartbeatOkMs: nowMs } : {};
      return carryOut({ ...next, ...alive, membership: result.state }, result.effects, m, nowMs, out, false);
    }
    case 'offsetCommit.response':
      return onCommitAnswer(next, answer.body, sent, nowMs, out);
    case 'offsetFetch.response': {
      if (answer.body.errorCode !== 'NONE') return refetchOffsets(next, answer.body.errorCode, nowMs, out);
      const result = applyOffsetFetch(next.offsets, answer.body, next.config.autoOffsetReset);
      let after: ConsumerState = { ...next, offsets: result.state };
      for (const effect of result.effects) {
        // listOffsets: the partition waits in awaitingReset; the next turn of poll() sends the ListOffsets.
        if (effect.type === 'noOffsetForPartition') after = { ...after, status: 'failed' };
      }
      return after;
    }
    case 'leaveGroup.response':
      return next;
  }
}

function onJoinAnswer(state: ConsumerState, body: JoinGroupResponse, nowMs: number, out: Out): ConsumerState {
  const m = state.membership;
  const partitionsPerTopic = Object.fromEntries(m.topics.filter((t) => state.partitionCounts[t] !== undefined).map((t) => [t, state.partitionCounts[t] as number]));
  let result = onJoinGroupResponse(m, body, { config: state.config, partitionsPerTopic });
  // The leader's weakenings change the assignment its SyncGroup carries.
  const reassign = (change: (assignments: Record<string, readonly TopicPartition[]>) => Record<string, readonly TopicPartition[]>) => {
    result = { ...result, effects: result.effects.map((e) => (e.type === 'syncGroup' ? { ...e, request: { ...e.request, assignments: change(e.request.assignments) } } : e)) };
  };
  if (state.weakenings.trustStaleOwnedPartitions) reassign((assignments) => trustEveryClaim(body.members, assignments));
  if (state.weakenings.cooperativeMovesInOneRebalance && body.protocolName === 'cooperative-sticky' && body.members.length > 0) {
    reassign(() => unwithheldAssignment({ members: body.members, partitionsPerTopic }));
  }
  const leads = body.errorCode === 'NONE' && body.leaderId === body.memberId && !body.skipAssignment;
  const next = leads ? { ...state, assignedCounts: partitionsPerTopic } : state;
  if (body.errorCode === 'COORDINATOR_LOAD_IN_PROGRESS') out.push(timer('consumer.poll', state.client.retryBackoffMs, { type: 'consumer.poll' }));
  return carryOut({ ...next, membership: result.state }, result.effects, m, nowMs, out, false);
}

function onSyncAnswer(state: ConsumerState, body: SyncGroupResponse, nowMs: number, out: Out): ConsumerState {
  const m = state.membership;
  const result = onSyncGroupResponse(m, body, state.config);
  return carryOut({ ...state, membership: result.state }, result.effects, m, nowMs, out, false);
}

function onCommitAnswer(state: ConsumerState, body: { partitions: readonly { topic: string; partition: number; errorCode: string }[] }, sent: { memberId: string; generationId: number; commit?: { request: OffsetCommitRequest; operationId: number } }, nowMs: number, out: Out): ConsumerState {
  const commit = sent.commit;
  if (commit === undefined) return state;
  const { state: recorded, outcome } = recordCommitOutcome(state, body, sent, out);
  let next = recorded;
  if (outcome.groupError !== null) {
    const m = next.membership;
    const result = onGroupError(m, outcome.groupError, sent, 'OffsetCommit');
    next = carryOut({ ...next, membership: result.state }, result.effects, m, nowMs, out, false);
  }
  return unblock(next, commit.operationId, nowMs, out);
}

// The commit's answer goes into the offsets and completes its history operation.
function recordCommitOutcome(
  state: ConsumerState,
  body: { partitions: readonly { topic: string; partition: number; errorCode: string }[] },
  sent: { commit?: { request: OffsetCommitRequest; operationId: number } },
  out: Out,
): { state: ConsumerState; outcome: ReturnType<typeof applyCommitResponse> } {
  const commit = sent.commit as { request: OffsetCommitRequest; operationId: number };
  const outcome = applyCommitResponse(state.offsets, commit.request, body as Parameters<typeof applyCommitResponse>[2]);
  const offsets = Object.fromEntries(commit.request.offsets.map((p) => [topicPartitionKey(p.topic, p.partition), p.offset]));
  const value = { offsets, memberId: commit.request.memberId, generation: commit.request.generationId };
  out.push({ kind: 'note', data: { history: 'complete', id: commit.operationId, type: outcome.failed.length === 0 ? 'ok' : 'fail', value } });
  return { state: { ...state, offsets: outcome.state }, outcome };
}

// A revocation's commit is answered (or given up on): the effects held behind it run now, inside the poll.
function unblock(state: ConsumerState, operationId: number, nowMs: number, out: Out): ConsumerState {
  if (state.blockingCommit !== operationId) return state;
  const next = runQueued({ ...state, blockingCommit: null }, nowMs, out);
  if (next.blockingCommit === null && next.phase === 'waiting' && next.status === 'subscribed') out.push(timer('consumer.poll', 0, { type: 'consumer.poll' }));
  return next;
}

/**
 * The request-deadline timer: a request past request.timeout.ms (a JoinGroup: the rebalance timeout and 5 s; a
 * handshake: the connection setup timeout) closes its connection (`NetworkClient#handleTimedOutRequests`), so every
 * request on it fails; or a reconnect backoff ended, and what waited for it may go now.
 */
export function onDeadline(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  let next: ConsumerState = { ...state, deadlineTimerAtMs: null };
  for (const node of timedOutNodes(next.network, nowMs)) next = closeConnection(next, node, nowMs, out);
  return continuePoll(next, nowMs, out);
}

/** Sets the request-deadline timer for the earliest deadline or end of a reconnect backoff, unless one no later is set. */
export function armDeadline(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const earliest = nextNetworkDeadlineMs(state.network, nowMs);
  if (earliest === null || (state.deadlineTimerAtMs !== null && state.deadlineTimerAtMs <= earliest)) return state;
  out.push(timer('consumer.deadline', earliest - nowMs, { type: 'consumer.deadline' }));
  return { ...state, deadlineTimerAtMs: earliest };
}

/** An apiVersions.response: the connection is ready and what waited for it goes out (refused: it fails). */
export function onApiVersionsAnswer(state: ConsumerState, response: ApiVersionsResponse & { from: string }, nowMs: number, out: Out): ConsumerState {
  const answered = onHandshakeResponse(state.network, response, nowMs, out);
  if (answered === undefined) return state;
  if (answered.failed.length === 0) return { ...state, network: answered.nc };
  return failRequests({ ...state, network: answered.nc }, brokerIdOf(response.from) as number, answered.failed, nowMs, out);
}

// The client closes its connection to a broker (a request on it timed out, or an answer skipped an older one): the
// broker forgets what the client had waiting there, and the client fails what was in flight on it, as after a reset.
function closeConnection(state: ConsumerState, node: number, nowMs: number, out: Out): ConsumerState {
  const closed = closeNetworkConnection(state.network, node, nowMs, out);
  return failRequests({ ...state, network: closed.nc }, node, closed.failed, nowMs, out);
}

// Takes an answer off the network client's books: `network` is the client without it, or undefined when the answer
// is to be dropped (it matches nothing in flight), or when it skipped an older request on its channel, which is then
// closed (`state` says what that changed).
function takeAnswer(state: ConsumerState, response: { correlationId: number; from: string }, nowMs: number, out: Out): { state: ConsumerState; network?: NetworkClient<ConsumerRequest> } {
  const taken = takeResponse(state.network, response);
  if (taken === undefined) return { state };
  if (taken.outOfOrder) return { state: continuePoll(closeConnection(state, taken.request.node, nowMs, out), nowMs, out) };
  return { state, network: taken.nc };
}

/**
 * The network reset the connection to a broker (a message on it was lost, or the broker's process died). A
 * FindCoordinator or Metadata request to it fails and is tried again after retry.backoff.ms; group requests to the
 * coordinator fail at once, oldest first, as `NetworkClient` fails every request to a disconnected node. The poll's
 * fetches to it give nothing this time, and fresh metadata is asked for (`handleServerDisconnect`). NetworkClient
 * keeps off the broker for reconnect.backoff.ms, whether or not anything was in flight to it.
 */
export function onConnectionReset(state: ConsumerState, from: string, nowMs: number, out: Out): ConsumerState {
  const node = brokerIdOf(from);
  if (node === undefined) return state;
  const reset = connectionReset(state.network, node, nowMs);
  return failRequests({ ...state, network: reset.nc }, node, reset.failed, nowMs, out);
}

/** A broker answered: its connection works, and the next failure backs off from the start. */
export function answeredBy(state: ConsumerState, from: string): ConsumerState {
  const network = networkAnsweredBy(state.network, brokerIdOf(from));
  return network === state.network ? state : { ...state, network };
}

// What was in flight to a broker whose connection is gone fails, in the order it was made; then, if the poll's
// requests were among them, fresh metadata is asked for and the poll goes on.
function failRequests(state: ConsumerState, node: number, failed: readonly FailedRequest<ConsumerRequest>[], nowMs: number, out: Out): ConsumerState {
  let next = state;
  for (const { correlationId, request } of failed) {
    const { data } = request;
    if (data?.kind === 'findCoordinator' && next.findInFlight === correlationId) {
      next = lookUpAgainLater({ ...next, findInFlight: null, nodeRotation: next.nodeRotation + 1 }, nowMs, out);
    } else if (data?.kind === 'metadata' && next.metadataInFlight === correlationId) {
      // The next request goes to another broker after the backoff, which grows while requests fail.
      next = { ...next, metadataInFlight: null, metadata: metadataRequestFailed(next.metadata, nowMs), nodeRotation: next.nodeRotation + 1 };
      next = maybeRequestMetadata(next, nowMs, out);
    } else if (data?.kind === 'group') {
      next = failGroupRequest(next, correlationId, data.request, nowMs, out);
    }
  }
  const fetcher = failFetch(next.fetcher, node);
  const validation = failValidations(next.validation, node, nowMs, next.client.retryBackoffMs);
  const resets = Object.fromEntries(Object.entries(next.resets).filter(([, reset]) => reset.node !== node));
  if (fetcher === next.fetcher && validation === next.validation && Object.keys(resets).length === Object.keys(next.resets).length) return next;
  return continuePoll(requestMetadata({ ...next, fetcher, validation, resets }, nowMs, out), nowMs, out);
}

// A group request failed without an answer: it is answered as COORDINATOR_NOT_AVAILABLE would be.
function failGroupRequest(state: ConsumerState, correlationId: number, sent: InflightRequest, nowMs: number, out: Out): ConsumerState {
  const partitions = sent.commit?.request.offsets ?? [];
  const answer = groupErrorAnswer(sent.api, correlationId, 'COORDINATOR_NOT_AVAILABLE', { memberId: sent.memberId, partitions });
  return answerGroupRequest(state, sent, answer, nowMs, out);
}

// ---- Membership effects ----

/**
 * Carries out membership effects in order. Requests go out at once. Rebalance callbacks (revoke, lose, assign)
 * run only inside a poll, as Java runs them in the poll thread: outside one, the callback and everything after it
 * wait for the next poll. A revocation under auto-commit commits first, and what follows waits for the commit.
 */
function carryOut(state: ConsumerState, effects: readonly MembershipEffect[], decidedIn: Membership, nowMs: number, out: Out, inPoll: boolean): ConsumerState {
  let next = state;
  const as = { memberId: next.membership.memberId, generationId: next.membership.generationId };
  for (let i = 0; i < effects.length; i++) {
    const effect = effects[i] as MembershipEffect;
    const isCallback = effect.type === 'revokePartitions' || effect.type === 'losePartitions' || effect.type === 'assignPartitions';
    if (isCallback && (!inPoll || next.blockingCommit !== null)) {
      let rest = effects.slice(i);
      let { membership } = next;
      // A member still in its generation that must rejoin after the callbacks (a cooperative revocation) stays
      // STABLE and keeps heartbeating until its next poll, which runs the callbacks and then the join, as Java's
      // requestRejoin leaves it to the poll thread. Sending the JoinGroup now would leave it silent meanwhile.
      if (membership.state === 'PREPARING_REBALANCE' && membership.generationId >= 0 && rest.some((e) => e.type === 'joinGroup')) {
        rest = rest.filter((e) => e.type !== 'joinGroup');
        membership = { ...requestRejoin(membership, 'need to revoke partitions and re-join'), state: 'STABLE' };
      }
      const queued = rest.map((e): QueuedEffect => ({ effect: e, memberId: e.type === 'revokePartitions' ? decidedIn.memberId : as.memberId, generationId: e.type === 'revokePartitions' ? decidedIn.generationId : as.generationId }));
      return { ...next, membership, queued: [...next.queued, ...queued] };
    }
    next = carryOutOne(next, { effect, memberId: effect.type === 'revokePartitions' ? decidedIn.memberId : as.memberId, generationId: effect.type === 'revokePartitions' ? decidedIn.generationId : as.generationId }, nowMs, out);
    if (next.blockingCommit !== null && i + 1 < effects.length) {
      const rest = effects.slice(i + 1).map((e): QueuedEffect => ({ effect: e, ...as }));
      return { ...next, queued: [...next.queued, ...rest] };
    }
  }
  return next;
}

function runQueued(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  let next: ConsumerState = { ...state, queued: [] };
  const queued = state.queued;
  for (let i = 0; i < queued.length; i++) {
    next = carryOutOne(next, queued[i] as QueuedEffect, nowMs, out);
    if (next.blockingCommit !== null) return { ...next, queued: [...queued.slice(i + 1), ...next.queued] };
  }
  return next;
}

function carryOutOne(state: ConsumerState, queued: QueuedEffect, nowMs: number, out: Out): ConsumerState {
  const { effect } = queued;
  switch (effect.type) {
    case 'joinGroup': {
      if (state.coordinator === null) return ensureCoordinator({ ...state, membership: { ...requestRejoin(state.membership, 'coordinator unknown'), state: 'UNJOINED' } }, nowMs, out);
      const request = state.staleClaim === null ? effect.request : withStaleClaim(effect.request, state.staleClaim);
      const next = sendGroup(state, 'joinGroup', request, queued, nowMs, out);
      return { ...next, joinCorrelationId: next.network.nextCorrelationId - 1 };
    }
    case 'syncGroup': {
      if (state.coordinator === null) return state;
      const next = sendGroup(state, 'syncGroup', effect.request, queued, nowMs, out);
      return { ...next, syncCorrelationId: next.network.nextCorrelationId - 1 };
    }
    case 'heartbeat':
      return state.coordinator === null ? state : sendGroup(state, 'heartbeat', effect.request, queued, nowMs, out);
    case 'leaveGroup':
      return state.coordinator === null ? state : sendGroup(state, 'leaveGroup', effect.request, queued, nowMs, out);
    case 'findCoordinator':
      return ensureCoordinator({ ...state, coordinator: null }, nowMs, out);
    case 'fatal': {
      // KafkaConsumer throws from poll(); the application closes it and its partitions are lost to it.
      const owned = state.owned.partitions.map((key): TopicPartition => {
        const { topic, partition } = parseTopicPartitionKey(key);
        return [topic, partition];
      });
      out.push({ kind: 'note', data: { group: 'failed', groupId: state.groupId, memberId: state.membership.memberId, errorCode: effect.errorCode } });
      // poll() throws: the open poll ends without records.
      if (state.poll !== null) out.push({ kind: 'note', data: { history: 'complete', id: state.poll.operationId, type: 'ok', value: pollValue(state.membership, []) } });
      return reportOwned(removePartitions({ ...state, status: 'failed', phase: 'waiting', poll: null, queued: [] }, owned), out);
    }
    case 'revokePartitions': {
      const before = state.nextOperationId;
      let next = commitRevoked(state, effect.partitions, queued, nowMs, out);
      next = reportOwned(removePartitions(next, effect.partitions), out);
      return next.nextOperationId !== before ? { ...next, blockingCommit: before } : next;
    }
    case 'losePartitions': {
      // Bug C2's client: what was lost is still claimed at the next join (see staleOwnedPartitions.ts).
      const staleClaim = state.weakenings.trustStaleOwnedPartitions ? { partitions: effect.partitions, generationId: state.owned.generationId } : null;
      return reportOwned(removePartitions({ ...state, staleClaim }, effect.partitions), out);
    }
    case 'assignPartitions': {
      const assigned = onPartitionsAssigned(state.offsets, effect.partitions);
      // The new partitions' positions come from OffsetFetch, without a leader epoch (nothing to validate).
      const validation = forgetPositions(state.validation, effect.partitions.map(([t, p]) => topicPartitionKey(t, p)));
      let next: ConsumerState = { ...state, staleClaim: null, offsets: assigned.state, validation, owned: { ...state.owned, memberId: queued.memberId, generationId: queued.generationId } };
      next = { ...next, owned: { ...next.owned, partitions: [...next.owned.partitions, ...effect.partitions.map(([t, p]) => topicPartitionKey(t, p))] } };
      for (const e of assigned.effects) if (e.type === 'offsetFetch' && next.coordinator !== null) next = sendGroup(next, 'offsetFetch', e.request, queued, nowMs, out);
      return reportOwned(next, out);
    }
  }
}

function removePartitions(state: ConsumerState, partitions: readonly TopicPartition[]): ConsumerState {
  const keys = partitions.map(([topic, partition]) => topicPartitionKey(topic, partition));
  return {
    ...state,
    offsets: onPartitionsRemoved(state.offsets, partitions),
    fetcher: discardPartitions(state.fetcher, keys),
    validation: forgetPositions(state.validation, keys),
    processing: dropPartitions(state.processing, keys),
    owned: { ...state.owned, partitions: state.owned.partitions.filter((key) => !keys.includes(key)) },
  };
}

// Reports the member's ownership, as it stands after a rebalance callback, to the rebalance log.
function reportOwned(state: ConsumerState, out: Out): ConsumerState {
  const { partitions, memberId, generationId } = state.owned;
  out.push({ kind: 'note', data: { group: 'owned', groupId: state.groupId, memberId, generation: generationId, partitions: [...partitions] } });
  return state;
}

// The OffsetFetch failed (coordinator moved or loading): ask again once the coordinator is known.
function refetchOffsets(state: ConsumerState, errorCode: string, nowMs: number, out: Out): ConsumerState {
  const partitions = state.offsets.awaitingOffsetFetch.map(parseTopicPartitionKey);
  let next = state;
  if (errorCode === 'NOT_COORDINATOR' || errorCode === 'COORDINATOR_NOT_AVAILABLE') next = ensureCoordinator({ ...next, coordinator: null }, nowMs, out);
  if (partitions.length === 0 || next.coordinator === null) return next;
  const as = { memberId: next.membership.memberId, generationId: next.membership.generationId };
  return sendGroup(next, 'offsetFetch', { partitions }, as, nowMs, out);
}

// ---- Heartbeats and the poll timeout (the heartbeat thread) ----

/**
 * heartbeat.interval.ms passed: a heartbeat goes out while the member is in a generation. A coordinator that has
 * not answered a heartbeat for session.timeout.ms is taken for dead and looked up again
 * (`Heartbeat#sessionTimeoutExpired` -> `markCoordinatorUnknown`): its requests in flight are abandoned.
 */
export function onHeartbeatTick(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'subscribed') return state;
  out.push(timer('consumer.heartbeat', state.config.heartbeatIntervalMs, { type: 'consumer.heartbeat' }));
  const inGeneration = state.membership.state === 'COMPLETING_REBALANCE' || state.membership.state === 'STABLE';
  if (inGeneration && state.coordinator !== null && nowMs - state.lastHeartbeatOkMs > state.config.sessionTimeoutMs) {
    const network = forgetRequests(state.network, isHeartbeat);
    return ensureCoordinator({ ...state, coordinator: null, network, lastHeartbeatOkMs: nowMs }, nowMs, out);
  }
  const effect = heartbeatRequest(state.membership, state.config);
  const busy = hasRequest(state.network, isHeartbeat);
  if (effect === null || busy || state.coordinator === null) return state;
  const as = { memberId: state.membership.memberId, generationId: state.membership.generationId };
  return carryOutOne(state, { effect, ...as }, nowMs, out);
}

/** max.poll.interval.ms passed without a poll (KIP-62): the member leaves the group; its next poll rejoins. */
export function onPollTimeoutTick(ticked: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const state: ConsumerState = { ...ticked, pollTimeoutTimerAtMs: null };
  if (state.status !== 'subscribed') return state;
  if (!isPollTimeoutExpired(state.membership, nowMs, state.config)) {
    // The application polled since the timer was set: the timer waits for the deadline of its last poll.
    const deadlineMs = pollTimeoutDeadlineMs(state.membership, state.config);
    if (deadlineMs <= nowMs) return state;
    out.push(timer('consumer.pollTimeout', deadlineMs - nowMs, { type: 'consumer.pollTimeout' }));
    return { ...state, pollTimeoutTimerAtMs: deadlineMs };
  }
  const m = state.membership;
  const result = onPollTimeout(m, state.config);
  return carryOut({ ...state, membership: result.state }, result.effects, m, nowMs, out, false);
}

// ---- Metadata and the coordinator ----

/**
 * Asks for fresh metadata (`Metadata#requestUpdate`): it goes as soon as the refresh backoff allows.
 * `resetBackoff` is Kafka's `resetEquivalentResponseBackoff`: the offset lookups pass true, fetch errors and
 * disconnects false.
 */
export function requestMetadata(state: ConsumerState, nowMs: number, out: Out, resetBackoff = false): ConsumerState {
  const metadata = requestMetadataUpdate(state.metadata, resetBackoff);
  return maybeRequestMetadata(metadata === state.metadata ? state : { ...state, metadata }, nowMs, out);
}

/**
 * Sends the subscribed topics' MetadataRequest to the least loaded broker when one is due and none is in flight
 * (`DefaultMetadataUpdater#maybeUpdate`); otherwise the metadata timer fires when it may go: the refresh backoff's
 * end, `metadata.max.age.ms`, or the first reconnect backoff's end while every broker backs off.
 */
function maybeRequestMetadata(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.metadataInFlight !== null) return state;
  const next = nextMetadataRequest(state.metadata, state.client, state.network, state.nodeRotation, nowMs);
  if (next === null) return state;
  if ('atMs' in next) {
    out.push(timer('consumer.metadata', next.atMs - nowMs, { type: 'consumer.metadata' }));
    return state;
  }
  const topics = [...state.metadata.topics];
  const [correlationId, network] = sendRequest(state.network, next.node, (id) => ({ type: 'metadata.request', correlationId: id, topics }), { kind: 'metadata' }, requestTiming(state, nowMs), out);
  return { ...state, network, metadataInFlight: correlationId };
}

// Where FindCoordinator goes: `NetworkClient#leastLoadedNode` over the known brokers; undefined (and the lookup's
// timer set for when the first backoff ends) while every one of them backs off. (Metadata requests find their
// broker through the client layer's `nextMetadataRequest`.)
function coordinatorLookupBroker(state: ConsumerState, nowMs: number, out: Out): number | undefined {
  const broker = leastLoadedNode(state.network, state.metadata.brokers, state.nodeRotation, nowMs);
  if (broker === undefined) out.push(timer('consumer.findCoordinator', (nextConnectableMs(state.network.reconnect, nowMs) as number) - nowMs, { type: 'consumer.findCoordinator' }));
  return broker;
}

/**
 * The metadata timer: the next request is due (metadata.max.age.ms, or the backoff after a failure or an answer that
 * asked for another). One still in flight is left to its deadline.
 */
export function onMetadataTick(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  return maybeRequestMetadata(state, nowMs, out);
}

/**
 * A metadata answer: leaders for fetching (a position read under another leader then awaits validation), partition
 * counts for the leader's assignor. A leader that sees a subscribed topic's partition count differ from the one it
 * assigned with rejoins (Java's metadata snapshot), so added partitions get assigned. Partitions without a leader
 * make it ask again after retry.backoff.ms.
 */
export function onMetadataResponse(state: ConsumerState, response: MetadataResponse & { from: string }, nowMs: number, out: Out): ConsumerState {
  if (response.correlationId !== state.metadataInFlight) return state;
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  state = { ...state, network: taken.network };
  const metadata = updateMetadata(state.metadata, response, nowMs);
  const counts: Record<string, number> = {};
  for (const p of response.partitions) counts[p.topic] = Math.max(counts[p.topic] ?? 0, p.partition + 1);
  const partitionCounts = { ...state.partitionCounts, ...counts };
  // Positions read under another leader wait for validation (KIP-320); what was fetched for them is dropped.
  const validated = validatePositionsForCurrentLeaders(state.validation, metadata.leaders);
  let next: ConsumerState = {
    ...state,
    metadata,
    partitionCounts,
    validation: validated.validation,
    fetcher: discardPartitions(state.fetcher, validated.awaiting),
    metadataInFlight: null,
  };
  const assigned = next.assignedCounts;
  // A topic the leader did not know when it assigned counts as 0 partitions: learning of it changes the snapshot too.
  if (assigned !== null && next.membership.isLeader && Object.entries(counts).some(([topic, n]) => next.membership.topics.includes(topic) && (assigned[topic] ?? 0) !== n)) {
    next = { ...next, membership: requestRejoin(next.membership, 'partitions changed'), assignedCounts: null };
  }
  // A partition without a leader or a topic error asked for another answer (updateMetadata); else the next is due at
  // metadata.max.age.ms.
  return maybeRequestMetadata(next, nowMs, out);
}

/** Looks the coordinator up unless it is known or a lookup is in flight. */
export function ensureCoordinator(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.coordinator !== null || state.findInFlight !== null || state.status !== 'subscribed') return state;
  // Backing off after a failed lookup: the lookup timer is set for the end of it.
  if (nowMs < state.findBackoff.untilMs) return state;
  const broker = coordinatorLookupBroker(state, nowMs, out);
  if (broker === undefined) return state;
  const message = (correlationId: number): ClientMessage => ({ type: 'findCoordinator.request', correlationId, groupId: state.groupId });
  const [correlationId, network] = sendRequest(state.network, broker, message, { kind: 'findCoordinator' }, requestTiming(state, nowMs), out);
  return { ...state, network, findInFlight: correlationId };
}

/** FindCoordinator answered: the coordinator is known, or the lookup is tried again after retry.backoff.ms. */
export function onFindCoordinatorResponse(state: ConsumerState, response: FindCoordinatorResponse & { from: string }, nowMs: number, out: Out): ConsumerState {
  if (response.correlationId !== state.findInFlight) return state;
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  const next: ConsumerState = { ...state, network: taken.network, findInFlight: null };
  if (response.errorCode !== undefined || response.nodeId < 0) return lookUpAgainLater(next, nowMs, out);
  // Found, but its connection failed and backs off: it is forgotten and looked up again after the backoff, as
  // `ensureCoordinatorReady` does (`client.isUnavailable(coordinator)` -> markCoordinatorUnknown, sleep). Taking it
  // would fail the group's next request at once and look it up again at once, a round trip apart.
  if (!isConnectable(next.network.reconnect, response.nodeId, nowMs)) return lookUpAgainLater(next, nowMs, out);
  out.push({ kind: 'cancel', id: 'consumer.findCoordinator' });
  return refetchOffsets({ ...next, coordinator: response.nodeId, findBackoff: NO_FIND_BACKOFF }, 'NONE', nowMs, out);
}

// A lookup failed, or found a coordinator that cannot be reached yet: the next one goes after
// `retryBackoff.backoff(attempts++)` (AbstractCoordinator's ExponentialBackoff over retry.backoff.ms and
// retry.backoff.max.ms). Kafka counts the attempts within one ensureCoordinatorReady call, here until a coordinator
// is found; without the jitter, as the metadata backoff (client/metadata.ts). Until then no lookup goes, whatever
// asks for one (the poll thread sleeps in Kafka).
function lookUpAgainLater(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const delayMs = exponentialBackoffMs(state.findBackoff.attempts, state.client);
  out.push(timer('consumer.findCoordinator', delayMs, { type: 'consumer.findCoordinator' }));
  return { ...state, findBackoff: { attempts: state.findBackoff.attempts + 1, untilMs: nowMs + delayMs } };
}

/** The lookup timer: try again (a lookup still in flight is left to its deadline). */
export function onFindCoordinatorTick(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  return ensureCoordinator(state, nowMs, out);
}

// OffsetsForLeaderEpoch to the leaders of the positions awaiting validation (positionValidation.ts).
function sendValidations(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const sender = sendThrough(state.network, { kind: 'offsetsForLeaderEpoch' }, requestTiming(state, nowMs), out);
  const canSend = (node: number) => canSendTo(state.network, node, nowMs);
  const validation = sendPositionValidations(state.validation, state.offsets.positions, { nowMs, requestTimeoutMs: state.client.requestTimeoutMs, canSendTo: canSend, send: sender.send });
  return validation === state.validation ? state : { ...state, validation, network: sender.network() };
}

/**
 * An OffsetsForLeaderEpoch answer (`OffsetFetcherUtils#onSuccessfulResponseForValidatingPositions`). A position past
 * the end of its epoch on the leader was truncated away: under auto.offset.reset=earliest or latest it moves back to
 * that end offset (Kafka 3.9 resets to the divergent offset there, whatever the policy), with its processed
 * position, and what was fetched for it is dropped; when the leader cannot place the epoch, the policy resets it.
 * Under none, poll() throws LogTruncationException (an OffsetOutOfRangeException): fatal for the simulated
 * application, as NoOffsetForPartitionException is. A failed partition is asked again after fresh metadata.
 */
export function onOffsetsForLeaderEpochAnswer(state: ConsumerState, answer: OffsetsForLeaderEpochResponse & { from: string }, nowMs: number, out: Out): ConsumerState {
  const hasResetPolicy = state.config.autoOffsetReset !== 'none';
  const outcome = onOffsetsForLeaderEpochResponse(state.validation, answer, state.offsets.positions, { nowMs, retryBackoffMs: state.client.retryBackoffMs, hasResetPolicy });
  if (!outcome.matched) return state;
  const taken = takeAnswer(state, answer, nowMs, out);
  if (taken.network === undefined) return taken.state;
  let next: ConsumerState = { ...state, network: taken.network, validation: outcome.validation };
  for (const seek of outcome.seeks) {
    out.push(logTruncationNote(seek, 'seek'));
    next = { ...next, offsets: seekToDivergentOffset(next.offsets, seek.key, seek.divergentOffset), fetcher: discardPartitions(next.fetcher, [seek.key]) };
  }
  for (const reset of outcome.resets) {
    out.push(logTruncationNote(reset, 'reset'));
    // listOffsets: the partition waits in awaitingReset; the next turn of poll() sends the ListOffsets.
    next = { ...next, offsets: resetOutOfRange(next.offsets, reset.key, next.config.autoOffsetReset).state };
  }
  if (outcome.truncations.length > 0) {
    for (const truncation of outcome.truncations) out.push(logTruncationNote(truncation, 'fatal'));
    const { memberId, generationId } = next.membership;
    return carryOutOne(next, { effect: { type: 'fatal', errorCode: 'OFFSET_OUT_OF_RANGE' }, memberId, generationId }, nowMs, out);
  }
  if (outcome.refreshMetadata) next = requestMetadata(next, nowMs, out);
  return continuePoll(next, nowMs, out);
}

// ListOffsets to the leader of each partition waiting for an offset reset, as auto.offset.reset says (earliest:
// the log start; latest: the high watermark), one in flight per partition (`OffsetFetcher#resetPositionsIfNeeded`).
function sendResets(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  let next = state;
  const timestamp = state.config.autoOffsetReset === 'earliest' ? -2 : -1;
  for (const key of state.offsets.awaitingReset) {
    if (Object.values(next.resets).some((reset) => reset.key === key)) continue;
    const leader = knownLeader(next.metadata.leaders, key);
    if (leader === undefined || !canSendTo(next.network, leader.leader, nowMs)) continue;
    const { topic, partition } = parseTopicPartitionKey(key);
    const message = (correlationId: number): KafkaMessage => ({ type: 'listOffsets.request', correlationId, topic, partition, timestamp, currentLeaderEpoch: leader.leaderEpoch });
    const [correlationId, network] = sendRequest(next.network, leader.leader, message, { kind: 'listOffsets' }, requestTiming(next, nowMs), out);
    next = { ...next, network, resets: { ...next.resets, [correlationId]: { key, node: leader.leader } } };
  }
  return next;
}

/**
 * A ListOffsets answer: the partition starts at the offset it names, and anything fetched or waiting to be
 * processed from before the reset is dropped. An error leaves the partition waiting; the next turn of poll() asks
 * again (after fresh metadata, when the error says so).
 */
export function onResetOffset(state: ConsumerState, response: ListOffsetsResponse & { from: string }, nowMs: number, out: Out): ConsumerState {
  const reset = state.resets[response.correlationId];
  if (reset === undefined || brokerIdOf(response.from) !== reset.node) return state;
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  const resets = { ...state.resets };
  delete resets[response.correlationId];
  let next: ConsumerState = { ...state, network: taken.network, resets };
  // `OffsetFetcher` asks for metadata with its equivalent-response backoff reset (`requestUpdate(true)`).
  if (response.errorCode !== undefined || response.offset < 0) return continuePoll(requestMetadata(next, nowMs, out, true), nowMs, out);
  const offsets = applyLatestOffset(next.offsets, reset.key, response.offset);
  if (offsets !== next.offsets) {
    const skippedFrom = next.offsets.processed[reset.key] ?? 0;
    if (response.offset > skippedFrom) {
      const { topic, partition } = parseTopicPartitionKey(reset.key);
      const { memberId, generationId } = next.membership;
      out.push({ kind: 'note', data: { group: 'reset', groupId: next.groupId, memberId, generation: generationId, topic, partition, skippedFrom, offset: response.offset } });
    }
    next = { ...next, offsets, fetcher: discardPartitions(next.fetcher, [reset.key]), processing: dropPartitions(next.processing, [reset.key]) };
  }
  return continuePoll(next, nowMs, out);
}

function sendGroup<B>(
  state: ConsumerState,
  api: GroupApi,
  body: B,
  as: { memberId: string; generationId: number },
  nowMs: number,
  out: Out,
  commit?: { request: OffsetCommitRequest; operationId: number },
): ConsumerState {
  const coordinator = state.coordinator as number;
  const sent: InflightRequest = { api, memberId: as.memberId, generationId: as.generationId, ...(commit === undefined ? {} : { commit }) };
  const message = (id: number) => ({ type: `${api}.request`, correlationId: id, groupId: state.groupId, body }) as unknown as GroupRequestMessage;
  // A JoinGroup may be parked for the whole rebalance timeout (Java waits rebalance.timeout.ms + 5 s for it).
  const timeoutMs = api === 'joinGroup' ? state.config.rebalanceTimeoutMs + 5_000 : state.client.requestTimeoutMs;
  const [, network] = sendRequest(state.network, coordinator, message, { kind: 'group', request: sent }, { nowMs, timeoutMs, channel: 'coordinator' }, out);
  return { ...state, network };
}

function requestTiming(state: ConsumerState, nowMs: number): RequestTiming {
  return { nowMs, timeoutMs: state.client.requestTimeoutMs };
}

const isHeartbeat = (data: ConsumerRequest) => data.kind === 'group' && data.request.api === 'heartbeat';

function timer(id: string, delayMs: number, event: ConsumerTimerEvent): ConsumerEffect {
  return { kind: 'timer', id, delayMs: Math.max(0, delayMs), event };
}
