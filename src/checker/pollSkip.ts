// "poll-skip" (kafka.clj `poll-skip+nonmonotonic-cases`, :skip): a consumer's next poll of a key starts past
// offsets that the history shows exist, with nothing in between that may move its position (see
// pollSteps.ts). "int-poll-skip" (`int-poll-skip+nonmonotonic-cases`) is the same inside one poll, whose
// records per partition must be contiguous. A gap nobody ever saw is not a skip: only offsets known from a
// send or another poll count, so Jepsen's `:delta` (distance in known offsets) is above 1. A consumer that
// skips delivers nothing for those records: at-least-once is broken for it even if another reader saw them.
import type { History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { pollSteps } from './pollSteps.ts';
import { denseIndex, valuesAt, versionOrder } from './versionOrder.ts';

/** How many skipped offsets a case lists; `delta` tells how many there were. */
export const MAX_SKIPPED_SHOWN = 32;

/** A step of a consumer that jumped over known offsets of a key. */
export interface PollSkipCase {
  key: string;
  process: string;
  values: [string, string];
  offsets: [number, number];
  /** Jepsen's `:delta`: the distance in known offsets, > 1 here. */
  delta: number;
  /** The known offsets jumped over (the first 32), and the values seen there. */
  skippedOffsets: number[];
  skipped: string[];
  /** The polls that read the two records (the same poll for the internal anomaly). */
  ops: [number, number];
}

/** Finds consumers that jumped over known offsets of a key, between polls and within one. */
export function pollSkip(history: History): CheckResult {
  const order = versionOrder(history);
  const steps = pollSteps(history);
  const between: PollSkipCase[] = [];
  const within: PollSkipCase[] = [];
  for (const { within: isWithin, process, key, from, to } of steps) {
    const log = order.get(key);
    if (log === undefined) continue; // unreachable: polls feed the version order
    // Both ends were read, so both are known offsets: a distance above 1 means known offsets between them.
    const [fromIndex, toIndex] = [denseIndex(log, from.offset), denseIndex(log, to.offset)];
    const delta = toIndex - fromIndex;
    if (delta <= 1) continue;
    const skippedOffsets = log.offsets.slice(fromIndex + 1, Math.min(toIndex, fromIndex + 1 + MAX_SKIPPED_SHOWN));
    (isWithin ? within : between).push({
      key,
      process,
      values: [from.value, to.value],
      offsets: [from.offset, to.offset],
      delta,
      skippedOffsets,
      skipped: skippedOffsets.flatMap((offset) => valuesAt(log, offset)),
      ops: [from.op, to.op],
    });
  }
  // Widest first, as Jepsen's report keeps the largest deltas.
  for (const cases of [between, within]) cases.sort((a, b) => b.delta - a.delta);
  return checkResult('poll-skip', { 'poll-skip': between, 'int-poll-skip': within }, steps.length > 0);
}
