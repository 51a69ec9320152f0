// Jepsen's version order (kafka.clj `version-orders`): for each key (topic-partition), what the history says
// sits at each offset. It is built from every poll that returned records (`ok`, and also `fail` or `info`
// ones: a broker's fetch answer is data whatever became of the client's call, as Jepsen argues) and from
// every acknowledged send. Indefinite sends add nothing: in this history they carry no offset, so they enter
// the order only through a poll that returned them.
//
// Jepsen indexes a key's log densely because transaction markers leave holes in offsets. kafka-sim has no
// transactions, so checkers speak in offsets; `denseDelta` still counts distance in known offsets, which is
// how Jepsen's `:delta` is measured and what "skipped over known offsets" means.
import { keyOf, type History, type LogRecord } from '../history/History.ts';
import { pollRecords, sharedView } from './historyViews.ts';

/** One key's log as the history shows it. */
export interface KeyLog {
  key: string;
  /** offset -> the values seen there, in the order first seen; two or more is an inconsistency. */
  valuesByOffset: Map<number, Set<string>>;
  /** The known offsets, ascending. */
  offsets: number[];
}

/** Every key's log, keys in the order the history first mentions them. */
export type VersionOrder = Map<string, KeyLog>;

/** The version order of a history, built once per history and shared by the checkers (read-only). */
export const versionOrder: (history: History) => VersionOrder = sharedView(buildVersionOrder);

function buildVersionOrder(history: History): VersionOrder {
  const order: VersionOrder = new Map();
  const add = (record: LogRecord): void => {
    const key = keyOf(record);
    let log = order.get(key);
    if (log === undefined) {
      log = { key, valuesByOffset: new Map(), offsets: [] };
      order.set(key, log);
    }
    const values = log.valuesByOffset.get(record.offset) ?? new Set<string>();
    values.add(record.value);
    log.valuesByOffset.set(record.offset, values);
  };
  for (const op of history) {
    if (op.f === 'send' && op.type === 'ok') add(op.value);
    for (const record of pollRecords(op)) add(record);
  }
  for (const log of order.values()) log.offsets = [...log.valuesByOffset.keys()].sort((a, b) => a - b);
  return order;
}

/** How many known offsets of `log` lie below `offset`: its dense index, if it is known. */
export function denseIndex(log: KeyLog, offset: number): number {
  let low = 0;
  let high = log.offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((log.offsets[middle] ?? Number.POSITIVE_INFINITY) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Jepsen's `:delta` from one offset to a later read one: 1 for the next known offset, <= 0 for going back. */
export function denseDelta(log: KeyLog, from: number, to: number): number {
  return denseIndex(log, to) - denseIndex(log, from);
}

/** The values seen at `offset`, in the order first seen (empty if the offset is unknown). */
export function valuesAt(log: KeyLog, offset: number): string[] {
  return [...(log.valuesByOffset.get(offset) ?? [])];
}
