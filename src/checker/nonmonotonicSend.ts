// "nonmonotonic-send" (kafka.clj `nonmonotonic-send-cases`): a process's acknowledged send to a key landed at
// or before its previous acknowledged send to that key. Sends are compared in the order the process invoked
// them: a Jepsen process has one operation outstanding, so that is also real-time order; a producer here
// pipelines its sends (HistoryRecorder), and send order is what Kafka promises to keep within a partition
// (with idempotence, or one request in flight). Reordered retries with idempotence off and several requests
// in flight break it; so does a log truncated under acknowledged data.
//
// Deviation from Jepsen: Jepsen forgets a process's last sends when it assigns or subscribes to other keys,
// and (since an `info` retires a Jepsen process) after an indefinite operation. Neither changes the
// real-time order of acknowledged sends, so nothing resets here; `info` sends, whose offset is unknown, are
// not compared.
import { keyOf, type History, type OperationOf } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { denseDelta, versionOrder } from './versionOrder.ts';

/** Two successive acknowledged sends of one process to one key, the later one not after the earlier. */
export interface NonmonotonicSendCase {
  key: string;
  process: string;
  values: [string, string];
  offsets: [number, number];
  /** Jepsen's `:delta`: the distance in known offsets, <= 0 here. */
  delta: number;
  /** The two sends' completions. */
  ops: [number, number];
}

interface LastSend {
  value: string;
  offset: number;
  index: number;
}

/** Finds acknowledged sends of a process that landed at or before its previous one to the same key. */
export function nonmonotonicSend(history: History): CheckResult {
  const order = versionOrder(history);
  const lastSends = new Map<string, Map<string, LastSend>>(); // process -> key -> last ok send
  const cases: NonmonotonicSendCase[] = [];
  let compared = 0;
  for (const op of acknowledgedInSendOrder(history)) {
    const key = keyOf(op.value);
    const byKey = lastSends.get(op.process) ?? new Map<string, LastSend>();
    lastSends.set(op.process, byKey);
    const previous = byKey.get(key);
    const next: LastSend = { value: op.value.value, offset: op.value.offset, index: op.index };
    byKey.set(key, next);
    if (previous === undefined) continue;
    compared += 1;
    if (next.offset > previous.offset) continue;
    const log = order.get(key);
    cases.push({
      key,
      process: op.process,
      values: [previous.value, next.value],
      offsets: [previous.offset, next.offset],
      delta: log === undefined ? next.offset - previous.offset : denseDelta(log, previous.offset, next.offset),
      ops: [previous.index, next.index],
    });
  }
  // Worst first, as Jepsen's report sorts them by delta.
  cases.sort((a, b) => a.delta - b.delta);
  return checkResult('nonmonotonic-send', { 'nonmonotonic-send': cases }, compared > 0);
}

// The ok sends, ordered by their invocations. Values are unique per run, so a value names its invocation.
function acknowledgedInSendOrder(history: History): OperationOf<'send', 'ok'>[] {
  const invokedAt = new Map<string, number>();
  const acknowledged: OperationOf<'send', 'ok'>[] = [];
  for (const op of history) {
    if (op.f !== 'send') continue;
    if (op.type === 'invoke') invokedAt.set(op.value.value, op.index);
    else if (op.type === 'ok') acknowledged.push(op);
  }
  const order = (op: OperationOf<'send', 'ok'>) => invokedAt.get(op.value.value) ?? op.index;
  return acknowledged.sort((a, b) => order(a) - order(b));
}
