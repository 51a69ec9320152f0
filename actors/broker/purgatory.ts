import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { FetchRequest } from '../../src/protocol/messages.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// The broker's purgatory (Kafka's DelayedOperationPurgatory) as plain data: operations that wait for something to
// happen to a partition, each watched under the keys of the partitions it concerns, each with a timer of its own
// (its id is the operation's id). One purgatory holds both kinds Kafka has here: acks=all produces waiting for the
// ISR (DelayedProduce, client produces and the group coordinator's writes alike) and fetches waiting for data
// (DelayedFetch, consumers and followers alike). The rules that complete them are delayedProduce.ts and
// delayedFetch.ts; completeDelayed.ts runs them when a partition changes.

/** Who waits for a produce: a client (answered with a produce.response) or this broker's group coordinator. */
export type ProduceRequester =
  | { readonly kind: 'client'; readonly to: string; readonly correlationId: number }
  | { readonly kind: 'coordinator'; readonly appendId: string };

/** One partition of a produce: where its batch landed, and its outcome (null while it waits for the ISR). */
export interface ProducePartitionStatus {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly errorCode: KafkaErrorType | null;
}

/** An acks=all produce waiting until every partition is decided (DelayedProduce). */
export interface DelayedProduce {
  readonly kind: 'produce';
  /** When it times out (the request's timeoutMs after it was parked). */
  readonly expiresAtMs: number;
  readonly requester: ProduceRequester;
  readonly partitions: readonly ProducePartitionStatus[];
}

/** A fetch waiting for `minBytes` or `maxWaitMs` (DelayedFetch). */
export interface DelayedFetch {
  readonly kind: 'fetch';
  /** When it is answered with what there is (the request's maxWaitMs after it was parked). */
  readonly expiresAtMs: number;
  readonly to: string;
  readonly request: FetchRequest;
}

/** Any delayed operation. */
export type DelayedOperation = DelayedProduce | DelayedFetch;

/**
 * Operations by id (in the order they were parked: ids are not integer-like, so objects keep that order), the
 * partition keys each watches, and when the purgatory's one expiry timer fires (null: none set). Kafka's purgatory
 * has a timing wheel; here one timer is set for the earliest expiry and set again when it fires, so an operation
 * completed before its time costs no cancelled timer. Watchers of a partition are found by walking the few
 * operations parked rather than kept per partition, so parking and completing copy two small records, not one
 * record with an entry per partition.
 */
export interface Purgatory {
  readonly operations: Readonly<Record<string, DelayedOperation>>;
  readonly watched: Readonly<Record<string, readonly string[]>>;
  readonly timerAtMs: number | null;
}

/** A purgatory with nothing in it. */
export function emptyPurgatory(): Purgatory {
  return { operations: {}, watched: {}, timerAtMs: null };
}

/** The ids of the operations whose time has come, oldest first (ids count up per broker). */
export function dueOperations(purgatory: Purgatory, nowMs: number): string[] {
  return Object.entries(purgatory.operations)
    .filter(([, operation]) => operation.expiresAtMs <= nowMs)
    .map(([id]) => id);
}

/** The earliest expiry of the operations still waiting, or null. */
export function nextExpiryMs(purgatory: Purgatory): number | null {
  let earliest: number | null = null;
  for (const operation of Object.values(purgatory.operations)) if (earliest === null || operation.expiresAtMs < earliest) earliest = operation.expiresAtMs;
  return earliest;
}

/** The partition keys an operation watches. */
export function watchedKeys(operation: DelayedOperation): string[] {
  const keys = operation.kind === 'produce' ? operation.partitions.map((p) => topicPartitionKey(p.topic, p.partition)) : operation.request.partitions.map((p) => topicPartitionKey(p.topic, p.partition));
  return [...new Set(keys)];
}

/** Adds an operation under every partition it watches. */
export function watch(purgatory: Purgatory, id: string, operation: DelayedOperation): Purgatory {
  return { ...purgatory, operations: { ...purgatory.operations, [id]: operation }, watched: { ...purgatory.watched, [id]: watchedKeys(operation) } };
}

/** Removes a completed or expired operation. */
export function unwatch(purgatory: Purgatory, id: string): Purgatory {
  if (!Object.hasOwn(purgatory.operations, id)) return purgatory;
  const operations = { ...purgatory.operations };
  delete operations[id];
  const watched = { ...purgatory.watched };
  delete watched[id];
  return { ...purgatory, operations, watched };
}

/** The operation with this id, if it still waits. */
export function operationOf(purgatory: Purgatory, id: string): DelayedOperation | undefined {
  return Object.hasOwn(purgatory.operations, id) ? purgatory.operations[id] : undefined;
}

/** The ids of the operations watching a partition, oldest first. */
export function watchersOf(purgatory: Purgatory, key: string): readonly string[] {
  const ids: string[] = [];
  for (const id in purgatory.watched) if ((purgatory.watched[id] as readonly string[]).includes(key)) ids.push(id);
  return ids;
}
