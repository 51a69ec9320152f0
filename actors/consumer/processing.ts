// The application behind a group consumer: it takes what poll() returned and processes it one record at a time,
// each partition in offset order, each record taking processingTimeMs of virtual time (the Java loop
// `for (record : consumer.poll(...)) process(record)`). It polls again only when it has processed everything, so
// a long batch is what stalls it past max.poll.interval.ms. Also here: the history values a poll and a commit
// report, in the shapes of src/history/History.ts.
import type { CommitValue, LogRecord, PollResult } from '../../src/history/History.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import { invariant } from './invariant.ts';
import type { Membership } from './membership.ts';

/** The records polled and not yet processed, and the one in progress. */
export interface Processing {
  /** Waiting records, in processing order. */
  readonly queue: readonly LogRecord[];
  /** The record being processed and when it is done, or null when idle. */
  readonly current: { readonly record: LogRecord; readonly doneAtMs: number } | null;
}

/** Nothing polled yet. */
export const idleProcessing: Processing = { queue: [], current: null };

/** Whether everything polled has been processed, so the application may poll again. */
export function isProcessingIdle(p: Processing): boolean {
  return p.current === null && p.queue.length === 0;
}

/**
 * The records of a poll in processing order: partition by partition, in the order the poll returned them, each in
 * offset order. A poll returns a partition's records contiguous and increasing; anything else is a bug upstream.
 */
export function processingOrder(records: readonly LogRecord[]): LogRecord[] {
  const byPartition = new Map<string, LogRecord[]>();
  for (const record of records) {
    const key = topicPartitionKey(record.topic, record.partition);
    const list = byPartition.get(key) ?? [];
    const last = list.at(-1);
    invariant(last === undefined || record.offset > last.offset, `poll returned ${key}@${record.offset} after @${last?.offset}`);
    byPartition.set(key, [...list, record]);
  }
  return [...byPartition.values()].flat();
}

/** A poll returned `records`: they join the queue behind what is still waiting. */
export function enqueuePolled(p: Processing, records: readonly LogRecord[]): Processing {
  if (records.length === 0) return p;
  return { ...p, queue: [...p.queue, ...processingOrder(records)] };
}

/** Starts the next waiting record if idle; the machine schedules its completion at `current.doneAtMs`. */
export function startNextRecord(p: Processing, nowMs: number, processingTimeMs: number): Processing {
  const [next, ...rest] = p.queue;
  if (p.current !== null || next === undefined) return p;
  return { queue: rest, current: { record: next, doneAtMs: nowMs + processingTimeMs } };
}

/** The record in progress is done: it leaves the processing state, to be marked processed in the offsets. */
export function finishRecord(p: Processing, nowMs: number): { readonly state: Processing; readonly record: LogRecord } {
  const current = p.current;
  invariant(current !== null, 'finishRecord with no record in progress');
  invariant(nowMs >= current.doneAtMs, `record finished at ${nowMs}, before its processing time ends at ${current.doneAtMs}`);
  return { state: { ...p, current: null }, record: current.record };
}

/**
 * Drops the waiting records of partitions the member no longer owns (revoked or lost). The record in progress,
 * if any, is left to finish: the application is inside its processing and cannot be interrupted; its commit then
 * fails if the generation is over.
 */
export function dropPartitions(p: Processing, keys: readonly string[]): Processing {
  const gone = new Set(keys);
  return { ...p, queue: p.queue.filter((r) => !gone.has(topicPartitionKey(r.topic, r.partition))) };
}

/** The virtual time a batch takes to process, one record after another. */
export function processingTimeOf(records: readonly LogRecord[], processingTimeMs: number): number {
  return records.length * processingTimeMs;
}

/** The `ok` value of a poll: the records, with the member id and generation the member believed it had. */
export function pollValue(m: Pick<Membership, 'memberId' | 'generationId'>, records: readonly LogRecord[]): PollResult {
  return { records: records.map((r) => ({ ...r })), memberId: m.memberId, generation: m.generationId };
}

/** A commit's value: the offsets by topic-partition key (the next offset to read, as committed). */
export function commitValue(offsets: Readonly<Record<string, number>>): CommitValue {
  return { offsets: { ...offsets } };
}
