// The successive reads of a key by one consumer, which "poll-skip" and "nonmonotonic-poll" judge (kafka.clj
// `poll-skip+nonmonotonic-cases`, and `int-poll-skip+nonmonotonic-cases` for steps inside one poll). Between
// polls, the step goes from the last record of the process's previous poll of the key to the first record
// of the next one; inside a poll, from each record to the next of the same key.
//
// A consumer's position may legitimately move between polls, and then the process starts afresh:
// - an `ok` or `info` assign or subscribe (Jepsen keeps the keys still assigned; kafka-sim's consumers may
//   seek on assign, so every key is forgotten);
// - a crash (a fresh client; Jepsen gets this by retiring the process);
// - an `info` poll, after it is judged: its records may be lost while the position moved past them (a
//   Jepsen process is retired after an `info` too);
// - in subscribe mode, a poll whose group membership (memberId, generation) differs from the previous
//   poll's or is not reported: a rebalance may have moved the partition and reset the position to the
//   committed offset. Jepsen cannot see rebalances between operations and so allows poll-skip and
//   nonmonotonic-poll whenever clients subscribe; reporting the generation keeps the check.
// A `fail` poll that returned records is judged but moves nothing, as in Jepsen.
import { keyOf, type History, type LogRecord, type OperationOf } from '../history/History.ts';
import { pollRecords } from './historyViews.ts';

/** One read position: a record some poll returned. */
export interface ReadPoint {
  op: number;
  offset: number;
  value: string;
}

/** A step of one consumer through one key: between two polls, or within one poll. */
export interface PollStep {
  within: boolean;
  process: string;
  key: string;
  from: ReadPoint;
  to: ReadPoint;
}

interface ConsumerView {
  lastReads: Map<string, ReadPoint>;
  subscribed: boolean;
  membership: string | undefined;
}

/** Every step of every consumer through every key, in history order. */
export function pollSteps(history: History): PollStep[] {
  const views = new Map<string, ConsumerView>();
  const steps: PollStep[] = [];
  for (const op of history) {
    let view = views.get(op.process);
    if (view === undefined) {
      view = { lastReads: new Map(), subscribed: false, membership: undefined };
      views.set(op.process, view);
    }
    if (op.f === 'crash') {
      forget(view, false);
    } else if ((op.f === 'assign' || op.f === 'subscribe') && (op.type === 'ok' || op.type === 'info')) {
      forget(view, op.f === 'subscribe');
    } else if (op.f === 'poll' && op.type !== 'invoke') {
      judgePoll(op, view, steps);
    }
  }
  return steps;
}

function forget(view: ConsumerView, subscribed: boolean): void {
  view.lastReads.clear();
  view.subscribed = subscribed;
  view.membership = undefined;
}

function judgePoll(op: OperationOf<'poll', 'ok' | 'fail' | 'info'>, view: ConsumerView, steps: PollStep[]): void {
  const records = pollRecords(op);
  if (records.length === 0 && op.type !== 'ok') {
    if (op.type === 'info') view.lastReads.clear();
    return;
  }
  if (view.subscribed) {
    const { memberId, generation } = op.value;
    const membership = memberId === undefined || generation === undefined ? undefined : `${memberId}#${generation}`;
    if (membership === undefined || membership !== view.membership) view.lastReads.clear();
    view.membership = membership;
  }
  for (const [key, keyRecords] of groupByKey(records)) {
    const points = keyRecords.map((r): ReadPoint => ({ op: op.index, offset: r.offset, value: r.value }));
    const previous = view.lastReads.get(key);
    const first = points[0];
    if (previous !== undefined && first !== undefined) steps.push({ within: false, process: op.process, key, from: previous, to: first });
    for (let i = 1; i < points.length; i++) {
      const [from, to] = [points[i - 1], points[i]];
      if (from !== undefined && to !== undefined) steps.push({ within: true, process: op.process, key, from, to });
    }
    const last = points.at(-1);
    if (op.type === 'ok' && last !== undefined) view.lastReads.set(key, last);
  }
  if (op.type === 'info') view.lastReads.clear();
}

function groupByKey(records: readonly LogRecord[]): Map<string, LogRecord[]> {
  const byKey = new Map<string, LogRecord[]>();
  for (const record of records) {
    const key = keyOf(record);
    const group = byKey.get(key) ?? [];
    group.push(record);
    byKey.set(key, group);
  }
  return byKey;
}
