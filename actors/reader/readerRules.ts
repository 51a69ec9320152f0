// The reader's rules (an assign-mode KafkaConsumer reading from the beginning, with no group and no commits) as
// pure functions over ReaderState that push effects, in the broker's and the group consumer's shape. Three parts:
// metadata (on start, on errors that say it is stale, every metadata.max.age.ms; one request in flight, backing
// off between two as the client layer's `Metadata` says), the application's poll loop (poll() returns what the fetcher has buffered,
// or waits for it up to the poll's timeout, then the application calls poll() again), and the fetcher underneath
// (actors/client/fetcher.ts: one long-polled Fetch per leader). Offset resets (OFFSET_OUT_OF_RANGE ->
// auto.offset.reset=earliest) go out as ListOffsets. After a leader change, positions are validated before they are
// fetched again (KIP-320, actors/client/positionValidation.ts), as Java's consumer does in assign mode too: a log
// truncated below a position (an unclean election) moves the position back to where the leader's log diverges,
// which the checkers see as a poll going back. Longer than most files because the three share one state.
import type { ApiVersionsResponse, FetchResponse, KafkaMessage, ListOffsetsResponse, MetadataResponse, OffsetsForLeaderEpochResponse } from '../../src/protocol/messages.ts';
import { brokerIdOf } from '../../src/protocol/nodeIds.ts';
import {
  collectRecords,
  discardPartitions,
  emptyFetcher,
  failFetch,
  hasBufferedRecords,
  isCaughtUp,
  onFetchResponse,
  sendFetches as sendFetchRequests,
  type Fetcher,
  type FetchTarget,
} from '../client/fetcher.ts';
import {
  answeredBy,
  canSendTo,
  closeConnection,
  connectionReset,
  createNetworkClient,
  nextNetworkDeadlineMs,
  onHandshakeResponse,
  sendRequest,
  sendThrough,
  takeResponse,
  timedOutNodes,
  type ClientMessage,
  type NetworkClient,
} from '../client/networkClient.ts';
import {
  emptyMetadata,
  knownLeader,
  metadataRequestFailed,
  nextMetadataRequest,
  requestMetadataUpdate,
  updateMetadata,
  type Metadata,
} from '../client/metadata.ts';
import {
  emptyPositionValidation,
  failValidations,
  fetchablePositions,
  forgetPositions,
  hasAwaitingValidation,
  isAwaitingValidation,
  logTruncationNote,
  onOffsetsForLeaderEpochResponse,
  sendValidations as sendPositionValidations,
  recordConsumedEpochs,
  validatePositionsForCurrentLeaders,
  type PositionValidation,
} from '../client/positionValidation.ts';
import { positionsAtBeginning, resetPosition, type FetchPositions } from './fetchPositions.ts';
import { partitionErrorHandling } from './fetchErrors.ts';
import { invariant } from './invariant.ts';
import { metadataTopics, resolveAssignment } from './readerAssignment.ts';
import type { ReaderConfig } from './readerConfig.ts';
import type { ReaderPartition } from './ReaderPartition.ts';
import { beginReadToEnd, isReadToEndDone, type ReadToEnd } from './readToEnd.ts';

/** An offset reset in flight: ListOffsets(EARLIEST) for one partition. */
interface PendingReset {
  readonly key: string;
  readonly node: number;
}

/** What the reader's requests are, as its network client keeps them. */
export type ReaderRequest = 'metadata' | 'fetch' | 'offsetsForLeaderEpoch' | 'listOffsets';

/** The reader's volatile state; a restart begins again from offset 0. */
export interface ReaderState {
  readonly config: ReaderConfig;
  /** Connections, correlation ids, requests in flight and their deadlines, reconnect backoff (networkClient.ts). */
  readonly network: NetworkClient<ReaderRequest>;
  /** Per-boot id of the next history operation. */
  readonly nextOperationId: number;
  /** Brokers, leaders, and when to ask again (the client layer's `Metadata`, actors/client/metadata.ts). */
  readonly metadata: Metadata;
  /** Where the least loaded broker is looked for first; moves on after a metadata request fails. */
  readonly nodeRotation: number;
  /** The metadata request in flight: its correlation id and the broker it went to. */
  readonly metadataRequest: { readonly correlationId: number; readonly node: number } | null;
  /** The correlation id of the last metadata request answered (-1 before any): a read-to-end waits for a fresh one. */
  readonly lastMetadataAnswered: number;
  /** Undefined until metadata has named the partitions to read. */
  readonly assignment: readonly ReaderPartition[] | undefined;
  readonly positions: FetchPositions;
  /** Partitions whose position waits for an offset reset, and the resets in flight by correlation id. */
  readonly awaitingReset: readonly string[];
  readonly resets: Readonly<Record<number, PendingReset>>;
  /** The leader epochs of the positions and their validations after leader changes (KIP-320). */
  readonly validation: PositionValidation;
  readonly fetcher: Fetcher;
  /** The application's poll() in progress: its history operation id, and when its timeout passes. */
  readonly poll: { readonly operationId: number; readonly deadlineMs: number } | null;
  /**
   * When the poll-timeout timer fires, or null when none is set. One timer serves every poll: it is set when a poll
   * begins with no timer pending, and a timer that fires before the running poll's deadline is set again for it,
   * so a reader whose polls return at once (records keep arriving) costs no timer per poll.
   */
  readonly pollTimerAtMs: number | null;
  readonly readToEnd: ReadToEnd;
  /** Partitions metadata showed were added to the reader's topics, assigned at the next poll. */
  readonly addedPartitions: readonly ReaderPartition[];
  /** When the request-deadline timer is set to fire, or null. */
  readonly deadlineTimerMs: number | null;
}

/** The reader's timers, each fired back into the machine as this event. */
export type ReaderTimerEvent = { type: 'reader.metadata' } | { type: 'reader.pollTimeout' } | { type: 'reader.deadline' };

/** What a rule asks the machine to do. */
export type ReaderEffect =
  | { kind: 'send'; to: string; message: ClientMessage }
  | { kind: 'timer'; id: string; delayMs: number; event: ReaderTimerEvent }
  | { kind: 'cancel'; id: string }
  | { kind: 'note'; data: unknown }
  | { kind: 'disconnect'; to: string };

type Out = ReaderEffect[];

/** A reader at boot: nothing known, the first metadata request about to go. */
export function bootReader(config: ReaderConfig): ReaderState {
  return {
    config,
    network: createNetworkClient(),
    nextOperationId: 0,
    metadata: emptyMetadata(config.bootstrapBrokers, metadataTopics(config)),
    nodeRotation: 0,
    metadataRequest: null,
    lastMetadataAnswered: -1,
    assignment: undefined,
    positions: {},
    awaitingReset: [],
    resets: {},
    validation: emptyPositionValidation(),
    fetcher: emptyFetcher(),
    poll: null,
    pollTimerAtMs: null,
    readToEnd: { phase: 'idle' },
    addedPartitions: [],
    deadlineTimerMs: null,
  };
}

// ---- Metadata ----

/**
 * Sends a metadata request when one is due (asked for, or the cache is metadata.max.age.ms old) and none is in
 * flight, past the refresh backoff (`Metadata#timeToNextUpdate`); otherwise the metadata timer fires when it may go,
 * or when the first reconnect backoff ends while every broker backs off.
 */
export function maybeRequestMetadata(state: ReaderState, nowMs: number, out: Out): ReaderState {
  if (state.metadataRequest !== null) return state;
  const next = nextMetadataRequest(state.metadata, state.config, state.network, state.nodeRotation, nowMs);
  if (next === null) return state;
  if ('atMs' in next) {
    out.push({ kind: 'timer', id: 'reader.metadata', delayMs: next.atMs - nowMs, event: { type: 'reader.metadata' } });
    return state;
  }
  const topics = [...state.metadata.topics];
  const [correlationId, network] = sendRequest(state.network, next.node, (id) => ({ type: 'metadata.request', correlationId: id, topics }), 'metadata', requestTiming(state, nowMs), out);
  return armDeadline({ ...state, network, metadataRequest: { correlationId, node: next.node } }, nowMs, out);
}

/** A metadata answer: leaders, the assignment once the topics exist, partitions added later. */
export function onMetadataResponse(state: ReaderState, response: MetadataResponse & { from: string }, nowMs: number, out: Out): ReaderState {
  const request = state.metadataRequest;
  if (request === null || response.correlationId !== request.correlationId) return state;
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  state = { ...state, network: taken.network };
  const metadata = updateMetadata(state.metadata, response, nowMs);
  // Positions read under another leader wait for validation; what was fetched for them is dropped.
  const validated = validatePositionsForCurrentLeaders(state.validation, metadata.leaders);
  let next: ReaderState = {
    ...state,
    metadata,
    validation: validated.validation,
    fetcher: discardPartitions(state.fetcher, validated.awaiting),
    metadataRequest: null,
    lastMetadataAnswered: request.correlationId,
  };
  const resolved = resolveAssignment(state.config, response);
  if (next.assignment === undefined) {
    if (resolved !== undefined) next = assign(next, resolved, out);
  } else {
    // Partitions added to a topic it reads (CreatePartitions): the reader assigns itself those too, from offset 0,
    // at its next poll (assign() is called between polls), as an application would.
    const known = new Set([...next.assignment, ...next.addedPartitions].map((p) => p.key));
    const added = (resolved ?? []).filter((p) => !known.has(p.key));
    if (added.length > 0) next = { ...next, addedPartitions: [...next.addedPartitions, ...added] };
  }
  // Until every assigned partition has a leader, keep asking, backing off while nothing changes (the fetcher's
  // `metadata.requestUpdate(false)` for a partition with no known leader): fetches skip leaderless ones.
  const complete = next.assignment !== undefined && next.assignment.every((p) => knownLeader(metadata.leaders, p.key) !== undefined);
  if (!complete) next = { ...next, metadata: requestMetadataUpdate(next.metadata) };
  // A read-to-end waits for the answer to a request sent after it began; this one went before (the answer clears
  // the cache's own wish for an update, `Metadata#update`), so the next is asked for.
  if (next.readToEnd.phase === 'reading' && request.correlationId < next.readToEnd.metadataFrom) next = { ...next, metadata: requestMetadataUpdate(next.metadata, true) };
  next = maybeRequestMetadata(next, nowMs, out);
  return progress(next, nowMs, out);
}

/** The metadata timer: the request in flight timed out, or the next request is due. */
export function onMetadataTimer(state: ReaderState, nowMs: number, out: Out): ReaderState {
  return maybeRequestMetadata(state, nowMs, out);
}

// The metadata request failed: the next goes to another broker after the backoff, which grows while they fail.
function abandonMetadataRequest(state: ReaderState, nowMs: number): ReaderState {
  return { ...state, metadataRequest: null, metadata: metadataRequestFailed(state.metadata, nowMs), nodeRotation: state.nodeRotation + 1 };
}

// Asks for fresh metadata (`Metadata#requestUpdate`); `resetBackoff` for the application's own asking and the offset
// lookups, as Kafka's callers pass it, not for errors in fetch answers and disconnects.
function wantMetadata(state: ReaderState, nowMs: number, out: Out, resetBackoff = false): ReaderState {
  const metadata = requestMetadataUpdate(state.metadata, resetBackoff);
  return maybeRequestMetadata(metadata === state.metadata ? state : { ...state, metadata }, nowMs, out);
}

// The first assignment: every partition from offset 0 (auto.offset.reset=earliest, no committed offsets), and the
// application's poll loop starts.
function assign(state: ReaderState, assignment: readonly ReaderPartition[], out: Out): ReaderState {
  const keys = assignment.map((p) => p.key);
  out.push(...assignNotes(state.nextOperationId, keys));
  // The first assignment already starts at offset 0: a read-to-end asked before it needs no seek, only fresh metadata.
  const beginning = state.readToEnd.phase === 'requested';
  const readToEnd = beginning ? beginReadToEnd(state.network.nextCorrelationId) : state.readToEnd;
  const metadata = beginning ? requestMetadataUpdate(state.metadata, true) : state.metadata;
  return { ...state, assignment, positions: positionsAtBeginning(keys), nextOperationId: state.nextOperationId + 1, readToEnd, metadata };
}

// ---- The poll loop ----

/** `client.readToEnd`: the next poll seeks to the beginning, and the read ends when every partition is caught up. */
export function requestReadToEnd(state: ReaderState, nowMs: number, out: Out): ReaderState {
  return progress({ ...state, readToEnd: { phase: 'requested' } }, nowMs, out);
}

/** The poll-timeout timer: a poll past its timeout returns what there is (nothing), and the application polls again. */
export function onPollTimeout(state: ReaderState, nowMs: number, out: Out): ReaderState {
  const next: ReaderState = { ...state, pollTimerAtMs: null };
  if (next.poll === null) return next;
  if (next.poll.deadlineMs > nowMs) return armPollTimer(next, next.poll.deadlineMs, nowMs, out);
  return progress(completePoll(next, out), nowMs, out);
}

function armPollTimer(state: ReaderState, atMs: number, nowMs: number, out: Out): ReaderState {
  if (state.pollTimerAtMs !== null) return state;
  out.push({ kind: 'timer', id: 'reader.pollTimeout', delayMs: atMs - nowMs, event: { type: 'reader.pollTimeout' } });
  return { ...state, pollTimerAtMs: atMs };
}

/**
 * Moves everything along after an event: starts the application's next poll if none is running, sends the position
 * validations and offset resets (`KafkaConsumer#updateFetchPositions`) and the fetches that can go, and completes the
 * poll when it has records (or the read-to-end is done), looping while polls complete at once.
 */
export function progress(state: ReaderState, nowMs: number, out: Out): ReaderState {
  if (state.assignment === undefined) return armDeadline(state, nowMs, out);
  let next = state;
  for (;;) {
    if (next.poll === null) next = beginPoll(next, nowMs, out);
    next = sendValidations(next, nowMs, out);
    next = sendResets(next, nowMs, out);
    next = sendFetches(next, nowMs, out);
    if (!hasBufferedRecords(next.fetcher) && !isReadDone(next)) break;
    next = completePoll(next, out);
  }
  return armDeadline(next, nowMs, out);
}

// poll() begins: first the changes the application makes between polls (partitions added to its topics, the
// read-to-end's seek to the beginning), then the history's `invoke`, and the poll's timer.
function beginPoll(state: ReaderState, nowMs: number, out: Out): ReaderState {
  invariant(state.assignment !== undefined && state.poll === null, 'a poll begins only when assigned and none runs');
  let next = state;
  let assignment = state.assignment;
  if (next.addedPartitions.length > 0) {
    assignment = [...assignment, ...next.addedPartitions];
    const positions = { ...next.positions, ...positionsAtBeginning(next.addedPartitions.map((p) => p.key)) };
    out.push(...assignNotes(next.nextOperationId, assignment.map((p) => p.key)));
    next = { ...next, assignment, positions, addedPartitions: [], nextOperationId: next.nextOperationId + 1 };
  }
  if (next.readToEnd.phase === 'requested') {
    // seekToBeginning on every partition: a new assignment for the checkers (the position moves back), and what
    // was fetched for the old positions is dropped.
    const keys = assignment.map((p) => p.key);
    out.push(...assignNotes(next.nextOperationId, keys));
    next = {
      ...next,
      positions: positionsAtBeginning(keys),
      awaitingReset: [],
      validation: forgetPositions(next.validation, keys),
      fetcher: discardPartitions(next.fetcher, keys),
      nextOperationId: next.nextOperationId + 1,
      readToEnd: beginReadToEnd(next.network.nextCorrelationId),
    };
    next = wantMetadata(next, nowMs, out, true);
  }
  const operationId = next.nextOperationId;
  out.push({ kind: 'note', data: { history: 'invoke', id: operationId, f: 'poll', value: {} } });
  const deadlineMs = nowMs + next.config.pollTimeoutMs;
  return armPollTimer({ ...next, poll: { operationId, deadlineMs }, nextOperationId: operationId + 1 }, deadlineMs, nowMs, out);
}

// poll() returns: at most max.poll.records buffered records (none when it timed out), and the read-to-end's note
// when this poll found every partition caught up.
function completePoll(state: ReaderState, out: Out): ReaderState {
  invariant(state.poll !== null, 'completePoll without a poll');
  const collected = collectRecords(state.fetcher, state.positions, state.config.maxPollRecords);
  out.push({ kind: 'note', data: { history: 'complete', id: state.poll.operationId, type: 'ok', value: { records: collected.records } } });
  const validation = recordConsumedEpochs(state.validation, collected.offsetEpochs, state.metadata.leaders);
  let next: ReaderState = { ...state, fetcher: collected.fetcher, positions: collected.positions, validation, poll: null };
  if (collected.records.length === 0 && isReadDone(next)) {
    out.push({ kind: 'note', data: { readToEnd: 'done', positions: { ...next.positions } } });
    next = { ...next, readToEnd: { phase: 'idle' } };
  }
  return next;
}

// The read-to-end is done when every partition is caught up with its leader at its position, with metadata fresh
// enough to trust that leader, and nothing is waiting for a reset, a validation or to be assigned.
function isReadDone(state: ReaderState): boolean {
  const { assignment } = state;
  if (assignment === undefined || state.addedPartitions.length > 0 || state.awaitingReset.length > 0 || hasAwaitingValidation(state.validation)) return false;
  const caughtUp = assignment.every((p) => isCaughtUp(state.fetcher, p.key, state.positions[p.key] as number));
  return isReadToEndDone(state.readToEnd, caughtUp, state.lastMetadataAnswered);
}

// ---- Fetching and offset resets ----

function sendFetches(state: ReaderState, nowMs: number, out: Out): ReaderState {
  const targets: FetchTarget[] = [];
  for (const { topic, partition, key } of state.assignment ?? []) {
    const leader = knownLeader(state.metadata.leaders, key);
    if (leader === undefined || state.awaitingReset.includes(key) || isAwaitingValidation(state.validation, key)) continue;
    if (!canSendTo(state.network, leader.leader, nowMs)) continue;
    targets.push({ key, topic, partition, position: state.positions[key] as number, leader: leader.leader, leaderEpoch: leader.leaderEpoch });
  }
  const sender = sendThrough(state.network, 'fetch', requestTiming(state, nowMs), out);
  const fetcher = sendFetchRequests(state.fetcher, targets, { settings: state.config, send: sender.send });
  return fetcher === state.fetcher ? state : { ...state, fetcher, network: sender.network() };
}

/** A fetch answer: its records wait in the buffer for poll(); errors ask for metadata or reset the position. */
export function onReaderFetchResponse(state: ReaderState, response: FetchResponse & { from: string }, nowMs: number, out: Out): ReaderState {
  const isLeader = (key: string, node: number) => knownLeader(state.metadata.leaders, key)?.leader === node;
  const outcome = onFetchResponse(state.fetcher, response, fetchablePositions(state.positions, state.validation), isLeader);
  if (!outcome.matched) return state;
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  let next: ReaderState = { ...state, network: taken.network, fetcher: outcome.fetcher };
  const resets = outcome.outOfRange.filter((key) => !next.awaitingReset.includes(key));
  if (resets.length > 0) next = { ...next, awaitingReset: [...next.awaitingReset, ...resets], validation: forgetPositions(next.validation, resets) };
  if (outcome.refreshMetadata) next = wantMetadata(next, nowMs, out);
  return progress(next, nowMs, out);
}

// OffsetsForLeaderEpoch to the leaders of the positions awaiting validation (positionValidation.ts).
function sendValidations(state: ReaderState, nowMs: number, out: Out): ReaderState {
  const sender = sendThrough(state.network, 'offsetsForLeaderEpoch', requestTiming(state, nowMs), out);
  const canSend = (node: number) => canSendTo(state.network, node, nowMs);
  const validation = sendPositionValidations(state.validation, state.positions, { nowMs, requestTimeoutMs: state.config.requestTimeoutMs, canSendTo: canSend, send: sender.send });
  return validation === state.validation ? state : { ...state, validation, network: sender.network() };
}

/**
 * An OffsetsForLeaderEpoch answer: a position past the end of its epoch on the new leader moves back to that end
 * (the reader resets as auto.offset.reset=earliest, so it never throws LogTruncationException); one the leader
 * cannot place is reset to the log start; a failed partition is asked again after fresh metadata.
 */
export function onReaderOffsetsForLeaderEpochResponse(state: ReaderState, response: OffsetsForLeaderEpochResponse & { from: string }, nowMs: number, out: Out): ReaderState {
  const outcome = onOffsetsForLeaderEpochResponse(state.validation, response, state.positions, { nowMs, retryBackoffMs: state.config.retryBackoffMs, hasResetPolicy: true });
  if (!outcome.matched) return state;
  invariant(outcome.truncations.length === 0, 'the reader resets on truncation (auto.offset.reset=earliest)');
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  let next: ReaderState = { ...state, network: taken.network, validation: outcome.validation };
  for (const seek of outcome.seeks) {
    out.push(logTruncationNote(seek, 'seek'));
    next = { ...next, positions: resetPosition(next.positions, seek.key, seek.divergentOffset), fetcher: discardPartitions(next.fetcher, [seek.key]) };
  }
  for (const reset of outcome.resets) {
    out.push(logTruncationNote(reset, 'reset'));
    if (!next.awaitingReset.includes(reset.key)) next = { ...next, awaitingReset: [...next.awaitingReset, reset.key] };
  }
  if (outcome.refreshMetadata) next = wantMetadata(next, nowMs, out);
  return progress(next, nowMs, out);
}

// ListOffsets(EARLIEST) to the leader of each partition waiting for a reset (the reader's auto.offset.reset).
function sendResets(state: ReaderState, nowMs: number, out: Out): ReaderState {
  let next = state;
  for (const key of state.awaitingReset) {
    if (Object.values(next.resets).some((reset) => reset.key === key)) continue;
    const leader = knownLeader(next.metadata.leaders, key);
    const p = next.assignment?.find((candidate) => candidate.key === key);
    if (leader === undefined || p === undefined || !canSendTo(next.network, leader.leader, nowMs)) continue;
    const message = (correlationId: number): KafkaMessage => ({ type: 'listOffsets.request', correlationId, topic: p.topic, partition: p.partition, timestamp: -2, currentLeaderEpoch: leader.leaderEpoch });
    const [correlationId, network] = sendRequest(next.network, leader.leader, message, 'listOffsets', requestTiming(next, nowMs), out);
    next = { ...next, network, resets: { ...next.resets, [correlationId]: { key, node: leader.leader } } };
  }
  return next;
}

/** A ListOffsets answer: the partition is fetched from the log start it names. */
export function onListOffsetsResponse(state: ReaderState, response: ListOffsetsResponse & { from: string }, nowMs: number, out: Out): ReaderState {
  const reset = state.resets[response.correlationId];
  if (reset === undefined || brokerIdOf(response.from) !== reset.node) return state;
  const taken = takeAnswer(state, response, nowMs, out);
  if (taken.network === undefined) return taken.state;
  let next: ReaderState = { ...state, network: taken.network, resets: withoutKey(state.resets, response.correlationId) };
  const error = response.errorCode ?? 'NONE';
  if (error !== 'NONE' || response.offset < 0) {
    if (partitionErrorHandling(error) === 'refreshMetadata') next = wantMetadata(next, nowMs, out, true);
    return progress(next, nowMs, out);
  }
  next = {
    ...next,
    positions: resetPosition(next.positions, reset.key, response.offset),
    awaitingReset: next.awaitingReset.filter((key) => key !== reset.key),
    fetcher: discardPartitions(next.fetcher, [reset.key]),
  };
  return progress(next, nowMs, out);
}

/**
 * The network reset the connection to a broker: what was in flight to it failed (`handleServerDisconnect`), and
 * fresh metadata is asked for. NetworkClient keeps off the broker for reconnect.backoff.ms, whether or not anything
 * was in flight to it.
 */
export function onReaderConnectionReset(state: ReaderState, from: string, nowMs: number, out: Out): ReaderState {
  const node = brokerIdOf(from);
  if (node === undefined) return state;
  const next: ReaderState = { ...failRequestsTo(state, node, nowMs), network: connectionReset(state.network, node, nowMs).nc };
  return progress(wantMetadata(next, nowMs, out), nowMs, out);
}

/** An apiVersions.response: the connection is ready and the requests that waited for it go out (refused: it fails). */
export function onReaderApiVersionsResponse(state: ReaderState, response: ApiVersionsResponse & { from: string }, nowMs: number, out: Out): ReaderState {
  const answered = onHandshakeResponse(state.network, response, nowMs, out);
  if (answered === undefined) return state;
  const node = brokerIdOf(response.from) as number;
  if (answered.failed.length === 0) return armDeadline({ ...state, network: answeredBy(answered.nc, node) }, nowMs, out);
  const next: ReaderState = { ...failRequestsTo(state, node, nowMs), network: answered.nc };
  return progress(wantMetadata(next, nowMs, out), nowMs, out);
}

/**
 * The request-deadline timer: every request past request.timeout.ms (or a handshake past its setup timeout) closes
 * its connection (`NetworkClient#handleTimedOutRequests`), so what was on it fails; or a reconnect backoff ended.
 */
export function onDeadline(state: ReaderState, nowMs: number, out: Out): ReaderState {
  const next: ReaderState = { ...state, deadlineTimerMs: null };
  const nodes = timedOutNodes(next.network, nowMs);
  // Nothing timed out: a reconnect backoff ended, and what waited for it may go now.
  if (nodes.length === 0) return progress(next, nowMs, out);
  return closeConnections(next, nodes, nowMs, out);
}

// The reader closes its connections to `nodes`: each broker drops what waited on it, the reader fails what it had
// in flight there and keeps off it for reconnect.backoff.ms, and asks for fresh metadata.
function closeConnections(state: ReaderState, nodes: readonly number[], nowMs: number, out: Out): ReaderState {
  let next = state;
  for (const node of nodes) next = { ...failRequestsTo(next, node, nowMs), network: closeConnection(next.network, node, nowMs, out).nc };
  return progress(wantMetadata(next, nowMs, out), nowMs, out);
}

// Takes an answer off the network client's books: `network` is the client without it, or undefined when the answer
// is to be dropped (it matches nothing in flight), or when it skipped an older request on its connection, which is
// then closed (`state` says what that changed).
function takeAnswer(state: ReaderState, response: { correlationId: number; from: string }, nowMs: number, out: Out): { state: ReaderState; network?: NetworkClient<ReaderRequest> } {
  const taken = takeResponse(state.network, response);
  if (taken === undefined) return { state };
  if (taken.outOfOrder) return { state: closeConnections(state, [taken.request.node], nowMs, out) };
  return { state, network: answeredBy(taken.nc, taken.request.node) };
}

function failRequestsTo(state: ReaderState, node: number, nowMs: number): ReaderState {
  let next = state;
  if (next.metadataRequest?.node === node) next = abandonMetadataRequest(next, nowMs);
  const fetcher = failFetch(next.fetcher, node);
  if (fetcher !== next.fetcher) next = { ...next, fetcher };
  const validation = failValidations(next.validation, node, nowMs, next.config.retryBackoffMs);
  if (validation !== next.validation) next = { ...next, validation };
  const resets = Object.fromEntries(Object.entries(next.resets).filter(([, reset]) => reset.node !== node));
  if (Object.keys(resets).length !== Object.keys(next.resets).length) next = { ...next, resets };
  return next;
}

// One timer for the earliest request deadline (fetches, validations, resets, metadata, handshakes) or end of a
// reconnect backoff.
function armDeadline(state: ReaderState, nowMs: number, out: Out): ReaderState {
  const earliest = nextNetworkDeadlineMs(state.network, nowMs);
  // A timer already set for no later than that stays: when it fires, onDeadline sets the next one. So a reader that
  // sends a fetch per answer does not set a timer per fetch.
  if (earliest === null || (state.deadlineTimerMs !== null && state.deadlineTimerMs <= earliest)) return state;
  out.push({ kind: 'timer', id: 'reader.deadline', delayMs: Math.max(0, earliest - nowMs), event: { type: 'reader.deadline' } });
  return { ...state, deadlineTimerMs: earliest };
}

function requestTiming(state: ReaderState, nowMs: number): { nowMs: number; timeoutMs: number } {
  return { nowMs, timeoutMs: state.config.requestTimeoutMs };
}

function assignNotes(id: number, partitions: readonly string[]): ReaderEffect[] {
  const value = { partitions: [...partitions] };
  return [
    { kind: 'note', data: { history: 'invoke', id, f: 'assign', value } },
    { kind: 'note', data: { history: 'complete', id, type: 'ok', value } },
  ];
}

function withoutKey<T>(record: Readonly<Record<number, T>>, key: number): Record<number, T> {
  const rest = { ...record };
  delete rest[key];
  return rest;
}

