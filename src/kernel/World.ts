import { Subject, type Observable } from 'rxjs';
import type { AnyStateMachine } from 'xstate';
import { validateFault, validateLinkOverride, type Fault } from '../faults/Fault.ts';
import { Trace, type TraceEntry, type TraceMode } from '../history/Trace.ts';
import { ArgumentError, requireNumberAtLeast } from './argumentError.ts';
import { Bus, type BusEvent, type Message } from './Bus.ts';
import type { LinkOverride, NetworkConfig } from './networkModel.ts';
import { NodeHost, type HostContext, type NodeAdapterFactory, type NodeNote, type NodeStatus, type SimulatedHost } from './NodeHost.ts';
import { compilePartition, type PartitionSpec } from './partitions.ts';
import { Rng, seedPath, type Seed } from './Rng.ts';
import { SimulationError } from './SimulationError.ts';
import { VirtualClock } from './VirtualClock.ts';

/** Options of `createWorld`. */
export interface WorldOptions {
  seed: Seed;
  network?: NetworkConfig;
  /** `full` keeps every trace line (default); `hash` keeps only the running hash, for long runs; `none` nothing. */
  trace?: TraceMode;
}

/** Options of `world.addNode`. */
export interface AddNodeOptions {
  /** Config fields merged into the machine's input, beside `nodeId`, `disk` and `rng`. */
  input?: Record<string, unknown>;
  /** What sits between the bus and the machine (a broker's wire gateway for real clients); absent: nothing. */
  adapter?: NodeAdapterFactory;
}

/** Options of `world.runUntil`. */
export interface RunUntilOptions {
  /** At most this many steps (deliveries, timers, faults); default 1,000,000. */
  maxSteps?: number;
  /** Stop once virtual time would pass this; default no limit. */
  maxTimeMs?: number;
}

/** The id injected messages come from. No node may take it. */
export const WORLD_NODE_ID = 'world';

/** Creates a World: one seed, one virtual clock, one bus, and the nodes you add. */
export function createWorld(options: WorldOptions): World {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError('createWorld', 'options', options, 'an object { seed, network?, trace? }');
  }
  return new World(options);
}

/**
 * The simulated world: nodes running XState machines, the network between them, faults, virtual time and
 * the trace. Everything happens inside `runFor`/`runUntil`/`step`, one callback at a time in
 * `(timeMs, seq)` order; nothing runs on the wall clock.
 */
export class World {
  /** The seed this world was created with. */
  readonly seed: Seed;
  private readonly rng: Rng;
  private readonly clock = new VirtualClock();
  private readonly traceLog: Trace;
  private readonly bus: Bus;
  private readonly hosts = new Map<string, SimulatedHost>();
  private failure: SimulationError | undefined;
  private readonly notes = new Subject<NodeNote>();
  /** Every note a machine emits (`{ type: 'note', data }`), with its node and virtual time, in order. */
  readonly notes$: Observable<NodeNote> = this.notes.asObservable();

  constructor(options: WorldOptions) {
    try {
      seedPath(options.seed);
    } catch {
      throw new ArgumentError('createWorld', 'seed', options.seed, 'a finite number or a string');
    }
    if (options.trace !== undefined && options.trace !== 'full' && options.trace !== 'hash' && options.trace !== 'none') {
      throw new ArgumentError('createWorld', 'trace', options.trace, "'full', 'hash' or 'none'");
    }
    this.seed = options.seed;
    this.rng = new Rng(options.seed);
    this.traceLog = new Trace(options.trace ?? 'full');
    const network = validateNetwork(options.network);
    this.bus = new Bus(this.clock, this.rng.fork('network'), this.traceLog, network);
    // Replies to injected messages come back to "world": they are delivered (and seen on events$), no more.
    const bus = this.bus;
    bus.register(WORLD_NODE_ID, { incarnation: 0, receive: (envelope) => bus.reportDelivered(envelope) });
  }

  /** The current virtual time in ms. */
  get now(): number {
    return this.clock.now;
  }

  /** Every envelope event on the bus (sent, delivered, dropped, duplicated), read-only. */
  get events$(): Observable<BusEvent> {
    return this.bus.events$;
  }

  /** The clock's RxJS scheduler, for observers that want virtual-time operators. */
  get scheduler(): VirtualClock['scheduler'] {
    return this.clock.scheduler;
  }

  /** The ids of every node, in the order they were added. */
  nodeIds(): string[] {
    return [...this.hosts.keys()];
  }

  /** Adds a node running `machine` and boots it now with `input: { nodeId, disk: undefined, rng, ...input }`. */
  addNode(id: string, machine: AnyStateMachine, options: AddNodeOptions = {}): void {
    if (typeof id !== 'string' || id.length === 0 || id === WORLD_NODE_ID) {
      throw new ArgumentError('world.addNode', 'id', id, `a non-empty string other than "${WORLD_NODE_ID}"`);
    }
    if (this.hosts.has(id)) throw new ArgumentError('world.addNode', 'id', id, 'an id not already taken');
    if (machine === null || typeof machine !== 'object' || typeof (machine as { transition?: unknown }).transition !== 'function') {
      throw new ArgumentError('world.addNode', 'machine', machine, 'an XState machine (from createMachine or setup().createMachine)');
    }
    const input = options.input ?? {};
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new ArgumentError('world.addNode', 'options.input', input, 'an object of config fields');
    }
    for (const reserved of ['nodeId', 'disk', 'rng']) {
      if (reserved in input) throw new ArgumentError('world.addNode', `options.input.${reserved}`, input[reserved], 'left out (the host sets it)');
    }
    if (options.adapter !== undefined && typeof options.adapter !== 'function') {
      throw new ArgumentError('world.addNode', 'options.adapter', options.adapter, 'a function (send) => NodeAdapter');
    }
    this.addHost(id, (context) => new NodeHost(id, machine, input, context, options.adapter));
  }

  /**
   * Adds a node that is not an XState machine (a real client library under its harness): `create` gets the host's
   * side of the World (clock, bus, trace, its own Rng, where notes and failures go) and returns the host, which is
   * then booted. Faults reach it like any other node.
   */
  addHost(id: string, create: (context: HostContext) => SimulatedHost): void {
    if (typeof id !== 'string' || id.length === 0 || id === WORLD_NODE_ID) {
      throw new ArgumentError('world.addHost', 'id', id, `a non-empty string other than "${WORLD_NODE_ID}"`);
    }
    if (this.hosts.has(id)) throw new ArgumentError('world.addHost', 'id', id, 'an id not already taken');
    if (typeof create !== 'function') throw new ArgumentError('world.addHost', 'create', create, 'a function (context) => SimulatedHost');
    const host = create({
      clock: this.clock,
      bus: this.bus,
      trace: this.traceLog,
      rng: this.rng.fork(`node:${id}`),
      fail: (nodeId, eventType, cause) => this.fail(nodeId, eventType, cause),
      note: (note) => this.notes.next(note),
    });
    this.hosts.set(id, host);
    this.bus.register(id, host);
    this.traceLog.write({ t: this.now, kind: 'node', node: id, event: 'added' });
    host.start();
    this.throwIfFailed();
  }

  /** Sends a message from outside (`from: "world"`) to a node, through the bus and its network model. */
  inject(to: string, message: Message): void {
    this.requireNode('world.inject', 'to', to);
    if (message === null || typeof message !== 'object' || typeof message.type !== 'string') {
      throw new ArgumentError('world.inject', 'message', message, 'an object with a string type');
    }
    this.bus.send(WORLD_NODE_ID, to, message);
  }

  /**
   * The application inside a node's process calls its client (a method call, not a message): the event reaches the
   * node's machine now, with no network in between (`from` is the node itself). A paused process holds the call
   * with its deliveries; a process that is down has no application to make it, and the call is dropped. Traced as
   * a `call` entry.
   */
  call(id: string, event: Message): void {
    const host = this.host('world.call', id);
    if (event === null || typeof event !== 'object' || typeof event.type !== 'string') {
      throw new ArgumentError('world.call', 'event', event, 'an object with a string type');
    }
    host.call(event);
    this.throwIfFailed();
  }

  /** Crashes a node now (no-op if it is down). */
  crash(id: string): void {
    this.applyNow({ atMs: this.now, kind: 'crash', node: id }, 'world.crash');
  }

  /** Crashes a node and drops its writes that were not fsynced. */
  powerLoss(id: string): void {
    this.applyNow({ atMs: this.now, kind: 'powerLoss', node: id }, 'world.powerLoss');
  }

  /** Boots a crashed node from its disk (no-op if it is up or paused). */
  restart(id: string): void {
    this.applyNow({ atMs: this.now, kind: 'restart', node: id }, 'world.restart');
  }

  /** Freezes a node: its deliveries and timers wait (no-op unless it is up). */
  pause(id: string): void {
    this.applyNow({ atMs: this.now, kind: 'pause', node: id }, 'world.pause');
  }

  /** Thaws a paused node; what it missed is released in order (no-op unless it is paused). */
  resume(id: string): void {
    this.applyNow({ atMs: this.now, kind: 'resume', node: id }, 'world.resume');
  }

  /** Replaces the partition in force: `[[a, b], [c]]` for symmetric groups, or a PartitionSpec. */
  partition(groups: string[][] | PartitionSpec): void {
    const spec: PartitionSpec = Array.isArray(groups) ? { groups } : groups;
    this.applyNow({ atMs: this.now, kind: 'partition', ...spec } as Fault, 'world.partition');
  }

  /** Removes the partition and every link fault. */
  heal(): void {
    this.applyNow({ atMs: this.now, kind: 'heal' }, 'world.heal');
  }

  /** Overrides one directed link's settings now (undefined removes the override). */
  setLink(from: string, to: string, override: LinkOverride | undefined): void {
    const fault: Fault =
      override === undefined ? { atMs: this.now, kind: 'link', from, to, reset: true } : { atMs: this.now, kind: 'link', from, to, set: override };
    this.applyNow(fault, 'world.setLink');
  }

  /** Schedules faults at their virtual times. The whole list is checked before any is scheduled. */
  schedule(faults: readonly Fault[]): void {
    if (!Array.isArray(faults)) throw new ArgumentError('world.schedule', 'faults', faults, 'an array of faults');
    const known = new Set(this.hosts.keys());
    faults.forEach((fault, i) => {
      validateFault(`world.schedule: faults[${i}]`, fault, known, this.now);
      if (fault.kind === 'partition') compilePartition(`world.schedule: faults[${i}]`, fault, known);
    });
    for (const fault of faults) this.clock.scheduleAt(fault.atMs, () => this.apply(fault));
  }

  /** Applies one fault now (its `atMs` is ignored), checked as `schedule` checks it. */
  applyFault(fault: Fault): void {
    this.applyNow({ ...fault, atMs: this.now } as Fault, 'world.applyFault');
  }

  /** Runs every step due in the next `ms` of virtual time, then sets the clock to now + ms. */
  runFor(ms: number): void {
    requireNumberAtLeast('world.runFor', 'ms', ms, 0);
    this.throwIfFailed();
    const end = this.now + ms;
    while (this.clock.step(end)) this.throwIfFailed();
    this.clock.advanceTo(end);
  }

  /**
   * Runs steps until `predicate(world)` holds (checked before the first step and after each), the queue
   * runs dry, or a limit is reached. Returns whether the predicate held.
   */
  runUntil(predicate: (world: World) => boolean, options: RunUntilOptions = {}): boolean {
    if (typeof predicate !== 'function') throw new ArgumentError('world.runUntil', 'predicate', predicate, 'a function (world) => boolean');
    const maxSteps = options.maxSteps ?? 1_000_000;
    requireNumberAtLeast('world.runUntil', 'options.maxSteps', maxSteps, 0);
    const limit = options.maxTimeMs === undefined ? Infinity : requireNumberAtLeast('world.runUntil', 'options.maxTimeMs', options.maxTimeMs, this.now);
    this.throwIfFailed();
    for (let steps = 0; !predicate(this); steps++) {
      if (steps >= maxSteps || !this.clock.step(limit)) return false;
      this.throwIfFailed();
    }
    return true;
  }

  /** Runs the next step due at or before `limitMs` (default: whatever its time); false when there is none. */
  step(limitMs = Infinity): boolean {
    this.throwIfFailed();
    const ran = this.clock.step(limitMs);
    this.throwIfFailed();
    return ran;
  }

  /** A node's current machine snapshot (undefined while it is down). */
  snapshot(id: string): ReturnType<SimulatedHost['snapshot']> {
    return this.host('world.snapshot', id).snapshot();
  }

  /** Whether a node is up, down or paused. */
  status(id: string): NodeStatus {
    return this.host('world.status', id).status;
  }

  /** Whether a node is stopping: asked to shut down, not exited yet (a restart now waits for the exit). */
  isStopping(id: string): boolean {
    return this.host('world.isStopping', id).stopping === true;
  }

  /** What a node would boot from if it restarted now. */
  disk(id: string): unknown {
    return this.host('world.disk', id).disk();
  }

  /** The trace so far (empty in `hash` mode). */
  trace(): TraceEntry[] {
    return this.traceLog.entries();
  }

  /** SHA-256 (hex) of the trace so far: same seed and inputs, same hash. */
  traceHash(): string {
    return this.traceLog.digest();
  }

  private applyNow(fault: Fault, where: string): void {
    const known = new Set(this.hosts.keys());
    validateFault(where, fault, known, this.now);
    if (fault.kind === 'partition') compilePartition(where, fault, known);
    this.throwIfFailed();
    this.apply(fault);
    this.throwIfFailed();
  }

  private apply(fault: Fault): void {
    const applied = this.applyEffect(fault);
    this.traceLog.write({ t: this.now, kind: 'fault', fault, effect: applied ? 'applied' : 'no-op' });
  }

  private applyEffect(fault: Fault): boolean {
    switch (fault.kind) {
      case 'crash':
      case 'powerLoss':
      case 'restart':
      case 'pause':
      case 'resume':
        return this.applyNodeFault(fault.kind, this.host('fault', fault.node));
      case 'shutdown':
        return this.host('fault', fault.node).shutdown();
      case 'partition':
        this.bus.setPartition(compilePartition('fault', fault, new Set(this.hosts.keys())));
        return true;
      case 'heal':
        this.bus.heal();
        return true;
      case 'link': {
        const override = fault.reset === true ? undefined : fault.set;
        this.bus.setLinkFault(fault.from, fault.to, override);
        if (fault.bidirectional === true) this.bus.setLinkFault(fault.to, fault.from, override);
        return true;
      }
    }
  }

  private applyNodeFault(kind: 'crash' | 'powerLoss' | 'restart' | 'pause' | 'resume', host: SimulatedHost): boolean {
    const status = host.status;
    switch (kind) {
      case 'crash':
        if (status === 'down') return false;
        host.crash();
        this.bus.closeConnectionsOf(host.id);
        return true;
      case 'powerLoss':
        if (status === 'down') return false;
        host.powerLoss();
        return true;
      case 'restart':
        if (status !== 'down') return host.restartWhenStopped?.() ?? false;
        this.bus.restartConnectionsFrom(host.id);
        host.start();
        return true;
      case 'pause':
        if (status !== 'up') return false;
        host.pause();
        return true;
      case 'resume':
        if (status !== 'paused') return false;
        host.resume();
        return true;
    }
  }

  private fail(nodeId: string, eventType: string, cause: unknown): void {
    // The first failure is the one that explains the run; later ones are its consequences.
    this.failure ??= new SimulationError({ nodeId, eventType, timeMs: this.now, seed: this.seed }, cause);
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private requireNode(where: string, argument: string, id: unknown): void {
    if (typeof id !== 'string' || !this.hosts.has(id)) {
      throw new ArgumentError(where, argument, id, `a known node id (${[...this.hosts.keys()].join(', ') || 'none yet'})`);
    }
  }

  private host(where: string, id: unknown): SimulatedHost {
    this.requireNode(where, 'node', id);
    return this.hosts.get(id as string) as SimulatedHost;
  }
}

function validateNetwork(network: NetworkConfig | undefined): NetworkConfig {
  if (network === undefined) return {};
  if (network === null || typeof network !== 'object') {
    throw new ArgumentError('createWorld', 'network', network, 'an object { connections?, defaults?, links? }');
  }
  if (network.connections !== undefined && network.connections !== 'tcp' && network.connections !== 'datagram') {
    throw new ArgumentError('createWorld', 'network.connections', network.connections, "'tcp' or 'datagram'");
  }
  if (network.defaults !== undefined) validateLinkOverride('createWorld: network.defaults', network.defaults as Record<string, unknown>);
  if (network.links !== undefined && !Array.isArray(network.links)) {
    throw new ArgumentError('createWorld', 'network.links', network.links, 'an array of { from, to, ...link settings }');
  }
  network.links?.forEach((link, i) => {
    const { from, to, ...override } = link;
    if (typeof from !== 'string' || typeof to !== 'string') {
      throw new ArgumentError(`createWorld: network.links[${i}]`, 'from/to', { from, to }, 'node id strings');
    }
    validateLinkOverride(`createWorld: network.links[${i}]`, override);
  });
  return network;
}
