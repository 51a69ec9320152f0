// Watches a run's consumer groups from the World's note stream: it keeps the rebalance log (the group notes of
// consumers and coordinators, plus each consumer crash), knows which records some member has processed, and
// answers what the group checkers ask of the run: each client's group, the groups still running at the end,
// their partitions, and the records the final read found that the groups must process.
import { SkippedRanges, type ExpectedRecord } from '../checker/group/atLeastOnce.ts';
import { isGroupNote, type GroupLogEntry, type NodeDownEntry } from '../history/GroupNote.ts';
import type { History } from '../history/History.ts';
import type { NodeNote } from '../kernel/NodeHost.ts';
import type { ConsumerSpec } from './Scenario.ts';

/** A consumer as the observer needs it: its node, group, topics, and whether it closes before the end. */
type ObservedConsumer = Pick<ConsumerSpec, 'groupId' | 'topics' | 'stopMs'> & { id: string };

/** The rebalance log and processing progress of a run's groups. */
export class GroupObserver {
  private readonly entries: Array<GroupLogEntry | NodeDownEntry> = [];
  private readonly processed = new Set<string>();
  /** Records an offset reset skipped: no member has to process them. */
  private readonly skipped = new SkippedRanges();
  /**
   * Consumers stopped by a fatal error and not restarted since. Only a restart clears the mark (every node that
   * is down is restarted before the liveness phase, and a restarted consumer is a new application): a failed
   * consumer's own notes never do, since it reports what it still owns right after it fails.
   */
  private readonly failed = new Set<string>();
  private readonly consumerIds: ReadonlySet<string>;

  constructor(
    private readonly consumers: readonly ObservedConsumer[],
    private readonly partitionsOf: (topic: string) => number = () => 0,
  ) {
    this.consumerIds = new Set(consumers.map((c) => c.id));
  }

  /** Feeds one note; notes that are not group notes are ignored. */
  observe(note: NodeNote): void {
    const data = note.data;
    if (!isGroupNote(data)) return;
    this.entries.push({ ...data, node: note.node, timeMs: note.atMs });
    if (data.group === 'processed') this.processed.add(recordKey(data));
    if (data.group === 'failed') this.failed.add(note.node);
    if (data.group === 'reset') this.skipped.add(data);
  }

  /** A consumer node crashed (or lost power) at `timeMs`: it owns nothing from then on. */
  nodeDown(node: string, timeMs: number): void {
    if (!this.consumerIds.has(node)) return;
    this.entries.push({ group: 'down', node, timeMs });
    this.failed.delete(node);
  }

  /** The rebalance log so far. */
  log(): Array<GroupLogEntry | NodeDownEntry> {
    return [...this.entries];
  }

  /** Client node id -> group id. */
  groupOf(): Record<string, string> {
    return Object.fromEntries(this.consumers.map((c) => [c.id, c.groupId]));
  }

  /**
   * The groups with a member that runs to the end: one that never closes and was not stopped by a fatal error
   * (a group whose every such member failed has nobody left to drain it).
   */
  activeGroups(): string[] {
    return [...new Set(this.consumers.filter((c) => c.stopMs === undefined && !this.failed.has(c.id)).map((c) => c.groupId))];
  }

  /** The partition keys each group subscribes to (the union of its members' topics). */
  partitionsByGroup(groupIds: readonly string[]): Record<string, string[]> {
    const byGroup: Record<string, string[]> = {};
    for (const groupId of groupIds) {
      const topics = [...new Set(this.consumers.filter((c) => c.groupId === groupId).flatMap((c) => c.topics))];
      byGroup[groupId] = topics.flatMap((topic) => Array.from({ length: this.partitionsOf(topic) }, (_, p) => `${topic}-${p}`));
    }
    return byGroup;
  }

  /**
   * The records the readers' final read returned (its polls from `sinceMs`) from topics an active group
   * subscribes to: what the groups must process for at-least-once.
   */
  expectedRecords(history: History, sinceMs: number, readerIds: readonly string[]): ExpectedRecord[] {
    const readers = new Set(readerIds);
    const active = new Set(this.activeGroups());
    const topics = new Set(this.consumers.filter((c) => active.has(c.groupId)).flatMap((c) => c.topics));
    const found = new Map<string, ExpectedRecord>();
    for (const op of history) {
      if (op.f !== 'poll' || op.type !== 'ok' || op.timeMs < sinceMs || !readers.has(op.process)) continue;
      for (const { topic, partition, offset, value } of op.value.records) {
        if (topics.has(topic)) found.set(recordKey({ topic, partition, offset }), { topic, partition, offset, value });
      }
    }
    return [...found.values()];
  }

  /** Whether some member has processed every one of `records` (or an offset reset skipped it). */
  hasProcessed(records: readonly ExpectedRecord[]): boolean {
    return records.every((record) => this.processed.has(recordKey(record)) || this.skipped.has(record));
  }
}

function recordKey(record: { topic: string; partition: number; offset: number }): string {
  return `${record.topic}-${record.partition}@${record.offset}`;
}
