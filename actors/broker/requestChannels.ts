import { isConnectionPeer } from '../../src/protocol/nodeIds.ts';
import type { BrokerEffect } from './BrokerState.ts';

// Kafka's SocketServer serves one request per connection at a time: once a request is read, the connection is
// muted until its response is sent (`Processor#processCompletedReceives` mutes, `#processCompletedSends` unmutes),
// so a client's pipelined requests (up to max.in.flight.requests.per.connection) wait in the socket, and responses
// leave in request order. A request that gets no response (an acks=0 Produce) unmutes at once. The Java consumer
// talks to its group coordinator on a connection of its own (AbstractCoordinator connects to node
// `Integer.MAX_VALUE - id`), so a fetch parked at that broker does not hold its heartbeats back; here the group
// APIs get a channel of their own for the same reason. A real client's connection (connectionPeerId) is one channel
// whatever it carries, as in Kafka: kafkajs sends its fetches and its group requests on one connection per broker.

/** A client's connection as the broker sees it: a request in progress, and those read after it, waiting. */
export interface RequestChannel<R> {
  readonly busy: boolean;
  readonly waiting: readonly R[];
}

/** The channels by key (`client` or `client coordinator`). */
export type RequestChannels<R> = Readonly<Record<string, RequestChannel<R>>>;

const coordinatorApis = new Set(['joinGroup', 'syncGroup', 'heartbeat', 'leaveGroup', 'offsetCommit', 'offsetFetch']);
// A ZooKeeper-mode controller talks to brokers on connections of its own (`ControllerChannelManager`), and a leader
// sends AlterPartition on its own channel to the controller (`BrokerToControllerChannelManager`): a follower fetch
// parked between the same two brokers does not hold them back; a broker shutting down asks the controller on a
// connection of its own too (`KafkaServer#controlledShutdown` builds its own NetworkClient).
const controlApis = new Set(['leaderAndIsr', 'updateMetadata', 'partition', 'controlledShutdown']);

/** The channel a request or response of `type` travels on between the broker and `peer`. */
export function channelKey(peer: string, type: string): string {
  if (isConnectionPeer(peer)) return peer;
  const api = type.slice(0, type.indexOf('.'));
  return coordinatorApis.has(api) ? `${peer} coordinator` : controlApis.has(api) ? `${peer} control` : peer;
}

/** Whether a request may be served now; otherwise it waits behind the one in progress. */
export function isChannelBusy<R>(channels: RequestChannels<R>, key: string): boolean {
  return channels[key]?.busy === true;
}

/** The channel after a request starts. */
export function startRequest<R>(channels: RequestChannels<R>, key: string): RequestChannels<R> {
  return { ...channels, [key]: { busy: true, waiting: channels[key]?.waiting ?? [] } };
}

/** The channel with a request waiting behind the one in progress. */
export function enqueueRequest<R>(channels: RequestChannels<R>, key: string, request: R): RequestChannels<R> {
  const channel = channels[key] ?? { busy: true, waiting: [] };
  return { ...channels, [key]: { ...channel, waiting: [...channel.waiting, request] } };
}

/** The channel after its response went out: the next waiting request, if any, and the channels without it. */
export function finishRequest<R>(channels: RequestChannels<R>, key: string): { channels: RequestChannels<R>; next: R | undefined } {
  const channel = channels[key];
  if (channel === undefined) return { channels, next: undefined };
  const [next, ...waiting] = channel.waiting;
  if (next !== undefined) return { channels: { ...channels, [key]: { busy: true, waiting } }, next };
  // The channel stays on the books, idle: a client's connection is served again and again, and keeping its key
  // keeps the record's shape (deleting a key would turn it into a slow dictionary on every response).
  return { channels: { ...channels, [key]: IDLE_CHANNEL }, next: undefined };
}

const IDLE_CHANNEL: RequestChannel<never> = { busy: false, waiting: [] };

/** Forgets every channel with `peer` (its connection closed): what waited there is gone with it. */
export function closeChannels<R>(channels: RequestChannels<R>, peer: string): RequestChannels<R> {
  let changed = false;
  const rest: Record<string, RequestChannel<R>> = {};
  for (const [key, channel] of Object.entries(channels)) {
    if (key === peer || key === `${peer} coordinator` || key === `${peer} control`) changed = true;
    else rest[key] = channel;
  }
  return changed ? rest : channels;
}

/** The channels the effects of a step answered or closed, in order: a response sent, or a disconnect. */
export function answeredChannels(effects: readonly BrokerEffect[], from: number): Array<{ key: string; closed: boolean }> {
  const answered: Array<{ key: string; closed: boolean }> = [];
  for (let i = from; i < effects.length; i++) {
    const effect = effects[i] as BrokerEffect;
    if (effect.kind === 'send' && effect.message.type.endsWith('.response')) answered.push({ key: channelKey(effect.to, effect.message.type), closed: false });
    else if (effect.kind === 'disconnect') answered.push({ key: effect.to, closed: true });
  }
  return answered;
}
