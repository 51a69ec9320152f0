// "inconsistent-offsets" (kafka.clj `version-orders` :errors): one offset of a key holds more than one value.
// Two acknowledged sends given the same offset, or a poll that reads something else where a send landed,
// mean the replicas disagreed about the log (Redpanda #3003; Kafka with unclean leader election).
import type { History } from '../history/History.ts';
import { checkResult, type CheckResult } from './CheckResult.ts';
import { valuesAt, versionOrder } from './versionOrder.ts';

/** One offset that holds more than one value. */
export interface InconsistentOffsetCase {
  key: string;
  offset: number;
  values: string[];
}

/** Finds offsets of a key that hold more than one value. */
export function inconsistentOffsets(history: History): CheckResult {
  const cases: InconsistentOffsetCase[] = [];
  const order = versionOrder(history);
  for (const log of order.values()) {
    for (const offset of log.offsets) {
      const values = valuesAt(log, offset);
      if (values.length > 1) cases.push({ key: log.key, offset, values: values.sort() });
    }
  }
  return checkResult('inconsistent-offsets', { 'inconsistent-offsets': cases }, order.size > 0);
}
