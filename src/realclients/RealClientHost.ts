// A node of the World that runs a real client library (kafkajs) instead of an XState machine: the application and
// its client live in the node's process. Its connections are SimSockets over the bus; its timers, clock and
// randomness come from the harness. Faults reach it as they reach any node: a crash drops the process (its sockets
// go silent, its timers never fire, the application's promises never settle) and a restart runs the application
// again from the start, with fresh randomness; a pause holds its deliveries and timers until it resumes.
import type { Envelope, Message } from '../kernel/Bus.ts';
import { releaseHeld, type HostContext, type NodeStatus, type SimulatedHost } from '../kernel/NodeHost.ts';
import type { Rng } from '../kernel/Rng.ts';
import type { TimerHandle } from '../kernel/VirtualClock.ts';
import { TCP, type TcpMessage } from './connectionMessages.ts';
import type { HarnessedNode, RealClientHarness } from './RealClientHarness.ts';
import { VirtualTimeout } from './RealClientHarness.ts';
import { SimSocket, type SocketOwner } from './SimSocket.ts';
import { WireTap } from './WireTap.ts';

/** What an application gets from its node when the process starts. */
export interface RealClientProcess {
  readonly nodeId: string;
  /** 1 for the first boot, then one more per restart. */
  readonly incarnation: number;
  /** Opens a socket to `host` (a broker's node id) as kafkajs's socketFactory does; `onConnect` once accepted. */
  connect(host: string, port: number, onConnect?: () => void): SimSocket;
  /** Puts a note in the run (history operations, observations), as machines emit `{ type: 'note', data }`. */
  note(data: unknown): void;
  /** The generation the client's last successful JoinGroup response gave `memberId` (-1: none), from its bytes. */
  generationOf(memberId: string): number;
  /** Runs `hook` when the application fails and its process exits (a recorder closes what it reported open). */
  onExit(hook: () => void): void;
  /** Runs `listener` with the group id whenever the client sends a JoinGroup, read off its connections. */
  onJoinGroupSent(listener: (groupId: string) => void): void;
}

/**
 * An application: started on each boot of its node. When its promise rejects, the failure is noted and the process
 * exits, as a Node process does on an unhandled rejection (or `main().catch(() => process.exit(1))`); a supervisor
 * starts it again SUPERVISOR_RESTART_MS later (so does the run's liveness phase, if it comes first).
 */
export type RealClientApp = (process: RealClientProcess) => unknown;

/**
 * How long after its application failed a real client's process is started again: Kubernetes' first crash-loop
 * back-off (10 s), the usual supervisor of a Node service.
 */
export const SUPERVISOR_RESTART_MS = 10_000;

type Held = { kind: 'delivery'; envelope: Envelope } | { kind: 'timer'; timer: VirtualTimeout };

/** The note a host writes when its application's promise rejects, before its process exits. */
export interface AppFailedNote {
  app: 'failed';
  error: string;
}

export class RealClientHost implements SimulatedHost, HarnessedNode, SocketOwner {
  private statusNow: NodeStatus = 'down';
  private incarnationNow = 0;
  private powerLost = false;
  private rng: Rng;
  private readonly sockets = new Map<number, SimSocket>();
  private readonly timers = new Map<VirtualTimeout, TimerHandle>();
  private held: Held[] = [];
  private nextSocket = 1;
  private nextTimer = 1;
  private tap = new WireTap();
  private exitHooks: ReadonlyArray<() => void> = [];

  constructor(
    readonly id: string,
    private readonly app: RealClientApp,
    private readonly context: HostContext,
    private readonly harness: RealClientHarness,
    /** The port brokers listen on; a connection to another is refused. */
    private readonly brokerPort: number,
    /** When the application first starts (virtual ms); a restart runs it at once. */
    private readonly startAtMs = 0,
  ) {
    this.rng = context.rng;
  }

  get status(): NodeStatus {
    return this.statusNow;
  }

  get incarnation(): number {
    return this.incarnationNow;
  }

  get machineUp(): boolean {
    return !this.powerLost;
  }

  start(): void {
    this.incarnationNow++;
    this.statusNow = 'up';
    this.powerLost = false;
    this.rng = this.context.rng.fork(`boot:${this.incarnationNow}`);
    const tap = new WireTap();
    this.tap = tap;
    this.trace({ kind: 'node', node: this.id, event: 'started' });
    const incarnation = this.incarnationNow;
    const exitHooks: Array<() => void> = [];
    this.exitHooks = exitHooks;
    const process: RealClientProcess = {
      nodeId: this.id,
      incarnation,
      connect: (host, port, onConnect) => this.connect(incarnation, host, port, onConnect),
      note: (data) => {
        if (this.incarnationNow === incarnation && this.statusNow !== 'down') this.note(data);
      },
      generationOf: (memberId) => tap.generationOf(memberId),
      onExit: (hook) => exitHooks.push(hook),
      onJoinGroupSent: (listener) => tap.onJoinGroupSent(listener),
    };
    const run = () =>
      this.harness.runIn(this, () => {
        try {
          const result = this.app(process);
          if (result instanceof Promise) result.catch((error: unknown) => this.appFailed(incarnation, error, exitHooks));
        } catch (error) {
          this.appFailed(incarnation, error, exitHooks);
        }
      });
    if (incarnation > 1 || this.context.clock.now >= this.startAtMs) {
      run();
      return;
    }
    // The process is up from the start; its application begins at its start time (unless the process died first).
    const handle = this.context.clock.scheduleAt(this.startAtMs, () => {
      this.timers.delete(starting);
      if (this.incarnationNow !== incarnation) return;
      if (this.statusNow === 'paused') {
        this.held.push({ kind: 'timer', timer: starting });
        return;
      }
      this.trace({ kind: 'timer', node: this.id, event: 'app.start' });
      run();
    });
    const starting = new VirtualTimeout(this, this.nextTimer++, run, 0, false);
    this.timers.set(starting, handle);
  }

  crash(): void {
    if (this.statusNow === 'down') return;
    this.statusNow = 'down';
    this.held = [];
    for (const handle of this.timers.values()) this.context.clock.clearTimeout(handle);
    this.timers.clear();
    for (const socket of this.sockets.values()) socket.abandon();
    this.sockets.clear();
  }

  powerLoss(): void {
    this.crash();
    this.powerLost = true;
  }

  pause(): void {
    this.statusNow = 'paused';
  }

  resume(): void {
    this.statusNow = 'up';
    const held = this.held;
    this.held = [];
    const incarnation = this.incarnationNow;
    // A node down again (crashed, not booted since) drops a held delivery in `receive` and a timer in `fire`.
    releaseHeld(this.context, held, () => this.incarnationNow === incarnation, (item) => {
      if (item.kind === 'delivery') this.receive(item.envelope);
      else this.fire(item.timer);
    });
  }

  /** SIGTERM: a real application would close its client; here the process exits at once, closing its sockets. */
  shutdown(): boolean {
    if (this.statusNow !== 'up') return false;
    this.trace({ kind: 'node', node: this.id, event: 'exited' });
    this.crash();
    this.context.bus.closeConnectionsOf(this.id);
    return true;
  }

  /** A real client takes no calls from the World: its application drives it. */
  call(message: Message): void {
    this.trace({ kind: 'call', node: this.id, event: message, outcome: 'dropped' });
  }

  snapshot(): undefined {
    return undefined;
  }

  disk(): undefined {
    return undefined;
  }

  receive(envelope: Envelope): void {
    const status = this.statusNow;
    if (status !== 'up' || envelope.toIncarnation !== this.incarnationNow) {
      if (status === 'paused' && envelope.toIncarnation === this.incarnationNow) this.held.push({ kind: 'delivery', envelope });
      else this.context.bus.reportDropped(envelope, 'crashed');
      return;
    }
    this.context.bus.reportDelivered(envelope);
    const message = envelope.message;
    this.harness.runIn(this, () => this.dispatch(envelope.from, message));
  }

  // ---- HarnessedNode ----

  setTimer(callback: () => void, delayMs: number, repeat: boolean): VirtualTimeout {
    const timer = new VirtualTimeout(this, this.nextTimer++, callback, delayMs, repeat);
    this.arm(timer);
    return timer;
  }

  clearTimer(timer: VirtualTimeout): void {
    const handle = this.timers.get(timer);
    if (handle === undefined) return;
    this.context.clock.clearTimeout(handle);
    this.timers.delete(timer);
  }

  random(): number {
    return this.rng.next();
  }

  randomBytes(bytes: Uint8Array): void {
    bytes.set(this.rng.bytes(bytes.length));
  }

  unhandledRejection(reason: unknown): void {
    if (this.statusNow === 'down') return;
    this.appFailed(this.incarnationNow, reason, this.exitHooks);
  }

  // ---- SocketOwner ----

  sendFromSocket(socket: SimSocket, message: Message): void {
    if (this.statusNow === 'down' || this.sockets.get(socket.id) !== socket) return;
    if (message.type === TCP.data) this.tap.sent(socket.id, Buffer.from(message.bytes as string, 'base64'));
    this.context.bus.send(this.id, socket.peer, message);
  }

  // ---- inside ----

  private connect(incarnation: number, host: string, port: number, onConnect?: () => void): SimSocket {
    const socket = new SimSocket(this, this.nextSocket++, host);
    if (onConnect !== undefined) socket.once('connect', onConnect);
    if (incarnation !== this.incarnationNow || this.statusNow === 'down') {
      socket.abandon();
      return socket;
    }
    this.sockets.set(socket.id, socket);
    if (!this.context.bus.has(host) || host === this.id || port !== this.brokerPort) {
      // No such host, or nothing listens on that port: refused, once the client's code holds the socket.
      this.setTimer(() => socket.reset(), 1, false);
      return socket;
    }
    socket.open();
    return socket;
  }

  private dispatch(from: string, message: Message): void {
    if (message.type === 'connection.reset') {
      for (const socket of [...this.sockets.values()]) {
        if (socket.peer !== from) continue;
        this.sockets.delete(socket.id);
        socket.reset();
      }
      return;
    }
    const socket = this.sockets.get((message as TcpMessage).socket);
    if (socket === undefined || socket.peer !== from) return;
    switch (message.type) {
      case TCP.accept:
        socket.accepted();
        return;
      case TCP.data: {
        const bytes = Buffer.from((message as TcpMessage).bytes ?? '', 'base64');
        this.tap.received(socket.id, bytes);
        socket.received(bytes);
        return;
      }
      case TCP.close:
        this.sockets.delete(socket.id);
        socket.closedByPeer();
        return;
    }
  }

  private arm(timer: VirtualTimeout): void {
    const handle = this.context.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.fire(timer);
    }, timer.delayMs);
    this.timers.set(timer, handle);
    timer.handle = handle;
  }

  private fire(timer: VirtualTimeout): void {
    if (this.statusNow === 'down') return;
    if (this.statusNow === 'paused') {
      this.held.push({ kind: 'timer', timer });
      return;
    }
    this.trace({ kind: 'timer', node: this.id, event: timer.repeat ? 'setInterval' : 'setTimeout' });
    if (timer.repeat) this.arm(timer);
    this.harness.runIn(this, timer.callback);
  }

  // The application failed: noted, then the process exits (its sockets close, its timers die with it), and its
  // supervisor starts it again SUPERVISOR_RESTART_MS later, unless something else has restarted it by then.
  private appFailed(incarnation: number, error: unknown, exitHooks: ReadonlyArray<() => void>): void {
    if (this.incarnationNow !== incarnation || this.statusNow === 'down') return;
    this.note(appFailed(error));
    for (const hook of exitHooks) hook();
    this.trace({ kind: 'node', node: this.id, event: 'exited' });
    this.crash();
    this.context.bus.closeConnectionsOf(this.id);
    this.context.clock.setTimeout(() => {
      if (this.incarnationNow !== incarnation || this.statusNow !== 'down' || this.powerLost) return;
      this.trace({ kind: 'timer', node: this.id, event: 'supervisor.restart' });
      this.context.bus.restartConnectionsFrom(this.id);
      this.start();
    }, SUPERVISOR_RESTART_MS);
  }

  private note(data: unknown): void {
    const atMs = this.context.clock.now;
    this.context.trace.write({ t: atMs, kind: 'note', node: this.id, data });
    this.context.note({ atMs, node: this.id, incarnation: this.incarnationNow, data });
  }

  private trace(entry: Record<string, unknown>): void {
    this.context.trace.write({ t: this.context.clock.now, ...entry } as never);
  }
}

function appFailed(error: unknown): AppFailedNote {
  return { app: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
