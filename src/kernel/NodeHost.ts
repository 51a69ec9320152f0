import { createActor, type Actor, type ActorOptions, type AnyActorLogic, type AnyStateMachine } from 'xstate';
import type { Trace } from '../history/Trace.ts';
import { stableStringify } from '../history/stableStringify.ts';
import type { Bus, Endpoint, Envelope, Message } from './Bus.ts';
import type { Rng } from './Rng.ts';
import type { TimerHandle, VirtualClock } from './VirtualClock.ts';

/** XState's clock interface (not exported by name from 'xstate'). */
type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/** A node is up, down (crashed, disk kept) or paused (alive but frozen, like a long GC pause). */
export type NodeStatus = 'up' | 'down' | 'paused';

/** What every machine gets as input on first start and on each restart (plus its own config fields). */
export interface NodeInput {
  nodeId: string;
  /** The last persisted data, or undefined on first start. */
  disk: unknown;
  /** A generator for this node and this boot; restarts draw fresh values. */
  rng: Rng;
  /**
   * The virtual time now, in ms. Protocol rules that compare times (session timeouts, replica lag, delivery
   * timeouts) read it inside actions; timers still go through `after` and delayed events.
   */
  now: () => number;
}

/** What a machine emits to reach the world (the machine contract, DESIGN.md §2). */
export type HostEmitted =
  | { type: 'send'; to: string; message: Message }
  | { type: 'persist'; data: unknown; fsync?: boolean }
  | { type: 'note'; data: unknown }
  /** Closes the connection with `to`: the peer gets a `connection.reset` (after what this node sent before). */
  | { type: 'disconnect'; to: string }
  /** The process exits cleanly (the end of a shutdown): what it persisted is on disk, and the node is down. */
  | { type: 'exit' };

/** The event a node's machine gets when the operator asks its process to stop (SIGTERM): a `shutdown` fault. */
export const SHUTDOWN_EVENT = 'node.shutdown';

/** A note a machine emitted (a history operation, an observation for checkers), as the World streams it. */
export interface NodeNote {
  atMs: number;
  node: string;
  /** Which boot of the node emitted it (1 for the first): a restarted client starts its counters afresh. */
  incarnation: number;
  data: unknown;
}

/** The World's side of a host: the shared clock, bus and trace, and where failures go. */
export interface HostContext {
  clock: VirtualClock;
  bus: Bus;
  trace: Trace;
  rng: Rng;
  fail(nodeId: string, eventType: string, cause: unknown): void;
  note(note: NodeNote): void;
}

/**
 * Sits between the bus and a node's machine: turns what arrives into the events the machine takes, and what the
 * machine sends into what goes on the bus. A broker serving real Kafka clients has one (the wire gateway: bytes in
 * Kafka's protocol on one side, the simulator's messages on the other); other nodes have none.
 */
export interface NodeAdapter {
  /**
   * A delivery from `from`: the events the machine takes for it, each with the peer it comes from as the machine
   * sees it (the adapter may name one connection of a node as a peer of its own); none when it answered itself.
   */
  inbound(from: string, message: Message): readonly AdaptedMessage[];
  /** What the machine sends `peer`: the messages that go on the bus in its place, to nodes (none, one or several). */
  outbound(peer: string, message: Message): readonly AdaptedMessage[];
  /** The machine closes its connection with `peer`: true when the adapter did it, false to leave it to the bus. */
  disconnect(peer: string): boolean;
  /** The process (re)started: whatever the adapter held for a past life (connections, requests) is gone. */
  reset(): void;
}

/** A message with the peer it comes from (inbound) or goes to (outbound). */
export interface AdaptedMessage {
  peer: string;
  message: Message;
}

/** Builds a node's adapter; `send` puts a message on the bus from the node (an answer the adapter gives itself). */
export type NodeAdapterFactory = (send: (to: string, message: Message) => void) => NodeAdapter;

/**
 * What the World drives for each node, whatever runs inside it: an XState machine (NodeHost) or a real client
 * library under the real-client harness. Faults reach a node through these methods.
 */
export interface SimulatedHost extends Endpoint {
  readonly id: string;
  readonly status: NodeStatus;
  start(): void;
  crash(): void;
  powerLoss(): void;
  pause(): void;
  resume(): void;
  /** SIGTERM; false (nothing happens) unless the node is up. */
  shutdown(): boolean;
  /** Whether the process is stopping: up, asked to shut down, not exited yet. */
  readonly stopping?: boolean;
  /**
   * A restart asked while the process is stopping: it starts again as soon as it has exited (as a service manager's
   * restart waits for the stop); false (nothing happens) unless it is stopping.
   */
  restartWhenStopped?(): boolean;
  /** The application's method call inside the node's process (World.call). */
  call(message: Message): void;
  /** The node's XState snapshot, or undefined (down, or not an XState node). */
  snapshot(): ReturnType<Actor<AnyStateMachine>['getSnapshot']> | undefined;
  disk(): unknown;
}

/**
 * Releases what a paused node held (deliveries, timers, calls), in the order it came, each as a step at the current
 * instant. An item whose node has booted again since is dropped (a delivery is reported dropped): it belonged to a
 * past life.
 */
export function releaseHeld<T extends { kind: string; envelope?: Envelope }>(
  world: Pick<HostContext, 'clock' | 'bus'>,
  held: readonly T[],
  sameLife: () => boolean,
  release: (item: T) => void,
): void {
  for (const item of held) {
    world.clock.scheduleAt(world.clock.now, () => {
      if (sameLife()) release(item);
      else if (item.kind === 'delivery' && item.envelope !== undefined) world.bus.reportDropped(item.envelope, 'crashed');
    });
  }
}

type Held =
  | { kind: 'delivery'; envelope: Envelope }
  | { kind: 'timer'; event: string; fn: () => void }
  | { kind: 'call'; event: Message };

/**
 * One machine of the simulated cluster: it runs one root XState actor on the VirtualClock, takes deliveries
 * from the bus, and is what crashes, restarts, pauses and loses power. Its disk survives crashes; a power
 * loss also drops what was written without fsync (the page cache).
 *
 * Persisting keeps a reference to the machine's data and copies it only when the node goes down: a broker
 * persists its log on every append, and copying the whole log each time would make a run quadratic. This is
 * safe because machines treat their data as immutable (as XState context is); the copy is what the node
 * boots from, so nothing the old incarnation does afterwards can reach it.
 */
export class NodeHost implements SimulatedHost {
  /** Asked to shut down and not exited yet. */
  private stoppingNow = false;
  /** A restart came while stopping: the node starts again once it exits. */
  private restartAfterExit = false;
  private actor: Actor<AnyStateMachine> | undefined;
  private statusNow: NodeStatus = 'down';
  private powerLost = false;
  private incarnationNow = 0;
  // While the node is up these hold references to the machine's data; once it is down, deep copies.
  private durableDisk: unknown = undefined;
  private pageCacheDisk: unknown = undefined;
  private lastPersistEvent = '';
  private readonly timers = new Set<TimerHandle>();
  private held: Held[] = [];
  private currentEvent = 'xstate.init';
  private nextTimerEvent: string | undefined;
  private lastStateKey: string | undefined;
  private lastNodes: unknown;
  private readonly nodeClock: Clock;
  private readonly readNow = (): number => this.world.clock.now;
  private readonly bus: Bus;
  private readonly adapter: NodeAdapter | undefined;

  constructor(
    readonly id: string,
    private readonly machine: AnyStateMachine,
    private readonly config: Record<string, unknown>,
    private readonly world: HostContext,
    adapter?: NodeAdapterFactory,
  ) {
    this.bus = world.bus;
    this.adapter = adapter?.((to, message) => this.bus.send(this.id, to, message));
    this.nodeClock = {
      setTimeout: (fn: () => void, delayMs: number) => this.setTimer(fn, delayMs),
      clearTimeout: (handle: TimerHandle) => this.clearTimer(handle),
    };
  }

  get status(): NodeStatus {
    return this.statusNow;
  }

  /** Counts boots; deliveries addressed to an earlier boot are dropped. */
  get incarnation(): number {
    return this.incarnationNow;
  }

  /** The machine's current snapshot, or undefined while the node is down. */
  snapshot(): ReturnType<Actor<AnyStateMachine>['getSnapshot']> | undefined {
    return this.actor?.getSnapshot();
  }

  /** What a restart would boot from now (a copy of the page cache, which a process crash keeps). */
  disk(): unknown {
    return this.statusNow === 'down' ? structuredClone(this.pageCacheDisk) : this.copyDisk(this.pageCacheDisk);
  }

  /** Whether the machine answers at the network level: false only while it is down from a power loss. */
  get machineUp(): boolean {
    return !this.powerLost;
  }

  /** Boots the machine from disk. */
  start(): void {
    this.incarnationNow++;
    this.statusNow = 'up';
    this.stoppingNow = false;
    this.restartAfterExit = false;
    this.adapter?.reset();
    this.powerLost = false;
    this.lastStateKey = undefined;
    this.lastNodes = undefined;
    this.world.trace.write({ t: this.world.clock.now, kind: 'node', node: this.id, event: 'started' });
    const input: NodeInput = {
      ...this.config,
      nodeId: this.id,
      disk: this.pageCacheDisk === undefined ? undefined : structuredClone(this.pageCacheDisk),
      rng: this.world.rng.fork(`boot:${this.incarnationNow}`),
      now: this.readNow,
    };
    const actor = createActor(this.machine, { id: this.id, clock: this.nodeClock, input });
    this.actor = actor;
    this.guardScheduler(actor);
    actor.on('send', (event) => this.onSend(event as HostEmitted & { type: 'send' }));
    actor.on('persist', (event) => this.onPersist(event as HostEmitted & { type: 'persist' }));
    actor.on('note', (event) => this.onNote(event as HostEmitted & { type: 'note' }));
    actor.on('disconnect', (event) => this.onDisconnect(event as HostEmitted & { type: 'disconnect' }));
    actor.on('exit', () => this.onExit());
    actor.subscribe({
      next: (snapshot) => this.onSnapshot(snapshot),
      error: (err) => this.world.fail(this.id, this.currentEvent, err),
    });
    this.currentEvent = 'xstate.init';
    actor.start();
  }

  /** Stops the actor: volatile state, timers and held deliveries are gone; the disk stays. */
  crash(): void {
    const actor = this.actor;
    const wasDown = this.statusNow === 'down';
    this.statusNow = 'down';
    this.actor = undefined;
    this.held = [];
    actor?.stop();
    for (const handle of this.timers) this.world.clock.clearTimeout(handle);
    this.timers.clear();
    if (wasDown) return;
    const durable = this.copyDisk(this.durableDisk);
    this.pageCacheDisk = this.pageCacheDisk === this.durableDisk ? durable : this.copyDisk(this.pageCacheDisk);
    this.durableDisk = durable;
  }

  /**
   * Asks the process to stop (SIGTERM). A machine that handles `node.shutdown` gets it and exits when it is done
   * (it emits `exit`: a broker's controlled shutdown); any other exits at once. Either way the exit is clean:
   * everything persisted reaches the disk, as a process that closes its files does. Returns false (nothing
   * happens) unless the node is up.
   */
  shutdown(): boolean {
    if (this.statusNow !== 'up' || this.actor === undefined) return false;
    const event = { type: SHUTDOWN_EVENT, from: this.id };
    if (!this.actor.getSnapshot().can(event)) {
      this.exit();
      return true;
    }
    this.stoppingNow = true;
    this.world.trace.write({ t: this.world.clock.now, kind: 'call', node: this.id, event: { type: SHUTDOWN_EVENT }, outcome: 'taken' });
    this.currentEvent = SHUTDOWN_EVENT;
    this.actor.send(event);
    return true;
  }

  /** A crash that also loses every write not fsynced. */
  powerLoss(): void {
    this.crash();
    this.powerLost = true;
    this.pageCacheDisk = this.durableDisk;
  }

  /** Freezes the node: deliveries and timers wait until `resume`. */
  pause(): void {
    this.statusNow = 'paused';
  }

  /** Thaws the node: what arrived or fell due while paused is released now, in the order it came. */
  resume(): void {
    this.statusNow = 'up';
    const held = this.held;
    this.held = [];
    const incarnation = this.incarnationNow;
    releaseHeld(this.world, held, () => this.incarnationNow === incarnation, (item) => {
      if (item.kind === 'delivery') this.receive(item.envelope);
      else if (item.kind === 'call') this.call(item.event);
      else this.fireTimer(item.event, item.fn);
    });
  }

  receive(envelope: Envelope): void {
    const status = this.statusNow;
    if (status !== 'up' || envelope.toIncarnation !== this.incarnationNow) {
      if (status === 'paused' && envelope.toIncarnation === this.incarnationNow) this.held.push({ kind: 'delivery', envelope });
      else this.bus.reportDropped(envelope, 'crashed');
      return;
    }
    this.bus.reportDelivered(envelope);
    const message = envelope.message;
    if (this.adapter !== undefined) {
      this.currentEvent = message.type;
      try {
        for (const { peer, message: event } of this.adapter.inbound(envelope.from, message)) this.deliver(peer, event);
      } catch (err) {
        this.world.fail(this.id, this.currentEvent, err);
      }
      return;
    }
    this.deliver(envelope.from, message);
  }

  private deliver(from: string, message: Message): void {
    if (this.statusNow !== 'up') return;
    this.currentEvent = message.type;
    // `{ from, ...message }` stays on V8's fast object-clone path; `{ ...message, from }` measured 20x
    // slower (Node 20), which was a tenth of a delivery. A message may not forge its sender, so fix that up.
    const event = { from, ...message };
    if (event.from !== from) event.from = from;
    (this.actor as Actor<AnyStateMachine>).send(event);
  }

  /** A call of the application that runs in this node's process (World.call): no bus, no latency, no loss. */
  call(message: Message): void {
    const status = this.statusNow;
    const t = this.world.clock.now;
    if (status === 'paused') {
      this.held.push({ kind: 'call', event: message });
      return;
    }
    this.world.trace.write({ t, kind: 'call', node: this.id, event: message, outcome: status === 'up' ? 'taken' : 'dropped' });
    if (status !== 'up') return;
    this.currentEvent = message.type;
    const event = { from: this.id, ...message };
    if (event.from !== this.id) event.from = this.id;
    (this.actor as Actor<AnyStateMachine>).send(event);
  }

  private setTimer(fn: () => void, delayMs: number): TimerHandle {
    const event = this.nextTimerEvent ?? 'timer';
    const handle = this.world.clock.setTimeout(() => { // VirtualClock
      this.timers.delete(handle);
      this.fireTimer(event, fn);
    }, delayMs);
    this.timers.add(handle);
    return handle;
  }

  private clearTimer(handle: TimerHandle): void {
    this.timers.delete(handle);
    this.world.clock.clearTimeout(handle);
  }

  private fireTimer(event: string, fn: () => void): void {
    if (this.statusNow === 'down') return;
    if (this.statusNow === 'paused') {
      this.held.push({ kind: 'timer', event, fn });
      return;
    }
    this.world.trace.write({ t: this.world.clock.now, kind: 'timer', node: this.id, event });
    this.currentEvent = event;
    fn();
  }

  /**
   * Wraps the actor system's scheduler to learn which event each delayed timer carries (for the trace and
   * for error reports) and to refuse a delayed event without an id, for which XState would draw a random id.
   */
  private guardScheduler(actor: Actor<AnyStateMachine>): void {
    const scheduler = actor.system.scheduler;
    const schedule = scheduler.schedule;
    scheduler.schedule = (source, target, event, delay, id) => {
      if (id === undefined) {
        throw new Error(
          `delayed event "${event.type}" has no id: give every delayed raise/sendTo an id (XState draws Math.random for a missing one)`, // VirtualClock guard
        );
      }
      this.nextTimerEvent = event.type;
      try {
        schedule(source, target, event, delay, id);
      } finally {
        this.nextTimerEvent = undefined;
      }
    };
  }

  private onSend(event: { to: unknown; message: unknown }): void {
    if (this.statusNow === 'down') return;
    try {
      const message = event.message as Message;
      if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
        throw new Error(`emitted send to ${JSON.stringify(event.to)} with a message that is not an object with a string type`);
      }
      if (typeof event.to !== 'string') throw new Error(`emitted send with "to" = ${JSON.stringify(event.to)}, expected a node id`);
      if (this.adapter === undefined) this.bus.send(this.id, event.to, message);
      else for (const { peer, message: wire } of this.adapter.outbound(event.to, message)) this.bus.send(this.id, peer, wire);
    } catch (err) {
      // Emit handlers run inside XState, which would rethrow from a real setTimeout: fail the run here instead.
      this.world.fail(this.id, this.currentEvent, err);
    }
  }

  private onDisconnect(event: { to: unknown }): void {
    if (this.statusNow === 'down') return;
    try {
      if (typeof event.to === 'string' && this.adapter?.disconnect(event.to) === true) return;
      if (typeof event.to !== 'string' || !this.bus.has(event.to)) throw new Error(`emitted disconnect with "to" = ${JSON.stringify(event.to)}, expected a node id`);
      this.bus.disconnect(this.id, event.to);
    } catch (err) {
      this.world.fail(this.id, this.currentEvent, err);
    }
  }

  // The machine asked to exit from inside its step: it stops once the step is over, at the same instant.
  private onExit(): void {
    if (this.statusNow === 'down') return;
    const incarnation = this.incarnationNow;
    this.world.clock.scheduleAt(this.world.clock.now, () => {
      if (this.incarnationNow === incarnation && this.statusNow !== 'down') this.exit();
    });
  }

  // A clean stop: the page cache is written back, then the process is gone like a crashed one, its connections
  // closed.
  private exit(): void {
    const again = this.restartAfterExit;
    this.durableDisk = this.pageCacheDisk;
    this.world.trace.write({ t: this.world.clock.now, kind: 'node', node: this.id, event: 'exited' });
    this.crash();
    this.bus.closeConnectionsOf(this.id);
    if (!again) return;
    this.bus.restartConnectionsFrom(this.id);
    this.start();
  }

  get stopping(): boolean {
    return this.statusNow !== 'down' && this.stoppingNow;
  }

  restartWhenStopped(): boolean {
    if (!this.stopping) return false;
    this.restartAfterExit = true;
    return true;
  }

  private onPersist(event: { data: unknown; fsync?: boolean }): void {
    if (this.statusNow === 'down') return;
    this.pageCacheDisk = event.data;
    if (event.fsync !== false) this.durableDisk = event.data;
    this.lastPersistEvent = this.currentEvent;
  }

  private onNote(event: { data: unknown }): void {
    if (this.statusNow === 'down') return;
    try {
      const atMs = this.world.clock.now;
      this.world.trace.write({ t: atMs, kind: 'note', node: this.id, data: event.data });
      this.world.note({ atMs, node: this.id, incarnation: this.incarnationNow, data: event.data });
    } catch (err) {
      this.world.fail(this.id, this.currentEvent, err);
    }
  }

  // A JSON round trip: what a real disk would give back. Data JSON cannot carry fails the run, naming the
  // event that persisted it.
  private copyDisk(data: unknown): unknown {
    if (data === undefined) return undefined;
    try {
      return JSON.parse(stableStringify(data));
    } catch (err) {
      this.world.fail(this.id, this.lastPersistEvent, new Error(`persisted data cannot be written to disk: ${(err as Error).message}`));
      return undefined;
    }
  }

  private onSnapshot(snapshot: { value: unknown; _nodes?: unknown }): void {
    // XState keeps the same _nodes array while the active states do not change (an assign-only step):
    // skip the comparison then, it is most steps.
    if (snapshot._nodes !== undefined && snapshot._nodes === this.lastNodes) return;
    this.lastNodes = snapshot._nodes;
    const value = snapshot.value;
    const key = typeof value === 'string' ? value : stableStringify(value);
    if (key === this.lastStateKey) return;
    this.lastStateKey = key;
    this.world.trace.write({ t: this.world.clock.now, kind: 'state', node: this.id, value });
  }
}
