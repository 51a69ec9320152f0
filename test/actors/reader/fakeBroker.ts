// A test-only broker for the reader's tests: it answers metadata, fetch and ListOffsets from a partition table
// the test gives it (and changes with `fake.setPartition` from 'world'), with the broker's checks in Kafka's
// order (ReplicaManager#fetchMessages, Partition#fetchRecords, LocalLog#read): unknown partition, not the
// leader, leader epoch fencing (KIP-320), offset out of range; then batches from the fetch offset up to the high
// watermark for consumers (replicaId -1) and up to the log end for followers. No replication. A fetch that finds
// nothing waits up to its maxWaitMs (a long poll, as DelayedFetch) and is answered early when the table changes.
// OffsetsForLeaderEpoch is answered from a leader epoch cache built from the batches' epochs, with the leader's
// own epoch starting at its log end (as a new leader's cache does).
import { enqueueActions, setup } from 'xstate';
import type { Message } from '../../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../../src/kernel/NodeHost.ts';
import type { KafkaErrorType } from '../../../src/protocol/errors.ts';
import {
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
  }),
  on: {
    'metadata.request': { actions: enqueueActions(({ context, event, enqueue }) => enqueue.emit(reply(event.from, answerMetadata(context, event)))) },
    'fetch.request': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const response = answerFetch(context, event);
        if (mustAnswer(response, event)) {
          enqueue.emit(reply(event.from, response));
          return;
        }
        const id = context.nextParkedId;
        enqueue.assign({ parked: { ...context.parked, [id]: event }, nextParkedId: id + 1 });
        enqueue.raise({ type: 'fake.fetchExpired', id }, { id: `fake.fetch:${id}`, delay: event.maxWaitMs });
      }),
    },
    'fake.fetchExpired': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const request = context.parked[event.id];
        if (request === undefined) return;
        const parked = { ...context.parked };
        delete parked[event.id];
        enqueue.assign({ parked });
        enqueue.emit(reply(request.from, answerFetch(context, request)));
      }),
    },
    'listOffsets.request': { actions: enqueueActions(({ context, event, enqueue }) => enqueue.emit(reply(event.from, answerListOffsets(context, event)))) },
    'offsetsForLeaderEpoch.request': {
      actions: enqueueActions(({ context, event, enqueue }) => enqueue.emit(reply(event.from, answerOffsetsForLeaderEpoch(context, event)))),
    },
    'fake.setPartition': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const partitions = { ...context.partitions, [topicPartitionKey(event.state.topic, event.state.partition)]: event.state };
        const next = { ...context, partitions };
        // The change may give a parked fetch what it waits for.
        const parked = { ...context.parked };
        for (const [id, request] of Object.entries(context.parked)) {
          const response = answerFetch(next, request);
          if (!mustAnswer(response, request)) continue;
          delete parked[Number(id)];
          enqueue.cancel(`fake.fetch:${id}`);
          enqueue.emit(reply(request.from, response));
        }
        enqueue.assign({ partitions, parked });
      }),
    },
  },
});
