// What every checker returns. Anomaly names are Jepsen's (jepsen/src/jepsen/tests/kafka.clj, `analysis`), so a
// report can be read next to Jepsen's Kafka, Redpanda and Bufstream analyses.
import type { History } from '../history/History.ts';

/**
 * A checker's verdict. `valid` is false when an anomaly was found; 'unknown' when the history held nothing
 * the checker could judge (no two polls to compare, no acknowledged send), as Elle answers for an empty
 * dependency graph; true otherwise. `anomalies` counts only what was found; `examples` keeps a few cases of
 * each, naming the key (topic-partition), offsets, values and operation indexes.
 */
export interface CheckResult {
  checker: string;
  valid: true | false | 'unknown';
  anomalies: Record<string, number>;
  examples: Record<string, unknown[]>;
}

/** A pure checker over a whole history. */
export type Checker = (history: History) => CheckResult;

/** How many cases of each anomaly a result keeps: Jepsen's condensed reports keep 8 (`condense-error`). */
export const MAX_EXAMPLES = 8;

/**
 * Builds a result from the cases found, by anomaly name. `evidence` says whether the history gave the
 * checker anything to judge. A case counts once unless `counts` says otherwise (unseen counts values, and
 * keeps one case per key).
 */
export function checkResult(
  checker: string,
  cases: Record<string, readonly unknown[]>,
  evidence: boolean,
  counts: Record<string, number> = {},
): CheckResult {
  const anomalies: Record<string, number> = {};
  const examples: Record<string, unknown[]> = {};
  for (const [name, found] of Object.entries(cases)) {
    const count = counts[name] ?? found.length;
    if (count === 0) continue;
    anomalies[name] = count;
    examples[name] = found.slice(0, MAX_EXAMPLES);
  }
  const valid = Object.keys(anomalies).length > 0 ? false : evidence ? true : 'unknown';
  return { checker, valid, anomalies, examples };
}
