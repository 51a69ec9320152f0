import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import { connectionLost as lostConnection, connectionWorks as workingConnection, type ReconnectBackoff } from '../client/reconnectBackoff.ts';
import type { ClientSend } from '../../src/protocol/clientCommands.ts';
import { drawInt } from './Draw.ts';
import type { Draw } from './Draw.ts';
import { emptyPartitionerState } from './partitioner.ts';
import type { PartitionerState } from './partitioner.ts';
import { ConfigException, resolveProducerConfig } from './producerConfig.ts';
import type { ProducerConfig } from './producerConfig.ts';
import type { ProducerSettings } from './producerDefaults.ts';
import { emptyProducerMetadata } from './producerMetadata.ts';
import type { ProducerMetadata } from './producerMetadata.ts';
import { createRecordAccumulator } from './recordAccumulator.ts';
import type { RecordAccumulator } from './recordAccumulator.ts';

// What the producer machine keeps between events: the resolved config, the metadata cache, the accumulator, the
// requests on the wire. One step of the machine is a pure function from this context (and an event) to the next
// context plus what to emit; the machine itself only runs steps and the wake-up timer.

/** The producer's config, beside the host's `nodeId`, `disk`, `rng` and `now`. */
export interface ProducerInput extends NodeInput {
  /** Broker ids to fetch the first metadata from (`bootstrap.servers`); at least one. */
  bootstrapBrokers: readonly number[];
  /** Producer settings, validated at boot by resolveProducerConfig; Kafka's defaults for what is left out. */
  settings?: Partial<ProducerSettings>;
  /** Client-side weakenings; all off unless a scenario lists them. */
  weakenings?: Partial<ProducerWeakenings>;
}

/** What the producer does differently under a weakening; every flag is off in a faithful run. */
export interface ProducerWeakenings {
  /** Bug P4 (KAFKA-13574): NOT_LEADER_OR_FOLLOWER ends a send as a definite failure (retryPolicy.ts). */
  readonly notLeaderIsDefinite: boolean;
  /** Bug P4 (Jepsen's indefinite errors): a lost connection or a request timeout ends a send as a definite failure. */
  readonly timeoutIsDefinite: boolean;
}

/** A request on the wire, by correlation id, with the time its `request.timeout.ms` passes. */
export type InFlightRequest =
  | { readonly kind: 'apiVersions'; readonly node: number; readonly deadlineMs: number }
  | { readonly kind: 'metadata'; readonly node: number; readonly deadlineMs: number }
  | { readonly kind: 'initProducerId'; readonly node: number; readonly deadlineMs: number }
  | { readonly kind: 'produce'; readonly node: number; readonly deadlineMs: number; readonly batchIds: readonly number[] };

/** A send() waiting for its topic's metadata (`KafkaProducer#waitOnMetadata`), at most `max.block.ms`. */
export interface WaitingSend {
  readonly id: number;
  readonly send: ClientSend;
  readonly sinceMs: number;
}

/** The producer machine's context. */
export interface ProducerContext {
  readonly nodeId: string;
  readonly config: ProducerConfig;
  readonly weakenings: ProducerWeakenings;
  readonly bootstrapBrokers: readonly number[];
  /** The virtual time (the host's clock). */
  readonly now: () => number;
  /** This boot's seeded generator: the partitioner's draws, retry jitter. */
  readonly draw: Draw;
  /** The next history operation id (per boot, as HistoryNote requires). */
  readonly nextOperationId: number;
  readonly nextCorrelationId: number;
  /** Picks the broker for metadata and InitProducerId; moves on after a failure (`NetworkClient#leastLoadedNode`). */
  readonly nodeRotation: number;
  readonly metadata: ProducerMetadata;
  readonly partitioner: PartitionerState;
  readonly acc: RecordAccumulator;
  readonly requests: Readonly<Record<number, InFlightRequest>>;
  readonly waitingForMetadata: readonly WaitingSend[];
  /** InitProducerId attempts that failed, and when the next may leave (null: at once). */
  readonly initProducerId: { readonly failedAttempts: number; readonly retryAtMs: number | null };
  /** When the wake-up timer is set to fire; null when none is set. */
  readonly wakeupAtMs: number | null;
  /**
   * The producer's connections: `connecting` from the ApiVersions handshake's request until its answer, then
   * `ready`. Nothing but the handshake goes to a broker without a ready connection; a reset or a timeout removes it.
   */
  readonly connections: Readonly<Record<number, 'connecting' | 'ready'>>;
  /** Brokers whose connection was reset: when the producer may connect again, and how many resets in a row. */
  readonly reconnect: ReconnectBackoff;
}

/**
 * A broker's connection was reset: `NetworkClient` connects again only after `reconnect.backoff.ms`, doubling with
 * each reset in a row up to `reconnect.backoff.max.ms`. Until then nothing is drained to it.
 */
export function connectionLost(ctx: ProducerContext, node: number): ProducerContext {
  return { ...ctx, reconnect: lostConnection(ctx.reconnect, node, ctx.now()) };
}

/** A broker answered: its connection works, and the next reset starts the backoff afresh. */
export function connectionWorks(ctx: ProducerContext, node: number): ProducerContext {
  const reconnect = workingConnection(ctx.reconnect, node);
  return reconnect === ctx.reconnect ? ctx : { ...ctx, reconnect };
}

/** What a step emits, in order: sends to brokers and history notes. */
export type Outbox = HostEmitted[];

/**
 * The context a producer boots with. A bad setting throws Kafka's ConfigException here, so the run fails at boot
 * naming the setting, as `new KafkaProducer(props)` throws.
 */
export function createProducerContext(input: ProducerInput): ProducerContext {
  const config = resolveProducerConfig(input.settings ?? {});
  const bootstrap = input.bootstrapBrokers;
  if (!Array.isArray(bootstrap) || bootstrap.length === 0 || !bootstrap.every((id) => Number.isInteger(id) && id >= 0)) {
    throw new ConfigException('bootstrapBrokers', bootstrap, 'must be a non-empty list of broker ids (bootstrap.servers)');
  }
  const draw = input.rng;
  return {
    nodeId: input.nodeId,
    config,
    weakenings: { notLeaderIsDefinite: false, timeoutIsDefinite: false, ...input.weakenings },
    bootstrapBrokers: [...bootstrap],
    now: input.now,
    draw,
    nextOperationId: 0,
    nextCorrelationId: 0,
    // leastLoadedNode starts from a random offset so clients do not all pick the first bootstrap broker.
    nodeRotation: drawInt(draw, bootstrap.length),
    metadata: emptyProducerMetadata(),
    partitioner: emptyPartitionerState(),
    acc: createRecordAccumulator(),
    requests: {},
    waitingForMetadata: [],
    initProducerId: { failedAttempts: 0, retryAtMs: null },
    wakeupAtMs: null,
    connections: {},
    reconnect: {},
  };
}

/**
 * The broker to ask for metadata or a producer id (`NetworkClient#leastLoadedNode`): the known brokers, or the
 * bootstrap ones before any metadata, in turn from the rotation; the first with a ready connection, else the first
 * connecting, else the first not in reconnect backoff. Undefined while every one of them is backing off: the
 * request waits.
 */
export function pickBroker(ctx: ProducerContext): number | undefined {
  const candidates = brokerCandidates(ctx);
  const nowMs = ctx.now();
  let connecting: number | undefined;
  let connectable: number | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const node = candidates[(ctx.nodeRotation + i) % candidates.length] as number;
    const connection = ctx.connections[node];
    if (connection === 'ready') return node;
    if (connection === 'connecting') connecting ??= node;
    else if ((ctx.reconnect[node]?.atMs ?? 0) <= nowMs) connectable ??= node;
  }
  return connecting ?? connectable;
}

/**
 * When `pickBroker`'s broker can take a request: now, or when the first reconnect backoff ends; null while its
 * connection is being set up (its handshake's answer or timeout decides).
 */
export function brokerAvailableAtMs(ctx: ProducerContext): number | null {
  const nowMs = ctx.now();
  const node = pickBroker(ctx);
  if (node !== undefined) return ctx.connections[node] === 'connecting' ? null : nowMs;
  return Math.min(...brokerCandidates(ctx).map((node) => ctx.reconnect[node]?.atMs ?? nowMs));
}

/** Whether the producer may send requests to a broker: its connection's handshake is done. */
export function isConnected(ctx: ProducerContext, node: number): boolean {
  return ctx.connections[node] === 'ready';
}

/** The connection to a broker is gone (reset, or closed after a timeout): the next request opens a new one. */
export function forgetConnection(ctx: ProducerContext, node: number): ProducerContext {
  if (ctx.connections[node] === undefined) return ctx;
  const connections = { ...ctx.connections };
  delete connections[node];
  return { ...ctx, connections };
}

// The known brokers, or the bootstrap ones before any metadata.
function brokerCandidates(ctx: ProducerContext): readonly number[] {
  return ctx.metadata.brokers.length > 0 ? ctx.metadata.brokers : ctx.bootstrapBrokers;
}

/** The next correlation id, and the context that has used it. */
export function takeCorrelationId(ctx: ProducerContext): [number, ProducerContext] {
  return [ctx.nextCorrelationId, { ...ctx, nextCorrelationId: ctx.nextCorrelationId + 1 }];
}

/** Records a request on the wire. */
export function addRequest(ctx: ProducerContext, correlationId: number, request: InFlightRequest): ProducerContext {
  return { ...ctx, requests: { ...ctx.requests, [correlationId]: request } };
}

/** Forgets a request (answered, timed out or disconnected). */
export function removeRequest(ctx: ProducerContext, correlationId: number): ProducerContext {
  const requests = { ...ctx.requests };
  delete requests[correlationId];
  return { ...ctx, requests };
}

/** The request with this correlation id, if it is still on the wire. */
export function requestOf(ctx: ProducerContext, correlationId: number): InFlightRequest | undefined {
  return Object.hasOwn(ctx.requests, correlationId) ? ctx.requests[correlationId] : undefined;
}
