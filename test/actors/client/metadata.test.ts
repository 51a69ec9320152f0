import { describe, expect, it } from 'vitest';
import {
  addTopic,
  emptyMetadata,
  isCurrentLeader,
  knownLeader,
  leaderOf,
  metadataRequestFailed,
  nextMetadataRequest,
  nextMetadataUpdateMs,
  requestMetadataUpdate,
  updateMetadata,
  type Metadata,
} from '../../../actors/client/metadata.ts';
import { connectionLost } from '../../../actors/client/reconnectBackoff.ts';
import { createNetworkClient } from '../../../actors/client/networkClient.ts';
import type { MetadataResponse, PartitionState } from '../../../src/protocol/messages.ts';

const config = { metadataMaxAgeMs: 300_000, retryBackoffMs: 100, retryBackoffMaxMs: 1_000 };

const state = (partition: number, leader: number, leaderEpoch: number): PartitionState => ({
  topic: 't',
  partition,
  replicas: [1, 2],
  isr: [1, 2],
  leader,
  leaderEpoch,
  partitionEpoch: leaderEpoch,
});

const response = (partitions: PartitionState[], topicErrors: MetadataResponse['topicErrors'] = {}): MetadataResponse => ({
  type: 'metadata.response',
  correlationId: 1,
  brokers: [3, 1, 2],
  partitions,
  topicErrors,
});

describe('client metadata: the cache', () => {
  it('takes leaders from a response, for the topics it tracks only, and lists the live brokers', () => {
    const metadata = updateMetadata(emptyMetadata([1], ['t']), response([state(0, 1, 0), state(1, 2, 3), { ...state(0, 2, 0), topic: 'other' }]), 10);
    expect(metadata.leaders).toEqual({ 't-0': { leader: 1, leaderEpoch: 0 }, 't-1': { leader: 2, leaderEpoch: 3 } });
    expect(leaderOf(metadata, 't', 1)).toBe(2);
    expect(leaderOf(metadata, 'other', 0)).toBe(-1);
    expect(metadata.brokers).toEqual([1, 2, 3]);
  });

  it('takes a newer or equal epoch, and keeps the cached leader over a stale response (KIP-320)', () => {
    const cached = updateMetadata(emptyMetadata([1], ['t']), response([state(0, 2, 5)]), 10);
    expect(updateMetadata(cached, response([state(0, 1, 4)]), 20).leaders).toEqual(cached.leaders);
    expect(updateMetadata(cached, response([state(0, 3, 5)]), 20).leaders['t-0']).toEqual({ leader: 3, leaderEpoch: 5 });
    expect(updateMetadata(cached, response([state(0, 1, 6)]), 20).leaders['t-0']).toEqual({ leader: 1, leaderEpoch: 6 });
  });

  it('knows no leader for an unknown partition or a leader of -1, and tells whether a node leads', () => {
    const metadata = updateMetadata(emptyMetadata([1], ['t']), response([state(0, -1, 2), state(1, 2, 1)]), 10);
    expect(knownLeader(metadata.leaders, 't-0')).toBeUndefined();
    expect(knownLeader(metadata.leaders, 't-9')).toBeUndefined();
    expect(isCurrentLeader(metadata.leaders, 't-1', 'broker-2')).toBe(true);
    expect(isCurrentLeader(metadata.leaders, 't-1', 'broker-1')).toBe(false);
  });
});

describe('client metadata: when to ask (Metadata#timeToNextUpdate)', () => {
  const answered = (partitions: PartitionState[], atMs: number, from: Metadata = emptyMetadata([1], ['t'])) => updateMetadata(from, response(partitions), atMs);

  it('asks at once at boot, then at metadata.max.age.ms when nothing is asked for', () => {
    expect(nextMetadataUpdateMs(emptyMetadata([1], ['t']), config, 0)).toBe(0);
    expect(nextMetadataUpdateMs(emptyMetadata([1]), config, 0)).toBeNull(); // no topics yet: nothing to ask about
    expect(nextMetadataUpdateMs(answered([state(0, 1, 0)], 1_000), config, 1_000)).toBe(301_000);
  });

  it('an update asked for waits retry.backoff.ms after the last answer', () => {
    const metadata = requestMetadataUpdate(answered([state(0, 1, 0)], 1_000));
    expect(nextMetadataUpdateMs(metadata, config, 1_010)).toBe(1_100);
  });

  it('failed requests back off exponentially up to retry.backoff.max.ms, and an answer starts over', () => {
    let metadata = emptyMetadata([1], ['t']);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      metadata = metadataRequestFailed(metadata, 10_000);
      waits.push((nextMetadataUpdateMs(metadata, config, 10_000) as number) - 10_000);
    }
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(nextMetadataUpdateMs(requestMetadataUpdate(answered([state(0, 1, 0)], 20_000, metadata)), config, 20_000)).toBe(20_100);
  });

  it('a leader that stays unknown is asked about less and less often, until an epoch moves (KIP-580 equivalent responses)', () => {
    let metadata = emptyMetadata([1], ['t']);
    const waits: number[] = [];
    let nowMs = 0;
    for (let i = 0; i < 5; i++) {
      metadata = answered([state(0, -1, 3)], nowMs, metadata);
      expect(metadata.updateRequested).toBe(true); // LEADER_NOT_AVAILABLE asks for another answer
      const dueMs = nextMetadataUpdateMs(metadata, config, nowMs) as number;
      waits.push(dueMs - nowMs);
      nowMs = dueMs;
    }
    // The first answer brought news (the partition); each one after it repeats it.
    expect(waits).toEqual([100, 100, 200, 400, 800]);
    metadata = answered([state(0, 2, 4)], nowMs, metadata);
    expect(metadata.updateRequested).toBe(false);
    expect(metadata.equivalentResponses).toBe(0);
    // The offset lookups ask with the equivalent-response backoff reset (`requestUpdate(true)`).
    const repeated = answered([state(0, 2, 4)], nowMs + 1, answered([state(0, 2, 4)], nowMs, metadata));
    expect(nextMetadataUpdateMs(requestMetadataUpdate(repeated), config, nowMs + 1)).toBe(nowMs + 1 + 200);
    expect(nextMetadataUpdateMs(requestMetadataUpdate(repeated, true), config, nowMs + 1)).toBe(nowMs + 1 + 100);
  });

  it('a topic error asks again; a new topic is asked for at once, past the backoff (requestUpdateForNewTopics)', () => {
    const failed = updateMetadata(emptyMetadata([1], ['t']), response([], { t: 'UNKNOWN_TOPIC_OR_PARTITION' }), 500);
    expect(failed.updateRequested).toBe(true);
    expect(nextMetadataUpdateMs(failed, config, 500)).toBe(600);
    expect(nextMetadataUpdateMs(addTopic(failed, 'u'), config, 500)).toBe(0);
  });
});

describe('client metadata: where to ask (DefaultMetadataUpdater#maybeUpdate)', () => {
  it('names the least loaded broker once due, the due time before, and the first backoff end while every broker backs off', () => {
    const network = createNetworkClient<string>();
    const metadata = emptyMetadata([1, 2], ['t']);
    expect(nextMetadataRequest(metadata, config, network, 0, 0)).toEqual({ node: 1 });
    expect(nextMetadataRequest(metadata, config, network, 1, 0)).toEqual({ node: 2 });
    const later = requestMetadataUpdate(updateMetadata(metadata, response([state(0, 1, 0)]), 50));
    expect(nextMetadataRequest(later, config, network, 0, 60)).toEqual({ atMs: 150 });
    const backingOff = { ...network, reconnect: connectionLost(connectionLost({}, 1, 0), 2, 10) };
    expect(nextMetadataRequest({ ...metadata, brokers: [1, 2] }, config, backingOff, 0, 20)).toEqual({ atMs: 50 });
    expect(nextMetadataRequest(emptyMetadata([1]), config, network, 0, 0)).toBeNull();
  });
});
