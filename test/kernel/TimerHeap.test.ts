import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerHeap, type TimerEntry } from '../../src/kernel/TimerHeap.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

function entry(timeMs: number, seq: number): TimerEntry {
  return { timeMs, seq, fn: () => {}, arg: undefined, index: -1 };
}

/**
 * The model: every entry pushed so far, in push order, with whether it is still pending. The heap must pop
 * the pending entry with the smallest time, and among equal times the one pushed first.
 */
interface HeapModel {
  pushed: TimerEntry[];
  pending: Set<TimerEntry>;
  nextSeq: number;
  /** What the real heap is given as `seq`; the weakening below hands every entry the same one. */
  seqOf: (n: number) => number;
}

function expectedNext(model: HeapModel): TimerEntry | undefined {
  let best: TimerEntry | undefined;
  for (const e of model.pushed) {
    if (!model.pending.has(e)) continue;
    if (best === undefined || e.timeMs < best.timeMs) best = e;
  }
  return best;
}

class PushCommand implements fc.Command<HeapModel, TimerHeap> {
  constructor(readonly timeMs: number) {}
  check(): boolean {
    return true;
  }
  run(model: HeapModel, heap: TimerHeap): void {
    const e = entry(this.timeMs, model.seqOf(model.nextSeq++));
    heap.push(e);
    model.pushed.push(e);
    model.pending.add(e);
    expect(heap.size).toBe(model.pending.size);
    expect(heap.peek()).toBe(expectedNext(model));
  }
  toString(): string {
    return `push(${this.timeMs})`;
  }
}

class PopCommand implements fc.Command<HeapModel, TimerHeap> {
  check(): boolean {
    return true;
  }
  run(model: HeapModel, heap: TimerHeap): void {
    const expected = expectedNext(model);
    const popped = heap.pop();
    expect(popped).toBe(expected);
    if (popped !== undefined) {
      model.pending.delete(popped);
      expect(popped.index).toBe(-1);
    }
    expect(heap.size).toBe(model.pending.size);
  }
  toString(): string {
    return 'pop()';
  }
}

/** Removes the k-th entry ever pushed (modulo their count), which may have left already. */
class RemoveCommand implements fc.Command<HeapModel, TimerHeap> {
  constructor(readonly k: number) {}
  check(model: Readonly<HeapModel>): boolean {
    return model.pushed.length > 0;
  }
  run(model: HeapModel, heap: TimerHeap): void {
    const target = model.pushed[this.k % model.pushed.length] as TimerEntry;
    const wasPending = model.pending.has(target);
    expect(heap.remove(target)).toBe(wasPending);
    model.pending.delete(target);
    expect(target.index).toBe(-1);
    expect(heap.size).toBe(model.pending.size);
    expect(heap.peek()).toBe(expectedNext(model));
  }
  toString(): string {
    return `remove(#${this.k})`;
  }
}

// Few distinct times, so equal times (the FIFO rule) come up in almost every run.
const commands = fc.commands(
  [
    fc.integer({ min: 0, max: 8 }).map((t) => new PushCommand(t)),
    fc.constant(new PopCommand()),
    fc.nat({ max: 40 }).map((k) => new RemoveCommand(k)),
  ],
  { maxCommands: 80 },
);

function drain(model: HeapModel, heap: TimerHeap): void {
  while (model.pending.size > 0) new PopCommand().run(model, heap);
  expect(heap.pop()).toBeUndefined();
}

describe('TimerHeap', () => {
  it('pops in (timeMs, seq) order and keeps its size right under random push, remove and pop', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const model: HeapModel = { pushed: [], pending: new Set(), nextSeq: 0, seqOf: (n) => n };
        const heap = new TimerHeap();
        fc.modelRun(() => ({ model, real: heap }), cmds);
        drain(model, heap);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('the order property can fail: entries pushed without distinct seq numbers break FIFO for equal times', () => {
    const result = fc.check(
      fc.property(commands, (cmds) => {
        const model: HeapModel = { pushed: [], pending: new Set(), nextSeq: 0, seqOf: () => 0 };
        const heap = new TimerHeap();
        fc.modelRun(() => ({ model, real: heap }), cmds);
        drain(model, heap);
      }),
      { numRuns: 300, seed: 1 },
    );
    expect(result.failed).toBe(true);
  });

  it('sorts a large random batch by (timeMs, seq)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 500 }), (times) => {
        const heap = new TimerHeap();
        times.forEach((t, seq) => heap.push(entry(t, seq)));
        const popped: Array<[number, number]> = [];
        for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push([e.timeMs, e.seq]);
        const expected = times.map((t, seq): [number, number] => [t, seq]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('returns false when removing an entry that was already popped or removed, and leaves the rest alone', () => {
    const heap = new TimerHeap();
    const a = entry(1, 0);
    const b = entry(2, 1);
    const c = entry(3, 2);
    for (const e of [a, b, c]) heap.push(e);
    expect(heap.pop()).toBe(a);
    expect(heap.remove(a)).toBe(false);
    expect(heap.remove(c)).toBe(true);
    expect(heap.remove(c)).toBe(false);
    expect(heap.size).toBe(1);
    expect(heap.peek()).toBe(b);
  });

  it('returns false for an entry that was never pushed, even if its index points at a live slot', () => {
    const heap = new TimerHeap();
    heap.push(entry(1, 0));
    const stranger = { ...entry(1, 0), index: 0 };
    expect(heap.remove(stranger)).toBe(false);
    expect(heap.size).toBe(1);
  });

  it('can take an entry back after it was popped', () => {
    const heap = new TimerHeap();
    const a = entry(5, 0);
    heap.push(a);
    heap.pop();
    heap.push(a);
    expect(heap.peek()).toBe(a);
    expect(a.index).toBe(0);
  });

  it('pops undefined and peeks undefined when empty', () => {
    const heap = new TimerHeap();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
  });
});
