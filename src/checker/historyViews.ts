// Small read-only views of a history that several checkers share: which records a poll returned, which
// completion wrote a value, which values ok polls read. Values are unique per run, so a value names its send.
import { keyOf, type History, type LogRecord, type Operation, type OperationOf } from '../history/History.ts';

/** A completed send: `ok` carries the offset, `fail` and `info` the invocation's value. */
export type SendCompletion = OperationOf<'send', 'ok' | 'fail' | 'info'>;

/** The records a completed poll returned, whatever its type (failed and indefinite polls rarely carry any). */
export function pollRecords(op: Operation): readonly LogRecord[] {
  if (op.f !== 'poll' || op.type === 'invoke') return [];
  return op.value.records ?? [];
}

/** True for a completion (not an invocation) of a send. */
export function isSendCompletion(op: Operation): op is SendCompletion {
  return op.f === 'send' && op.type !== 'invoke';
}

/** value -> the completion of the send that wrote it (Jepsen's `writer-of`; the last one if a value repeats). */
export function writerOf(history: History): Map<string, SendCompletion> {
  const writers = new Map<string, SendCompletion>();
  for (const op of history) if (isSendCompletion(op)) writers.set(op.value.value, op);
  return writers;
}

/**
 * A view computed once per history and shared by the checkers that read it (checkAll runs several over the same
 * history; `version-orders` alone was built six times). Keyed by the history array; a history that grew since is
 * computed again. Callers must not change what they get.
 */
export function sharedView<T>(compute: (history: History) => T): (history: History) => T {
  const cache = new WeakMap<History, { length: number; view: T }>();
  return (history) => {
    const cached = cache.get(history);
    if (cached !== undefined && cached.length === history.length) return cached.view;
    const view = compute(history);
    cache.set(history, { length: history.length, view });
    return view;
  };
}

/** key -> values that `ok` polls returned for it (Jepsen's `(:ok reads-by-type)`); shared between checkers. */
export const okReadsByKey: (history: History) => ReadonlyMap<string, ReadonlySet<string>> = sharedView(buildOkReadsByKey);

function buildOkReadsByKey(history: History): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>();
  for (const op of history) {
    if (op.f !== 'poll' || op.type !== 'ok') continue;
    for (const record of op.value.records) {
      const key = keyOf(record);
      const values = reads.get(key) ?? new Set<string>();
      values.add(record.value);
      reads.set(key, values);
    }
  }
  return reads;
}

/**
 * Jepsen's `must-have-committed?`: a send surely took effect if it was acknowledged, or if it was indefinite
 * and an `ok` poll returned its value. A failed send never did.
 */
export function mustHaveCommitted(writer: SendCompletion, okReads: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  if (writer.type === 'ok') return true;
  if (writer.type === 'fail') return false;
  // An indefinite send may not know its partition, so look for its value under every key.
  for (const values of okReads.values()) if (values.has(writer.value.value)) return true;
  return false;
}
