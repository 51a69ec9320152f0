// "duplicate" (kafka.clj `duplicate-cases`): one value at more than one offset of a key. Values are unique per
// run, so a second copy is a producer retry appended twice (idempotence off), or a log that diverged. Reading
// the same offset twice is not a duplicate; that is a nonmonotonic poll.
import type { History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { versionOrder } from './versionOrder.ts';

/** One value found at several offsets of a key. */
export interface DuplicateCase {
  key: string;
  value: string;
  count: number;
  offsets: number[];
}

/** Finds values that appear at more than one offset of a key. */
export function duplicate(history: History): CheckResult {
  const cases: DuplicateCase[] = [];
  const order = versionOrder(history);
  for (const log of order.values()) {
    const offsetsByValue = new Map<string, number[]>();
    for (const offset of log.offsets) {
      for (const value of log.valuesByOffset.get(offset) ?? []) {
        const offsets = offsetsByValue.get(value) ?? [];
        offsets.push(offset);
        offsetsByValue.set(value, offsets);
      }
    }
    for (const [value, offsets] of offsetsByValue) {
      if (offsets.length > 1) cases.push({ key: log.key, value, count: offsets.length, offsets });
    }
  }
  return checkResult('duplicate', { duplicate: cases }, order.size > 0);
}
