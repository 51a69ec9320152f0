// A test-only broker for the reader's tests: it answers metadata, fetch and ListOffsets from a partition table
// the test gives it (and changes with `fake.setPartition` from 'world'), with the broker's checks in Kafka's
// order (ReplicaManager#fetchMessages, Partition#fetchRecords, LocalLog#read): unknown partition, not the
// leader, leader epoch fencing (KIP-320), offset out of range; then batches from the fetch offset up to the high
// watermark for consumers (replicaId -1) and up to the log end for followers. No replication, no long poll.
import { assign, emit, setup } from 'xstate';
import type { Message } from '../../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../../src/kernel/NodeHost.ts';
import type { KafkaErrorType } from '../../../src/protocol/errors.ts';
import {
  topicPartitionKey,
  type FetchRequest,
  type FetchResponse,
  type KafkaMessage,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type MetadataRequest,
  type MetadataResponse,
  type RecordBatch,
} from '../../../src/protocol/messages.ts';

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
  | (FakeSetPartition & { from: string });

interface FakeContext {
  brokerId: number;
  brokers: number[];
  partitions: Record<string, FakePartition>;
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
    batches.push({ baseOffset: base, leaderEpoch, producerId: -1, producerEpoch: -1, baseSequence: -1, records });
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

function answerFetch(context: FakeContext, request: FetchRequest): FetchResponse {
  const p = context.partitions[topicPartitionKey(request.topic, request.partition)];
  const base = { type: 'fetch.response' as const, correlationId: request.correlationId, topic: request.topic, partition: request.partition };
  const failed = (errorCode: KafkaErrorType): FetchResponse => ({ ...base, errorCode, highWatermark: -1, logStartOffset: -1, batches: [] });
  const error = leaderError(context, p, request.currentLeaderEpoch);
  if (error !== undefined || p === undefined) return failed(error ?? 'UNKNOWN_TOPIC_OR_PARTITION');
  if (request.fetchOffset < p.logStartOffset || request.fetchOffset > logEndOffset(p)) return failed('OFFSET_OUT_OF_RANGE');
  // FetchIsolation: consumers read below the high watermark, followers to the log end.
  const maxOffset = request.replicaId >= 0 ? logEndOffset(p) : p.highWatermark;
  const batches: RecordBatch[] = [];
  let count = 0;
  for (const batch of p.batches) {
    const end = batch.baseOffset + batch.records.length;
    if (end <= request.fetchOffset) continue;
    if (end > maxOffset || count >= request.maxRecords) break;
    batches.push(batch);
    count += batch.records.length;
  }
  return { ...base, highWatermark: p.highWatermark, logStartOffset: p.logStartOffset, batches };
}

function answerListOffsets(context: FakeContext, request: ListOffsetsRequest): ListOffsetsResponse {
  const p = context.partitions[topicPartitionKey(request.topic, request.partition)];
  const base = { type: 'listOffsets.response' as const, correlationId: request.correlationId, topic: request.topic, partition: request.partition };
  const error = leaderError(context, p, request.currentLeaderEpoch);
  if (error !== undefined || p === undefined) return { ...base, errorCode: error ?? 'UNKNOWN_TOPIC_OR_PARTITION', offset: -1 };
  return { ...base, offset: request.timestamp === -2 ? p.logStartOffset : p.highWatermark };
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
  }),
  on: {
    'metadata.request': { actions: emit(({ context, event }) => reply(event.from, answerMetadata(context, event))) },
    'fetch.request': { actions: emit(({ context, event }) => reply(event.from, answerFetch(context, event))) },
    'listOffsets.request': { actions: emit(({ context, event }) => reply(event.from, answerListOffsets(context, event))) },
    'fake.setPartition': {
      actions: assign({
        partitions: ({ context, event }) => ({
          ...context.partitions,
          [topicPartitionKey(event.state.topic, event.state.partition)]: event.state,
        }),
      }),
    },
  },
});
