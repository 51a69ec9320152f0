import { NEVER, Subject, debounceTime, delay, interval, take, timeout, timer, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/kernel/VirtualClock.ts';

interface Recorded<T> {
  values: Array<[atMs: number, value: T]>;
  completedAtMs: number | undefined;
}

/** Subscribes and records every emission with the virtual time it happened at. */
function record<T>(clock: VirtualClock, source: Observable<T>): Recorded<T> {
  const rec: Recorded<T> = { values: [], completedAtMs: undefined };
  source.subscribe({
    next: (value) => rec.values.push([clock.now, value]),
    complete: () => {
      rec.completedAtMs = clock.now;
    },
  });
  return rec;
}

function runAll(clock: VirtualClock): void {
  while (clock.step());
}

/** Feeds `subject` the value t at each virtual time t. */
function feedAt(clock: VirtualClock, subject: Subject<number>, times: number[], completeAtMs?: number): void {
  for (const t of times) clock.scheduleAt(t, () => subject.next(t));
  if (completeAtMs !== undefined) clock.scheduleAt(completeAtMs, () => subject.complete());
}

describe('VirtualScheduler', () => {
  it('reads the clock for now()', () => {
    const clock = new VirtualClock();
    clock.setTimeout(() => {}, 25);
    clock.step();
    expect(clock.scheduler.now()).toBe(25);
  });

  it('runs timer(100) at virtual time 100, not at once and not in wall time', () => {
    const clock = new VirtualClock();
    const rec = record(clock, timer(100, clock.scheduler));
    expect(rec.values).toEqual([]);
    expect(clock.pending).toBe(1);
    runAll(clock);
    expect(rec.values).toEqual([[100, 0]]);
    expect(rec.completedAtMs).toBe(100);
  });

  it('runs interval(10) with take(3) at 10, 20, 30 and leaves nothing pending after it completes', () => {
    const clock = new VirtualClock();
    const rec = record(clock, interval(10, clock.scheduler).pipe(take(3)));
    runAll(clock);
    expect(rec.values).toEqual([
      [10, 0],
      [20, 1],
      [30, 2],
    ]);
    expect(rec.completedAtMs).toBe(30);
    expect(clock.pending).toBe(0);
    expect(clock.now).toBe(30);
  });

  it('delays each value by 50 virtual ms', () => {
    const clock = new VirtualClock();
    const subject = new Subject<number>();
    const rec = record(clock, subject.pipe(delay(50, clock.scheduler)));
    feedAt(clock, subject, [0, 5, 120], 130);
    runAll(clock);
    expect(rec.values).toEqual([
      [50, 0],
      [55, 5],
      [170, 120],
    ]);
    expect(rec.completedAtMs).toBe(170);
  });

  it('debounces in virtual time: only a value followed by 30 ms of quiet gets through', () => {
    const clock = new VirtualClock();
    const subject = new Subject<number>();
    const rec = record(clock, subject.pipe(debounceTime(30, clock.scheduler)));
    feedAt(clock, subject, [0, 10, 20, 100, 200, 229], 300);
    runAll(clock);
    expect(rec.values).toEqual([
      [50, 20],
      [130, 100],
      [259, 229],
    ]);
    expect(rec.completedAtMs).toBe(300);
  });

  it('cancels pending work on unsubscribe', () => {
    const clock = new VirtualClock();
    const emitted: number[] = [];
    const sub = timer(100, clock.scheduler).subscribe((v) => emitted.push(v));
    const periodic = interval(10, clock.scheduler).subscribe((v) => emitted.push(v));
    expect(clock.pending).toBe(2);
    sub.unsubscribe();
    clock.setTimeout(() => periodic.unsubscribe(), 25);
    runAll(clock);
    expect(emitted).toEqual([0, 1]);
    expect(clock.pending).toBe(0);
    expect(clock.now).toBe(25);
  });

  it('does nothing when an action is rescheduled after it was unsubscribed', () => {
    const clock = new VirtualClock();
    let runs = 0;
    const action = clock.scheduler.schedule(() => {
      runs++;
    }, 10);
    action.unsubscribe();
    expect(clock.pending).toBe(0);
    runAll(clock);
    expect(runs).toBe(0);
  });

  it('keeps one pending entry per action when work reschedules itself', () => {
    const clock = new VirtualClock();
    const seen: Array<[number, number]> = [];
    clock.scheduler.schedule(
      function (this, n) {
        seen.push([clock.now, n]);
        if (n < 3) this.schedule(n + 1, 7);
      },
      5,
      0,
    );
    expect(clock.pending).toBe(1);
    runAll(clock);
    expect(seen).toEqual([
      [5, 0],
      [12, 1],
      [19, 2],
      [26, 3],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('interleaves with other clock callbacks in (time, scheduling order)', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimeout(() => order.push('before@100'), 100);
    timer(100, clock.scheduler).subscribe(() => order.push('timer@100'));
    clock.setTimeout(() => order.push('after@100'), 100);
    clock.setTimeout(() => order.push('clock@50'), 50);
    interval(40, clock.scheduler)
      .pipe(take(3))
      .subscribe((i) => order.push(`interval#${i}@${clock.now}`));
    runAll(clock);
    // interval#1 is rescheduled at 40 for 80; interval#2 is rescheduled at 80 for 120, after the 100s.
    expect(order).toEqual(['interval#0@40', 'clock@50', 'interval#1@80', 'before@100', 'timer@100', 'after@100', 'interval#2@120']);
  });

  // Regression (fixed): VirtualAction.schedule passes the delay straight to clock.setTimeout, which throws on a negative
  // delay. RxJS operators do compute negative delays (rxjs's own AsyncScheduler treats them as "now"):
  // `timeout({ first: <a Date already past> })` computes `+first - scheduler.now()`. Failing input: clock
  // at 100, `NEVER.pipe(timeout({ first: new Date(50), scheduler }))`: the subscriber gets the clock's
  // "delayMs must be a finite number >= 0, got -50" Error instead of a TimeoutError at 100.
  it('treats a negative delay from an RxJS operator as due now, as RxJS’s own schedulers do', () => {
    const clock = new VirtualClock();
    clock.advanceTo(100);
    const errors: Array<[number, string]> = [];
    NEVER.pipe(timeout({ first: new Date(50), scheduler: clock.scheduler })).subscribe({
      error: (err: Error) => errors.push([clock.now, err.name]),
    });
    runAll(clock);
    expect(errors).toEqual([[100, 'TimeoutError']]);
  });
});
