import type { ClientMessage } from '../../src/protocol/send.ts';

export type { ClientMessage } from '../../src/protocol/send.ts';
import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import { invariant } from './invariant.ts';
import { connectionLost, connectionWorks, isConnectable, nextConnectableMs, type ReconnectBackoff } from './reconnectBackoff.ts';

// The client network layer every client shares (Kafka's `NetworkClient` with its `ClusterConnectionStates`, and
// the unsent queue of `ConsumerNetworkClient`), as data in, data out. It owns what is per connection: one
// connection per broker, opened with the ApiVersions handshake within `socket.connection.setup.timeout.ms`; the
// correlation ids; the requests in flight with their `request.timeout.ms` deadlines; the reconnect backoff after a
// connection broke; the least loaded broker to ask for metadata. Callers keep what a request is about in its
// `data` (a batch list, a partition to reset, a group request's membership) and get it back with the answer or
// with the failure.
//
// Two ways to send, as in Kafka. The producer's Sender asks `isReady` and drains only to ready brokers, opening a
// connection (`connect`) to the others, so its batches wait in the accumulator (`Sender#sendProducerData`). The
// consumer's requests go through `sendRequest`, which sends at once on a ready connection, or else opens one and
// keeps the request unsent until the handshake is answered (`ConsumerNetworkClient#trySend`); if the connection
// fails first, the request fails with it.
//
// The simulated network, unlike TCP, can lose one message and deliver the next. Kafka's `NetworkClient#correlate`
// throws when a response does not answer the oldest request on its connection, and the connection is closed; a
// response that skips an older request in flight says the same here (`outOfOrder`), and callers close the
// connection.

/** A request known to the client: where it went, until when it may take, and what the caller keeps about it. */
export interface ClientRequest<T> {
  readonly node: number;
  /** When `request.timeout.ms` (or the handshake's setup timeout) passes; for an unsent request, from its creation. */
  readonly deadlineMs: number;
  /** The caller's own record of the request; null for a connection's ApiVersions handshake. */
  readonly data: T | null;
  /** A request waiting for its connection's handshake: the message to send then, and its timeout once sent. */
  readonly unsent?: { readonly message: ClientMessage; readonly timeoutMs: number };
  /**
   * The group coordinator's requests (`coordinator`): the Java consumer talks to its coordinator on a connection of
   * its own (node `Integer.MAX_VALUE - id`), which the broker serves apart (requestChannels.ts), so answers are in
   * order per channel, not across the two.
   */
  readonly channel?: 'coordinator';
}

/** When a request was made and how long it may take, and the channel it travels on (absent: the broker's own). */
export interface RequestTiming {
  readonly nowMs: number;
  readonly timeoutMs: number;
  readonly channel?: 'coordinator';
}

/** The client's connections and requests. */
export interface NetworkClient<T> {
  readonly nextCorrelationId: number;
  /** `connecting` from the handshake's request until its answer, then `ready`; absent: no connection. */
  readonly connections: Readonly<Record<number, 'connecting' | 'ready'>>;
  /** Brokers whose connection broke: when the client may connect again, and how many failures in a row. */
  readonly reconnect: ReconnectBackoff;
  /**
   * Every request not yet answered or failed, oldest first (handshakes and unsent requests too): a handful at a time,
   * so a short array walked in order rather than a record by correlation id copied and deleted from.
   */
  readonly requests: readonly BookedRequest<T>[];
}

/** A request on the books, under its correlation id. */
export interface BookedRequest<T> {
  readonly correlationId: number;
  readonly request: ClientRequest<T>;
}

/** The request on the books under `correlationId`, if any. */
export function requestOf<T>(nc: NetworkClient<T>, correlationId: number): ClientRequest<T> | undefined {
  for (const booked of nc.requests) if (booked.correlationId === correlationId) return booked.request;
  return undefined;
}

/** What the network layer asks of its role's machine: sends and closed connections, in the shape roles share. */
export type NetworkEffect = { kind: 'send'; to: string; message: ClientMessage } | { kind: 'disconnect'; to: string };

/** Where effects go: a role's own effect list (any list that takes these). */
export interface NetworkOut {
  push(effect: NetworkEffect): unknown;
}

/** A request that ended without an answer, in the order it was made. */
export interface FailedRequest<T> {
  readonly correlationId: number;
  readonly request: ClientRequest<T>;
}

/** `socket.connection.setup.timeout.ms` (Kafka's default; its exponential growth to the max is left out). */
export const CONNECTION_SETUP_TIMEOUT_MS = 10_000;

function onChannel(timing: RequestTiming): { channel?: 'coordinator' } {
  return timing.channel === undefined ? {} : { channel: timing.channel };
}

/** A client with no connection yet. */
export function createNetworkClient<T>(): NetworkClient<T> {
  return { nextCorrelationId: 0, connections: {}, reconnect: {}, requests: [] };
}

/** Whether requests may go to `node` now: its handshake is done (`NetworkClient#isReady`). */
export function isReady<T>(nc: NetworkClient<T>, node: number): boolean {
  return nc.connections[node] === 'ready';
}

/** Whether a request to `node` would not be refused now: connected, connecting, or not in reconnect backoff. */
export function canSendTo<T>(nc: NetworkClient<T>, node: number, nowMs: number): boolean {
  return nc.connections[node] !== undefined || isConnectable(nc.reconnect, node, nowMs);
}

/**
 * Opens a connection to a broker, unless one is open or opening or the broker is in reconnect backoff: the
 * ApiVersions handshake, within `socket.connection.setup.timeout.ms`. A dead broker's refusal resets it; a silent
 * one lets it time out.
 */
export function connect<T>(nc: NetworkClient<T>, node: number, nowMs: number, out: NetworkOut): NetworkClient<T> {
  if (nc.connections[node] !== undefined || !isConnectable(nc.reconnect, node, nowMs)) return nc;
  const correlationId = nc.nextCorrelationId;
  out.push({ kind: 'send', to: brokerNodeId(node), message: { type: 'apiVersions.request', correlationId } });
  return {
    ...nc,
    nextCorrelationId: correlationId + 1,
    connections: { ...nc.connections, [node]: 'connecting' },
    requests: [...nc.requests, { correlationId, request: { node, deadlineMs: nowMs + CONNECTION_SETUP_TIMEOUT_MS, data: null } }],
  };
}

/**
 * Sends a request on a ready connection (`NetworkClient#send`): the message gets the next correlation id and a
 * deadline `timeoutMs` from now. The caller checked `isReady`.
 */
export function send<T>(
  nc: NetworkClient<T>,
  node: number,
  message: (correlationId: number) => ClientMessage,
  data: T,
  timing: RequestTiming,
  out: NetworkOut,
): [number, NetworkClient<T>] {
  const correlationId = transmit(nc, node, message, out);
  const request: ClientRequest<T> = { node, deadlineMs: timing.nowMs + timing.timeoutMs, data, ...onChannel(timing) };
  return [correlationId, { ...nc, nextCorrelationId: correlationId + 1, requests: [...nc.requests, { correlationId, request }] }];
}

/**
 * Sends a request that gets no response (an acks=0 Produce, `expectResponse` false): it takes a correlation id and
 * leaves nothing on the books. The caller checked `isReady`.
 */
export function sendWithoutResponse<T>(nc: NetworkClient<T>, node: number, message: (correlationId: number) => ClientMessage, out: NetworkOut): NetworkClient<T> {
  return { ...nc, nextCorrelationId: transmit(nc, node, message, out) + 1 };
}

// Puts a request on a ready connection with the next correlation id, and returns that id.
function transmit<T>(nc: NetworkClient<T>, node: number, message: (correlationId: number) => ClientMessage, out: NetworkOut): number {
  invariant(isReady(nc, node), `network client: a request to broker ${node} without a ready connection`);
  const correlationId = nc.nextCorrelationId;
  out.push({ kind: 'send', to: brokerNodeId(node), message: message(correlationId) });
  return correlationId;
}

/**
 * Sends a request now if the connection is ready, or opens the connection and sends it once the handshake is
 * answered (`ConsumerNetworkClient#send` + `#trySend`). To a broker in reconnect backoff it stays unsent with its
 * deadline now, so the next deadline pass fails it, as `ConsumerNetworkClient#checkDisconnects` fails requests to a
 * disconnected node at the next poll.
 */
export function sendRequest<T>(
  nc: NetworkClient<T>,
  node: number,
  message: (correlationId: number) => ClientMessage,
  data: T,
  timing: RequestTiming,
  out: NetworkOut,
): [number, NetworkClient<T>] {
  if (isReady(nc, node)) return send(nc, node, message, data, timing, out);
  const connecting = connect(nc, node, timing.nowMs, out);
  const correlationId = connecting.nextCorrelationId;
  const unsent = { message: message(correlationId), timeoutMs: timing.timeoutMs };
  const deadlineMs = canSendTo(connecting, node, timing.nowMs) ? timing.nowMs + timing.timeoutMs : timing.nowMs;
  const request: ClientRequest<T> = { node, deadlineMs, data, unsent, ...onChannel(timing) };
  return [correlationId, { ...connecting, nextCorrelationId: correlationId + 1, requests: [...connecting.requests, { correlationId, request }] }];
}

/**
 * A sender for a planner that sends several requests of one kind (the fetcher's fetches, the position validations):
 * each goes through `sendRequest` with `data` and `timing`; `network()` is the client after them.
 */
export function sendThrough<T>(
  nc: NetworkClient<T>,
  data: T,
  timing: RequestTiming,
  out: NetworkOut,
): { readonly send: (node: number, message: (correlationId: number) => ClientMessage) => number; readonly network: () => NetworkClient<T> } {
  let network = nc;
  return {
    send: (node, message) => {
      const [correlationId, next] = sendRequest(network, node, message, data, timing, out);
      network = next;
      return correlationId;
    },
    network: () => network,
  };
}

/** A response matched to its request, taken off the books. */
export interface TakenResponse<T> {
  readonly nc: NetworkClient<T>;
  readonly request: ClientRequest<T>;
  /** An older request on the same connection is unanswered: its request or response was lost; close the connection. */
  readonly outOfOrder: boolean;
}

/**
 * Matches a response to the request it answers, by correlation id and sender (`NetworkClient#correlate`); undefined
 * for a response that matches nothing (a duplicate, an answer on a connection already closed). When `outOfOrder`
 * the request stays on the books: the caller closes the connection, which fails it with the others.
 */
export function takeResponse<T>(nc: NetworkClient<T>, response: { readonly correlationId: number; readonly from: string }): TakenResponse<T> | undefined {
  // Plain loops, not findIndex and filter: this runs for every answer a client gets (3% of the standard scenario).
  const { requests } = nc;
  let index = -1;
  for (let i = 0; i < requests.length; i++) {
    if ((requests[i] as BookedRequest<T>).correlationId === response.correlationId) {
      index = i;
      break;
    }
  }
  if (index < 0) return undefined;
  const { request } = requests[index] as BookedRequest<T>;
  if (request.unsent !== undefined || brokerNodeId(request.node) !== response.from) return undefined;
  for (let i = 0; i < index; i++) {
    const other = (requests[i] as BookedRequest<T>).request;
    if (other.node === request.node && other.unsent === undefined && other.channel === request.channel) return { nc, request, outOfOrder: true };
  }
  const rest = requests.slice(0, index);
  for (let i = index + 1; i < requests.length; i++) rest.push(requests[i] as BookedRequest<T>);
  return { nc: { ...nc, requests: rest }, request, outOfOrder: false };
}

/** Any answer from a broker: its connection works, and the next failure backs off from the start again. */
export function answeredBy<T>(nc: NetworkClient<T>, node: number | undefined): NetworkClient<T> {
  if (node === undefined) return nc;
  const reconnect = connectionWorks(nc.reconnect, node);
  return reconnect === nc.reconnect ? nc : { ...nc, reconnect };
}

/**
 * An apiVersions.response: the connection is ready and the requests waiting for it go out, in the order they were
 * made, each with its `request.timeout.ms` from now. An error answer closes the connection (the broker refused it);
 * the failed requests are returned. Undefined when it answers no handshake.
 */
export function onHandshakeResponse<T>(
  nc: NetworkClient<T>,
  response: { readonly correlationId: number; readonly from: string; readonly errorCode?: string },
  nowMs: number,
  out: NetworkOut,
): { readonly nc: NetworkClient<T>; readonly failed: readonly FailedRequest<T>[] } | undefined {
  const taken = takeResponse(nc, response);
  if (taken === undefined || taken.request.data !== null) return undefined;
  const { node } = taken.request;
  if (taken.outOfOrder) return closeConnection(nc, node, nowMs, out);
  if (response.errorCode !== undefined && response.errorCode !== 'NONE') return disconnect(taken.nc, node);
  let requests: BookedRequest<T>[] | undefined;
  taken.nc.requests.forEach(({ correlationId, request }, i) => {
    if (request.node !== node || request.unsent === undefined) return;
    out.push({ kind: 'send', to: brokerNodeId(node), message: request.unsent.message });
    const { unsent: _sent, ...sent } = request;
    (requests ??= [...taken.nc.requests])[i] = { correlationId, request: { ...sent, deadlineMs: nowMs + request.unsent.timeoutMs } };
  });
  return { nc: { ...taken.nc, connections: { ...taken.nc.connections, [node]: 'ready' }, requests: requests ?? taken.nc.requests }, failed: [] };
}

/**
 * The connection to a broker is gone (the network reset it, or a handshake was refused): every request on it,
 * sent or waiting, fails, in the order it was made. The broker is not put in backoff (see `connectionReset`).
 */
export function disconnect<T>(nc: NetworkClient<T>, node: number): { readonly nc: NetworkClient<T>; readonly failed: readonly FailedRequest<T>[] } {
  const failed: FailedRequest<T>[] = [];
  for (const booked of nc.requests) if (booked.request.node === node) failed.push(booked);
  const requests = failed.length === 0 ? undefined : nc.requests.filter((booked) => booked.request.node !== node);
  let connections = nc.connections;
  if (connections[node] !== undefined) {
    const rest = { ...connections };
    delete rest[node];
    connections = rest;
  }
  if (requests === undefined && connections === nc.connections) return { nc, failed };
  return { nc: { ...nc, connections, requests: requests ?? nc.requests }, failed };
}

/**
 * The network reset the connection to a broker: every request on it fails, and `NetworkClient` keeps off the broker
 * for `reconnect.backoff.ms`, doubling with each failure in a row, whether or not anything was in flight to it.
 */
export function connectionReset<T>(nc: NetworkClient<T>, node: number, nowMs: number): { readonly nc: NetworkClient<T>; readonly failed: readonly FailedRequest<T>[] } {
  const gone = disconnect(nc, node);
  return { nc: { ...gone.nc, reconnect: connectionLost(gone.nc.reconnect, node, nowMs) }, failed: gone.failed };
}

/**
 * The client closes its connection to a broker (a request timed out, or a response skipped an older one): the broker
 * is told, so it forgets what waited on it; every request on it fails; the broker is kept off for reconnect backoff.
 * With no connection to close (requests waiting out a backoff), those requests fail and nothing else changes.
 */
export function closeConnection<T>(nc: NetworkClient<T>, node: number, nowMs: number, out: NetworkOut): { readonly nc: NetworkClient<T>; readonly failed: readonly FailedRequest<T>[] } {
  if (nc.connections[node] === undefined) return disconnect(nc, node);
  out.push({ kind: 'disconnect', to: brokerNodeId(node) });
  return connectionReset(nc, node, nowMs);
}

/**
 * Forgets requests without closing their connection: their answers, if any come, are dropped (the consumer abandons
 * its heartbeats in flight when it takes its coordinator for dead).
 */
export function forgetRequests<T>(nc: NetworkClient<T>, test: (data: T) => boolean): NetworkClient<T> {
  const forgotten = (booked: BookedRequest<T>) => booked.request.data !== null && test(booked.request.data);
  return nc.requests.some(forgotten) ? { ...nc, requests: nc.requests.filter((booked) => !forgotten(booked)) } : nc;
}

/** The brokers with a request past its deadline, in id order (`NetworkClient#handleTimedOutRequests`). */
export function timedOutNodes<T>(nc: NetworkClient<T>, nowMs: number): number[] {
  let nodes: number[] | undefined;
  for (const { request } of nc.requests) {
    if (request.deadlineMs <= nowMs && !(nodes ??= []).includes(request.node)) nodes.push(request.node);
  }
  return nodes === undefined ? [] : nodes.sort((a, b) => a - b);
}

/** The earliest request deadline or end of a reconnect backoff after `nowMs`; null when there is none. */
export function nextNetworkDeadlineMs<T>(nc: NetworkClient<T>, nowMs: number): number | null {
  let earliest = nextConnectableMs(nc.reconnect, nowMs);
  for (const { request } of nc.requests) {
    if (earliest === null || request.deadlineMs < earliest) earliest = request.deadlineMs;
  }
  return earliest;
}

/** Whether a request whose data satisfies `test` is on the books (answered and failed ones are not). */
export function hasRequest<T>(nc: NetworkClient<T>, test: (data: T) => boolean): boolean {
  for (const { request } of nc.requests) if (request.data !== null && test(request.data)) return true;
  return false;
}

/**
 * The broker to ask for metadata or anything not bound to a partition (`NetworkClient#leastLoadedNode`): the
 * candidates in turn from `rotation`, the first with a ready connection, else the first connecting, else the first
 * not in reconnect backoff. Undefined while every one of them is backing off.
 */
export function leastLoadedNode<T>(nc: NetworkClient<T>, candidates: readonly number[], rotation: number, nowMs: number): number | undefined {
  let connecting: number | undefined;
  let connectable: number | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const node = candidates[(rotation + i) % candidates.length] as number;
    const connection = nc.connections[node];
    if (connection === 'ready') return node;
    if (connection === 'connecting') connecting ??= node;
    else if (isConnectable(nc.reconnect, node, nowMs)) connectable ??= node;
  }
  return connecting ?? connectable;
}

/**
 * When `leastLoadedNode`'s broker can take a request: now, or when the first reconnect backoff ends; null while its
 * connection is being set up (its handshake's answer or timeout decides).
 */
export function leastLoadedNodeAvailableAtMs<T>(nc: NetworkClient<T>, candidates: readonly number[], rotation: number, nowMs: number): number | null {
  const node = leastLoadedNode(nc, candidates, rotation, nowMs);
  if (node !== undefined) return nc.connections[node] === 'connecting' ? null : nowMs;
  return Math.min(...candidates.map((candidate) => nc.reconnect[candidate]?.atMs ?? nowMs));
}
