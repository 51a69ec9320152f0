import { assign, emit, enqueueActions, setup } from 'xstate';
import type { HostEmitted, NodeInput } from '../../../src/kernel/NodeHost.ts';
import type { KafkaErrorType } from '../../../src/protocol/errors.ts';
import type {
  ApiVersionsRequest,
  InitProducerIdRequest,
  KafkaMessage,
  MetadataRequest,
  PartitionState,
  ProducePartitionData,
  ProducePartitionResponse,
  ProduceRequest,
  WireRecord,
} from '../../../src/protocol/messages.ts';

// A test-only broker for the producer's tests: one node that answers Metadata, InitProducerId and Produce (every
// partition of a request, answered together) from a scripted view of the cluster, keeps a plain log per partition, and misbehaves on cue. Not Kafka's broker: no
// replication, no ISR; the idempotence check is the simplest that shows the producer's side (a batch whose
// producer id, epoch and base sequence match one already appended gets that batch's offsets back).

/** How the broker misbehaves on Produce. */
export interface FakeBrokerFaults {
  /** Answer the first `count` Produce requests with `error`, appending nothing. */
  readonly errorFirst?: { readonly error: KafkaErrorType; readonly count: number };
  /** Append the first `count` Produce requests but send no response (a lost response). */
  readonly dropFirstResponses?: number;
  /** Never answer a Produce request, nor append it. */
  readonly neverAnswer?: boolean;
}

/** The fake broker's config. */
export interface FakeBrokerInput extends NodeInput {
  readonly brokerId: number;
  /** The live brokers metadata reports. */
  readonly brokers: readonly number[];
  /** Topic name -> partition count. */
  readonly topics: Readonly<Record<string, number>>;
  /** Who leads every partition, from `fromMs` on (the entry's index is the leader epoch); default: this broker. */
  readonly leadership?: ReadonlyArray<{ readonly fromMs: number; readonly leader: number }>;
  readonly faults?: FakeBrokerFaults;
}

/** A record at its offset in the fake broker's log. */
export interface AppendedRecord extends WireRecord {
  readonly offset: number;
}

interface AppendedBatch {
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: number;
}

interface FakeBrokerContext {
  readonly input: FakeBrokerInput;
  readonly logs: Readonly<Record<string, readonly AppendedRecord[]>>;
  /** `${producerId} ${topic}-${partition}` -> the batches appended for that producer. */
  readonly producerBatches: Readonly<Record<string, readonly AppendedBatch[]>>;
  readonly errorsLeft: number;
  readonly dropsLeft: number;
  readonly producerIdsIssued: number;
}

type Request = (ApiVersionsRequest | MetadataRequest | InitProducerIdRequest | ProduceRequest) & { from: string };

/** The fake broker. */
export const fakeBrokerMachine = setup({
  types: {
    input: {} as FakeBrokerInput,
    context: {} as FakeBrokerContext,
    events: {} as Request,
    emitted: {} as HostEmitted,
  },
}).createMachine({
  id: 'fakeBroker',
  context: ({ input }) => ({
    input,
    logs: {},
    producerBatches: {},
    errorsLeft: input.faults?.errorFirst?.count ?? 0,
    dropsLeft: input.faults?.dropFirstResponses ?? 0,
    producerIdsIssued: 0,
  }),
  on: {
    'apiVersions.request': {
      actions: emit(({ event }) => reply(event.from, { type: 'apiVersions.response', correlationId: event.correlationId })),
    },
    'metadata.request': {
      actions: emit(({ context, event }) => reply(event.from, metadataResponse(context, event))),
    },
    'initProducerId.request': {
      actions: [
        emit(({ context, event }) =>
          reply(event.from, {
            type: 'initProducerId.response',
            correlationId: event.correlationId,
            producerId: 1000 * context.input.brokerId + context.producerIdsIssued,
            producerEpoch: 0,
          }),
        ),
        assign({ producerIdsIssued: ({ context }) => context.producerIdsIssued + 1 }),
      ],
    },
    'produce.request': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const { context: next, response } = produce(context, event);
        enqueue.assign(() => next);
        if (response !== undefined) enqueue.emit(reply(event.from, response));
      }),
    },
  },
});

/** The records broker `brokerId`'s fake holds for a partition, from a World snapshot's context. */
export function fakeBrokerLog(context: unknown, topic: string, partition: number): readonly AppendedRecord[] {
  return (context as FakeBrokerContext).logs[`${topic}-${partition}`] ?? [];
}

function reply(to: string, message: KafkaMessage): HostEmitted {
  return { type: 'send', to, message: { ...message } };
}

function leadershipNow(context: FakeBrokerContext): { leader: number; leaderEpoch: number } {
  const schedule = context.input.leadership ?? [{ fromMs: 0, leader: context.input.brokerId }];
  const nowMs = context.input.now();
  let index = 0;
  schedule.forEach((entry, i) => {
    if (entry.fromMs <= nowMs) index = i;
  });
  return { leader: schedule[index]?.leader ?? -1, leaderEpoch: index };
}

function metadataResponse(context: FakeBrokerContext, request: MetadataRequest): KafkaMessage {
  const { leader, leaderEpoch } = leadershipNow(context);
  const partitions: PartitionState[] = [];
  const topicErrors: Record<string, KafkaErrorType> = {};
  for (const topic of request.topics) {
    const count = context.input.topics[topic];
    if (count === undefined) {
      topicErrors[topic] = 'UNKNOWN_TOPIC_OR_PARTITION';
      continue;
    }
    for (let partition = 0; partition < count; partition++) {
      partitions.push({ topic, partition, replicas: [leader], isr: [leader], leader, leaderEpoch, partitionEpoch: leaderEpoch });
    }
  }
  return { type: 'metadata.response', correlationId: request.correlationId, brokers: [...context.input.brokers], partitions, topicErrors };
}

function produce(context: FakeBrokerContext, request: ProduceRequest): { context: FakeBrokerContext; response?: KafkaMessage } {
  const answer = (partitions: ProducePartitionResponse[]): KafkaMessage => ({ type: 'produce.response', correlationId: request.correlationId, partitions });
  const allFail = (errorCode: KafkaErrorType | undefined) =>
    answer(request.partitions.map(({ topic, partition }) => ({ topic, partition, baseOffset: -1, ...(errorCode === undefined ? {} : { errorCode }) })));
  if (leadershipNow(context).leader !== context.input.brokerId) return { context, response: allFail('NOT_LEADER_OR_FOLLOWER') };
  if (context.errorsLeft > 0) {
    return { context: { ...context, errorsLeft: context.errorsLeft - 1 }, response: allFail(context.input.faults?.errorFirst?.error) };
  }
  if (context.input.faults?.neverAnswer === true) return { context };
  let next = context;
  const results: ProducePartitionResponse[] = [];
  for (const data of request.partitions) {
    const appended = appendPartition(next, data);
    next = appended.context;
    results.push(appended.result);
  }
  if (request.acks === 0) return { context: next };
  if (context.dropsLeft > 0) return { context: { ...next, dropsLeft: context.dropsLeft - 1 } };
  return { context: next, response: answer(results) };
}

function appendPartition(context: FakeBrokerContext, data: ProducePartitionData): { context: FakeBrokerContext; result: ProducePartitionResponse } {
  const { topic, partition, batch } = data;
  const key = `${topic}-${partition}`;
  const { producerId, producerEpoch, baseSequence } = batch;
  const producerKey = `${producerId} ${key}`;
  const appended = context.producerBatches[producerKey] ?? [];
  if (producerId >= 0) {
    const duplicate = appended.find((b) => b.producerEpoch === producerEpoch && b.baseSequence === baseSequence);
    if (duplicate !== undefined) return { context, result: { topic, partition, baseOffset: duplicate.baseOffset } };
    const last = appended.at(-1);
    const expected = last === undefined || last.producerEpoch !== producerEpoch ? 0 : last.lastSequence + 1;
    if (last !== undefined && baseSequence !== expected) return { context, result: { topic, partition, baseOffset: -1, errorCode: 'OUT_OF_ORDER_SEQUENCE_NUMBER' } };
  }
  const log = context.logs[key] ?? [];
  const baseOffset = log.length;
  const records = batch.records.map((record, i) => ({ ...record, offset: baseOffset + i }));
  // Like ProducerStateEntry, remember the last 5 batches of each producer on each partition.
  const entry = { producerEpoch, baseSequence, lastSequence: baseSequence + records.length - 1, baseOffset };
  const next: FakeBrokerContext = {
    ...context,
    logs: { ...context.logs, [key]: [...log, ...records] },
    producerBatches: producerId >= 0 ? { ...context.producerBatches, [producerKey]: [...appended, entry].slice(-5) } : context.producerBatches,
  };
  return { context: next, result: { topic, partition, baseOffset } };
}
