// "final-read-loss": acknowledged values that the final read after the faults healed did not return. Jepsen's
// `unseen` counts a value as seen if any poll ever returned it; a value that a consumer read from a leader and
// that an unclean election later truncated away is seen, yet gone from the log (it shows as
// `inconsistent-offsets` once another value takes its offset). Kafka's promise under acks=all is about the log:
// after the cluster heals and goes quiet, every acknowledged write can be read. So this checker looks only at
// the polls of the final read, which start from the beginning of every partition.
import type { History } from '../history/History.ts';
import type { CheckResult } from './CheckResult.ts';
import { unseen } from './unseen.ts';

/**
 * Acknowledged values that no `ok` poll completed at or after `finalReadStartMs` returned. The final read is the
 * readers' (they read every partition from its start); a scenario with no reader has none, and the checker does
 * not judge it (`unknown`): a group's consumers have read their records long before and poll nothing new then,
 * so judging them would report every acknowledged write as lost.
 */
export function finalReadLoss(history: History, finalReadStartMs: number, readers?: readonly string[]): CheckResult {
  if (readers !== undefined && readers.length === 0) return { checker: 'final-read-loss', valid: 'unknown', anomalies: {}, examples: {} };
  const finalRead = history.filter((op) => op.f !== 'poll' || op.timeMs >= finalReadStartMs);
  const result = unseen(finalRead);
  const rename = <T>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name === 'unseen' ? 'final-read-loss' : name, value]));
  return { checker: 'final-read-loss', valid: result.valid, anomalies: rename(result.anomalies), examples: rename(result.examples) };
}
