// Where a group consumer reads and what it has processed, per assigned partition (Kafka's `SubscriptionState`
// positions, `ConsumerCoordinator#refreshCommittedOffsetsIfNeeded`, `OffsetFetcher#resetPositionsIfNeeded`):
// - the position: the next offset to fetch, moved when a poll returns records (reader's fetchPositions);
// - the processed position: the offset after the last record the application finished; what a commit stores,
//   since a committed offset is "the next offset to read" (semantics §6);
// - the committed offset the coordinator last acknowledged.
// A newly assigned partition has no position until OffsetFetch answers: the committed offset, or, when there is
// none (-1), auto.offset.reset decides. Commits are in offsetCommits.ts; the leader epochs of the positions, and
// their validation after a leader change (KIP-320), are in actors/client/positionValidation.ts.
import type { TopicPartition } from '../assignors/TopicPartition.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from '../../src/protocol/groupMessages.ts';
import { advancePosition, positionOf, type FetchPositions } from '../reader/fetchPositions.ts';
import type { LogRecord } from '../../src/history/History.ts';
import { parseTopicPartitionKey, topicPartitionKey } from '../../src/protocol/messages.ts';
import type { AutoOffsetReset, ConsumerConfig } from './consumerDefaults.ts';
import { invariant } from './invariant.ts';

/** The consumer's offsets, by topic-partition key (`orders-3`). */
export interface OffsetTracking {
  /** Next offset to fetch, for partitions whose start is known. */
  readonly positions: FetchPositions;
  /** Offset after the last processed record (the start position until one is processed). */
  readonly processed: Readonly<Record<string, number>>;
  /** The last offset the coordinator acknowledged for the partition (as fetched, or as committed since). */
  readonly committed: Readonly<Record<string, number>>;
  /** Assigned partitions waiting for OffsetFetch. */
  readonly awaitingOffsetFetch: readonly string[];
  /** Partitions waiting for ListOffsets(LATEST) under auto.offset.reset=latest. */
  readonly awaitingReset: readonly string[];
  /** When the next auto-commit is due (auto.commit.interval.ms after the last one). */
  readonly nextAutoCommitMs: number;
}

/**
 * An effect for the consumer machine:
 * - `offsetFetch`: send the OffsetFetch to the coordinator, answer with `applyOffsetFetch`.
 * - `listOffsets`: ListOffsets(timestamp -1, LATEST: the high watermark) to the partition's leader, answer with
 *   `applyLatestOffset` (on an error, send it again after the metadata refresh).
 * - `noOffsetForPartition`: auto.offset.reset=none and nothing committed: poll() throws (fatal for the simulator).
 */
export type OffsetEffect =
  | { readonly type: 'offsetFetch'; readonly request: OffsetFetchRequest }
  | { readonly type: 'listOffsets'; readonly topic: string; readonly partition: number; readonly timestamp: -1 | -2 }
  | { readonly type: 'noOffsetForPartition'; readonly partitions: readonly string[] };

/** An offset rule's outcome. */
export interface OffsetResult {
  readonly state: OffsetTracking;
  readonly effects: readonly OffsetEffect[];
}

/** No partitions yet; the first auto-commit is due auto.commit.interval.ms from now. */
export function emptyOffsetTracking(nowMs: number, config: ConsumerConfig): OffsetTracking {
  return { positions: {}, processed: {}, committed: {}, awaitingOffsetFetch: [], awaitingReset: [], nextAutoCommitMs: nowMs + config.autoCommitIntervalMs };
}

/** onPartitionsAssigned: the new partitions wait for their committed offsets. */
export function onPartitionsAssigned(t: OffsetTracking, partitions: readonly TopicPartition[]): OffsetResult {
  if (partitions.length === 0) return { state: t, effects: [] };
  const keys = partitions.map(([topic, partition]) => topicPartitionKey(topic, partition));
  const state = { ...t, awaitingOffsetFetch: [...new Set([...t.awaitingOffsetFetch, ...keys])] };
  const request = { partitions: partitions.map(([topic, partition]) => ({ topic, partition })) };
  return { state, effects: [{ type: 'offsetFetch', request }] };
}

/** onPartitionsRevoked / onPartitionsLost: the partitions are forgotten (after any commit on revocation). */
export function onPartitionsRemoved(t: OffsetTracking, partitions: readonly TopicPartition[]): OffsetTracking {
  const gone = new Set(partitions.map(([topic, partition]) => topicPartitionKey(topic, partition)));
  const keep = <V>(record: Readonly<Record<string, V>>) => Object.fromEntries(Object.entries(record).filter(([key]) => !gone.has(key)));
  return {
    ...t,
    positions: keep(t.positions),
    processed: keep(t.processed),
    committed: keep(t.committed),
    awaitingOffsetFetch: t.awaitingOffsetFetch.filter((key) => !gone.has(key)),
    awaitingReset: t.awaitingReset.filter((key) => !gone.has(key)),
  };
}

/**
 * The committed offsets arrive. A partition with a committed offset starts there. One without (-1) follows
 * auto.offset.reset: `earliest` starts at 0 (the simulated logs start there; a fetch below a later log start gets
 * OFFSET_OUT_OF_RANGE and the reader's reset finds it), `latest` asks its leader for the high watermark, `none`
 * fails. Answers for partitions no longer awaited (revoked meanwhile) are ignored.
 */
export function applyOffsetFetch(t: OffsetTracking, response: OffsetFetchResponse, reset: AutoOffsetReset): OffsetResult {
  let state = t;
  const effects: OffsetEffect[] = [];
  const noOffset: string[] = [];
  for (const { topic, partition, offset } of response.partitions) {
    const key = topicPartitionKey(topic, partition);
    if (!state.awaitingOffsetFetch.includes(key)) continue;
    const awaitingOffsetFetch = state.awaitingOffsetFetch.filter((k) => k !== key);
    if (offset >= 0) {
      state = { ...startAt(state, key, offset), awaitingOffsetFetch, committed: { ...state.committed, [key]: offset } };
    } else if (reset === 'earliest') {
      state = { ...startAt(state, key, 0), awaitingOffsetFetch };
    } else if (reset === 'latest') {
      state = { ...state, awaitingOffsetFetch, awaitingReset: [...state.awaitingReset, key] };
      effects.push({ type: 'listOffsets', topic, partition, timestamp: -1 });
    } else {
      state = { ...state, awaitingOffsetFetch };
      noOffset.push(key);
    }
  }
  if (noOffset.length > 0) effects.push({ type: 'noOffsetForPartition', partitions: noOffset });
  return { state, effects };
}

/**
 * A fetch found the position outside the log (OFFSET_OUT_OF_RANGE): the partition waits for ListOffsets as
 * auto.offset.reset says (`earliest`: the log start, `latest`: the high watermark); under `none` there is nothing
 * to reset to and poll() throws (`noOffsetForPartition`).
 */
export function resetOutOfRange(t: OffsetTracking, key: string, reset: AutoOffsetReset): OffsetResult {
  if (!Object.hasOwn(t.positions, key) || t.awaitingReset.includes(key)) return { state: t, effects: [] };
  if (reset === 'none') return { state: t, effects: [{ type: 'noOffsetForPartition', partitions: [key] }] };
  const { topic, partition } = parseTopicPartitionKey(key);
  const state = { ...t, awaitingReset: [...t.awaitingReset, key] };
  return { state, effects: [{ type: 'listOffsets', topic, partition, timestamp: reset === 'earliest' ? -2 : -1 }] };
}

/** ListOffsets answered (the log start or the high watermark): the partition starts there. Ignored if not awaited. */
export function applyLatestOffset(t: OffsetTracking, key: string, offset: number): OffsetTracking {
  if (!t.awaitingReset.includes(key)) return t;
  invariant(Number.isInteger(offset) && offset >= 0, `ListOffsets answered offset ${offset} for ${key}`);
  return { ...startAt(t, key, offset), awaitingReset: t.awaitingReset.filter((k) => k !== key) };
}

/**
 * Validation after a leader change found the log truncated below the position, and auto.offset.reset is set
 * (`SubscriptionState#maybeCompleteValidation`): the position moves back to the end offset of its epoch on the leader,
 * the first offset known to diverge. The processed position moves back with it (the records processed past it are
 * no longer in the log), so a commit then stores that offset, as Kafka's consumer commits its position. Validation
 * runs inside poll(), so the application has processed everything it polled from the partition by then.
 */
export function seekToDivergentOffset(t: OffsetTracking, key: string, offset: number): OffsetTracking {
  const position = positionOf(t.positions, key);
  const processed = t.processed[key];
  invariant(processed !== undefined, `truncation of ${key}, a partition with no processed position`);
  invariant(Number.isInteger(offset) && offset >= 0 && offset < position, `truncation of ${key} at ${position} to divergent offset ${offset}: must move back`);
  return { ...t, positions: { ...t.positions, [key]: offset }, processed: { ...t.processed, [key]: Math.min(processed, offset) } };
}

/** Whether the partition's start is known, so it may be fetched. */
export function hasPosition(t: OffsetTracking, key: string): boolean {
  return Object.hasOwn(t.positions, key);
}

/** A poll returned `records`: each partition's position moves past its last one. */
export function recordPolled(t: OffsetTracking, records: readonly LogRecord[]): OffsetTracking {
  let positions = t.positions;
  for (const record of records) {
    const key = topicPartitionKey(record.topic, record.partition);
    invariant(record.offset >= positionOf(positions, key), `poll returned ${key}@${record.offset} below position ${positionOf(positions, key)}`);
    positions = advancePosition(positions, key, record.offset + 1);
  }
  return { ...t, positions };
}

/** The application finished `record`: the processed position is the offset after it (what a commit stores). */
export function recordProcessed(t: OffsetTracking, record: LogRecord): OffsetTracking {
  const key = topicPartitionKey(record.topic, record.partition);
  const processed = t.processed[key];
  invariant(processed !== undefined, `processed ${key}@${record.offset}, a partition with no position`);
  // Processing runs in offset order within a partition, over records the poll returned.
  invariant(record.offset >= processed, `processed ${key}@${record.offset} after ${processed - 1}: out of offset order`);
  invariant(record.offset < positionOf(t.positions, key), `processed ${key}@${record.offset}, which no poll returned`);
  return { ...t, processed: { ...t.processed, [key]: record.offset + 1 } };
}

function startAt(t: OffsetTracking, key: string, offset: number): OffsetTracking {
  return { ...t, positions: { ...t.positions, [key]: offset }, processed: { ...t.processed, [key]: offset } };
}
