// "G1a", aborted read (kafka.clj `g1a-cases`): an `ok` poll returned a value whose send failed. `fail` means
// definitely not applied, so a reader must never see it; a client that reports a retriable error as a
// definite failure (NOT_LEADER_OR_FOLLOWER, KAFKA-13574) shows up here.
import { keyOf, type History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import type { SendCompletion } from './historyViews.ts';

/** A failed send's value that a poll returned. */
export interface G1aCase {
  key: string;
  value: string;
  offset: number;
  /** The failed send's completion. */
  writerOp: number;
  /** The `ok` poll that returned it. */
  readerOp: number;
}

/** Finds `ok` polls that returned the value of a failed send. */
export function g1a(history: History): CheckResult {
  // A failed send often never learned its partition, so failed writes are matched by value alone.
  const failed = new Map<string, SendCompletion>();
  for (const op of history) if (op.f === 'send' && op.type === 'fail') failed.set(op.value.value, op);
  const cases: G1aCase[] = [];
  let reads = 0;
  for (const op of history) {
    if (op.f !== 'poll' || op.type !== 'ok') continue;
    for (const record of op.value.records) {
      reads += 1;
      const writer = failed.get(record.value);
      if (writer === undefined) continue;
      cases.push({ key: keyOf(record), value: record.value, offset: record.offset, writerOp: writer.index, readerOp: op.index });
    }
  }
  return checkResult('G1a', { G1a: cases }, reads > 0);
}
