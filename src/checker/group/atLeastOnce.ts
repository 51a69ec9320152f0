// "unprocessed": a record in the log that no group member ever processed. A consumer group that commits only
// after processing delivers at least once: whoever owns a partition next resumes from the last commit, so every
// record is processed by some member, perhaps twice, never by none. The expected records come from the final
// read, after the faults healed, so each is known to be in the log; one missing here was skipped by every
// owner, or lost with a commit that got ahead of processing.
import type { GroupLog, ResetNote } from '../../history/GroupNote.ts';
import { keyOf } from '../../history/History.ts';
import { checkResult, type CheckResult } from '../CheckResult.ts';

/** How many unprocessed offsets of one partition a case lists; `count` tells how many there were. */
export const MAX_UNPROCESSED_SHOWN = 20;

/** A record the final read found in a partition's log. */
export interface ExpectedRecord {
  topic: string;
  partition: number;
  offset: number;
  value: string;
}

/**
 * The unprocessed records of one partition, e.g. `{ partition: 'orders-1', count: 3, offsets: [5, 6, 7] }`
 * (the first 20 offsets, in order).
 */
export interface UnprocessedCase {
  partition: string;
  count: number;
  offsets: number[];
}

/** Finds expected records that no member of the given groups (all groups by default) ever processed. */
export function atLeastOnce(log: GroupLog, expected: readonly ExpectedRecord[], groupIds?: readonly string[]): CheckResult {
  const groups = groupIds === undefined ? undefined : new Set(groupIds);
  const processed = new Set<string>();
  const skipped = new SkippedRanges();
  for (const entry of log) {
    if (entry.group === 'down' || (groups !== undefined && !groups.has(entry.groupId))) continue;
    if (entry.group === 'processed') processed.add(recordId(entry));
    if (entry.group === 'reset') skipped.add(entry);
  }
  const unprocessedByKey = new Map<string, number[]>();
  for (const record of expected) {
    if (processed.has(recordId(record)) || skipped.has(record)) continue;
    const key = keyOf(record);
    unprocessedByKey.set(key, [...(unprocessedByKey.get(key) ?? []), record.offset]);
  }
  let total = 0;
  const cases: UnprocessedCase[] = [];
  for (const [partition, offsets] of unprocessedByKey) {
    total += offsets.length;
    offsets.sort((a, b) => a - b);
    cases.push({ partition, count: offsets.length, offsets: offsets.slice(0, MAX_UNPROCESSED_SHOWN) });
  }
  return checkResult('at-least-once', { unprocessed: cases }, expected.length > 0, { unprocessed: total });
}

function recordId(record: ExpectedRecord): string {
  return `${keyOf(record)}\u0000${record.offset}\u0000${record.value}`;
}

/**
 * The records an offset reset skipped (ResetNote), by partition: a consumer under `auto.offset.reset=latest` starts
 * at the high watermark, so what was written before is not the group's to process.
 */
export class SkippedRanges {
  private readonly ranges = new Map<string, Array<[from: number, to: number]>>();

  add(reset: Pick<ResetNote, 'topic' | 'partition' | 'skippedFrom' | 'offset'>): void {
    const key = keyOf(reset);
    this.ranges.set(key, [...(this.ranges.get(key) ?? []), [reset.skippedFrom, reset.offset]]);
  }

  has(record: { topic: string; partition: number; offset: number }): boolean {
    return (this.ranges.get(keyOf(record)) ?? []).some(([from, to]) => record.offset >= from && record.offset < to);
  }
}
