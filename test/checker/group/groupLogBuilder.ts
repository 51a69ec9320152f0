import type { GroupLogEntry, NodeDownEntry } from '../../../src/history/GroupNote.ts';

type Entry = GroupLogEntry | NodeDownEntry;
/** An entry before the builder stamps its time (Omit over each member of the union). */
type Unstamped<E = Entry> = E extends unknown ? Omit<E, 'timeMs'> : never;

/**
 * Hand-built rebalance logs: each call appends one entry at the current time, then moves the clock 1 ms on, so
 * entries are in time order; `at(timeMs)` sets the clock. Entries belong to the current group (`billing` unless
 * `group()` says otherwise). Partitions are written as keys (`orders-1`).
 */
export class GroupLogBuilder {
  readonly log: Entry[] = [];
  private timeMs = 0;
  private groupId = 'billing';

  group(groupId: string): this {
    this.groupId = groupId;
    return this;
  }

  at(timeMs: number): this {
    this.timeMs = timeMs;
    return this;
  }

  owned(node: string, memberId: string, generation: number, partitions: string[]): this {
    return this.push({ group: 'owned', node, groupId: this.groupId, memberId, generation, partitions });
  }

  /** The coordinator gave static instance `groupInstanceId` the member id `newMemberId` in place of `oldMemberId`. */
  replaced(coordinator: string, generation: number, groupInstanceId: string, oldMemberId: string, newMemberId: string): this {
    return this.push({ group: 'replaced', node: coordinator, groupId: this.groupId, generation, groupInstanceId, oldMemberId, newMemberId });
  }

  /** Processes `offsets` of `key` in order, each with the value `<key>@<offset>`. */
  processed(node: string, memberId: string, generation: number, key: string, offsets: number[]): this {
    const { topic, partition } = parseKey(key);
    for (const offset of offsets) {
      const value = valueAt(key, offset);
      this.push({ group: 'processed', node, groupId: this.groupId, memberId, generation, topic, partition, offset, value });
    }
    return this;
  }

  commitAccepted(coordinator: string, memberId: string, generation: number, groupGeneration: number, offsets: Record<string, number>): this {
    const note = { group: 'commitAccepted', groupId: this.groupId, memberId, generation, groupGeneration, offsets } as const;
    return this.push({ ...note, node: coordinator });
  }

  generation(coordinator: string, generation: number, assignments: Record<string, string[]>): this {
    const leaderId = Object.keys(assignments)[0] ?? '';
    const note = { group: 'generation', groupId: this.groupId, generation, protocolName: 'range', leaderId, assignments } as const;
    return this.push({ ...note, node: coordinator });
  }

  /** The member's position in `key` was reset (auto.offset.reset) to `offset`, skipping from `skippedFrom`. */
  reset(node: string, memberId: string, generation: number, key: string, skippedFrom: number, offset: number): this {
    const { topic, partition } = parseKey(key);
    return this.push({ group: 'reset', node, groupId: this.groupId, memberId, generation, topic, partition, skippedFrom, offset });
  }

  down(node: string): this {
    return this.push({ group: 'down', node });
  }

  private push(entry: Unstamped): this {
    this.log.push({ ...entry, timeMs: this.timeMs } as Entry);
    this.timeMs += 1;
    return this;
  }
}

/** The value the builder gives the record at `offset` of `key`. */
export function valueAt(key: string, offset: number): string {
  return `${key}@${offset}`;
}

/** The records the final read found: `offsets` of `key`, with the builder's values. */
export function expectedRecords(key: string, offsets: number[]): Array<{ topic: string; partition: number; offset: number; value: string }> {
  const { topic, partition } = parseKey(key);
  return offsets.map((offset) => ({ topic, partition, offset, value: valueAt(key, offset) }));
}

/** The offsets from `from` up to, not including, `to`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function parseKey(key: string): { topic: string; partition: number } {
  const match = /^(.*)-(\d+)$/.exec(key);
  if (match === null) throw new Error(`parseKey: expected a topic-partition key like 'orders-1', got '${key}'`);
  return { topic: match[1] as string, partition: Number(match[2]) };
}
