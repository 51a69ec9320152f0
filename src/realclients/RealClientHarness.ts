// The deterministic harness for real client libraries: while it is installed, the globals a client reads its time,
// timers and randomness from answer from the World instead of the machine. Timers become the virtual clock's, owned
// by the node whose code set them (so a paused node's timers wait and a crashed node's never fire); `Date` reads the
// virtual clock (@sinonjs/fake-timers' Date, set to the virtual time before the client's code runs); `Math.random`
// and `crypto.getRandomValues` draw from the node's seeded Rng. Code that runs while no real client is being
// driven (the test runner, the simulation's own code) gets the real globals: the harness passes them through, and
// `uninstall` puts every one back.
//
// A real client is asynchronous: a response it reads resolves promises whose callbacks run later, as microtasks.
// The driver (`runFor`, `runUntil`) steps the World one callback at a time and, after a step that ran a real
// client's code, lets that client's microtasks run to the end (one turn of Node's event loop, a real
// `setImmediate`) before the next step, with the harness still naming that client as the one running. Nothing the
// client does can then depend on how fast the machine is. A step that created or settled no promise (and queued no
// microtask) left nothing to run, and is not waited for: V8's promise hooks count that activity. Most steps of a
// kafkajs client are such (its request queue re-arms a 1 ms timer for as long as a connection is open, kafkajs
// issue 1556), and skipping their turn of the event loop is most of the harness's speed.
import FakeTimers from '@sinonjs/fake-timers';
import { promiseHooks } from 'node:v8';
import { ArgumentError } from '../kernel/argumentError.ts';
import type { World } from '../kernel/World.ts';

/** A node whose code the harness drives (RealClientHost). */
export interface HarnessedNode {
  readonly id: string;
  /** A setTimeout/setInterval of this node's code; returns the handle the code gets. */
  setTimer(callback: () => void, delayMs: number, repeat: boolean): VirtualTimeout;
  clearTimer(timer: VirtualTimeout): void;
  /** A number in [0, 1) from the node's Rng. */
  random(): number;
  /** Fills `bytes` from the node's Rng. */
  randomBytes(bytes: Uint8Array): void;
  /** A promise the node's code created was rejected with nobody to handle it: Node would end the process. */
  unhandledRejection(reason: unknown): void;
}

/**
 * A timer handle as Node's timers return one (ref/unref/hasRef/refresh/close and a numeric id), for a timer on the
 * virtual clock. `ref` and `unref` change nothing: the virtual clock runs what is due whatever keeps a process alive.
 */
export class VirtualTimeout {
  private refed = true;
  /** The virtual clock's handle while the timer is armed. */
  handle: unknown;

  constructor(
    readonly owner: HarnessedNode,
    readonly id: number,
    readonly callback: () => void,
    readonly delayMs: number,
    readonly repeat: boolean,
  ) {}

  ref(): this {
    this.refed = true;
    return this;
  }

  unref(): this {
    this.refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  refresh(): this {
    this.owner.clearTimer(this);
    const again = this.owner.setTimer(this.callback, this.delayMs, this.repeat);
    this.handle = again.handle;
    return this;
  }

  close(): this {
    this.owner.clearTimer(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

/** Where virtual time 0 falls on the calendar: 2024-01-01T00:00:00Z, so timestamps look like real ones. */
export const DEFAULT_EPOCH_MS = 1_704_067_200_000;

/** Node clamps a delay outside 1..2^31-1 (or not a number) to 1 ms (lib/internal/timers.js). */
function nodeDelay(delay: unknown): number {
  const ms = Number(delay);
  return ms >= 1 && ms <= 2_147_483_647 ? ms : 1;
}

type TimerGlobals = Pick<typeof globalThis, 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'>;

/** The harness of one World's real clients. */
export class RealClientHarness {
  private running: HarnessedNode | undefined;
  private readonly dirty: HarnessedNode[] = [];
  private restore: (() => void) | undefined;
  private fakeClock: { setSystemTime(now: number): void } | undefined;
  /** Promises created or settled, and microtasks queued, since the harness was installed. */
  private activity = 0;
  /** The real queueMicrotask and nextTick, while installed (settle uses them to mark the end of a drain). */
  private realQueueMicrotask: typeof queueMicrotask | undefined;
  private realNextTick: typeof process.nextTick | undefined;

  constructor(
    private readonly world: World,
    readonly epochMs = DEFAULT_EPOCH_MS,
  ) {}

  /** The node whose code is running (or whose microtasks are being let run), if any. */
  get current(): HarnessedNode | undefined {
    return this.running;
  }

  /** The calendar time the clients see now. */
  get nowMs(): number {
    // Date.now() is a whole number of ms; virtual time has fractions (latencies are drawn from distributions).
    return this.epochMs + Math.floor(this.world.now);
  }

  /** Replaces the globals (once; a second install throws). */
  install(): void {
    if (this.restore !== undefined) throw new ArgumentError('RealClientHarness.install', 'harness', 'installed', 'a harness not installed yet');
    const real: TimerGlobals = {
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval,
      clearInterval: globalThis.clearInterval,
    };
    // eslint-disable-next-line no-restricted-properties -- the harness keeps the real Math.random to give it back
    const realRandom = Math.random;
    const webcrypto = globalThis.crypto;
    const ownGetRandomValues = Object.getOwnPropertyDescriptor(webcrypto, 'getRandomValues');
    const realGetRandomValues = webcrypto.getRandomValues.bind(webcrypto);
    const timer = (repeat: boolean) =>
      ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
        const node = this.running;
        if (node === undefined) return (repeat ? real.setInterval : real.setTimeout)(callback, delay, ...args);
        return node.setTimer(() => callback(...args), nodeDelay(delay), repeat);
      }) as unknown as typeof setTimeout;
    const clear = (realClear: (handle: never) => void) => (handle: unknown) => {
      if (handle instanceof VirtualTimeout) handle.owner.clearTimer(handle);
      else realClear(handle as never);
    };
    globalThis.setTimeout = timer(false);
    globalThis.setInterval = timer(true) as unknown as typeof setInterval;
    globalThis.clearTimeout = clear(real.clearTimeout) as typeof clearTimeout;
    globalThis.clearInterval = clear(real.clearInterval) as typeof clearInterval;
    // eslint-disable-next-line no-restricted-properties -- replaced by the seeded draw while a client runs
    Math.random = () => this.running?.random() ?? realRandom();
    Object.defineProperty(webcrypto, 'getRandomValues', {
      configurable: true,
      writable: true,
      value: <T extends ArrayBufferView | null>(array: T): T => {
        const node = this.running;
        if (node === undefined || array === null) return realGetRandomValues(array as never) as T;
        node.randomBytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
        return array;
      },
    });
    const fake = FakeTimers.withGlobal(globalThis).install({ toFake: ['Date'], now: this.nowMs });
    this.fakeClock = fake;
    const count = () => {
      this.activity++;
    };
    // Which node's code created each promise, so that a rejection nobody handles ends that node's process (Node's
    // default, --unhandled-rejections=throw) rather than the simulator's.
    const creators = new WeakMap<Promise<unknown>, HarnessedNode>();
    const stopHooks = [
      promiseHooks.onInit((promise) => {
        this.activity++;
        if (this.running !== undefined) creators.set(promise, this.running);
      }),
      promiseHooks.onSettled(count),
    ];
    const onUnhandled = (reason: unknown, promise: Promise<unknown>) => {
      const node = creators.get(promise);
      if (node === undefined) throw reason;
      node.unhandledRejection(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    const realQueueMicrotask = globalThis.queueMicrotask;
    const realNextTick = process.nextTick;
    this.realQueueMicrotask = realQueueMicrotask;
    this.realNextTick = realNextTick;
    globalThis.queueMicrotask = (callback) => {
      count();
      realQueueMicrotask(callback);
    };
    process.nextTick = ((...args: Parameters<typeof process.nextTick>) => {
      count();
      realNextTick(...args);
    }) as typeof process.nextTick;
    this.restore = () => {
      for (const stop of stopHooks) stop();
      process.off('unhandledRejection', onUnhandled);
      globalThis.queueMicrotask = realQueueMicrotask;
      process.nextTick = realNextTick;
      fake.uninstall();
      Object.assign(globalThis, real);
      // eslint-disable-next-line no-restricted-properties -- the real one back
      Math.random = realRandom;
      if (ownGetRandomValues === undefined) delete (webcrypto as { getRandomValues?: unknown }).getRandomValues;
      else Object.defineProperty(webcrypto, 'getRandomValues', ownGetRandomValues);
    };
  }

  /** Puts the real globals back. */
  uninstall(): void {
    const restore = this.restore;
    this.restore = undefined;
    this.fakeClock = undefined;
    this.realQueueMicrotask = undefined;
    this.realNextTick = undefined;
    restore?.();
  }

  /** Runs `fn` as `node`'s code now (a delivery, a timer, the app's start); its microtasks run at the next settle. */
  runIn<T>(node: HarnessedNode, fn: () => T): T {
    const previous = this.running;
    this.running = node;
    this.fakeClock?.setSystemTime(this.nowMs);
    const activity = this.activity;
    try {
      return fn();
    } finally {
      this.running = previous;
      if (this.activity !== activity && !this.dirty.includes(node)) this.dirty.push(node);
    }
  }

  /** Whether some node's microtasks wait for a settle. */
  get unsettled(): boolean {
    return this.dirty.length > 0;
  }

  /**
   * Lets the microtasks of every node that ran code since the last settle run to the end, one node at a time. The
   * node is named as the one running only while its microtasks drain: a microtask queued behind them queues a
   * nextTick, which Node runs once the microtask queue is empty and before any other macrotask, and which ends the
   * naming. Whatever else the event loop runs before the settle's turn ends (the test runner's timers and messages)
   * gets the real globals, so it can neither draw from a node's Rng nor set a node's timers.
   */
  async settle(): Promise<void> {
    while (this.dirty.length > 0) {
      const node = this.dirty.shift() as HarnessedNode;
      this.running = node;
      this.fakeClock?.setSystemTime(this.nowMs);
      const realNextTick = this.realNextTick ?? process.nextTick;
      // eslint-disable-next-line no-restricted-globals -- marks the end of the node's microtasks (see above)
      (this.realQueueMicrotask ?? queueMicrotask)(() =>
        realNextTick(() => {
          if (this.running === node) this.running = undefined;
        }),
      );
      try {
        // One real turn of the event loop: every microtask the client queued runs first (no virtual time passes).
        // eslint-disable-next-line no-restricted-globals -- the harness yields to the real event loop on purpose
        await new Promise<void>((resolve) => setImmediate(resolve));
      } finally {
        this.running = undefined;
      }
    }
  }

  /** `world.runFor`, settling real clients after each step that ran their code. */
  async runFor(ms: number): Promise<void> {
    const end = this.world.now + ms;
    await this.settle();
    while (this.world.step(end)) if (this.unsettled) await this.settle();
    this.world.runFor(end - this.world.now);
    this.fakeClock?.setSystemTime(this.nowMs);
  }

  /** `world.runUntil` with settling; returns whether the predicate held before `maxTimeMs` (default no limit). */
  async runUntil(predicate: () => boolean, { maxTimeMs = Infinity }: { maxTimeMs?: number } = {}): Promise<boolean> {
    await this.settle();
    try {
      while (!predicate()) {
        if (!this.world.step(maxTimeMs)) return false;
        if (this.unsettled) await this.settle();
      }
      return true;
    } finally {
      this.fakeClock?.setSystemTime(this.nowMs);
    }
  }
}
