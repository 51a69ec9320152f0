// A test-only broker for the reader's tests: it answers metadata, fetch and ListOffsets from a partition table
// the test gives it (and changes with `fake.setPartition` from 'world'), with the broker's checks in Kafka's
// order (ReplicaManager#fetchMessages, Partition#fetchRecords, LocalLog#read): unknown partition, not the
// leader, leader epoch fencing (KIP-320), offset out of range; then batches from the fetch offset up to the high
// watermark for consumers (replicaId -1) and up to the log end for followers. No replication. A fetch that finds
// nothing waits up to its maxWaitMs (a long poll, as DelayedFetch) and is answered early when the table changes.
// OffsetsForLeaderEpoch is answered from a leader epoch cache built from the batches' epochs, with the leader's
// own epoch starting at its log end (as a new leader's cache does). As Kafka's SocketServer, it serves one request
// per client connection at a time: requests that arrive while a fetch from the same client is parked wait behind it,
// so a client's answers leave in the order it asked.
import { enqueueActions, setup } from 'xstate';
import type { Message } from '../../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../../src/kernel/NodeHost.ts';
import type { KafkaErrorType } from '../../../src/protocol/errors.ts';
import {
  type ApiVersionsRequest,
  topicPartitionKey,
  type FetchPartition,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  type KafkaMessage,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type OffsetsForLeaderEpochRequest,
  type OffsetsForLeaderEpochResponse,
  type MetadataRequest,
  type MetadataResponse,
  type RecordBatch,
} from '../../../src/protocol/messages.ts';
import { batchSizeBytes } from '../../../src/protocol/recordSize.ts';
import { assignEpoch, endOffsetFor, type LeaderEpochCache } from '../../../actors/broker/leaderEpochCache.ts';

/** One partition as this broker sees it. */
export interface FakePartition {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  logStartOffset: number;
  highWatermark: number;
  batches: RecordBatch[];
}

/** The fake broker's config. */
export interface FakeBrokerInput extends NodeInput {
  brokerId: number;
  brokers: number[];
  partitions: FakePartition[];
}

/** Replaces (or adds) one partition of the broker's table: a leader change, a truncation, a new high watermark. */
export interface FakeSetPartition {
  type: 'fake.setPartition';
  state: FakePartition;
}

type FakeEvent =
  | (ApiVersionsRequest & { from: string })
  | (MetadataRequest & { from: string })
  | (FetchRequest & { from: string })
  | (ListOffsetsRequest & { from: string })
  | (OffsetsForLeaderEpochRequest & { from: string })
  | (FakeSetPartition & { from: string })
  | { type: 'fake.fetchExpired'; id: number };

interface FakeContext {
  brokerId: number;
  brokers: number[];
  partitions: Record<string, FakePartition>;
  /** Fetches waiting for data, by a counter id. */
  parked: Record<number, FetchRequest & { from: string }>;
  nextParkedId: number;
  /** Requests waiting behind a client's parked fetch (its connection muted), by client. */
  waiting: Record<string, ClientRequest[]>;
}

type ClientRequest = Exclude<FakeEvent, { type: 'fake.fetchExpired' } | { type: 'fake.setPartition' }>;

/** What serving requests does: the context after, replies, and parked fetches' expiry timers. */
interface Served {
  context: FakeContext;
  emitted: HostEmitted[];
  timers: Array<{ id: number; delayMs: number }>;
}

/** The next offset after the partition's last batch (its log end offset). */
export function logEndOffset(p: FakePartition): number {
  const last = p.batches.at(-1);
  return last === undefined ? p.logStartOffset : last.baseOffset + last.records.length;
}

/** Batches of `size` records with values `${prefix}${offset}`, from `fromOffset` to `toOffset` (exclusive). */
export function batchesOf(prefix: string, fromOffset: number, toOffset: number, size: number, leaderEpoch = 0): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (let base = fromOffset; base < toOffset; base += size) {
    const records = [];
    for (let o = base; o < Math.min(base + size, toOffset); o++) records.push({ key: null, value: `${prefix}${o}` });
    batches.push({ baseOffset: base, leaderEpoch, producerId: -1, producerEpoch: -1, baseSequence: -1, sizeInBytes: batchSizeBytes(records), records });
  }
  return batches;
}

function reply(to: string, message: KafkaMessage): HostEmitted {
  return { type: 'send', to, message: message as KafkaMessage & Message };
}

// The errors shared by fetch and ListOffsets, in the broker's order; undefined when the request may proceed.
function leaderError(context: FakeContext, p: FakePartition | undefined, currentLeaderEpoch: number): KafkaErrorType | undefined {
  if (p === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION';
  if (p.leader !== context.brokerId) return 'NOT_LEADER_OR_FOLLOWER';
  if (currentLeaderEpoch !== -1 && currentLeaderEpoch < p.leaderEpoch) return 'FENCED_LEADER_EPOCH';
  if (currentLeaderEpoch > p.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
  return undefined;
}

function answerPartition(context: FakeContext, request: FetchRequest, fetch: FetchPartition): FetchPartitionResponse {
  const p = context.partitions[topicPartitionKey(fetch.topic, fetch.partition)];
  const base = { topic: fetch.topic, partition: fetch.partition };
  const failed = (errorCode: KafkaErrorType): FetchPartitionResponse => ({ ...base, errorCode, highWatermark: -1, logStartOffset: -1, batches: [] });
  const error = leaderError(context, p, fetch.currentLeaderEpoch);
  if (error !== undefined || p === undefined) return failed(error ?? 'UNKNOWN_TOPIC_OR_PARTITION');
  if (fetch.fetchOffset < p.logStartOffset || fetch.fetchOffset > logEndOffset(p)) return failed('OFFSET_OUT_OF_RANGE');
  // FetchIsolation: consumers read below the high watermark, followers to the log end.
  const maxOffset = request.replicaId >= 0 ? logEndOffset(p) : p.highWatermark;
  const batches: RecordBatch[] = [];
  let bytes = 0;
  for (const batch of p.batches) {
    const end = batch.baseOffset + batch.records.length;
    if (end <= fetch.fetchOffset) continue;
    if (end > maxOffset || (batches.length > 0 && bytes + batch.sizeInBytes > fetch.partitionMaxBytes)) break;
    batches.push(batch);
    bytes += batch.sizeInBytes;
  }
  return { ...base, highWatermark: p.highWatermark, logStartOffset: p.logStartOffset, batches };
}

function answerFetch(context: FakeContext, request: FetchRequest): FetchResponse {
  return { type: 'fetch.response', correlationId: request.correlationId, partitions: request.partitions.map((fetch) => answerPartition(context, request, fetch)) };
}

// Whether the answer must go now: it has data or an error, or the request does not wait.
function mustAnswer(response: FetchResponse, request: FetchRequest): boolean {
  return request.maxWaitMs <= 0 || response.partitions.some((p) => p.errorCode !== undefined || p.batches.length > 0);
}

function answerListOffsets(context: FakeContext, request: ListOffsetsRequest): ListOffsetsResponse {
  const p = context.partitions[topicPartitionKey(request.topic, request.partition)];
  const base = { type: 'listOffsets.response' as const, correlationId: request.correlationId, topic: request.topic, partition: request.partition };
  const error = leaderError(context, p, request.currentLeaderEpoch);
  if (error !== undefined || p === undefined) return { ...base, errorCode: error ?? 'UNKNOWN_TOPIC_OR_PARTITION', offset: -1 };
  return { ...base, offset: request.timestamp === -2 ? p.logStartOffset : p.highWatermark };
}

function answerOffsetsForLeaderEpoch(context: FakeContext, request: OffsetsForLeaderEpochRequest): OffsetsForLeaderEpochResponse {
  const partitions = request.partitions.map((asked) => {
    const p = context.partitions[topicPartitionKey(asked.topic, asked.partition)];
    const base = { topic: asked.topic, partition: asked.partition };
    const error = leaderError(context, p, asked.currentLeaderEpoch);
    if (error !== undefined || p === undefined) return { ...base, errorCode: error ?? 'UNKNOWN_TOPIC_OR_PARTITION', leaderEpoch: -1, endOffset: -1 };
    let cache: LeaderEpochCache = [];
    for (const batch of p.batches) cache = assignEpoch(cache, batch.leaderEpoch, batch.baseOffset);
    cache = assignEpoch(cache, p.leaderEpoch, logEndOffset(p));
    const end = endOffsetFor(cache, asked.leaderEpoch, logEndOffset(p));
    return end.endOffset < 0 ? { ...base, leaderEpoch: -1, endOffset: -1 } : { ...base, leaderEpoch: end.epoch, endOffset: end.endOffset };
  });
  return { type: 'offsetsForLeaderEpoch.response', correlationId: request.correlationId, partitions };
}

function answerMetadata(context: FakeContext, request: MetadataRequest): MetadataResponse {
  const known = Object.values(context.partitions);
  const topicErrors: Record<string, KafkaErrorType> = {};
  for (const topic of request.topics) if (!known.some((p) => p.topic === topic)) topicErrors[topic] = 'UNKNOWN_TOPIC_OR_PARTITION';
  const partitions = known
    .filter((p) => request.topics.includes(p.topic))
    .map((p) => ({
      topic: p.topic,
      partition: p.partition,
      replicas: context.brokers,
      isr: context.brokers,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      partitionEpoch: p.leaderEpoch,
    }));
  return { type: 'metadata.response', correlationId: request.correlationId, brokers: context.brokers, partitions, topicErrors };
}

// Serves one request now, or queues it behind the client's parked fetch.
function serve(served: Served, request: ClientRequest): Served {
  const { context } = served;
  if (Object.values(context.parked).some((parked) => parked.from === request.from)) {
    return { ...served, context: { ...context, waiting: { ...context.waiting, [request.from]: [...(context.waiting[request.from] ?? []), request] } } };
  }
  const answer = (message: KafkaMessage): Served => ({ ...served, emitted: [...served.emitted, reply(request.from, message)] });
  switch (request.type) {
    case 'apiVersions.request':
      return answer({ type: 'apiVersions.response', correlationId: request.correlationId });
    case 'metadata.request':
      return answer(answerMetadata(context, request));
    case 'listOffsets.request':
      return answer(answerListOffsets(context, request));
    case 'offsetsForLeaderEpoch.request':
      return answer(answerOffsetsForLeaderEpoch(context, request));
    case 'fetch.request': {
      const response = answerFetch(context, request);
      if (mustAnswer(response, request)) return answer(response);
      const id = context.nextParkedId;
      return { ...served, context: { ...context, parked: { ...context.parked, [id]: request }, nextParkedId: id + 1 }, timers: [...served.timers, { id, delayMs: request.maxWaitMs }] };
    }
  }
}

// A parked fetch is answered: its client's connection is unmuted and what waited behind it is served, in order.
function unpark(served: Served, id: number, response: FetchResponse): Served {
  const request = served.context.parked[id] as FetchRequest & { from: string };
  const parked = { ...served.context.parked };
  delete parked[id];
  const waiting = { ...served.context.waiting };
  const queued = waiting[request.from] ?? [];
  delete waiting[request.from];
  let next: Served = { ...served, context: { ...served.context, parked, waiting }, emitted: [...served.emitted, reply(request.from, response)] };
  for (const waiter of queued) next = serve(next, waiter);
  return next;
}

function carryOut(enqueue: { assign(context: FakeContext): void; emit(event: HostEmitted): void; raise(event: FakeEvent, options: { id: string; delay: number }): void }, served: Served): void {
  enqueue.assign(served.context);
  for (const emitted of served.emitted) enqueue.emit(emitted);
  for (const { id, delayMs } of served.timers) enqueue.raise({ type: 'fake.fetchExpired', id }, { id: `fake.fetch:${id}`, delay: delayMs });
}

const onRequest = enqueueActions<FakeContext, FakeEvent, undefined, FakeEvent, never, never, never, never, HostEmitted>(({ context, event, enqueue }) =>
  carryOut(enqueue, serve({ context, emitted: [], timers: [] }, event as ClientRequest)),
);

/** The fake broker machine; see the file header. */
export const fakeBrokerMachine = setup({
  types: {
    input: {} as FakeBrokerInput,
    context: {} as FakeContext,
    events: {} as FakeEvent,
    emitted: {} as HostEmitted,
  },
}).createMachine({
  id: 'fakeBroker',
  context: ({ input }) => ({
    brokerId: input.brokerId,
    brokers: input.brokers,
    partitions: Object.fromEntries(input.partitions.map((p) => [topicPartitionKey(p.topic, p.partition), p])),
    parked: {},
    nextParkedId: 0,
    waiting: {},
  }),
  on: {
    'apiVersions.request': { actions: onRequest },
    'metadata.request': { actions: onRequest },
    'fetch.request': { actions: onRequest },
    'listOffsets.request': { actions: onRequest },
    'offsetsForLeaderEpoch.request': { actions: onRequest },
    'fake.fetchExpired': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const request = context.parked[event.id];
        if (request === undefined) return;
        carryOut(enqueue, unpark({ context, emitted: [], timers: [] }, event.id, answerFetch(context, request)));
      }),
    },
    'fake.setPartition': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const partitions = { ...context.partitions, [topicPartitionKey(event.state.topic, event.state.partition)]: event.state };
        // The change may give a parked fetch what it waits for.
        let served: Served = { context: { ...context, partitions }, emitted: [], timers: [] };
        for (const [id, request] of Object.entries(context.parked)) {
          if (served.context.parked[Number(id)] === undefined) continue;
          const response = answerFetch(served.context, request);
          if (!mustAnswer(response, request)) continue;
          enqueue.cancel(`fake.fetch:${id}`);
          served = unpark(served, Number(id), response);
        }
        carryOut(enqueue, served);
      }),
    },
  },
});
