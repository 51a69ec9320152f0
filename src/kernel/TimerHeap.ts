/**
 * One pending callback in virtual time, called as `fn(arg)` (an argument instead of a fresh closure per
 * message keeps the delivery path light). `index` is its slot in the heap, -1 once it has left.
 */
export interface TimerEntry {
  readonly timeMs: number;
  readonly seq: number;
  readonly fn: (arg: any) => void;
  readonly arg: unknown;
  index: number;
}

/**
 * A binary min-heap of timers ordered by `(timeMs, seq)`. Each entry knows its own slot, so cancelling is
 * O(log n) and leaves no tombstones behind (a heartbeat timer reset on every message would otherwise pile up).
 */
export class TimerHeap {
  private readonly items: TimerEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  push(entry: TimerEntry): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.siftUp(entry.index);
  }

  pop(): TimerEntry | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes an entry that is still in the heap; returns false if it already left. */
  remove(entry: TimerEntry): boolean {
    const i = entry.index;
    if (i < 0 || this.items[i] !== entry) return false;
    this.removeAt(i);
    return true;
  }

  private removeAt(i: number): void {
    const removed = this.items[i] as TimerEntry;
    const last = this.items.pop() as TimerEntry;
    removed.index = -1;
    if (last === removed) return;
    this.items[i] = last;
    last.index = i;
    this.siftDown(i);
    this.siftUp(last.index);
  }

  private siftUp(start: number): void {
    const items = this.items;
    let i = start;
    const entry = items[i] as TimerEntry;
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as TimerEntry;
      if (!before(entry, parent)) break;
      items[i] = parent;
      parent.index = i;
      i = parentIndex;
    }
    items[i] = entry;
    entry.index = i;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const entry = items[i] as TimerEntry;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right] as TimerEntry, items[left] as TimerEntry)) child = right;
      const childEntry = items[child] as TimerEntry;
      if (!before(childEntry, entry)) break;
      items[i] = childEntry;
      childEntry.index = i;
      i = child;
    }
    items[i] = entry;
    entry.index = i;
  }
}

function before(x: TimerEntry, y: TimerEntry): boolean {
  return x.timeMs < y.timeMs || (x.timeMs === y.timeMs && x.seq < y.seq);
}
