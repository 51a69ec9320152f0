// Runs every history checker and combines the verdicts the way Jepsen's `checker/merge-valid` does: any
// false makes the whole false; otherwise any 'unknown' makes it 'unknown'.
import type { History } from '../history/History.ts';
import type { CheckResult, Checker } from './CheckResult.ts';
import { duplicate } from './duplicate.ts';
import { g1a } from './g1a.ts';
import { inconsistentOffsets } from './inconsistentOffsets.ts';
import { lostWrite } from './lostWrite.ts';
import { nonmonotonicPoll } from './nonmonotonicPoll.ts';
import { nonmonotonicSend } from './nonmonotonicSend.ts';
import { pollSkip } from './pollSkip.ts';
import { unseen } from './unseen.ts';

/** Every history checker, in report order. */
export const historyCheckers: readonly Checker[] = [
  inconsistentOffsets,
  duplicate,
  lostWrite,
  unseen,
  nonmonotonicSend,
  nonmonotonicPoll,
  pollSkip,
  g1a,
];

/** The combined verdict: every checker's result and all anomalies found, by Jepsen's names. */
export interface CheckAllResult {
  valid: CheckResult['valid'];
  results: CheckResult[];
  anomalies: Record<string, number>;
}

/** Runs every history checker over one history. */
export function checkAll(history: History): CheckAllResult {
  const results = historyCheckers.map((check) => check(history));
  const anomalies: Record<string, number> = {};
  for (const result of results) Object.assign(anomalies, result.anomalies);
  const valid = results.some((r) => r.valid === false) ? false : results.some((r) => r.valid === 'unknown') ? 'unknown' : true;
  return { valid, results, anomalies };
}
