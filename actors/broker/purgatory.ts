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

/** One parked operation: its id, the operation, and the partition keys it watches. */
export interface ParkedOperation {
  readonly id: string;
  readonly operation: DelayedOperation;
  readonly keys: readonly string[];
}

/**
 * The operations parked, in the order they were parked (ids count up per broker), and when the purgatory's one
 * expiry timer fires (null: none set). Kafka's purgatory has a timing wheel; here one timer is set for the earliest
 * expiry and set again when it fires, so an operation completed before its time costs no cancelled timer. A broker
 * has a handful parked at a time (a fetch per follower, reader and consumer, an acks=all produce per producer), so
 * they are a short array walked in order, not maps by id and by partition: parking and completing copy the array.
 */
export interface Purgatory {
  readonly parked: readonly ParkedOperation[];
  readonly timerAtMs: number | null;
}

/** A purgatory with nothing in it. */
export function emptyPurgatory(): Purgatory {
  return { parked: [], timerAtMs: null };
}

/** The ids of the operations whose time has come, oldest first. */
export function dueOperations(purgatory: Purgatory, nowMs: number): string[] {
  const ids: string[] = [];
  for (const entry of purgatory.parked) if (entry.operation.expiresAtMs <= nowMs) ids.push(entry.id);
  return ids;
}

/** The earliest expiry of the operations still waiting, or null. */
export function nextExpiryMs(purgatory: Purgatory): number | null {
  let earliest: number | null = null;
  for (const { operation } of purgatory.parked) if (earliest === null || operation.expiresAtMs < earliest) earliest = operation.expiresAtMs;
  return earliest;
}

/** The partition keys an operation watches. */
export function watchedKeys(operation: DelayedOperation): string[] {
  const keys: string[] = [];
  const partitions = operation.kind === 'produce' ? operation.partitions : operation.request.partitions;
  for (const p of partitions) {
    const key = topicPartitionKey(p.topic, p.partition);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** Adds an operation under every partition it watches. */
export function watch(purgatory: Purgatory, id: string, operation: DelayedOperation): Purgatory {
  return { ...purgatory, parked: [...purgatory.parked, { id, operation, keys: watchedKeys(operation) }] };
}

/** Replaces a parked operation (a produce with some of its partitions decided); its keys stay. */
export function updateOperation(purgatory: Purgatory, id: string, operation: DelayedOperation): Purgatory {
  return { ...purgatory, parked: purgatory.parked.map((entry) => (entry.id === id ? { ...entry, operation } : entry)) };
}

/** Removes a completed or expired operation. */
export function unwatch(purgatory: Purgatory, id: string): Purgatory {
  const parked = purgatory.parked.filter((entry) => entry.id !== id);
  return parked.length === purgatory.parked.length ? purgatory : { ...purgatory, parked };
}

/** The operation with this id, if it still waits. */
export function operationOf(purgatory: Purgatory, id: string): DelayedOperation | undefined {
  return purgatory.parked.find((entry) => entry.id === id)?.operation;
}

/** The ids of the operations watching a partition, oldest first. */
export function watchersOf(purgatory: Purgatory, key: string): readonly string[] {
  const ids: string[] = [];
  for (const entry of purgatory.parked) if (entry.keys.includes(key)) ids.push(entry.id);
  return ids;
}
