import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import { createNetworkClient, leastLoadedNode, leastLoadedNodeAvailableAtMs, type NetworkClient, type NetworkEffect, type NetworkOut } from '../client/networkClient.ts';
import { send } from '../../src/protocol/send.ts';
import type { ClientSend } from '../../src/protocol/clientCommands.ts';
import { drawInt } from './Draw.ts';
import type { Draw } from './Draw.ts';
import { emptyPartitionerState } from './partitioner.ts';
import type { PartitionerState } from './partitioner.ts';
import { ConfigException, resolveProducerConfig } from './producerConfig.ts';
import type { ProducerConfig } from './producerConfig.ts';
import type { ProducerSettings } from './producerDefaults.ts';
import { emptyMetadata } from '../client/metadata.ts';
import type { Metadata } from '../client/metadata.ts';
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

/** What the producer keeps about a request on the wire (the network client keeps where it went and its deadline). */
export type ProducerRequest =
  | { readonly kind: 'metadata' }
  | { readonly kind: 'initProducerId' }
  | { readonly kind: 'produce'; readonly batchIds: readonly number[] };

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
  /** Picks the broker for metadata and InitProducerId; moves on after a failure (`NetworkClient#leastLoadedNode`). */
  readonly nodeRotation: number;
  readonly metadata: Metadata;
  readonly partitioner: PartitionerState;
  readonly acc: RecordAccumulator;
  /** Connections, correlation ids, requests on the wire, reconnect backoff (actors/client/networkClient.ts). */
  readonly network: NetworkClient<ProducerRequest>;
  readonly waitingForMetadata: readonly WaitingSend[];
  /** InitProducerId attempts that failed, and when the next may leave (null: at once). */
  readonly initProducerId: { readonly failedAttempts: number; readonly retryAtMs: number | null };
  /** When the wake-up timer is set to fire; null when none is set. */
  readonly wakeupAtMs: number | null;
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
    // leastLoadedNode starts from a random offset so clients do not all pick the first bootstrap broker.
    nodeRotation: drawInt(draw, bootstrap.length),
    metadata: emptyMetadata([...bootstrap]),
    partitioner: emptyPartitionerState(),
    acc: createRecordAccumulator(),
    network: createNetworkClient(),
    waitingForMetadata: [],
    initProducerId: { failedAttempts: 0, retryAtMs: null },
    wakeupAtMs: null,
  };
}

/**
 * The broker to ask for metadata or a producer id (`NetworkClient#leastLoadedNode`) among the known brokers, or the
 * bootstrap ones before any metadata; undefined while every one of them is backing off: the request waits.
 */
export function pickBroker(ctx: ProducerContext): number | undefined {
  return leastLoadedNode(ctx.network, brokerCandidates(ctx), ctx.nodeRotation, ctx.now());
}

/** When `pickBroker`'s broker can take a request: now, or when a backoff ends; null while its connection is set up. */
export function brokerAvailableAtMs(ctx: ProducerContext): number | null {
  return leastLoadedNodeAvailableAtMs(ctx.network, brokerCandidates(ctx), ctx.nodeRotation, ctx.now());
}

// The known brokers (the bootstrap ones before any metadata).
function brokerCandidates(ctx: ProducerContext): readonly number[] {
  return ctx.metadata.brokers;
}

/** The producer's effect for one of the network layer's (the producer emits host events directly). */
export function networkOut(out: Outbox): NetworkOut {
  return { push: (effect: NetworkEffect) => out.push(effect.kind === 'send' ? send(effect.to, effect.message) : { type: 'disconnect', to: effect.to }) };
}
