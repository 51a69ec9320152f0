// "nonmonotonic-processing" and "processing-skip": while one member of one generation owns a partition, its
// application must process the partition's records in offset order, each once, with none left out. The consumer
// hands a partition's records over in offset order and its position only moves past what it returned (KafkaConsumer
// `poll`, Fetcher), so processing an offset at or below the last one means the position went back (a reset or a
// lost fetch state), and jumping ahead means records were dropped: with commits after processing, a dropped
// record is one at-least-once never delivers. The logs here hold contiguous offsets (no compaction, no
// transaction markers), so any gap is a skip. A run ends when the member stops owning the partition: on a crash,
// a new membership (memberId or generation) or a revocation; the next owner starts a fresh run.
import type { GroupLog, ProcessedNote } from '../../history/GroupNote.ts';
import { keyOf } from '../../history/History.ts';
import { checkResult, type CheckResult } from '../CheckResult.ts';

/**
 * Two records processed one after the other in one run, out of order, e.g. `{ groupId: 'billing',
 * partition: 'orders-1', node: 'c1', memberId: 'm-1', generation: 3, offsets: [7, 9], timeMs: [30, 31] }`.
 */
export interface ProcessingOrderCase {
  groupId: string;
  partition: string;
  node: string;
  memberId: string;
  generation: number;
  offsets: [number, number];
  timeMs: [number, number];
}

/** The last record a node processed of one partition in its current run. */
interface Run {
  groupId: string;
  memberId: string;
  generation: number;
  offset: number;
  timeMs: number;
}

/** Finds members that processed a partition backwards, again, or past records they never processed. */
export function processingOrder(log: GroupLog): CheckResult {
  const runsByNode = new Map<string, Map<string, Run>>();
  const nonmonotonic: ProcessingOrderCase[] = [];
  const skips: ProcessingOrderCase[] = [];
  let steps = 0;
  for (const entry of log) {
    if (entry.group === 'down') runsByNode.delete(entry.node);
    if (entry.group === 'owned') endRevokedRuns(runsByNode.get(entry.node), entry);
    if (entry.group !== 'processed') continue;
    const runs = runsByNode.get(entry.node) ?? new Map<string, Run>();
    runsByNode.set(entry.node, runs);
    const partition = keyOf(entry);
    const run = runs.get(partition);
    runs.set(partition, { ...membershipOf(entry), offset: entry.offset, timeMs: entry.timeMs });
    if (run === undefined || !isSameMembership(run, entry)) continue;
    steps += 1;
    if (entry.offset > run.offset + 1) skips.push(caseOf(run, entry, partition));
    if (entry.offset <= run.offset) nonmonotonic.push(caseOf(run, entry, partition));
  }
  const cases = { 'nonmonotonic-processing': nonmonotonic, 'processing-skip': skips };
  return checkResult('processing-order', cases, steps > 0);
}

/** Ends the node's runs that an ownership snapshot takes away: another membership, or a dropped partition. */
function endRevokedRuns(
  runs: Map<string, Run> | undefined,
  owned: { groupId: string; memberId: string; generation: number; partitions: readonly string[] },
): void {
  if (runs === undefined) return;
  const kept = new Set(owned.partitions);
  for (const [partition, run] of runs) {
    if (!isSameMembership(run, owned) || !kept.has(partition)) runs.delete(partition);
  }
}

function membershipOf(note: ProcessedNote): Pick<Run, 'groupId' | 'memberId' | 'generation'> {
  return { groupId: note.groupId, memberId: note.memberId, generation: note.generation };
}

function isSameMembership(run: Run, note: { groupId: string; memberId: string; generation: number }): boolean {
  return run.groupId === note.groupId && run.memberId === note.memberId && run.generation === note.generation;
}

function caseOf(run: Run, entry: ProcessedNote & { node: string; timeMs: number }, partition: string): ProcessingOrderCase {
  const { groupId, memberId, generation } = run;
  return {
    groupId,
    partition,
    node: entry.node,
    memberId,
    generation,
    offsets: [run.offset, entry.offset],
    timeMs: [run.timeMs, entry.timeMs],
  };
}
