// "lost-write" (kafka.clj `lost-write-cases`): a send that surely took effect sits at or below the highest
// offset some poll of its key reached, yet no poll ever returned it. Consumers read a partition in offset
// order, so whoever read offset 7 passed offset 3 on the way; a value at 3 nobody read is gone (Kafka 0.8's
// ISR shrink, acks=1 with a leader crash, truncation to the high watermark before KIP-101).
//
// As in Jepsen the bound is, over the values `ok` polls read, the highest *first* offset each appears at,
// and a value must have been read if its *last* appearance lies at or below it: with duplicates or
// inconsistent offsets a value's place is ambiguous, and this reading never accuses a value that a
// conflicting copy could excuse. Only sends that surely took effect count: acknowledged ones, and
// indefinite ones some `ok` poll returned (which, one value per send here, are never unread).
import { keyOf, type History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { mustHaveCommitted, okReadsByKey, writerOf } from './historyViews.ts';
import { versionOrder, type KeyLog } from './versionOrder.ts';

/** A value that should have been read and was not. */
export interface LostWriteCase {
  key: string;
  value: string;
  /** Where the value sits (its first offset in the version order). */
  offset: number;
  /** The highest offset that reads of the key prove was passed. */
  maxReadOffset: number;
  /** The send's completion. */
  writerOp: number;
  /** The first `ok` poll that read the value at `maxReadOffset`. */
  maxReadOp: number;
}

/** Finds surely-written values below the highest offset read that no poll returned. */
export function lostWrite(history: History): CheckResult {
  const order = versionOrder(history);
  const reads = okReadsByKey(history);
  const writers = writerOf(history);
  const cases: LostWriteCase[] = [];
  for (const [key, readValues] of reads) {
    const log = order.get(key);
    if (log === undefined) continue; // unreachable: ok polls feed the version order
    const { firstOffset, lastOffset } = appearances(log);
    let maxReadOffset = -1;
    let maxReadValue = '';
    for (const value of readValues) {
      const offset = firstOffset.get(value) ?? -1;
      if (offset > maxReadOffset) [maxReadOffset, maxReadValue] = [offset, value];
    }
    let maxReadOp: number | undefined;
    for (const offset of log.offsets) {
      if (offset > maxReadOffset) break;
      for (const value of log.valuesByOffset.get(offset) ?? []) {
        if (lastOffset.get(value) !== offset || readValues.has(value)) continue;
        const writer = writers.get(value);
        // A value nobody sent (Jepsen throws :no-writer-of) cannot be judged here.
        if (writer === undefined || !mustHaveCommitted(writer, reads)) continue;
        const firstSeen = firstOffset.get(value) ?? offset;
        maxReadOp ??= firstOkReader(history, key, maxReadValue);
        cases.push({ key, value, offset: firstSeen, maxReadOffset, writerOp: writer.index, maxReadOp });
      }
    }
  }
  return checkResult('lost-write', { 'lost-write': cases }, reads.size > 0);
}

function appearances(log: KeyLog): { firstOffset: Map<string, number>; lastOffset: Map<string, number> } {
  const firstOffset = new Map<string, number>();
  const lastOffset = new Map<string, number>();
  for (const offset of log.offsets) {
    for (const value of log.valuesByOffset.get(offset) ?? []) {
      if (!firstOffset.has(value)) firstOffset.set(value, offset);
      lastOffset.set(value, offset);
    }
  }
  return { firstOffset, lastOffset };
}

function firstOkReader(history: History, key: string, value: string): number {
  for (const op of history) {
    if (op.f !== 'poll' || op.type !== 'ok') continue;
    if (op.value.records.some((r) => r.value === value && keyOf(r) === key)) return op.index;
  }
  return -1;
}
