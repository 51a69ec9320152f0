import type { OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse, OffsetForLeaderPartition } from '../../src/protocol/messages.ts';
import { parseTopicPartitionKey, topicPartitionKey } from '../../src/protocol/messages.ts';
import { brokerIdOf } from '../../src/protocol/nodeIds.ts';
import type { SendThrough } from './fetcher.ts';
import type { PartitionLeader, PartitionLeaders } from './metadata.ts';

// Position validation after a leader change (KIP-320), shared by the reader and the group consumer, as data in,
// data out: what Kafka's `SubscriptionState` adds to an offset (`FetchPosition.offsetEpoch` and `currentLeader`, the
// AWAIT_VALIDATION fetch state, `maybeValidatePositionForCurrentLeader`, `maybeCompleteValidation`), with
// `OffsetFetcher#validatePositionsIfNeeded` and `OffsetsForLeaderEpochUtils` around it.
//
// A position remembers the leader epoch of the batch of the last record poll() returned, and the leader it was read
// under. When metadata names another leader or epoch, the partition stops fetching (its buffered records are
// dropped) and asks the new leader, with OffsetsForLeaderEpoch, where that epoch ends in its log. An end below the
// position means the log was truncated under the client (an unclean election): the position moves back to that end
// offset, or, under auto.offset.reset=none, poll() throws LogTruncationException. A position without an epoch (just
// set by a seek, an offset reset or a committed offset) has nothing to validate and is not kept here. The offsets
// themselves stay with the caller. Longer than most files: the fetch states and the one request that moves them
// between states read as one piece.

/** What Kafka's FetchPosition adds to a position's offset, by fetch state. */
export type PositionEpochs =
  | { readonly fetchState: 'fetching'; readonly offsetEpoch: number; readonly currentLeader: PartitionLeader }
  | {
      /** SubscriptionState's AWAIT_VALIDATION: no fetching until the leader has said where `offsetEpoch` ends. */
      readonly fetchState: 'awaitValidation';
      readonly offsetEpoch: number;
      readonly currentLeader: PartitionLeader;
      /** No OffsetsForLeaderEpoch before then: one is in flight, or the last failed (retry.backoff.ms). */
      readonly nextRetryMs: number;
    };

/** A position as an OffsetsForLeaderEpoch request validated it, to tell a stale answer from a current one. */
export interface ValidatedPosition {
  readonly offset: number;
  readonly offsetEpoch: number;
  readonly currentLeaderEpoch: number;
}

/** An OffsetsForLeaderEpoch in flight: the leader it went to, and the positions it validates (its deadline is the network client's). */
export interface ValidationRequest {
  readonly node: number;
  readonly positions: Readonly<Record<string, ValidatedPosition>>;
}

/** The epochs of the positions that have one, by partition key, and the validations in flight by correlation id. */
export interface PositionValidation {
  readonly epochs: Readonly<Record<string, PositionEpochs>>;
  readonly inFlight: Readonly<Record<number, ValidationRequest>>;
}

/** Kafka's SubscriptionState.LogTruncation: a position the leader's log no longer reaches, and where it diverges. */
export interface LogTruncation {
  readonly key: string;
  readonly fetchOffset: number;
  readonly offsetEpoch: number;
  /** The end offset of the epoch on the leader, or null when the leader did not know the epoch. */
  readonly divergentOffset: number | null;
  readonly divergentEpoch: number | null;
}

/** No position has an epoch yet. */
export function emptyPositionValidation(): PositionValidation {
  return { epochs: {}, inFlight: {} };
}

/** Whether the partition waits for its position to be validated (it is not fetched meanwhile). */
export function isAwaitingValidation(v: PositionValidation, key: string): boolean {
  return v.epochs[key]?.fetchState === 'awaitValidation';
}

/** Whether any partition waits for validation. */
export function hasAwaitingValidation(v: PositionValidation): boolean {
  // Asked on every fetch answer: a walk without the array Object.values would build (a client may read a thousand partitions).
  for (const key in v.epochs) if (v.epochs[key]?.fetchState === 'awaitValidation') return true;
  return false;
}

/**
 * The positions that may be fetched and take fetched records: all but those awaiting validation
 * (`FetchState#hasValidPosition` is false in AWAIT_VALIDATION).
 */
export function fetchablePositions(positions: Readonly<Record<string, number>>, v: PositionValidation): Readonly<Record<string, number>> {
  if (!hasAwaitingValidation(v)) return positions;
  const fetchable: Record<string, number> = {};
  for (const [key, offset] of Object.entries(positions)) if (!isAwaitingValidation(v, key)) fetchable[key] = offset;
  return fetchable;
}

/**
 * poll() returned records: each moved position takes the epoch of its last record's batch (`FetchCollector#fetchRecords`
 * builds the next FetchPosition with `CompletedFetch#lastEpoch`). It keeps the leader it was read under; a position
 * that had no epoch takes the leader metadata names now, which is the one it was fetched from.
 */
export function recordConsumedEpochs(v: PositionValidation, offsetEpochs: Readonly<Record<string, number>>, leaders: PartitionLeaders): PositionValidation {
  let epochs: Record<string, PositionEpochs> | undefined;
  for (const [key, offsetEpoch] of Object.entries(offsetEpochs)) {
    const known = v.epochs[key];
    if (known !== undefined && known.fetchState !== 'fetching') throw new Error(`positionValidation: records returned for ${key}, which awaits validation`);
    if (known?.offsetEpoch === offsetEpoch) continue;
    epochs ??= { ...v.epochs };
    // A batch without a leader epoch (NO_PARTITION_LEADER_EPOCH) leaves the position without one.
    if (offsetEpoch < 0) delete epochs[key];
    else epochs[key] = { fetchState: 'fetching', offsetEpoch, currentLeader: known?.currentLeader ?? leaders[key] ?? { leader: -1, leaderEpoch: -1 } };
  }
  return epochs === undefined ? v : { ...v, epochs };
}

/**
 * Positions set without an epoch (a seek, an offset reset, a committed offset), or no longer assigned: nothing to
 * validate (`SubscriptionState#seekValidated`). Their validations in flight find no position when answered.
 */
export function forgetPositions(v: PositionValidation, keys: readonly string[]): PositionValidation {
  if (!keys.some((key) => Object.hasOwn(v.epochs, key))) return v;
  const epochs = { ...v.epochs };
  for (const key of keys) delete epochs[key];
  return { ...v, epochs };
}

/**
 * `OffsetFetcherUtils#validatePositionsOnMetadataChange`: every position read under another leader or leader epoch
 * than metadata names now awaits validation against the new one (`SubscriptionState#maybeValidatePositionForCurrentLeader`);
 * a partition without a leader in metadata waits as it is. Returns the partitions that entered validation, whose
 * buffered records the caller drops.
 */
export function validatePositionsForCurrentLeaders(v: PositionValidation, leaders: PartitionLeaders): { readonly validation: PositionValidation; readonly awaiting: readonly string[] } {
  let epochs: Record<string, PositionEpochs> | undefined;
  const awaiting: string[] = [];
  for (const [key, known] of Object.entries(v.epochs)) {
    const leader = leaders[key];
    if (leader === undefined || leader.leader < 0) continue;
    if (leader.leader === known.currentLeader.leader && leader.leaderEpoch === known.currentLeader.leaderEpoch) continue;
    (epochs ??= { ...v.epochs })[key] = { fetchState: 'awaitValidation', offsetEpoch: known.offsetEpoch, currentLeader: leader, nextRetryMs: -Infinity };
    awaiting.push(key);
  }
  return { validation: epochs === undefined ? v : { ...v, epochs }, awaiting };
}

/**
 * `OffsetFetcher#validatePositionsAsync` with `OffsetsForLeaderEpochUtils#prepareRequest`: one OffsetsForLeaderEpoch
 * per leader for the positions awaiting validation whose retry time has come, each asking where its offsetEpoch
 * ends, fenced by the leader epoch it expects, sent in broker id order through `send`; none goes to a leader the
 * client may not send to now (`canSendTo`: reconnect backoff). A partition is asked again only after
 * request.timeout.ms or an answer (`SubscriptionState#setNextAllowedRetry`). Returns the validation state that
 * tracks them (the same one when nothing is due).
 */
export function sendValidations(
  v: PositionValidation,
  positions: Readonly<Record<string, number>>,
  options: {
    readonly nowMs: number;
    readonly requestTimeoutMs: number;
    readonly canSendTo: (node: number) => boolean;
    readonly send: SendThrough<OffsetsForLeaderEpochRequest>;
  },
): PositionValidation {
  const { nowMs, requestTimeoutMs } = options;
  const byNode = new Map<number, string[]>();
  for (const [key, known] of Object.entries(v.epochs)) {
    if (known.fetchState !== 'awaitValidation' || known.nextRetryMs > nowMs || positions[key] === undefined) continue;
    if (!options.canSendTo(known.currentLeader.leader)) continue;
    let keys = byNode.get(known.currentLeader.leader);
    if (keys === undefined) byNode.set(known.currentLeader.leader, (keys = []));
    keys.push(key);
  }
  if (byNode.size === 0) return v;
  const epochs: Record<string, PositionEpochs> = { ...v.epochs };
  const inFlight: Record<number, ValidationRequest> = { ...v.inFlight };
  for (const [node, keys] of [...byNode].sort(([a], [b]) => a - b)) {
    const validated: Record<string, ValidatedPosition> = {};
    const partitions: OffsetForLeaderPartition[] = [];
    for (const key of keys) {
      const known = epochs[key] as Extract<PositionEpochs, { fetchState: 'awaitValidation' }>;
      const position = { offset: positions[key] as number, offsetEpoch: known.offsetEpoch, currentLeaderEpoch: known.currentLeader.leaderEpoch };
      validated[key] = position;
      partitions.push({ ...parseTopicPartitionKey(key), leaderEpoch: position.offsetEpoch, currentLeaderEpoch: position.currentLeaderEpoch });
      epochs[key] = { ...known, nextRetryMs: nowMs + requestTimeoutMs };
    }
    const correlationId = options.send(node, (id) => ({ type: 'offsetsForLeaderEpoch.request', correlationId: id, replicaId: -1, partitions }));
    inFlight[correlationId] = { node, positions: validated };
  }
  return { epochs, inFlight };
}

/** What an OffsetsForLeaderEpoch answer asks of the client. */
export interface ValidationOutcome {
  readonly validation: PositionValidation;
  /** The answer was a validation in flight from that broker (false: stale or unknown, ignored). */
  readonly matched: boolean;
  /** A partition failed (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, ...): metadata is asked for, it retries later. */
  readonly refreshMetadata: boolean;
  /** Truncated under a reset policy: the position moves back to `divergentOffset`, its buffer dropped. */
  readonly seeks: ReadonlyArray<LogTruncation & { readonly divergentOffset: number; readonly divergentEpoch: number }>;
  /** Truncated, and the leader does not know the position's epoch: the client resets as auto.offset.reset says. */
  readonly resets: readonly LogTruncation[];
  /** Truncated with no reset policy (auto.offset.reset=none): poll() throws LogTruncationException. */
  readonly truncations: readonly LogTruncation[];
}

/**
 * An OffsetsForLeaderEpoch answer (`OffsetsForLeaderEpochUtils#handleResponse`, then
 * `OffsetFetcherUtils#onSuccessfulResponseForValidatingPositions`). A partition answered without an error completes
 * its validation (`SubscriptionState#maybeCompleteValidation`) if its position is still the one validated:
 * - the leader knows no epoch at or below the position's (-1): reset by policy, or a truncation of unknown extent;
 * - the epoch ends below the position: the log was truncated; with a reset policy the position moves to that end
 *   offset, under the epoch the leader answered ("resetting offset to the first offset known to diverge"), else it is
 *   a LogTruncation;
 * - otherwise the position stands and fetching resumes.
 * A partition with an error, or left out of the answer, is asked again after retry.backoff.ms, with fresh metadata.
 */
export function onOffsetsForLeaderEpochResponse(
  v: PositionValidation,
  response: OffsetsForLeaderEpochResponse & { readonly from: string },
  positions: Readonly<Record<string, number>>,
  options: { readonly nowMs: number; readonly retryBackoffMs: number; readonly hasResetPolicy: boolean },
): ValidationOutcome {
  const sent = v.inFlight[response.correlationId];
  const none = { seeks: [], resets: [], truncations: [] };
  if (sent === undefined || brokerIdOf(response.from) !== sent.node) return { validation: v, matched: false, refreshMetadata: false, ...none };
  const inFlight = { ...v.inFlight };
  delete inFlight[response.correlationId];
  const epochs: Record<string, PositionEpochs> = { ...v.epochs };
  const outcome = { seeks: [] as Array<ValidationOutcome['seeks'][number]>, resets: [] as LogTruncation[], truncations: [] as LogTruncation[] };
  const toRetry = new Set(Object.keys(sent.positions));
  for (const answer of response.partitions) {
    const key = topicPartitionKey(answer.topic, answer.partition);
    const requested = sent.positions[key];
    if (requested === undefined || answer.errorCode !== undefined) continue;
    toRetry.delete(key);
    const known = epochs[key];
    if (known?.fetchState !== 'awaitValidation' || !isSamePosition(requested, positions[key], known)) continue;
    const truncation: LogTruncation = { key, fetchOffset: requested.offset, offsetEpoch: requested.offsetEpoch, divergentOffset: null, divergentEpoch: null };
    if (answer.endOffset < 0 || answer.leaderEpoch < 0) {
      if (!options.hasResetPolicy) outcome.truncations.push(truncation);
      else {
        delete epochs[key];
        outcome.resets.push(truncation);
      }
    } else if (answer.endOffset < requested.offset) {
      const diverged = { ...truncation, divergentOffset: answer.endOffset, divergentEpoch: answer.leaderEpoch };
      if (!options.hasResetPolicy) outcome.truncations.push(diverged);
      else {
        epochs[key] = { fetchState: 'fetching', offsetEpoch: answer.leaderEpoch, currentLeader: known.currentLeader };
        outcome.seeks.push(diverged);
      }
    } else {
      epochs[key] = { fetchState: 'fetching', offsetEpoch: known.offsetEpoch, currentLeader: known.currentLeader };
    }
  }
  for (const key of toRetry) {
    const known = epochs[key];
    if (known?.fetchState === 'awaitValidation') epochs[key] = { ...known, nextRetryMs: options.nowMs + options.retryBackoffMs };
  }
  return { validation: { epochs, inFlight }, matched: true, refreshMetadata: toRetry.size > 0, ...outcome };
}

// Whether the position is still the one the request validated (FetchPosition#equals).
function isSamePosition(requested: ValidatedPosition, offset: number | undefined, known: PositionEpochs): boolean {
  return offset === requested.offset && known.offsetEpoch === requested.offsetEpoch && known.currentLeader.leaderEpoch === requested.currentLeaderEpoch;
}

/**
 * The connection to `node` broke, or its validation timed out: what was in flight there failed, and its partitions
 * are asked again after retry.backoff.ms (`OffsetFetcherUtils#onFailedResponseForValidatingPositions`).
 */
export function failValidations(v: PositionValidation, node: number, nowMs: number, retryBackoffMs: number): PositionValidation {
  const failed = Object.entries(v.inFlight).filter(([, request]) => request.node === node);
  if (failed.length === 0) return v;
  const inFlight = { ...v.inFlight };
  const epochs: Record<string, PositionEpochs> = { ...v.epochs };
  for (const [id, request] of failed) {
    delete inFlight[Number(id)];
    for (const key of Object.keys(request.positions)) {
      const known = epochs[key];
      if (known?.fetchState === 'awaitValidation') epochs[key] = { ...known, nextRetryMs: nowMs + retryBackoffMs };
    }
  }
  return { epochs, inFlight };
}

/** What the client did about a detected truncation: moved back to the divergent offset, reset by policy, or threw. */
export type TruncationResolution = 'seek' | 'reset' | 'fatal';

/** The note a client emits when validation finds its log truncated (Kafka logs it: "Truncation detected for partition ..."). */
export interface LogTruncationNote {
  readonly logTruncation: {
    readonly partition: string;
    readonly fetchOffset: number;
    readonly offsetEpoch: number;
    readonly divergentOffset: number | null;
    readonly divergentEpoch: number | null;
    readonly resolution: TruncationResolution;
  };
}

/** The note effect for a detected truncation. */
export function logTruncationNote(truncation: LogTruncation, resolution: TruncationResolution): { kind: 'note'; data: LogTruncationNote } {
  const { key, fetchOffset, offsetEpoch, divergentOffset, divergentEpoch } = truncation;
  return { kind: 'note', data: { logTruncation: { partition: key, fetchOffset, offsetEpoch, divergentOffset, divergentEpoch, resolution } } };
}
