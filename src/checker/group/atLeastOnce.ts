// "unprocessed": a record in the log that no group member ever processed although the group moved past it. A
// consumer group that commits only after processing delivers at least once: whoever owns a partition next
// resumes from the last commit, so every record is processed by some member, perhaps twice, never by none. The
// expected records come from the final read, after the faults healed, so each is known to be in the log; one
// missing here while a later offset of its partition was processed, or a commit went past it, was skipped by
// every owner, or lost with a commit that got ahead of processing.
// "undrained" (groupDrained, a liveness result): records past everything the group processed or committed of
// their partition when the run ended. The group had not got there yet (it lagged, or could not make progress):
// nothing it moved past is missing, so these are late, not lost.
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

/** Finds expected records that no member of the given groups (all groups by default) processed, though the group moved past them. */
export function atLeastOnce(log: GroupLog, expected: readonly ExpectedRecord[], groupIds?: readonly string[]): CheckResult {
  const { unprocessed } = classifyUnprocessed(log, expected, groupIds);
  return checkResult('at-least-once', { unprocessed: cases(unprocessed) }, expected.length > 0, { unprocessed: count(unprocessed) });
}

/**
 * The liveness half: the records of each partition past everything the given groups processed or committed of it
 * by the end of the run, e.g. `{ partition: 'orders-1', count: 6637, offsets: [120, 121, ...] }`. Late, not lost.
 */
export function groupDrained(log: GroupLog, expected: readonly ExpectedRecord[], groupIds?: readonly string[]): CheckResult {
  const { undrained } = classifyUnprocessed(log, expected, groupIds);
  return checkResult('group-drained', { undrained: cases(undrained) }, expected.length > 0, { undrained: count(undrained) });
}

// The expected records no member processed, by partition: those below the partition's highest processed offset
// or its furthest accepted commit (the group moved past them), and the rest (it had not got there).
function classifyUnprocessed(log: GroupLog, expected: readonly ExpectedRecord[], groupIds?: readonly string[]) {
  const groups = groupIds === undefined ? undefined : new Set(groupIds);
  const processed = new Set<string>();
  const skipped = new SkippedRanges();
  /** Per partition: the offset below which the group has moved on (one past the highest processed, or the furthest commit). */
  const movedPast = new Map<string, number>();
  const advance = (key: string, offset: number) => movedPast.set(key, Math.max(movedPast.get(key) ?? 0, offset));
  for (const entry of log) {
    if (entry.group === 'down' || (groups !== undefined && !groups.has(entry.groupId))) continue;
    if (entry.group === 'processed') {
      processed.add(recordId(entry));
      advance(keyOf(entry), entry.offset + 1);
    }
    if (entry.group === 'commitAccepted') for (const [key, offset] of Object.entries(entry.offsets)) advance(key, offset);
    if (entry.group === 'reset') skipped.add(entry);
  }
  const unprocessed = new Map<string, number[]>();
  const undrained = new Map<string, number[]>();
  for (const record of expected) {
    if (processed.has(recordId(record)) || skipped.has(record)) continue;
    const key = keyOf(record);
    const into = record.offset < (movedPast.get(key) ?? 0) ? unprocessed : undrained;
    into.set(key, [...(into.get(key) ?? []), record.offset]);
  }
  return { unprocessed, undrained };
}

function cases(byPartition: ReadonlyMap<string, number[]>): UnprocessedCase[] {
  return [...byPartition].map(([partition, offsets]) => {
    const sorted = [...offsets].sort((a, b) => a - b);
    return { partition, count: sorted.length, offsets: sorted.slice(0, MAX_UNPROCESSED_SHOWN) };
  });
}

function count(byPartition: ReadonlyMap<string, number[]>): number {
  let total = 0;
  for (const offsets of byPartition.values()) total += offsets.length;
  return total;
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
