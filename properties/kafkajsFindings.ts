// What the kafkajs properties found, explained against Kafka's protocol (README, "Testing a real client"). First,
// kafkajs 2.2.4's idempotent producer takes a batch's sequence numbers back when its produce request
// fails (`sendMessages.js`: `updateSequence(..., -entry.messages.length)` in the catch), even when the failure is a
// timeout or a broken connection after which the batch may well have been written. When it was, the next batch
// goes out with the same sequence numbers, the leader finds it a duplicate of the written one
// (`ProducerStateManager` keeps the last five batches per producer, and a batch whose sequence range matches one
// of them is answered with that batch's offset and no error), and kafkajs reports the new message acknowledged at
// the old message's offset: it was never written. The Java producer keeps the sequence of a batch whose outcome is
// unknown and, past its delivery timeout, bumps the epoch (KIP-360) so no later batch can be mistaken for it.
import type { History, LogRecord } from '../src/history/History.ts';
import type { RunResult } from '../src/scenario/runResolvedScenario.ts';

/**
 * An acknowledged send whose acknowledged offset holds another message of the same producer, written by an attempt
 * kafkajs took for failed: its send then failed, or a retry wrote it again elsewhere (with null keys kafkajs picks
 * the partition again on every attempt) and that copy was acknowledged.
 */
export interface SequenceReuse {
  partition: string;
  offset: number;
  /** The message acknowledged at `offset`, and never written. */
  acknowledged: string;
  /** The message at `offset` in the log, which kafkajs did not report written there. */
  written: string;
}

/**
 * The acknowledged sends of a run that are explained by kafkajs's sequence reuse: each acknowledged at an offset that
 * the final read found holding another message of the same producer, whose send kafkajs did not report acknowledged
 * at that offset (it ended failed or unknown, or was acknowledged elsewhere after a retry).
 */
export function sequenceReuses(history: History): SequenceReuse[] {
  const readAt = new Map<string, string>();
  for (const op of history) {
    if (op.f !== 'poll' || op.type !== 'ok') continue;
    for (const record of (op.value as { records: LogRecord[] }).records) readAt.set(`${record.topic}-${record.partition} ${record.offset}`, record.value);
  }
  const sender = new Map<string, string>();
  const acknowledgedAt = new Map<string, string>();
  for (const op of history) {
    if (op.f !== 'send' || op.type === 'invoke') continue;
    const value = op.value as Partial<LogRecord> & { value: string };
    sender.set(value.value, op.process);
    if (op.type === 'ok') acknowledgedAt.set(value.value, `${value.topic}-${value.partition} ${value.offset}`);
  }
  const found: SequenceReuse[] = [];
  for (const op of history) {
    if (op.f !== 'send' || op.type !== 'ok') continue;
    const { topic, partition, offset, value } = op.value as LogRecord;
    const key = `${topic}-${partition}`;
    const written = readAt.get(`${key} ${offset}`);
    if (written === undefined || written === value || sender.get(written) !== op.process) continue;
    if (acknowledgedAt.get(written) !== `${key} ${offset}`) found.push({ partition: key, offset, acknowledged: value, written });
  }
  return found;
}

/**
 * The property's violations that the findings do not explain: lost and unseen writes, final-read losses and
 * inconsistent offsets must name only messages of a sequence reuse, nonmonotonic polls and processing only rejoin
 * rewinds, and a group left unconverged or undrained needs a stranded member, or the violation stands.
 */
export function unexplainedViolations(violations: readonly string[], result: RunResult): string[] {
  const reuses = sequenceReuses(result.history);
  const reused = new Set(reuses.map((r) => r.acknowledged));
  const written = new Set(reuses.map((r) => r.written));
  const rewinds = rejoinRewinds(result);
  const byReuse = new Set(['lost-write', 'unseen', 'final-read-loss', 'inconsistent-offsets']);
  const byRewind = new Set(['nonmonotonic-poll', 'nonmonotonic-processing']);
  const byStranding = new Set(['group-not-converged', 'undrained']);
  const stranded = strandedMembers(result);
  const examplesOf = (name: string) => (result.checkers.results.find((r) => r.anomalies[name] !== undefined)?.examples[name] ?? []) as Array<Record<string, unknown>>;
  const namedValues = (name: string): string[] =>
    examplesOf(name).flatMap((e) => [
      ...(typeof e.value === 'string' ? [e.value] : []),
      ...((e.messages as Array<{ value: string }> | undefined) ?? []).map((m) => m.value),
      ...((e.values as string[] | undefined) ?? []),
    ]);
  return violations.filter((violation) => {
    const name = violation.replace(/ \(\d+\)$/, '');
    if (byRewind.has(name)) return rewinds.length === 0 || !allRewinds(name, examplesOf(name), rewinds);
    if (byStranding.has(name)) return stranded.length === 0;
    if (!byReuse.has(name) || reuses.length === 0) return true;
    const values = namedValues(name);
    return values.length === 0 || values.some((value) => !reused.has(value) && !written.has(value));
  });
}

// Whether every case of a nonmonotonic anomaly is one of the rejoin rewinds.
function allRewinds(name: string, cases: ReadonlyArray<Record<string, unknown>>, rewinds: ReturnType<typeof rejoinRewinds>): boolean {
  return cases.every((c) => {
    const node = (name === 'nonmonotonic-poll' ? c.process : c.node) as string;
    const partition = (name === 'nonmonotonic-poll' ? c.key : c.partition) as string;
    return rewinds.some((r) => r.node === node && r.partition === partition);
  });
}

/**
 * The second finding: kafkajs rejoins its group when a heartbeat or a commit is answered NOT_COORDINATOR (its
 * coordinator moved; the Java consumer only looks the coordinator up again, `AbstractCoordinator#markCoordinatorUnknown`),
 * and on every rejoin it starts its partitions again from their committed offsets. The coordinator keeps the member in
 * its generation (a known member's JoinGroup to a Stable group is answered at once), so one member of one generation
 * reads and processes again what it had read since its last commit. A case is explained when the member's ownership of
 * the partition, taken back when it sent a JoinGroup, was given again in the same generation after the first read
 * and by the second (kafkajs may go on handing out records it had fetched while its JoinGroup waits).
 */
export function rejoinRewinds(result: RunResult): Array<{ node: string; partition: string; fromMs: number; toMs: number }> {
  const rewinds: Array<{ node: string; partition: string; fromMs: number; toMs: number }> = [];
  // The partition was given back to the member, in its generation, after the first read and by the second, following
  // a revocation (kafkajs may go on handing out fetched records between its JoinGroup and the answer).
  const regranted = (node: string, partition: string, memberId: string, generation: number, fromMs: number, toMs: number) => {
    let revoked = false;
    let regrantedAt = -Infinity;
    for (const entry of result.groupLog) {
      if (entry.timeMs > toMs) break;
      if (entry.node !== node || entry.group !== 'owned') continue;
      const same = entry.memberId === memberId && entry.generation === generation;
      if (!same || !entry.partitions.includes(partition)) {
        revoked = same;
        if (!same) regrantedAt = -Infinity;
      } else if (revoked) {
        regrantedAt = entry.timeMs;
        revoked = false;
      }
    }
    return regrantedAt > fromMs;
  };
  const polls = result.checkers.results.find((r) => r.checker === 'nonmonotonic-poll')?.examples['nonmonotonic-poll'] as
    | Array<{ key: string; process: string; ops: [number, number] }>
    | undefined;
  for (const { key, process, ops } of polls ?? []) {
    const [from, to] = ops.map((i) => result.history[i]);
    const member = to?.value as { memberId?: string; generation?: number } | undefined;
    if (from === undefined || to === undefined || member?.memberId === undefined || member.generation === undefined) continue;
    if (regranted(process, key, member.memberId, member.generation, from.timeMs, to.timeMs)) rewinds.push({ node: process, partition: key, fromMs: from.timeMs, toMs: to.timeMs });
  }
  const processing = result.checkers.results.find((r) => r.checker === 'processing-order')?.examples['nonmonotonic-processing'] as
    | Array<{ partition: string; node: string; memberId: string; generation: number; timeMs: [number, number] }>
    | undefined;
  for (const { partition, node, memberId, generation, timeMs } of processing ?? []) {
    if (regranted(node, partition, memberId, generation, timeMs[0], timeMs[1])) rewinds.push({ node, partition, fromMs: timeMs[0], toMs: timeMs[1] });
  }
  return rewinds;
}

/**
 * The third finding: a kafkajs member told UNKNOWN_MEMBER_ID rejoins from its runner (`runner.js`); when that JoinGroup
 * fails on a broken connection (its coordinator crashed), `joinAndSync` gives up at once (`bail`, the error is not a
 * rebalance), and the runner's retry starts the fetchers again without joining: the consumer goes on fetching, a
 * member of no generation, and never joins again. Seen here as a member whose last ownership note gave everything up
 * (it sent a JoinGroup) and that never owned anything again, though its process ran to the end.
 */
export function strandedMembers(result: RunResult): string[] {
  type Owned = { memberId: string; generation: number; partitions: readonly string[] };
  const notes = new Map<string, Array<Owned | null>>();
  for (const entry of result.groupLog) {
    if (entry.group === 'down') notes.set(entry.node, [...(notes.get(entry.node) ?? []), null]);
    else if (entry.group === 'owned') notes.set(entry.node, [...(notes.get(entry.node) ?? []), entry]);
  }
  // The last note gave up what the one before held, in the same membership: the revocation at a JoinGroup sent, with
  // no answer ever after (an idle member's empty assignment comes with a new generation, not this).
  return [...notes].flatMap(([node, list]) => {
    const [before, last] = list.slice(-2);
    const revoked = last != null && before != null && last.partitions.length === 0 && before.partitions.length > 0;
    return revoked && last.memberId === before.memberId && last.generation === before.generation ? [node] : [];
  });
}
