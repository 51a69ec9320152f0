import type { ActorOptions, AnyActorLogic } from 'xstate';
import { TimerHeap, type TimerEntry } from './TimerHeap.ts';
import { VirtualScheduler } from './VirtualScheduler.ts';

/** XState's clock interface (not exported by name from 'xstate'). */
type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/** A handle returned by `setTimeout`, for `clearTimeout`. */
export type TimerHandle = TimerEntry;

/**
 * Virtual time: a heap of callbacks ordered by `(timeMs, seq)`, where `seq` makes callbacks due at the same
 * time run in the order they were scheduled. Time never goes backwards and moves only when a callback is run
 * or `advanceTo` is called. Implements XState's `Clock`; `scheduler` lets RxJS time operators run on it.
 */
export class VirtualClock implements Clock {
  private readonly heap = new TimerHeap();
  private seq = 0;
  private nowMs = 0;
  /** An RxJS `SchedulerLike` on this clock: `timer(100, clock.scheduler)` fires at virtual time now+100. */
  readonly scheduler = new VirtualScheduler(this);

  /** The current virtual time in milliseconds. */
  get now(): number {
    return this.nowMs;
  }

  /** How many callbacks are pending. */
  get pending(): number {
    return this.heap.size;
  }

  /** The time of the next pending callback, or undefined if none. */
  nextTimeMs(): number | undefined {
    return this.heap.peek()?.timeMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new Error(`VirtualClock.setTimeout: delayMs must be a finite number >= 0, got ${delayMs}`);
    }
    return this.insert(this.nowMs + delayMs, fn);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.heap.remove(handle);
  }

  /** Schedules `fn(arg)` at an absolute virtual time, which must not be in the past. */
  scheduleAt<A>(timeMs: number, fn: (arg: A) => void, arg?: A): TimerHandle {
    if (!(timeMs >= this.nowMs) || !Number.isFinite(timeMs)) {
      throw new Error(`VirtualClock.scheduleAt: timeMs must be a finite time >= now (${this.nowMs}), got ${timeMs}`);
    }
    return this.insert(timeMs, fn, arg);
  }

  /** Runs the next callback if it is due at or before `limitMs`; returns false when there is none. */
  step(limitMs = Infinity): boolean {
    const next = this.heap.peek();
    if (next === undefined || next.timeMs > limitMs) return false;
    this.heap.pop();
    this.nowMs = next.timeMs;
    next.fn(next.arg);
    return true;
  }

  /** Moves time forward to `timeMs` without running anything; callbacks due before it must have run. */
  advanceTo(timeMs: number): void {
    const next = this.heap.peek();
    if (!Number.isFinite(timeMs)) throw new Error(`VirtualClock.advanceTo: timeMs must be a finite time, got ${timeMs}`);
    if (timeMs < this.nowMs) {
      throw new Error(`VirtualClock.advanceTo: time never goes backwards (now ${this.nowMs}, asked ${timeMs})`);
    }
    if (next !== undefined && next.timeMs < timeMs) {
      throw new Error(`VirtualClock.advanceTo: a callback is still due at ${next.timeMs}, before ${timeMs}`);
    }
    this.nowMs = timeMs;
  }

  private insert(timeMs: number, fn: (arg: any) => void, arg?: unknown): TimerHandle {
    const entry: TimerEntry = { timeMs, seq: this.seq++, fn, arg, index: -1 };
    this.heap.push(entry);
    return entry;
  }
}
