import { Observable, Subject } from 'rxjs';
import type { DropReason, Trace } from '../history/Trace.ts';
import type { Rng } from './Rng.ts';
import type { VirtualClock } from './VirtualClock.ts';
import type { CutTest } from './partitions.ts';
import {
  defaultLinkConfig,
  planDelivery,
  resolveLinkConfig,
  type DeliveryPlan,
  type LinkConfig,
  type LinkOverride,
  type ConnectionModel,
  type LinkState,
  type NetworkConfig,
} from './networkModel.ts';

/** The message a node gets when a connection to or from `from` was reset (a lost message broke it). */
export interface ConnectionResetMessage extends Message {
  type: 'connection.reset';
}

const CONNECTION_RESET: ConnectionResetMessage = { type: 'connection.reset' };

/** What travels between nodes: a plain JSON-safe object with a `type`. */
export interface Message {
  type: string;
  [field: string]: unknown;
}

/** A message in flight, numbered in send order. */
export interface Envelope {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly message: Message;
  readonly sentAtMs: number;
  /** The destination's incarnation when the message left: a restarted node never sees its past life's mail. */
  readonly toIncarnation: number;
  readonly duplicate: boolean;
  /** The sender's connection on this link when the message left (see ConnectionModel). */
  readonly connection: number;
  /**
   * A `connection.reset` the network itself sends: `peer` goes to the sender of a broken connection and opens
   * it again when delivered; `local` tells the receiver that detected the break, at once.
   */
  readonly reset?: 'peer' | 'local';
}

/** What `events$` reports for every envelope. */
export interface BusEvent {
  readonly kind: 'sent' | 'delivered' | 'dropped' | 'duplicated';
  readonly atMs: number;
  readonly envelope: Envelope;
  readonly reason?: DropReason;
}

/** The receiving side of a node, as the bus sees it. */
export interface Endpoint {
  readonly incarnation: number;
  /**
   * Whether the node's machine is up, so that a message to a dead process (or to a past life of the node) is
   * refused with a connection reset, as an operating system answers a closed port. Absent: up.
   */
  readonly machineUp?: boolean;
  /** Takes a delivery; reports `delivered` or `dropped` back through the bus, now or (when paused) later. */
  receive(envelope: Envelope): void;
}

/**
 * The message bus. Every message between nodes goes through `send`: the network model decides its fate
 * and arrival time, the VirtualClock holds it in flight, and at arrival the destination is looked up in a
 * map (O(1) per message, whatever the number of nodes). Observers tap `events$`, a read-only stream.
 */
export class Bus {
  private readonly routes = new Map<string, Endpoint>();
  private readonly links = new Map<string, Map<string, LinkState>>();
  private readonly configuredLinks = new Map<string, LinkOverride>();
  private readonly faultLinks = new Map<string, LinkOverride>();
  private readonly defaults: LinkConfig;
  private readonly connections: ConnectionModel;
  private readonly subject = new Subject<BusEvent>();
  private cut: CutTest | undefined;
  private nextId = 0;
  /** Set when a connection first breaks: until then no delivery needs its link looked up at arrival. */
  private connectionsDisturbed = false;
  private readonly plan: DeliveryPlan = { dropped: undefined, firstMs: 0, secondMs: undefined };
  /** Every envelope event: sent, delivered, dropped, duplicated. */
  readonly events$: Observable<BusEvent> = this.subject.asObservable();

  constructor(
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
    private readonly trace: Trace,
    network: NetworkConfig = {},
  ) {
    this.defaults = resolveLinkConfig(defaultLinkConfig, network.defaults);
    this.connections = network.connections ?? 'tcp';
    for (const link of network.links ?? []) {
      const { from, to, ...override } = link;
      this.configuredLinks.set(linkKey(from, to), override);
    }
  }

  /** Routes deliveries for `id` to `endpoint`. */
  register(id: string, endpoint: Endpoint): void {
    this.routes.set(id, endpoint);
  }

  /** Whether a node of this id is registered. */
  has(id: string): boolean {
    return this.routes.has(id);
  }

  /** Sends a message; returns the envelope id. The destination must be registered. */
  send(from: string, to: string, message: Message): number {
    const endpoint = this.routes.get(to);
    if (endpoint === undefined) throw new Error(`unknown destination "${to}" (known: ${[...this.routes.keys()].join(', ')})`);
    return this.transmit(from, to, message, endpoint, undefined);
  }

  private transmit(from: string, to: string, message: Message, endpoint: Endpoint, reset: 'peer' | undefined): number {
    const now = this.clock.now;
    const link = this.link(from, to);
    const envelope: Envelope = {
      id: this.nextId++,
      from,
      to,
      message,
      sentAtMs: now,
      toIncarnation: endpoint.incarnation,
      duplicate: false,
      connection: link.connection,
      ...(reset === undefined ? {} : { reset }),
    };
    this.trace.sent(now, envelope.id, from, to, message);
    this.publish('sent', envelope);
    const plan = planDelivery(link, link.rng, now, this.plan);
    if (plan.dropped !== undefined) {
      this.reportDropped(envelope, plan.dropped);
      return envelope.id;
    }
    this.clock.scheduleAt(plan.firstMs, this.arrive, envelope);
    if (plan.secondMs !== undefined) {
      const copy: Envelope = { ...envelope, duplicate: true };
      this.trace.write({ t: now, kind: 'duplicated', id: envelope.id, to });
      this.publish('duplicated', copy);
      this.clock.scheduleAt(plan.secondMs, this.arrive, copy);
    }
    return envelope.id;
  }

  /** Records that an envelope reached its node's actor. */
  reportDelivered(envelope: Envelope): void {
    this.trace.delivered(this.clock.now, envelope.id, envelope.to);
    this.publish('delivered', envelope);
    // The sender of a broken connection has been told: what it sends from now on goes on a new one.
    if (envelope.reset === 'peer') this.reopen(this.link(envelope.to, envelope.from), true);
  }

  /** Records that an envelope was lost, and why. */
  reportDropped(envelope: Envelope, reason: DropReason): void {
    this.trace.write({ t: this.clock.now, kind: 'dropped', id: envelope.id, to: envelope.to, reason });
    this.publish('dropped', envelope, reason);
    if (this.connections === 'datagram') return;
    if (envelope.reset === 'peer') {
      this.link(envelope.to, envelope.from).resetInFlight = false;
      return;
    }
    if (envelope.reset !== undefined || envelope.duplicate || reason === 'reset') return;
    // A lost message breaks its connection; one lost after a reset belonged to a connection already dead.
    const link = this.link(envelope.from, envelope.to);
    if (envelope.connection === link.connection) {
      link.broken = true;
      this.connectionsDisturbed = true;
    }
    // A process that is gone, on a machine that is up: its operating system refuses the connection at once.
    if (reason === 'crashed' && link.broken && !link.resetInFlight && this.routes.get(envelope.to)?.machineUp !== false) {
      this.sendReset(envelope.to, envelope.from);
    }
  }

  /** A node closes its connection with `peer`: the peer gets a `connection.reset`, after what the node sent before. */
  disconnect(node: string, peer: string): void {
    if (!this.routes.has(peer)) throw new Error(`unknown peer "${peer}"`);
    if (this.connections === 'datagram') return;
    this.sendReset(node, peer);
  }

  /**
   * A process crash: the node's operating system closes its sockets, so every peer it had a connection with gets a
   * `connection.reset`, after whatever the node sent before it (a power loss sends nothing; peers time out).
   */
  closeConnectionsOf(node: string): void {
    if (this.connections === 'datagram') return;
    const peers = new Set<string>(this.links.get(node)?.keys() ?? []);
    for (const [from, row] of this.links) if (row.has(node)) peers.add(from);
    peers.delete(node);
    for (const peer of [...peers].sort()) this.sendReset(node, peer);
  }

  /**
   * A restarted node opens new connections: messages it sent before the crash still arrive, unless their
   * connection was already broken.
   */
  restartConnectionsFrom(from: string): void {
    const row = this.links.get(from);
    if (row === undefined) return;
    for (const link of row.values()) this.reopen(link, link.broken);
  }

  /** Sets the partition in force (undefined heals it). Messages already in flight across a new cut are lost. */
  setPartition(cut: CutTest | undefined): void {
    this.cut = cut;
    for (const [from, row] of this.links) for (const [to, link] of row) link.cut = cut?.(from, to) ?? false;
  }

  /** Overrides one directed link's settings (a `link` fault); undefined removes the override. */
  setLinkFault(from: string, to: string, override: LinkOverride | undefined): void {
    if (override === undefined) this.faultLinks.delete(linkKey(from, to));
    else this.faultLinks.set(linkKey(from, to), override);
    this.refreshLink(from, to);
  }

  /** Heals every partition and removes every link fault; configured link settings stay. */
  heal(): void {
    const faulted = [...this.faultLinks.keys()];
    this.faultLinks.clear();
    for (const key of faulted) {
      const [from, to] = key.split('\u0000') as [string, string];
      this.refreshLink(from, to);
    }
    this.setPartition(undefined);
  }

  /** The settings currently in force on a link. */
  linkConfig(from: string, to: string): LinkConfig {
    return this.link(from, to).config;
  }

  private readonly arrive = (envelope: Envelope): void => {
    // A partition that started while the message was in flight catches it too.
    if (this.cut?.(envelope.from, envelope.to)) {
      this.reportDropped(envelope, 'partition');
      return;
    }
    if (this.connectionsDisturbed && envelope.reset === undefined && this.followsLoss(envelope)) return;
    (this.routes.get(envelope.to) as Endpoint).receive(envelope);
  };

  /**
   * Drops a message sent on a dead connection, or after a loss on a broken one. The first such arrival is how
   * TCP's receiver finds the hole: it tells its own node at once and the sender through the network, and the
   * connection opens again when the sender has heard.
   */
  private followsLoss(envelope: Envelope): boolean {
    const link = this.link(envelope.from, envelope.to);
    const dead = envelope.connection < link.deadBelow;
    if (!dead && !(link.broken && envelope.connection === link.connection)) return false;
    this.reportDropped(envelope, 'reset');
    // A machine without power finds no hole: the sender learns from its own timeouts.
    if (dead || envelope.duplicate || link.resetInFlight || this.routes.get(envelope.to)?.machineUp === false) return true;
    this.sendReset(envelope.to, envelope.from);
    this.tellReceiver(envelope);
    return true;
  }

  // `from` resets its connection with `to`: a `connection.reset` goes to `to` (after what `from` sent before), and
  // `to`'s own link back to `from` opens again when it arrives.
  private sendReset(from: string, to: string): void {
    const endpoint = this.routes.get(to);
    if (endpoint === undefined) return;
    this.link(to, from).resetInFlight = true;
    this.transmit(from, to, CONNECTION_RESET, endpoint, 'peer');
  }

  // The receiving node learns of the reset with no network in between: its own TCP stack found the hole.
  private tellReceiver(lost: Envelope): void {
    const now = this.clock.now;
    const endpoint = this.routes.get(lost.to) as Endpoint;
    const notice: Envelope = {
      id: this.nextId++,
      from: lost.from,
      to: lost.to,
      message: CONNECTION_RESET,
      sentAtMs: now,
      toIncarnation: endpoint.incarnation,
      duplicate: false,
      connection: lost.connection,
      reset: 'local',
    };
    this.trace.sent(now, notice.id, notice.from, notice.to, notice.message);
    this.publish('sent', notice);
    this.clock.scheduleAt(now, this.arriveLocal, notice);
  }

  private readonly arriveLocal = (envelope: Envelope): void => {
    (this.routes.get(envelope.to) as Endpoint).receive(envelope);
  };

  // A new connection on the link; with `dropInFlight`, what is still in flight on the old one is dropped at arrival.
  private reopen(link: LinkState, dropInFlight: boolean): void {
    if (dropInFlight) {
      link.deadBelow = link.connection + 1;
      this.connectionsDisturbed = true;
    }
    link.connection++;
    link.broken = false;
    link.resetInFlight = false;
  }

  private link(from: string, to: string): LinkState {
    let row = this.links.get(from);
    if (row === undefined) {
      row = new Map();
      this.links.set(from, row);
    }
    let link = row.get(to);
    if (link === undefined) {
      link = {
        config: this.resolve(from, to),
        rng: this.rng.fork(`${from}->${to}`),
        cut: this.cut?.(from, to) ?? false,
        lastArrivalMs: 0,
        connection: 0,
        deadBelow: 0,
        broken: false,
        resetInFlight: false,
      };
      row.set(to, link);
    }
    return link;
  }

  private refreshLink(from: string, to: string): void {
    this.link(from, to).config = this.resolve(from, to);
  }

  private resolve(from: string, to: string): LinkConfig {
    const key = linkKey(from, to);
    return resolveLinkConfig(this.defaults, this.configuredLinks.get(key), this.faultLinks.get(key));
  }

  private publish(kind: BusEvent['kind'], envelope: Envelope, reason?: DropReason): void {
    // Build the event only when someone listens: most runs have no observer and this is the hot path.
    if (!this.subject.observed) return;
    this.subject.next(reason === undefined ? { kind, atMs: this.clock.now, envelope } : { kind, atMs: this.clock.now, envelope, reason });
  }
}

function linkKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
