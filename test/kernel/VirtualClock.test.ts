import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock, type TimerHandle } from '../../src/kernel/VirtualClock.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

function runAll(clock: VirtualClock): number {
  let steps = 0;
  while (clock.step()) steps++;
  return steps;
}

describe('VirtualClock', () => {
  it('starts at 0 with nothing pending', () => {
    const clock = new VirtualClock();
    expect(clock.now).toBe(0);
    expect(clock.pending).toBe(0);
    expect(clock.nextTimeMs()).toBeUndefined();
    expect(clock.step()).toBe(false);
  });

  it('runs a timeout at now + delay and moves time only when it runs', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now), 30);
    clock.setTimeout(() => fired.push(clock.now), 10);
    expect(clock.pending).toBe(2);
    expect(clock.nextTimeMs()).toBe(10);
    expect(clock.now).toBe(0);
    expect(clock.step()).toBe(true);
    expect(fired).toEqual([10]);
    expect(clock.now).toBe(10);
    expect(runAll(clock)).toBe(1);
    expect(fired).toEqual([10, 30]);
    expect(clock.pending).toBe(0);
  });

  it('runs callbacks due at the same time in the order they were scheduled', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimeout(() => order.push('a'), 5);
    clock.scheduleAt(5, (name: string) => order.push(name), 'b');
    clock.advanceTo(2);
    clock.setTimeout(() => order.push('c'), 3);
    clock.setTimeout(() => order.push('early'), 1);
    runAll(clock);
    expect(order).toEqual(['early', 'a', 'b', 'c']);
  });

  it('runs a zero-delay timeout scheduled by a callback after the others already due at that time', () => {
    const clock = new VirtualClock();
    const order: string[] = [];
    clock.setTimeout(() => {
      order.push('first');
      clock.setTimeout(() => order.push('spawned'), 0);
    }, 10);
    clock.setTimeout(() => order.push('second'), 10);
    runAll(clock);
    expect(order).toEqual(['first', 'second', 'spawned']);
    expect(clock.now).toBe(10);
  });

  it('passes the argument given to scheduleAt', () => {
    const clock = new VirtualClock();
    const got: Array<{ n: number }> = [];
    const arg = { n: 7 };
    clock.scheduleAt(4, (a: { n: number }) => got.push(a), arg);
    runAll(clock);
    expect(got[0]).toBe(arg);
  });

  it('cancels a timeout with clearTimeout, and ignores undefined or a handle that already fired', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    const b = clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('c'), 30);
    clock.clearTimeout(b);
    clock.clearTimeout(undefined);
    expect(clock.pending).toBe(2);
    clock.step();
    clock.clearTimeout(a); // already fired: must not disturb the rest
    clock.clearTimeout(b); // already cancelled
    expect(clock.pending).toBe(1);
    runAll(clock);
    expect(fired).toEqual(['a', 'c']);
  });

  it('lets a callback cancel a later one due at the same time', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimeout(() => {
      fired.push('killer');
      clock.clearTimeout(victim);
    }, 5);
    const victim = clock.setTimeout(() => fired.push('victim'), 5);
    runAll(clock);
    expect(fired).toEqual(['killer']);
  });

  describe('step(limit)', () => {
    it('runs callbacks due at or before the limit and stops without moving time past it', () => {
      const clock = new VirtualClock();
      const fired: number[] = [];
      for (const t of [10, 20, 30]) clock.scheduleAt(t, () => fired.push(t));
      while (clock.step(20));
      expect(fired).toEqual([10, 20]);
      expect(clock.now).toBe(20);
      expect(clock.step(29.999)).toBe(false);
      expect(clock.now).toBe(20);
      expect(clock.pending).toBe(1);
    });
  });

  describe('time never goes backwards', () => {
    it('refuses advanceTo an earlier time', () => {
      const clock = new VirtualClock();
      clock.advanceTo(50);
      expect(() => clock.advanceTo(49)).toThrow('VirtualClock.advanceTo: time never goes backwards (now 50, asked 49)');
      expect(clock.now).toBe(50);
    });

    it('refuses advanceTo past a callback that has not run, but allows advancing exactly to it', () => {
      const clock = new VirtualClock();
      clock.setTimeout(() => {}, 100);
      expect(() => clock.advanceTo(101)).toThrow('VirtualClock.advanceTo: a callback is still due at 100, before 101');
      expect(clock.now).toBe(0);
      clock.advanceTo(100);
      expect(clock.now).toBe(100);
      expect(clock.step(100)).toBe(true);
    });

    it('refuses scheduleAt in the past, naming now and the time asked', () => {
      const clock = new VirtualClock();
      clock.advanceTo(10);
      expect(() => clock.scheduleAt(9, () => {})).toThrow('VirtualClock.scheduleAt: timeMs must be a finite time >= now (10), got 9');
      expect(() => clock.scheduleAt(Number.NaN, () => {})).toThrow('got NaN');
      expect(() => clock.scheduleAt(Infinity, () => {})).toThrow('got Infinity');
      expect(clock.pending).toBe(0);
      clock.scheduleAt(10, () => {});
      expect(clock.pending).toBe(1);
    });

    it('refuses negative, NaN and infinite delays, naming the value', () => {
      const clock = new VirtualClock();
      expect(() => clock.setTimeout(() => {}, -1)).toThrow('VirtualClock.setTimeout: delayMs must be a finite number >= 0, got -1');
      expect(() => clock.setTimeout(() => {}, Number.NaN)).toThrow('got NaN');
      expect(() => clock.setTimeout(() => {}, Infinity)).toThrow('got Infinity');
      expect(clock.pending).toBe(0);
    });

    // Regression (fixed): advanceTo checks `timeMs < now` and `next.timeMs < timeMs`, and both are false for NaN, so
    // advanceTo(NaN) sets the clock to NaN; every later setTimeout then throws "got <delay>" although the delay
    // is fine, and scheduleAt(x) reports "now (NaN)". Failing input: new VirtualClock().advanceTo(NaN).
    it('refuses advanceTo(NaN) and keeps its time', () => {
      const clock = new VirtualClock();
      expect(() => clock.advanceTo(Number.NaN)).toThrow();
      expect(clock.now).toBe(0);
    });

    it('keeps now non-decreasing and runs every callback in (time, scheduling order) under random schedules', () => {
      // Each op schedules a callback `delay` after the time of the callback that schedules it (or at the
      // start), or cancels an earlier one. Callbacks themselves schedule more, as timers in a node do.
      const op = fc.oneof(
        fc.record({ kind: fc.constant('schedule' as const), delayMs: fc.integer({ min: 0, max: 20 }), nested: fc.boolean() }),
        fc.record({ kind: fc.constant('cancel' as const), k: fc.nat({ max: 50 }) }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
          const clock = new VirtualClock();
          const handles: TimerHandle[] = [];
          const cancelled = new Set<number>();
          const scheduled: Array<{ id: number; timeMs: number }> = [];
          const ran: Array<{ id: number; timeMs: number }> = [];
          const schedule = (delayMs: number, nested: boolean) => {
            const id = scheduled.length;
            scheduled.push({ id, timeMs: clock.now + delayMs });
            handles.push(
              clock.setTimeout(() => {
                ran.push({ id, timeMs: clock.now });
                if (nested && scheduled.length < 200) schedule(delayMs, false);
              }, delayMs),
            );
          };
          for (const o of ops) {
            if (o.kind === 'schedule') schedule(o.delayMs, o.nested);
            else if (handles.length > 0) {
              const k = o.k % handles.length;
              if (!ran.some((r) => r.id === k)) cancelled.add(k);
              clock.clearTimeout(handles[k]);
            }
          }
          let last = 0;
          while (clock.step()) {
            expect(clock.now).toBeGreaterThanOrEqual(last);
            last = clock.now;
          }
          const expected = scheduled.filter((s) => !cancelled.has(s.id));
          expect(ran.map((r) => r.id).sort((a, b) => a - b)).toEqual(expected.map((s) => s.id));
          for (const r of ran) expect(r.timeMs).toBe(scheduled[r.id]?.timeMs);
          // Ids grow in scheduling order, so (time, id) order is (time, seq) order.
          const sorted = [...ran].sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
          expect(ran).toEqual(sorted);
          expect(clock.pending).toBe(0);
        }),
        { numRuns: propertyRuns(200) },
      );
    });
  });

  it('lends its time to the RxJS scheduler it carries', () => {
    const clock = new VirtualClock();
    clock.advanceTo(42);
    expect(clock.scheduler.now()).toBe(42);
  });
});
