// The group consumer's behaviour as rules over ConsumerState: subscribe, the application's poll loop (rebalance
// callbacks, the join, auto-commit, fetching, processing one record at a time), the coordinator's answers,
// heartbeats, the poll timeout and close. The protocol decisions are the pure functions of this folder
// (membership, membershipResponses, offsetTracking, offsetCommits, processing) and of actors/reader (fetch
// rounds); this file sequences them the way KafkaConsumer's poll thread and heartbeat thread do. It is long
// because that sequencing is one piece: splitting it would scatter the order of a poll over several files.
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { JoinGroupResponse, SyncGroupResponse } from '../coordinator/CoordinatorResult.ts';
import { groupErrorAnswer, type FindCoordinatorResponse, type GroupApi, type GroupRequestMessage, type GroupResponseMessage } from '../coordinator/groupMessages.ts';
import type { OffsetCommitRequest } from '../coordinator/offsetCommit.ts';
import { knownLeader, updatePartitionLeaders } from '../reader/partitionLeaders.ts';
import { applyFetchResponse, applyListOffsetsResponse, failRequestsTo, planPoll, type AnswerOutcome } from '../reader/pollRound.ts';
import { readerPartition } from '../reader/ReaderPartition.ts';
import type { LogRecord } from '../../src/history/History.ts';
import type { FetchResponse, ListOffsetsResponse, MetadataResponse } from '../../src/protocol/messages.ts';
import { parseTopicPartitionKey, topicPartitionKey } from '../../src/protocol/messages.ts';
import { brokerIdOf, brokerNodeId } from '../../src/protocol/nodeIds.ts';
import type { ConsumerEffect, ConsumerState, ConsumerTimerEvent, QueuedEffect } from './ConsumerState.ts';
import { isRejoinNeeded, heartbeatRequest, requestRejoin, startJoin, type Membership, type MembershipEffect } from './membership.ts';
import { onGroupError, onHeartbeatResponse, onJoinGroupResponse, onSyncGroupResponse } from './membershipResponses.ts';
import { closeMembership, isPollTimeoutExpired, onPollTimeout, recordPoll } from './leaveGroup.ts';
import { rebalanceProtocolFor } from './rebalanceProtocol.ts';
import { trustEveryClaim, withStaleClaim } from './staleOwnedPartitions.ts';
import { applyCommitResponse, autoCommitDone, isAutoCommitDue, offsetsToCommit } from './offsetCommits.ts';
import { applyLatestOffset, applyOffsetFetch, onPartitionsAssigned, onPartitionsRemoved, recordProcessed } from './offsetTracking.ts';
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
  return ensureCoordinator(requestMetadata(next, out), out);
}

/**
 * KafkaConsumer.close: a dynamic member revokes (committing what it processed, under auto-commit) and leaves the
 * group so its partitions move at once; a static member only stops. Nothing runs after it.
 */
export function close(state: ConsumerState, out: Out): ConsumerState {
  if (state.status !== 'subscribed') return state;
  const m = state.membership;
  const result = closeMembership(m, state.config);
  let next: ConsumerState = { ...state, membership: result.state, queued: [] };
  for (const effect of result.effects) {
    if (effect.type === 'revokePartitions') next = commitRevoked(next, effect.partitions, m, out);
    if (effect.type === 'revokePartitions' || effect.type === 'losePartitions') next = removePartitions(next, effect.partitions);
    if (effect.type === 'leaveGroup' && next.coordinator !== null) next = sendGroup(next, 'leaveGroup', effect.request, m, out);
  }
  next = reportOwned(next, out);
  for (const id of ['consumer.poll', 'consumer.heartbeat', 'consumer.pollTimeout', 'consumer.processed', 'consumer.metadata', 'consumer.findCoordinator']) out.push({ kind: 'cancel', id });
  out.push({ kind: 'persist', data: { subscribed: false } });
  return { ...next, status: 'closed', phase: 'waiting', round: null };
}

// ---- The poll loop ----

/**
 * One poll(): restart the poll timer, run the rebalance callbacks decided since the last poll, join if a rejoin
 * is pending, auto-commit when due, then fetch from the leaders of the partitions with a position. An EAGER member
 * gets no records while it rebalances (it owns nothing then); a COOPERATIVE one keeps fetching what it owns.
 */
export function poll(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'subscribed' || state.phase !== 'waiting') return state;
  out.push(timer('consumer.pollTimeout', state.config.maxPollIntervalMs, { type: 'consumer.pollTimeout' }));
  let next: ConsumerState = { ...state, membership: recordPoll(state.membership, nowMs) };
  next = runQueued(next, out);
  if (next.blockingCommit !== null) return next;
  if (next.coordinator === null) next = ensureCoordinator(next, out);
  else if (isRejoinNeeded(next.membership)) {
    const before = next.membership;
    const joined = startJoin(before, next.config);
    next = carryOut({ ...next, membership: joined.state }, joined.effects, before, out, true);
    if (next.blockingCommit !== null) return next;
  }
  if (next.status !== 'subscribed') return next;
  const eager = rebalanceProtocolFor(next.config.partitionAssignmentStrategy) === 'EAGER';
  if (eager && next.membership.state !== 'STABLE') return waitAndPollAgain(next, out);
  if (!next.weakenings.commitBeforeProcessing && isAutoCommitDue(next.offsets, nowMs, next.config)) next = autoCommit(next, nowMs, out);
  return startRound(next, out);
}

function startRound(state: ConsumerState, out: Out): ConsumerState {
  const keys = Object.keys(state.offsets.positions).filter((key) => knownLeader(state.leaders, key) !== undefined);
  if (keys.length === 0) return waitAndPollAgain(state, out);
  const assignment = keys.map((key) => {
    const { topic, partition } = parseTopicPartitionKey(key);
    return readerPartition(topic, partition);
  });
  const operationId = state.nextOperationId;
  const plan = planPoll({
    state: { assignment, positions: state.offsets.positions, awaitingReset: [] },
    leaders: state.leaders,
    operationId,
    nextCorrelationId: state.nextCorrelationId,
    maxRecords: shareOfPoll(state, keys.length),
  });
  out.push({ kind: 'note', data: { history: 'invoke', id: operationId, f: 'poll', value: {} } });
  for (const { to, message } of plan.requests) out.push({ kind: 'send', to, message });
  out.push(timer('consumer.roundTimeout', state.client.pollTimeoutMs, { type: 'consumer.roundTimeout', operationId }));
  return { ...state, phase: 'fetching', round: plan.round, nextOperationId: operationId + 1, nextCorrelationId: plan.nextCorrelationId };
}

/** A fetch or ListOffsets answer of the running round; the round ends when every request is answered. */
export function onFetchAnswer(state: ConsumerState, answer: (FetchResponse | ListOffsetsResponse) & { from: string }, nowMs: number, out: Out): ConsumerState {
  const { round } = state;
  if (round === null || state.phase !== 'fetching') return state;
  const request = round.pending[answer.correlationId];
  if (request === undefined || request.to !== answer.from || !Object.hasOwn(state.offsets.positions, request.key)) return state;
  const consumption = { assignment: [readerPartition(request.topic, request.partition)], positions: state.offsets.positions, awaitingReset: [] };
  const input = { state: consumption, round, leaders: state.leaders, maxRecords: shareOfPoll(state, Object.keys(state.offsets.positions).length) };
  let outcome: AnswerOutcome;
  if (answer.type === 'fetch.response') outcome = applyFetchResponse(input, answer);
  else outcome = applyListOffsetsResponse(input, answer);
  const position = outcome.state.positions[request.key] as number;
  let next: ConsumerState = { ...state, round: outcome.round, offsets: { ...state.offsets, positions: { ...state.offsets.positions, [request.key]: position } } };
  if (outcome.refreshMetadata) next = requestMetadata(next, out);
  if (Object.keys(outcome.round.pending).length > 0) return next;
  return finishRound(next, nowMs, out);
}

// The running poll's requests to a broker whose connection was reset: unanswered, so the round may end now.
function failFetchesTo(state: ConsumerState, to: string, nowMs: number, out: Out): ConsumerState {
  if (state.round === null || state.phase !== 'fetching') return state;
  const { round, failed } = failRequestsTo(state.round, to);
  if (failed === 0) return state;
  const next = requestMetadata({ ...state, round }, out);
  return Object.keys(round.pending).length > 0 ? next : finishRound(next, nowMs, out);
}

/** The poll's time is up: what has arrived is returned, unanswered partitions give nothing this time. */
export function onRoundTimeout(state: ConsumerState, operationId: number, nowMs: number, out: Out): ConsumerState {
  if (state.phase !== 'fetching' || state.round?.operationId !== operationId) return state;
  return finishRound(state, nowMs, out);
}

// The poll returns: its records go to the history and the application; positions move past them.
function finishRound(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const round = state.round;
  if (round === null) return state;
  out.push({ kind: 'cancel', id: 'consumer.roundTimeout' });
  const records: LogRecord[] = Object.keys(state.offsets.positions).flatMap((key) => round.records[key] ?? []);
  out.push({ kind: 'note', data: { history: 'complete', id: round.operationId, type: 'ok', value: pollValue(state.membership, records) } });
  let next: ConsumerState = { ...state, round: null };
  if (records.length === 0) return waitAndPollAgain({ ...next, phase: 'waiting' }, out);
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

// max.poll.records bounds the whole poll: each partition's fetch gets its share (Java buffers what a fetch
// returns beyond it for the next poll; here the fetch asks for no more).
function shareOfPoll(state: ConsumerState, partitions: number): number {
  return Math.max(1, Math.floor(state.config.maxPollRecords / Math.max(1, partitions)));
}

function waitAndPollAgain(state: ConsumerState, out: Out): ConsumerState {
  out.push(timer('consumer.poll', state.client.pollIntervalMs, { type: 'consumer.poll' }));
  return { ...state, phase: 'waiting' };
}

// ---- Commits ----

// An auto-commit of what changed since the last one (the processed positions, or the polled ones under C4).
function autoCommit(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  const offsets = offsetsToCommit(state.offsets, { commitBeforeProcessing: state.weakenings.commitBeforeProcessing });
  const next = { ...state, offsets: autoCommitDone(state.offsets, nowMs, state.config) };
  if (Object.keys(offsets).length === 0 || state.membership.state !== 'STABLE') return next;
  return sendCommit(next, offsets, state.membership, out);
}

// Commits the processed positions of partitions being revoked, so their next owner starts after them.
function commitRevoked(state: ConsumerState, partitions: readonly TopicPartition[], as: { memberId: string; generationId: number }, out: Out): ConsumerState {
  if (!state.config.enableAutoCommit || as.generationId < 0) return state;
  const keys = new Set(partitions.map(([topic, partition]) => topicPartitionKey(topic, partition)));
  const all = offsetsToCommit(state.offsets, { commitBeforeProcessing: state.weakenings.commitBeforeProcessing });
  const offsets = Object.fromEntries(Object.entries(all).filter(([key]) => keys.has(key)));
  if (Object.keys(offsets).length === 0) return state;
  return sendCommit(state, offsets, as, out);
}

function sendCommit(state: ConsumerState, offsets: Readonly<Record<string, number>>, as: { memberId: string; generationId: number }, out: Out): ConsumerState {
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
  return sendGroup(next, 'offsetCommit', request, as, out, { request, operationId });
}

// ---- Answers from the coordinator ----

/** A group answer: routed by the API of the request it answers; unknown correlation ids are stale. */
export function onGroupAnswer(state: ConsumerState, answer: GroupResponseMessage, nowMs: number, out: Out): ConsumerState {
  const sent = state.inflight[answer.correlationId];
  if (sent === undefined) return state;
  const inflight = { ...state.inflight };
  delete inflight[answer.correlationId];
  out.push({ kind: 'cancel', id: `consumer.request:${answer.correlationId}` });
  const next: ConsumerState = { ...state, inflight };
  // After close only the commits close sent still matter: their outcome completes the history's operation.
  if (next.status !== 'subscribed') return answer.type === 'offsetCommit.response' ? recordCommitOutcome(next, answer.body, sent, out).state : next;
  const m = next.membership;
  switch (answer.type) {
    case 'joinGroup.response': {
      if (answer.correlationId !== next.joinCorrelationId) return next;
      return onJoinAnswer({ ...next, joinCorrelationId: null }, answer.body, out);
    }
    case 'syncGroup.response': {
      if (answer.correlationId !== next.syncCorrelationId) return next;
      return onSyncAnswer({ ...next, syncCorrelationId: null, lastHeartbeatOkMs: nowMs }, answer.body, out);
    }
    case 'heartbeat.response': {
      const result = onHeartbeatResponse(m, answer.body, sent);
      const alive = answer.body.errorCode === 'NONE' || answer.body.errorCode === 'REBALANCE_IN_PROGRESS' ? { lastHeartbeatOkMs: nowMs } : {};
      return carryOut({ ...next, ...alive, membership: result.state }, result.effects, m, out, false);
    }
    case 'offsetCommit.response':
      return onCommitAnswer(next, answer.body, sent, nowMs, out);
    case 'offsetFetch.response': {
      if (answer.body.errorCode !== 'NONE') return refetchOffsets(next, answer.body.errorCode, out);
      const result = applyOffsetFetch(next.offsets, answer.body, next.config.autoOffsetReset);
      let after: ConsumerState = { ...next, offsets: result.state };
      for (const effect of result.effects) {
        if (effect.type === 'listOffsets') after = sendListOffsets(after, effect.topic, effect.partition, out);
        if (effect.type === 'noOffsetForPartition') after = { ...after, status: 'failed' };
      }
      return after;
    }
    case 'leaveGroup.response':
      return next;
  }
}

function onJoinAnswer(state: ConsumerState, body: JoinGroupResponse, out: Out): ConsumerState {
  const m = state.membership;
  const partitionsPerTopic = Object.fromEntries(m.topics.filter((t) => state.partitionCounts[t] !== undefined).map((t) => [t, state.partitionCounts[t] as number]));
  let result = onJoinGroupResponse(m, body, { config: state.config, partitionsPerTopic });
  if (state.weakenings.trustStaleOwnedPartitions) {
    const effects = result.effects.map((e) => (e.type === 'syncGroup' ? { ...e, request: { ...e.request, assignments: trustEveryClaim(body.members, e.request.assignments) } } : e));
    result = { ...result, effects };
  }
  const leads = body.errorCode === 'NONE' && body.leaderId === body.memberId && !body.skipAssignment;
  const next = leads ? { ...state, assignedCounts: partitionsPerTopic } : state;
  if (body.errorCode === 'COORDINATOR_LOAD_IN_PROGRESS') out.push(timer('consumer.poll', state.client.retryBackoffMs, { type: 'consumer.poll' }));
  return carryOut({ ...next, membership: result.state }, result.effects, m, out, false);
}

function onSyncAnswer(state: ConsumerState, body: SyncGroupResponse, out: Out): ConsumerState {
  const m = state.membership;
  const result = onSyncGroupResponse(m, body, state.config);
  return carryOut({ ...state, membership: result.state }, result.effects, m, out, false);
}

function onCommitAnswer(state: ConsumerState, body: { partitions: readonly { topic: string; partition: number; errorCode: string }[] }, sent: { memberId: string; generationId: number; commit?: { request: OffsetCommitRequest; operationId: number } }, _nowMs: number, out: Out): ConsumerState {
  const commit = sent.commit;
  if (commit === undefined) return state;
  const { state: recorded, outcome } = recordCommitOutcome(state, body, sent, out);
  let next = recorded;
  if (outcome.groupError !== null) {
    const m = next.membership;
    const result = onGroupError(m, outcome.groupError, sent, 'OffsetCommit');
    next = carryOut({ ...next, membership: result.state }, result.effects, m, out, false);
  }
  return unblock(next, commit.operationId, out);
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
function unblock(state: ConsumerState, operationId: number, out: Out): ConsumerState {
  if (state.blockingCommit !== operationId) return state;
  const next = runQueued({ ...state, blockingCommit: null }, out);
  if (next.blockingCommit === null && next.phase === 'waiting' && next.status === 'subscribed') out.push(timer('consumer.poll', 0, { type: 'consumer.poll' }));
  return next;
}

/** A group request got no answer in time: it failed as a lost connection does, and the coordinator is looked up again. */
export function onRequestTimeout(state: ConsumerState, correlationId: number, nowMs: number, out: Out): ConsumerState {
  const sent = state.inflight[correlationId];
  if (sent === undefined) return state;
  const partitions = sent.commit?.request.offsets ?? [];
  const answer = groupErrorAnswer(sent.api, correlationId, 'COORDINATOR_NOT_AVAILABLE', { memberId: sent.memberId, partitions });
  return onGroupAnswer(state, answer, nowMs, out);
}

/**
 * The network reset the connection to a broker (a message on it was lost, or the broker's process died). A
 * FindCoordinator or Metadata request to it fails and is tried again after retry.backoff.ms; group requests to the
 * coordinator fail at once, oldest first, as `NetworkClient` fails every request to a disconnected node. The poll's
 * fetches to it give nothing this time, and fresh metadata is asked for (`handleServerDisconnect`).
 */
export function onConnectionReset(state: ConsumerState, from: string, nowMs: number, out: Out): ConsumerState {
  return failFetchesTo(failRequestsOnReset(state, from, nowMs, out), from, nowMs, out);
}

function failRequestsOnReset(state: ConsumerState, from: string, nowMs: number, out: Out): ConsumerState {
  const node = brokerIdOf(from);
  let next = state;
  if (next.findInFlight !== null && next.findTo === node) {
    out.push(timer('consumer.findCoordinator', next.client.retryBackoffMs, { type: 'consumer.findCoordinator' }));
    next = { ...next, findInFlight: null, findTo: null };
  }
  if (next.metadataInFlight !== null && next.metadataTo === node) {
    // The metadata timer asks the next broker, and no longer waits for the lost answer.
    out.push(timer('consumer.metadata', next.client.retryBackoffMs, { type: 'consumer.metadata' }));
  }
  if (next.coordinator === null || node !== next.coordinator) return next;
  for (const id of Object.keys(state.inflight).map(Number).sort((a, b) => a - b)) next = onRequestTimeout(next, id, nowMs, out);
  return next;
}

// ---- Membership effects ----

/**
 * Carries out membership effects in order. Requests go out at once. Rebalance callbacks (revoke, lose, assign)
 * run only inside a poll, as Java runs them in the poll thread: outside one, the callback and everything after it
 * wait for the next poll. A revocation under auto-commit commits first, and what follows waits for the commit.
 */
function carryOut(state: ConsumerState, effects: readonly MembershipEffect[], decidedIn: Membership, out: Out, inPoll: boolean): ConsumerState {
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
    next = carryOutOne(next, { effect, memberId: effect.type === 'revokePartitions' ? decidedIn.memberId : as.memberId, generationId: effect.type === 'revokePartitions' ? decidedIn.generationId : as.generationId }, out);
    if (next.blockingCommit !== null && i + 1 < effects.length) {
      const rest = effects.slice(i + 1).map((e): QueuedEffect => ({ effect: e, ...as }));
      return { ...next, queued: [...next.queued, ...rest] };
    }
  }
  return next;
}

function runQueued(state: ConsumerState, out: Out): ConsumerState {
  let next: ConsumerState = { ...state, queued: [] };
  const queued = state.queued;
  for (let i = 0; i < queued.length; i++) {
    next = carryOutOne(next, queued[i] as QueuedEffect, out);
    if (next.blockingCommit !== null) return { ...next, queued: [...queued.slice(i + 1), ...next.queued] };
  }
  return next;
}

function carryOutOne(state: ConsumerState, queued: QueuedEffect, out: Out): ConsumerState {
  const { effect } = queued;
  switch (effect.type) {
    case 'joinGroup': {
      if (state.coordinator === null) return ensureCoordinator({ ...state, membership: { ...requestRejoin(state.membership, 'coordinator unknown'), state: 'UNJOINED' } }, out);
      const request = state.staleClaim === null ? effect.request : withStaleClaim(effect.request, state.staleClaim);
      const next = sendGroup(state, 'joinGroup', request, queued, out);
      return { ...next, joinCorrelationId: next.nextCorrelationId - 1 };
    }
    case 'syncGroup': {
      if (state.coordinator === null) return state;
      const next = sendGroup(state, 'syncGroup', effect.request, queued, out);
      return { ...next, syncCorrelationId: next.nextCorrelationId - 1 };
    }
    case 'heartbeat':
      return state.coordinator === null ? state : sendGroup(state, 'heartbeat', effect.request, queued, out);
    case 'leaveGroup':
      return state.coordinator === null ? state : sendGroup(state, 'leaveGroup', effect.request, queued, out);
    case 'findCoordinator':
      return ensureCoordinator({ ...state, coordinator: null }, out);
    case 'fatal': {
      // KafkaConsumer throws from poll(); the application closes it and its partitions are lost to it.
      const owned = state.owned.partitions.map((key): TopicPartition => {
        const { topic, partition } = parseTopicPartitionKey(key);
        return [topic, partition];
      });
      out.push({ kind: 'note', data: { group: 'failed', groupId: state.groupId, memberId: state.membership.memberId, errorCode: effect.errorCode } });
      return reportOwned(removePartitions({ ...state, status: 'failed', phase: 'waiting', round: null, queued: [] }, owned), out);
    }
    case 'revokePartitions': {
      const before = state.nextOperationId;
      let next = commitRevoked(state, effect.partitions, queued, out);
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
      let next: ConsumerState = { ...state, staleClaim: null, offsets: assigned.state, owned: { ...state.owned, memberId: queued.memberId, generationId: queued.generationId } };
      next = { ...next, owned: { ...next.owned, partitions: [...next.owned.partitions, ...effect.partitions.map(([t, p]) => topicPartitionKey(t, p))] } };
      for (const e of assigned.effects) if (e.type === 'offsetFetch' && next.coordinator !== null) next = sendGroup(next, 'offsetFetch', e.request, queued, out);
      return reportOwned(next, out);
    }
  }
}

function removePartitions(state: ConsumerState, partitions: readonly TopicPartition[]): ConsumerState {
  const keys = partitions.map(([topic, partition]) => topicPartitionKey(topic, partition));
  return {
    ...state,
    offsets: onPartitionsRemoved(state.offsets, partitions),
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
function refetchOffsets(state: ConsumerState, errorCode: string, out: Out): ConsumerState {
  const partitions = state.offsets.awaitingOffsetFetch.map(parseTopicPartitionKey);
  let next = state;
  if (errorCode === 'NOT_COORDINATOR' || errorCode === 'COORDINATOR_NOT_AVAILABLE') next = ensureCoordinator({ ...next, coordinator: null }, out);
  if (partitions.length === 0 || next.coordinator === null) return next;
  const as = { memberId: next.membership.memberId, generationId: next.membership.generationId };
  return sendGroup(next, 'offsetFetch', { partitions }, as, out);
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
    const inflight = Object.fromEntries(Object.entries(state.inflight).filter(([, request]) => request.api !== 'heartbeat'));
    return ensureCoordinator({ ...state, coordinator: null, inflight, lastHeartbeatOkMs: nowMs }, out);
  }
  const effect = heartbeatRequest(state.membership, state.config);
  const busy = Object.values(state.inflight).some((r) => r.api === 'heartbeat');
  if (effect === null || busy || state.coordinator === null) return state;
  const as = { memberId: state.membership.memberId, generationId: state.membership.generationId };
  return carryOutOne(state, { effect, ...as }, out);
}

/** max.poll.interval.ms passed without a poll (KIP-62): the member leaves the group; its next poll rejoins. */
export function onPollTimeoutTick(state: ConsumerState, nowMs: number, out: Out): ConsumerState {
  if (state.status !== 'subscribed' || !isPollTimeoutExpired(state.membership, nowMs, state.config)) return state;
  const m = state.membership;
  const result = onPollTimeout(m, state.config);
  return carryOut({ ...state, membership: result.state }, result.effects, m, out, false);
}

// ---- Metadata and the coordinator ----

/** Asks a known broker for the subscribed topics' metadata (one request at a time). */
export function requestMetadata(state: ConsumerState, out: Out): ConsumerState {
  if (state.metadataInFlight !== null) return state;
  const broker = state.knownBrokers[state.metadataAttempts % state.knownBrokers.length] as number;
  const correlationId = state.nextCorrelationId;
  out.push({ kind: 'send', to: brokerNodeId(broker), message: { type: 'metadata.request', correlationId, topics: [...state.membership.topics] } });
  out.push(timer('consumer.metadata', state.client.requestTimeoutMs, { type: 'consumer.metadata' }));
  return { ...state, metadataInFlight: correlationId, metadataTo: broker, metadataAttempts: state.metadataAttempts + 1, nextCorrelationId: correlationId + 1 };
}

/** The metadata timer: a request that got no answer is dropped and another goes out. */
export function onMetadataTick(state: ConsumerState, out: Out): ConsumerState {
  return requestMetadata({ ...state, metadataInFlight: null }, out);
}

/**
 * A metadata answer: leaders for fetching, partition counts for the leader's assignor. A leader that sees a
 * subscribed topic's partition count differ from the one it assigned with rejoins (Java's metadata snapshot), so
 * added partitions get assigned. Partitions without a leader make it ask again after retry.backoff.ms.
 */
export function onMetadataResponse(state: ConsumerState, response: MetadataResponse, out: Out): ConsumerState {
  if (response.correlationId !== state.metadataInFlight) return state;
  const leaders = updatePartitionLeaders(state.leaders, response.partitions);
  const counts: Record<string, number> = {};
  for (const p of response.partitions) counts[p.topic] = Math.max(counts[p.topic] ?? 0, p.partition + 1);
  const partitionCounts = { ...state.partitionCounts, ...counts };
  let next: ConsumerState = { ...state, leaders, partitionCounts, metadataInFlight: null, knownBrokers: response.brokers.length > 0 ? response.brokers : state.knownBrokers };
  const assigned = next.assignedCounts;
  // A topic the leader did not know when it assigned counts as 0 partitions: learning of it changes the snapshot too.
  if (assigned !== null && next.membership.isLeader && Object.entries(counts).some(([topic, n]) => next.membership.topics.includes(topic) && (assigned[topic] ?? 0) !== n)) {
    next = { ...next, membership: requestRejoin(next.membership, 'partitions changed'), assignedCounts: null };
  }
  const leaderless = response.partitions.some((p) => p.leader < 0) || Object.keys(response.topicErrors).length > 0;
  out.push(timer('consumer.metadata', leaderless ? state.client.retryBackoffMs : state.client.metadataMaxAgeMs, { type: 'consumer.metadata' }));
  return next;
}

/** Looks the coordinator up unless it is known or a lookup is in flight. */
export function ensureCoordinator(state: ConsumerState, out: Out): ConsumerState {
  if (state.coordinator !== null || state.findInFlight !== null || state.status !== 'subscribed') return state;
  const broker = state.knownBrokers[state.findAttempts % state.knownBrokers.length] as number;
  const correlationId = state.nextCorrelationId;
  out.push({ kind: 'send', to: brokerNodeId(broker), message: { type: 'findCoordinator.request', correlationId, groupId: state.groupId } });
  out.push(timer('consumer.findCoordinator', state.client.requestTimeoutMs, { type: 'consumer.findCoordinator' }));
  return { ...state, findInFlight: correlationId, findTo: broker, findAttempts: state.findAttempts + 1, nextCorrelationId: correlationId + 1 };
}

/** FindCoordinator answered: the coordinator is known, or the lookup is tried again after retry.backoff.ms. */
export function onFindCoordinatorResponse(state: ConsumerState, response: FindCoordinatorResponse, out: Out): ConsumerState {
  if (response.correlationId !== state.findInFlight) return state;
  if (response.errorCode !== undefined || response.nodeId < 0) {
    out.push(timer('consumer.findCoordinator', state.client.retryBackoffMs, { type: 'consumer.findCoordinator' }));
    return { ...state, findInFlight: null };
  }
  out.push({ kind: 'cancel', id: 'consumer.findCoordinator' });
  return refetchOffsets({ ...state, coordinator: response.nodeId, findInFlight: null }, 'NONE', out);
}

/** The lookup timer: try again (another broker). */
export function onFindCoordinatorTick(state: ConsumerState, out: Out): ConsumerState {
  return ensureCoordinator({ ...state, findInFlight: null }, out);
}

function sendListOffsets(state: ConsumerState, topic: string, partition: number, out: Out): ConsumerState {
  const key = topicPartitionKey(topic, partition);
  const leader = knownLeader(state.leaders, key);
  if (leader === undefined) return state;
  const correlationId = state.nextCorrelationId;
  out.push({ kind: 'send', to: brokerNodeId(leader.leader), message: { type: 'listOffsets.request', correlationId, topic, partition, timestamp: -1, currentLeaderEpoch: leader.leaderEpoch } });
  return { ...state, nextCorrelationId: correlationId + 1 };
}

/** ListOffsets(LATEST) outside a round: the start of a partition under auto.offset.reset=latest. */
export function onLatestOffset(state: ConsumerState, response: ListOffsetsResponse): ConsumerState {
  if (response.errorCode !== undefined || response.offset < 0) return state;
  return { ...state, offsets: applyLatestOffset(state.offsets, topicPartitionKey(response.topic, response.partition), response.offset) };
}

function sendGroup<B>(
  state: ConsumerState,
  api: GroupApi,
  body: B,
  as: { memberId: string; generationId: number },
  out: Out,
  commit?: { request: OffsetCommitRequest; operationId: number },
): ConsumerState {
  const correlationId = state.nextCorrelationId;
  const message = { type: `${api}.request`, correlationId, groupId: state.groupId, body } as unknown as GroupRequestMessage;
  out.push({ kind: 'send', to: brokerNodeId(state.coordinator as number), message });
  // A JoinGroup may be parked for the whole rebalance timeout (Java waits rebalance.timeout.ms + 5 s for it).
  const timeoutMs = api === 'joinGroup' ? state.config.rebalanceTimeoutMs + 5_000 : state.client.requestTimeoutMs;
  out.push(timer(`consumer.request:${correlationId}`, timeoutMs, { type: 'consumer.requestTimeout', correlationId }));
  const inflight = { ...state.inflight, [correlationId]: { api, memberId: as.memberId, generationId: as.generationId, ...(commit === undefined ? {} : { commit }) } };
  return { ...state, inflight, nextCorrelationId: correlationId + 1 };
}

function timer(id: string, delayMs: number, event: ConsumerTimerEvent): ConsumerEffect {
  return { kind: 'timer', id, delayMs: Math.max(0, delayMs), event };
}
