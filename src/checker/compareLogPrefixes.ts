// Where replica logs first differ, walking them together from a common offset. Two replicas hold the same
// record at an offset when its value, key and the leader epoch of the batch holding it are equal; batch
// boundaries may differ (a truncation inside a batch leaves a shorter copy of it), so the walk is by offset.
//
// Followers store the very batch objects they fetched, so a batch object that every log holds at the current
// position covers its remaining records at once and no record in it is read. Cost: O(logs) per shared batch and
// O(logs) per record where the batch objects differ.
import type { RecordBatch, WireRecord } from '../protocol/messages.ts';

/** A common offset in several logs, with the index of the batch holding it in each (its length at the end). */
export interface LogPosition {
  offset: number;
  batchIndexes: readonly number[];
}

/** Where a walk stopped: at the first difference, or at the bound. */
export interface PrefixComparison extends LogPosition {
  /** True when the logs differ at `offset`; false when they are identical up to it (the bound). */
  diverged: boolean;
}

/** The offset after a batch's last record. */
export function batchEndOffset(batch: RecordBatch): number {
  return batch.baseOffset + batch.records.length;
}

/** A log's end offset as its batches say (they are contiguous from 0). */
export function logEndOf(batches: readonly RecordBatch[]): number {
  const last = batches[batches.length - 1];
  return last === undefined ? 0 : batchEndOffset(last);
}

/**
 * Walks `logs` from `from` up to `toOffset` (exclusive), which must not pass any log's end, and stops at the
 * first offset where some log's record differs from the first log's.
 */
export function compareLogPrefixes(logs: readonly (readonly RecordBatch[])[], from: LogPosition, toOffset: number): PrefixComparison {
  const batchIndexes = [...from.batchIndexes];
  let offset = from.offset;
  while (offset < toOffset) {
    const first = batchAt(logs, batchIndexes, 0);
    if (isSharedByAll(logs, batchIndexes, first)) offset = Math.min(toOffset, batchEndOffset(first));
    else if (recordsMatchAt(logs, batchIndexes, offset)) offset += 1;
    else return { offset, batchIndexes, diverged: true };
    for (let j = 0; j < logs.length; j++) {
      if (offset >= batchEndOffset(batchAt(logs, batchIndexes, j))) batchIndexes[j] = (batchIndexes[j] ?? 0) + 1;
    }
  }
  return { offset, batchIndexes, diverged: false };
}

/** The record at `offset` in the batch a position points at, with that batch's leader epoch. */
export function recordAt(batch: RecordBatch, offset: number): { record: WireRecord; leaderEpoch: number } {
  const record = batch.records[offset - batch.baseOffset];
  if (record === undefined) throw new Error(`recordAt: offset ${offset} is not in the batch at ${batch.baseOffset}`);
  return { record, leaderEpoch: batch.leaderEpoch };
}

/** The batch log `j` holds at its position; positions always point inside the log below the bound. */
export function batchAt(logs: readonly (readonly RecordBatch[])[], batchIndexes: readonly number[], j: number): RecordBatch {
  const batch = logs[j]?.[batchIndexes[j] ?? -1];
  if (batch === undefined) {
    throw new Error(`compareLogPrefixes: log ${j} has no batch at index ${batchIndexes[j]}; the bound must not pass any log's end`);
  }
  return batch;
}

function isSharedByAll(logs: readonly (readonly RecordBatch[])[], batchIndexes: readonly number[], first: RecordBatch): boolean {
  for (let j = 1; j < logs.length; j++) if (batchAt(logs, batchIndexes, j) !== first) return false;
  return true;
}

function recordsMatchAt(logs: readonly (readonly RecordBatch[])[], batchIndexes: readonly number[], offset: number): boolean {
  const first = recordAt(batchAt(logs, batchIndexes, 0), offset);
  for (let j = 1; j < logs.length; j++) {
    const other = recordAt(batchAt(logs, batchIndexes, j), offset);
    if (other.leaderEpoch !== first.leaderEpoch || other.record.value !== first.record.value || other.record.key !== first.record.key) {
      return false;
    }
  }
  return true;
}
