// "nonmonotonic-poll" (kafka.clj `poll-skip+nonmonotonic-cases`, :nonmonotonic): a consumer's next poll of a
// key starts at or before where its previous poll of that key ended, with nothing in between that may move
// its position (see pollSteps.ts). "int-nonmonotonic-poll" (`int-poll-skip+nonmonotonic-cases`) is the same
// inside one poll, whose records per partition must come in rising offset order. Either way the consumer
// read part of the log again, or read it out of order: a position reset to an old offset, or a log whose
// offsets changed under the reader.
import type { History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { pollSteps } from './pollSteps.ts';
import { denseDelta, versionOrder } from './versionOrder.ts';

/** A step of a consumer that did not move forward in a key. */
export interface NonmonotonicPollCase {
  key: string;
  process: string;
  values: [string, string];
  offsets: [number, number];
  /** Jepsen's `:delta`: the distance in known offsets, <= 0 here. */
  delta: number;
  /** The polls that read the two records (the same poll for the internal anomaly). */
  ops: [number, number];
}

/** Finds consumers that read a key backwards or again, between polls and within one. */
export function nonmonotonicPoll(history: History): CheckResult {
  const order = versionOrder(history);
  const steps = pollSteps(history);
  const between: NonmonotonicPollCase[] = [];
  const within: NonmonotonicPollCase[] = [];
  for (const { within: isWithin, process, key, from, to } of steps) {
    if (to.offset > from.offset) continue;
    const log = order.get(key);
    (isWithin ? within : between).push({
      key,
      process,
      values: [from.value, to.value],
      offsets: [from.offset, to.offset],
      delta: log === undefined ? to.offset - from.offset : denseDelta(log, from.offset, to.offset),
      ops: [from.op, to.op],
    });
  }
  // Worst first, as Jepsen's report sorts them by delta.
  for (const cases of [between, within]) cases.sort((a, b) => a.delta - b.delta);
  return checkResult('nonmonotonic-poll', { 'nonmonotonic-poll': between, 'int-nonmonotonic-poll': within }, steps.length > 0);
}
