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
 * A 4-ary min-heap of timers ordered by `(timeMs, seq)`. Each entry knows its own slot, so cancelling is
 * O(log n) and leaves no tombstones behind (a heartbeat timer reset on every message would otherwise pile up).
 * Four children per node halve the depth of a binary heap and keep siblings on one cache line, which matters
 * more here than the extra comparisons: the heap is touched twice per delivery.
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
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as TimerEntry;
    top.index = -1;
    if (last !== top) {
      // The root has no parent, so the moved entry only ever sifts down.
      items[0] = last;
      last.index = 0;
      this.siftDown(0);
    }
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
      const parentIndex = (i - 1) >> 2;
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
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      let childEntry = items[first] as TimerEntry;
      const last = Math.min(first + 4, n);
      for (let c = first + 1; c < last; c++) {
        const candidate = items[c] as TimerEntry;
        if (before(candidate, childEntry)) {
          child = c;
          childEntry = candidate;
        }
      }
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
