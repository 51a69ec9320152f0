import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { TimerHandle, VirtualClock } from './VirtualClock.ts';

/**
 * An RxJS scheduler on the VirtualClock, so `timer`, `interval`, `delay` and `debounceTime` run in virtual
 * time and interleave with deliveries in one `(timeMs, seq)` order. Unlike rxjs's VirtualTimeScheduler it
 * shares its time base with the World and costs one heap entry per pending action.
 */
export class VirtualScheduler implements SchedulerLike {
  constructor(private readonly clock: VirtualClock) {}


  now(): number {
    return this.clock.now;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state: T) => void, delay = 0, state?: T): Subscription {
    return new VirtualAction<T>(this.clock, work).schedule(state, delay);
  }
}

class VirtualAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: TimerHandle | undefined;
  private state: T | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly work: (this: SchedulerAction<T>, state: T) => void,
  ) {
    super();
  }

  /** (Re)schedules this action; RxJS's periodic operators call it from inside `work`. */
  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.clock.clearTimeout(this.handle);
    this.state = state;
    // RxJS operators can compute a delay in the past (a `timeout` deadline that has passed); its own
    // schedulers treat that as due now, as setTimeout does, so this one does too.
    this.handle = this.clock.setTimeout(() => this.execute(), delay > 0 ? delay : 0); // VirtualClock
    return this;
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    super.unsubscribe();
  }

  private execute(): void {
    this.handle = undefined;
    if (this.closed) return;
    this.work.call(this, this.state as T);
  }
}
