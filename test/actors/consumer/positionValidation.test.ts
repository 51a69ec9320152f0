import { describe, expect, it } from 'vitest';
import { bootState } from '../../../actors/consumer/consumerMachine.ts';
import {
  continuePoll,
  onFetchAnswer,
  onMetadataResponse,
  onMetadataTick,
  onOffsetsForLeaderEpochAnswer,
  onRecordProcessed,
  poll,
  requestMetadata,
} from '../../../actors/consumer/groupConsumer.ts';
import type { ConsumerEffect, ConsumerState } from '../../../actors/consumer/ConsumerState.ts';
import type { AutoOffsetReset } from '../../../actors/consumer/consumerDefaults.ts';
import { Rng } from '../../../src/kernel/Rng.ts';
import { requestOf } from '../../../actors/client/networkClient.ts';
import type { FetchRequest, KafkaMessage, OffsetForLeaderPartitionResult, RecordBatch } from '../../../src/protocol/messages.ts';

// The group consumer's position validation after a leader change (KIP-320), driven through its rules: it reads
// events-0 offsets 0-7 (epoch 0) from broker 1, then metadata names broker 2 as leader in epoch 1.
const START_MS = 1_000;

function consumer(autoOffsetReset: AutoOffsetReset): ConsumerState {
  const input = { nodeId: 'consumer-1', disk: undefined, rng: new Rng(1), now: () => START_MS, bootstrapBrokers: [1, 2], groupId: 'g', topics: ['events'], settings: { autoOffsetReset } };
  const base = bootState(input as Parameters<typeof bootState>[0]);
  return {
    ...base,
    status: 'subscribed',
    membership: { ...base.membership, state: 'STABLE', memberId: 'consumer-1-0', generationId: 1, rejoinNeeded: false },
    metadata: { ...base.metadata, brokers: [1, 2, 3], leaders: { 'events-0': { leader: 1, leaderEpoch: 0 } } },
    offsets: { ...base.offsets, positions: { 'events-0': 0 }, processed: { 'events-0': 0 }, committed: { 'events-0': 0 }, nextAutoCommitMs: Infinity },
    coordinator: 3,
    owned: { partitions: ['events-0'], memberId: 'consumer-1-0', generationId: 1 },
    // Connected to every broker already (each connection's ApiVersions handshake done).
    network: { ...base.network, connections: { 1: 'ready', 2: 'ready', 3: 'ready' } },
  };
}

function sentMessages<T extends KafkaMessage['type']>(out: readonly ConsumerEffect[], type: T): Array<{ to: string; message: Extract<KafkaMessage, { type: T }> }> {
  return out.flatMap((e) => (e.kind === 'send' && e.message.type === type ? [{ to: e.to, message: e.message as Extract<KafkaMessage, { type: T }> }] : []));
}

function epoch0Batch(): RecordBatch {
  const records = Array.from({ length: 8 }, (_, i) => ({ key: null, value: `v${i}` }));
  return { baseOffset: 0, leaderEpoch: 0, producerId: -1, producerEpoch: -1, baseSequence: -1, sizeInBytes: 600, records };
}

/** The consumer polled and processed offsets 0-7 of epoch 0; then metadata names broker 2, epoch 1; a poll is open. */
function afterLeaderChange(autoOffsetReset: AutoOffsetReset): { state: ConsumerState; out: ConsumerEffect[]; nowMs: number } {
  let nowMs = START_MS;
  const out: ConsumerEffect[] = [];
  let state = poll(consumer(autoOffsetReset), nowMs, out);
  const [fetch] = sentMessages(out, 'fetch.request');
  if (fetch === undefined) throw new Error('no fetch went out');
  const answer = { topic: 'events', partition: 0, highWatermark: 8, logStartOffset: 0, batches: [epoch0Batch()] };
  state = onFetchAnswer(state, { type: 'fetch.response', correlationId: fetch.message.correlationId, partitions: [answer], from: fetch.to }, nowMs, out);
  while (state.processing.current !== null) {
    nowMs = state.processing.current.doneAtMs;
    state = onRecordProcessed(state, nowMs, out);
  }
  expect(state.offsets.positions).toEqual({ 'events-0': 8 });
  state = requestMetadata(state, nowMs, out);
  const partition = { topic: 'events', partition: 0, leader: 2, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2], isr: [2] };
  const metadataTo = `broker-${requestOf(state.network, state.metadataInFlight as number)?.node}`;
  const response = { type: 'metadata.response' as const, correlationId: state.metadataInFlight as number, brokers: [1, 2, 3], partitions: [partition], topicErrors: {}, from: metadataTo };
  state = onMetadataResponse(state, response, nowMs, out);
  const turn: ConsumerEffect[] = [];
  state = poll(state, nowMs, turn);
  return { state, out: turn, nowMs };
}

function answerValidation(state: ConsumerState, out: readonly ConsumerEffect[], result: Partial<OffsetForLeaderPartitionResult>, nowMs: number) {
  const [request] = sentMessages(out, 'offsetsForLeaderEpoch.request');
  if (request === undefined) throw new Error('no OffsetsForLeaderEpoch went out');
  const partitions = [{ topic: 'events', partition: 0, leaderEpoch: 0, endOffset: 8, ...result }];
  const effects: ConsumerEffect[] = [];
  const next = onOffsetsForLeaderEpochAnswer(state, { type: 'offsetsForLeaderEpoch.response', correlationId: request.message.correlationId, partitions, from: request.to }, nowMs + 5, effects);
  return { state: next, out: effects };
}

const fetchesOf = (out: readonly ConsumerEffect[]): Array<{ to: string; message: FetchRequest }> => sentMessages(out, 'fetch.request');
const notesOf = (out: readonly ConsumerEffect[]) => out.flatMap((e) => (e.kind === 'note' ? [e.data as Record<string, unknown>] : []));

describe('group consumer: position validation after a leader change (KIP-320)', () => {
  it('stops fetching the partition and asks the new leader where the epoch of its last record ends', () => {
    const { out } = afterLeaderChange('earliest');
    expect(sentMessages(out, 'offsetsForLeaderEpoch.request')).toEqual([
      {
        to: 'broker-2',
        message: { type: 'offsetsForLeaderEpoch.request', correlationId: expect.any(Number), replicaId: -1, partitions: [{ topic: 'events', partition: 0, leaderEpoch: 0, currentLeaderEpoch: 1 }] },
      },
    ]);
    expect(fetchesOf(out)).toEqual([]);
  });

  it('keeps its position and fetches from the new leader when the epoch ends at or past it', () => {
    const { state, out, nowMs } = afterLeaderChange('earliest');
    const answered = answerValidation(state, out, { endOffset: 8 }, nowMs);
    expect(answered.state.offsets.positions).toEqual({ 'events-0': 8 });
    expect(fetchesOf(answered.out).map((f) => [f.to, f.message.partitions[0]?.fetchOffset, f.message.partitions[0]?.currentLeaderEpoch])).toEqual([['broker-2', 8, 1]]);
  });

  for (const reset of ['earliest', 'latest'] as const) {
    it(`auto.offset.reset=${reset}: a log truncated below its position moves it back to the divergent offset (Kafka 3.9), not to the log start or the high watermark`, () => {
      const { state, out, nowMs } = afterLeaderChange(reset);
      const answered = answerValidation(state, out, { leaderEpoch: 0, endOffset: 5 }, nowMs);
      expect(answered.state.offsets.positions).toEqual({ 'events-0': 5 });
      // The records past 5 are gone from the log: a commit now stores 5, as Kafka commits its position.
      expect(answered.state.offsets.processed).toEqual({ 'events-0': 5 });
      expect(notesOf(answered.out)).toContainEqual({
        logTruncation: { partition: 'events-0', fetchOffset: 8, offsetEpoch: 0, divergentOffset: 5, divergentEpoch: 0, resolution: 'seek' },
      });
      expect(sentMessages(answered.out, 'listOffsets.request')).toEqual([]);
      expect(fetchesOf(answered.out).map((f) => [f.to, f.message.partitions[0]?.fetchOffset])).toEqual([['broker-2', 5]]);
      expect(answered.state.status).toBe('subscribed');
    });
  }

  it('auto.offset.reset=none: a truncated log fails the consumer (poll() throws LogTruncationException)', () => {
    const { state, out, nowMs } = afterLeaderChange('none');
    const answered = answerValidation(state, out, { leaderEpoch: 0, endOffset: 5 }, nowMs);
    expect(answered.state.status).toBe('failed');
    const notes = notesOf(answered.out);
    expect(notes).toContainEqual({ logTruncation: { partition: 'events-0', fetchOffset: 8, offsetEpoch: 0, divergentOffset: 5, divergentEpoch: 0, resolution: 'fatal' } });
    expect(notes).toContainEqual(expect.objectContaining({ group: 'failed', errorCode: 'OFFSET_OUT_OF_RANGE' }));
    expect(fetchesOf(answered.out)).toEqual([]);
  });

  it('an epoch the leader cannot place resets the position as auto.offset.reset says', () => {
    const { state, out, nowMs } = afterLeaderChange('latest');
    const answered = answerValidation(state, out, { leaderEpoch: -1, endOffset: -1 }, nowMs);
    expect(sentMessages(answered.out, 'listOffsets.request').map((r) => [r.to, r.message.timestamp, r.message.currentLeaderEpoch])).toEqual([['broker-2', -1, 1]]);
    expect(fetchesOf(answered.out)).toEqual([]);
  });

  it('a validation answered with FENCED_LEADER_EPOCH asks for metadata and goes again after retry.backoff.ms', () => {
    const { state, out, nowMs } = afterLeaderChange('earliest');
    const answered = answerValidation(state, out, { errorCode: 'FENCED_LEADER_EPOCH', leaderEpoch: -1, endOffset: -1 }, nowMs);
    // Metadata was answered 5 ms ago: the next request waits for retry.backoff.ms since then (`Metadata#timeToAllowUpdate`).
    expect(sentMessages(answered.out, 'metadata.request')).toEqual([]);
    expect(answered.out).toContainEqual({ kind: 'timer', id: 'consumer.metadata', delayMs: answered.state.client.retryBackoffMs - 5, event: { type: 'consumer.metadata' } });
    const tick: ConsumerEffect[] = [];
    onMetadataTick(answered.state, nowMs + answered.state.client.retryBackoffMs, tick);
    expect(sentMessages(tick, 'metadata.request').length).toBe(1);
    expect(sentMessages(answered.out, 'offsetsForLeaderEpoch.request')).toEqual([]);
    const later: ConsumerEffect[] = [];
    continuePoll(answered.state, nowMs + 5 + answered.state.client.retryBackoffMs, later);
    expect(sentMessages(later, 'offsetsForLeaderEpoch.request').length).toBe(1);
  });
});
