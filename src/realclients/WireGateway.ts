// A broker's listener for real Kafka clients: it accepts their connections, reads Kafka's request frames from the
// bytes they send, gives the broker's machine the simulator's messages for them (wireApis.ts), and writes the
// machine's answers back as response frames with the client's correlation id, in request order. Each connection is
// a peer of its own for the machine (connectionPeerId), so the broker serves one request per connection at a time
// as Kafka's SocketServer does. What travels on the bus between a real client and a broker (connectionMessages.ts)
// is bytes, so the trace and its hash cover every byte on the wire.
import type { Message } from '../kernel/Bus.ts';
import type { AdaptedMessage, NodeAdapter, NodeAdapterFactory } from '../kernel/NodeHost.ts';
import { connectionPeerId, isConnectionPeer } from '../protocol/nodeIds.ts';
import { apiByKey, decodeRequestFrame, encodeResponseFrame, readFrames } from '../protocol/wire/index.ts';
import { wireApis, type WirePlan } from './wireApis.ts';
import { TCP, type TcpMessage } from './connectionMessages.ts';

/** A connection as the broker holds it: bytes of a frame not yet whole. */
interface Connection {
  readonly node: string;
  readonly socket: number;
  received: Buffer;
}

/** A request the machine is answering: where the response goes, and the answers still awaited. */
interface Pending {
  readonly peer: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly ids: readonly number[];
  readonly answers: Map<number, Message>;
  readonly encode: (answers: Message[]) => Buffer;
}

/** A response waiting for the ones before it on its connection (a request answered by the gateway at once). */
type Outgoing = { pending: Pending; body: Buffer | undefined };

const CONNECTION_RESET: Message = { type: 'connection.reset' };

/** The gateway of one broker; `send` puts a message on the bus from the broker. */
export class WireGateway implements NodeAdapter {
  private readonly connections = new Map<string, Connection>();
  private readonly byId = new Map<number, Pending>();
  /** Responses in request order per connection: Kafka's client expects them so (NetworkClient#correlate). */
  private readonly queues = new Map<string, Outgoing[]>();
  private nextId = 1;

  constructor(private readonly send: (to: string, message: Message) => void) {}

  reset(): void {
    this.connections.clear();
    this.byId.clear();
    this.queues.clear();
  }

  inbound(from: string, message: Message): readonly AdaptedMessage[] {
    switch (message.type) {
      case TCP.connect:
        return this.accept(from, (message as TcpMessage).socket);
      case TCP.data:
        return this.receive(from, message as TcpMessage & { bytes: string });
      case TCP.close:
        return this.closed(connectionPeerId(from, (message as TcpMessage).socket));
      case 'connection.reset': {
        const peers = [...this.connections.keys()].filter((peer) => this.connections.get(peer)?.node === from);
        if (peers.length === 0) return [{ peer: from, message }];
        return peers.flatMap((peer) => this.closed(peer));
      }
      default:
        return [{ peer: from, message }];
    }
  }

  outbound(peer: string, message: Message): readonly AdaptedMessage[] {
    if (!isConnectionPeer(peer)) return [{ peer, message }];
    const connection = this.connections.get(peer);
    const pending = this.byId.get(message.correlationId as number);
    if (connection === undefined || pending === undefined || pending.peer !== peer) return [];
    this.byId.delete(message.correlationId as number);
    pending.answers.set(message.correlationId as number, message);
    return this.flush(connection);
  }

  disconnect(peer: string): boolean {
    if (!isConnectionPeer(peer)) return false;
    const connection = this.connections.get(peer);
    if (connection !== undefined) {
      this.forget(peer);
      this.send(connection.node, { type: TCP.close, socket: connection.socket });
    }
    return true;
  }

  private accept(node: string, socket: number): readonly AdaptedMessage[] {
    const peer = connectionPeerId(node, socket);
    this.connections.set(peer, { node, socket, received: Buffer.alloc(0) });
    this.queues.set(peer, []);
    this.send(node, { type: TCP.accept, socket });
    return [];
  }

  private receive(node: string, message: TcpMessage & { bytes: string }): readonly AdaptedMessage[] {
    const peer = connectionPeerId(node, message.socket);
    const connection = this.connections.get(peer);
    // Bytes for a connection this broker never accepted (or forgot in a restart): TCP answers with a reset.
    if (connection === undefined) {
      this.send(node, { type: TCP.close, socket: message.socket });
      return [];
    }
    const events: AdaptedMessage[] = [];
    try {
      const { frames, rest } = readFrames(Buffer.concat([connection.received, Buffer.from(message.bytes, 'base64')]));
      connection.received = rest;
      for (const frame of frames) events.push(...this.request(peer, frame));
    } catch (error) {
      // A malformed request closes the connection, as Kafka's broker closes one it cannot parse
      // (SocketServer's Processor on an InvalidRequestException); the machine forgets what the peer had waiting.
      if (!(error instanceof Error)) throw error;
      this.forget(peer);
      this.send(node, { type: TCP.close, socket: message.socket, reason: error.message });
      return [...events, { peer, message: CONNECTION_RESET }];
    }
    // Answers the gateway gave itself (ApiVersions) go out now, behind any the machine still owes on the connection.
    for (const answer of this.flush(connection)) this.send(answer.peer, answer.message);
    return events;
  }

  private request(peer: string, frame: Buffer): AdaptedMessage[] {
    const { header, body } = decodeRequestFrame(frame);
    const { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId } = header;
    const api = wireApis.get(apiKey);
    if (api === undefined || apiVersion < api.versions.minVersion || apiVersion > api.versions.maxVersion) {
      // The client asked for something ApiVersions did not offer: the broker cannot parse it and closes the connection.
      const name = apiByKey(apiKey)?.name ?? `API key ${apiKey}`;
      throw new Error(`${name} v${apiVersion} is not served by the simulated broker`);
    }
    const plan: WirePlan = api.plan({ apiVersion, clientId: header.clientId, body, nextId: () => this.nextId++ });
    body.requireEnd(`${api.name} v${apiVersion} request`);
    const queue = this.queues.get(peer) as Outgoing[];
    if (plan.kind === 'tell') return plan.requests.map((message) => ({ peer, message }));
    const ids = plan.kind === 'ask' ? plan.requests.map((r) => r.correlationId as number) : [];
    const pending: Pending = {
      peer,
      apiKey,
      apiVersion,
      correlationId,
      ids,
      answers: new Map(),
      encode: plan.kind === 'ask' ? plan.encode : () => plan.body,
    };
    queue.push({ pending, body: plan.kind === 'answer' ? plan.body : undefined });
    for (const id of ids) this.byId.set(id, pending);
    return plan.kind === 'ask' ? plan.requests.map((message) => ({ peer, message })) : [];
  }

  /** Sends the responses at the head of the connection's queue that are complete. */
  private flush(connection: Connection): AdaptedMessage[] {
    const peer = connectionPeerId(connection.node, connection.socket);
    const queue = this.queues.get(peer);
    if (queue === undefined) return [];
    const out: AdaptedMessage[] = [];
    while (queue.length > 0) {
      const head = queue[0] as Outgoing;
      const { pending } = head;
      if (head.body === undefined) {
        if (pending.answers.size < pending.ids.length) break;
        head.body = pending.encode(pending.ids.map((id) => pending.answers.get(id) as Message));
      }
      queue.shift();
      const frame = encodeResponseFrame({ apiKey: pending.apiKey, apiVersion: pending.apiVersion, correlationId: pending.correlationId }, head.body);
      out.push({ peer: connection.node, message: { type: TCP.data, socket: connection.socket, bytes: frame.toString('base64') } });
    }
    return out;
  }

  private closed(peer: string): readonly AdaptedMessage[] {
    if (!this.connections.has(peer)) return [];
    this.forget(peer);
    return [{ peer, message: CONNECTION_RESET }];
  }

  private forget(peer: string): void {
    this.connections.delete(peer);
    this.queues.delete(peer);
    for (const [id, pending] of this.byId) if (pending.peer === peer) this.byId.delete(id);
  }
}

/** The adapter factory for a broker that real clients reach (World.addNode's `adapter`). */
export const wireGateway: NodeAdapterFactory = (send) => new WireGateway(send);
