// "unseen" (kafka.clj `unseen`): acknowledged values that no `ok` poll ever returned by the end of the
// history. A lost write and a very late one look alike here, which is why Jepsen's workload (and
// kafka-sim's) ends with every client reading every partition from the beginning: after that phase,
// anything still unseen was lost.
import { keyOf, type History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { okReadsByKey } from './historyViews.ts';

/** How many messages of one key each case lists (Jepsen's report keeps 32 per key). */
export const MAX_UNSEEN_MESSAGES = 32;

/** One acknowledged message never read. */
export interface UnseenMessage {
  value: string;
  offset: number;
  /** The send's completion. */
  sendOp: number;
}

/** The unseen messages of one key: `count` of them, the first few listed in offset order. */
export interface UnseenCase {
  key: string;
  count: number;
  messages: UnseenMessage[];
}

/** Finds acknowledged values never polled; counts values, with one case per key. */
export function unseen(history: History): CheckResult {
  const reads = okReadsByKey(history);
  const unseenByKey = new Map<string, UnseenMessage[]>();
  let acked = 0;
  for (const op of history) {
    if (op.f !== 'send' || op.type !== 'ok') continue;
    acked += 1;
    const key = keyOf(op.value);
    if (reads.get(key)?.has(op.value.value)) continue;
    const messages = unseenByKey.get(key) ?? [];
    messages.push({ value: op.value.value, offset: op.value.offset, sendOp: op.index });
    unseenByKey.set(key, messages);
  }
  let total = 0;
  const cases: UnseenCase[] = [];
  for (const [key, messages] of unseenByKey) {
    total += messages.length;
    messages.sort((a, b) => a.offset - b.offset);
    cases.push({ key, count: messages.length, messages: messages.slice(0, MAX_UNSEEN_MESSAGES) });
  }
  return checkResult('unseen', { unseen: cases }, acked > 0, { unseen: total });
}
