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

const INITIAL_CAPACITY = 64;

/**
 * A 4-ary min-heap of timers ordered by `(timeMs, seq)`. Each entry knows its own slot, so cancelling is
 * O(log n) and leaves no tombstones behind (a heartbeat timer reset on every message would otherwise pile up).
 * Four children per node halve the depth of a binary heap, which matters more here than the extra
 * comparisons: the heap is touched twice per delivery.
 *
 * The sort keys are copied into two typed arrays beside the entries. A sift compares up to four children per
 * level; reading their keys from contiguous memory instead of from four entry objects scattered over the heap
 * (a message in flight is cold by the time it arrives) saves most of the cache misses of a pop.
 */
export class TimerHeap {
  private readonly items: TimerEntry[] = [];
  private times = new Float64Array(INITIAL_CAPACITY);
  // A double, not an int32: a long run schedules more than 2^31 callbacks.
  private seqs = new Float64Array(INITIAL_CAPACITY);

  get size(): number {
    return this.items.length;
  }

  peek(): TimerEntry | undefined {
    return this.items[0];
  }

  push(entry: TimerEntry): void {
    const i = this.items.length;
    if (i === this.times.length) this.grow();
    this.items.push(entry);
    this.siftUp(i, entry, entry.timeMs, entry.seq);
  }

  pop(): TimerEntry | undefined {
    const items = this.items;
    const top = items[0];
    if (top === undefined) return undefined;
    const last = items.pop() as TimerEntry;
    top.index = -1;
    // The root has no parent, so the moved entry only ever sifts down.
    if (last !== top) this.siftDown(0, last, this.times[items.length] as number, this.seqs[items.length] as number);
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
    const items = this.items;
    const removed = items[i] as TimerEntry;
    const last = items.pop() as TimerEntry;
    removed.index = -1;
    if (last === removed) return;
    const n = items.length;
    const timeMs = this.times[n] as number;
    const seq = this.seqs[n] as number;
    this.siftDown(i, last, timeMs, seq);
    this.siftUp(last.index, last, timeMs, seq);
  }

  // Moves the hole at `start` up until `(timeMs, seq)` fits, then puts `entry` there.
  private siftUp(start: number, entry: TimerEntry, timeMs: number, seq: number): void {
    const { items, times, seqs } = this;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const parentTime = times[parent] as number;
      if (!(timeMs < parentTime || (timeMs === parentTime && seq < (seqs[parent] as number)))) break;
      this.place(items[parent] as TimerEntry, i, parentTime, seqs[parent] as number);
      i = parent;
    }
    this.place(entry, i, timeMs, seq);
  }

  // Moves the hole at `start` down until `(timeMs, seq)` fits, then puts `entry` there.
  private siftDown(start: number, entry: TimerEntry, timeMs: number, seq: number): void {
    const { items, times, seqs } = this;
    const n = items.length;
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      let childTime = times[first] as number;
      let childSeq = seqs[first] as number;
      const end = Math.min(first + 4, n);
      for (let c = first + 1; c < end; c++) {
        const t = times[c] as number;
        if (t < childTime || (t === childTime && (seqs[c] as number) < childSeq)) {
          child = c;
          childTime = t;
          childSeq = seqs[c] as number;
        }
      }
      if (!(childTime < timeMs || (childTime === timeMs && childSeq < seq))) break;
      this.place(items[child] as TimerEntry, i, childTime, childSeq);
      i = child;
    }
    this.place(entry, i, timeMs, seq);
  }

  private place(entry: TimerEntry, i: number, timeMs: number, seq: number): void {
    this.items[i] = entry;
    this.times[i] = timeMs;
    this.seqs[i] = seq;
    entry.index = i;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}
