// One poll as pure data: the fetches (and offset resets) it sends, one per assigned partition to that partition's
// leader, and what each answer does to the positions. The machine runs a round between the poll's `invoke` and
// its `ok`; an answer that comes after the round ended (a fetch timeout) is ignored, and the partition's position
// has not moved, so the next poll fetches the same records again.
// Planning a round and applying its answers share the round's bookkeeping, so they stay in one file.
import type { LogRecord } from '../../src/history/History.ts';
import type { FetchRequest, FetchResponse, ListOffsetsRequest, ListOffsetsResponse } from '../../src/protocol/messages.ts';
import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import { partitionErrorHandling } from './fetchErrors.ts';
import { fetchedRecords } from './fetchedRecords.ts';
import { advancePosition, positionOf, resetPosition, type FetchPositions } from './fetchPositions.ts';
import { invariant } from './invariant.ts';
import { isCurrentLeader, knownLeader, type PartitionLeaders } from './partitionLeaders.ts';
import type { ReaderPartition } from './ReaderPartition.ts';

/** What the reader consumes: its assignment, positions, and the partitions waiting for an offset reset. */
export interface ConsumptionState {
  readonly assignment: readonly ReaderPartition[];
  readonly positions: FetchPositions;
  /** Keys of partitions whose position is being reset to the log start (fetched again once it is known). */
  readonly awaitingReset: readonly string[];
}

/** A request of the round that has not been answered: to whom, for which partition, from which offset. */
export interface PendingRequest {
  readonly kind: 'fetch' | 'listOffsets';
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly to: string;
  readonly fetchOffset: number;
}

/** A poll in progress. */
export interface PollRound {
  readonly operationId: number;
  /** Unanswered requests by correlation id. */
  readonly pending: Readonly<Record<number, PendingRequest>>;
  /** Records returned so far, by partition key. */
  readonly records: Readonly<Record<string, readonly LogRecord[]>>;
  /** Partitions whose leader answered with no records and a high watermark at or below the position. */
  readonly caughtUp: readonly string[];
}

/** A request to put on the bus. */
export interface OutgoingRequest {
  readonly to: string;
  readonly message: FetchRequest | ListOffsetsRequest;
}

/** What starting a poll needs. */
export interface PollPlanInput {
  readonly state: ConsumptionState;
  readonly leaders: PartitionLeaders;
  readonly operationId: number;
  readonly nextCorrelationId: number;
  readonly maxRecords: number;
}

/** A started poll: its round and the requests to send. */
export interface PollPlan {
  readonly round: PollRound;
  readonly requests: OutgoingRequest[];
  readonly nextCorrelationId: number;
}

/**
 * One request per assigned partition whose leader is known: a consumer fetch (replicaId -1, the leader epoch
 * from metadata as currentLeaderEpoch, KIP-320), or ListOffsets(EARLIEST) for a partition awaiting a reset.
 * A partition without a known leader gets nothing; the metadata region keeps asking until it has one.
 */
export function planPoll({ state, leaders, operationId, nextCorrelationId, maxRecords }: PollPlanInput): PollPlan {
  const requests: OutgoingRequest[] = [];
  const pending: Record<number, PendingRequest> = {};
  let correlationId = nextCorrelationId;
  for (const { topic, partition, key } of state.assignment) {
    const leader = knownLeader(leaders, key);
    if (leader === undefined) continue;
    const to = brokerNodeId(leader.leader);
    const fetchOffset = positionOf(state.positions, key);
    const currentLeaderEpoch = leader.leaderEpoch;
    const resetting = state.awaitingReset.includes(key);
    const message: FetchRequest | ListOffsetsRequest = resetting
      ? { type: 'listOffsets.request', correlationId, topic, partition, timestamp: -2, currentLeaderEpoch }
      : {
          type: 'fetch.request',
          correlationId,
          replicaId: -1,
          replicaEpoch: -1,
          topic,
          partition,
          fetchOffset,
          currentLeaderEpoch,
          lastFetchedEpoch: -1,
          maxRecords,
        };
    requests.push({ to, message });
    pending[correlationId] = { kind: resetting ? 'listOffsets' : 'fetch', key, topic, partition, to, fetchOffset };
    correlationId++;
  }
  const round: PollRound = { operationId, pending, records: {}, caughtUp: [] };
  return { round, requests, nextCorrelationId: correlationId };
}

/** What an answer changes. */
export interface AnswerOutcome {
  readonly state: ConsumptionState;
  readonly round: PollRound;
  /** True when the answer says the reader's metadata is stale. */
  readonly refreshMetadata: boolean;
}

/** What applying an answer needs. */
export interface AnswerInput {
  readonly state: ConsumptionState;
  readonly round: PollRound;
  readonly leaders: PartitionLeaders;
  readonly maxRecords: number;
}

/** The round's request that `answer` answers, or undefined when it is not one (late, duplicated, not ours). */
export function pendingFor(
  round: PollRound,
  answer: { type: string; correlationId: number; from: string },
): PendingRequest | undefined {
  const request = round.pending[answer.correlationId];
  if (request === undefined || request.to !== answer.from) return undefined;
  const kind = answer.type === 'fetch.response' ? 'fetch' : 'listOffsets';
  return request.kind === kind ? request : undefined;
}

/** Applies a fetch answer of the round: its records advance the position; an error decides what happens next. */
export function applyFetchResponse(input: AnswerInput, response: FetchResponse & { from: string }): AnswerOutcome {
  const { state, round, leaders, maxRecords } = input;
  const request = answered(round, response);
  const pending = withoutRequest(round.pending, response.correlationId);
  const error = response.errorCode ?? 'NONE';
  if (error !== 'NONE') return onError({ state, round: { ...round, pending } }, request.key, error);
  // One request per partition per round, and positions move only on answers of the round.
  invariant(positionOf(state.positions, request.key) === request.fetchOffset, `fetch of ${request.key} answered after its position moved`);
  const { records, nextPosition } = fetchedRecords(response, request.fetchOffset, maxRecords);
  const caughtUp =
    records.length === 0 && nextPosition >= response.highWatermark && isCurrentLeader(leaders, request.key, response.from);
  return {
    state: { ...state, positions: advancePosition(state.positions, request.key, nextPosition) },
    round: {
      ...round,
      pending,
      records: { ...round.records, [request.key]: records },
      caughtUp: caughtUp ? [...round.caughtUp, request.key] : round.caughtUp,
    },
    refreshMetadata: false,
  };
}

/** Applies a ListOffsets(EARLIEST) answer of the round: the reset partition is fetched from the log start. */
export function applyListOffsetsResponse(input: AnswerInput, response: ListOffsetsResponse & { from: string }): AnswerOutcome {
  const { state, round } = input;
  const request = answered(round, response);
  const pending = withoutRequest(round.pending, response.correlationId);
  const error = response.errorCode ?? 'NONE';
  if (error !== 'NONE' || response.offset < 0) return onError({ state, round: { ...round, pending } }, request.key, error);
  return {
    state: {
      ...state,
      positions: resetPosition(state.positions, request.key, response.offset),
      awaitingReset: state.awaitingReset.filter((key) => key !== request.key),
    },
    round: { ...round, pending },
    refreshMetadata: false,
  };
}

/**
 * The connection to a broker was reset: the round's requests to it get no answer (no records from those partitions
 * this time). `failed` counts them; the caller then asks for fresh metadata, as `handleServerDisconnect` does.
 */
export function failRequestsTo(round: PollRound, to: string): { round: PollRound; failed: number } {
  const pending: Record<number, PendingRequest> = {};
  let failed = 0;
  for (const [id, request] of Object.entries(round.pending)) {
    if (request.to === to) failed++;
    else pending[Number(id)] = request;
  }
  return { round: failed === 0 ? round : { ...round, pending }, failed };
}

/** True when every request of the round has been answered. */
export function isRoundComplete(round: PollRound): boolean {
  return Object.keys(round.pending).length === 0;
}

/** The records the poll returns: partition by partition in assignment order, each in offset order. */
export function roundRecords(round: PollRound, assignment: readonly ReaderPartition[]): LogRecord[] {
  return assignment.flatMap((p) => round.records[p.key] ?? []);
}

/** True when the round saw every assigned partition caught up with its leader's high watermark. */
export function isRoundCaughtUp(round: PollRound, assignment: readonly ReaderPartition[]): boolean {
  return assignment.every((p) => round.caughtUp.includes(p.key));
}

function answered(round: PollRound, answer: FetchResponse | ListOffsetsResponse): PendingRequest {
  const request = round.pending[answer.correlationId];
  invariant(request !== undefined, `answer ${answer.correlationId} applied without a pending request`);
  invariant(
    request.topic === answer.topic && request.partition === answer.partition,
    `${answer.type} ${answer.correlationId} names ${answer.topic}-${answer.partition}, the request was for ${request.key}`,
  );
  return request;
}

function withoutRequest(pending: PollRound['pending'], correlationId: number): PollRound['pending'] {
  const rest = { ...pending };
  delete rest[correlationId];
  return rest;
}

function onError(outcome: Omit<AnswerOutcome, 'refreshMetadata'>, key: string, error: Parameters<typeof partitionErrorHandling>[0]): AnswerOutcome {
  const handling = partitionErrorHandling(error);
  if (handling === 'resetToEarliest' && !outcome.state.awaitingReset.includes(key)) {
    return { ...outcome, state: { ...outcome.state, awaitingReset: [...outcome.state.awaitingReset, key] }, refreshMetadata: false };
  }
  return { ...outcome, refreshMetadata: handling === 'refreshMetadata' };
}
