import { describe, expect, it } from 'vitest';
import { bootState } from '../../../actors/consumer/consumerMachine.ts';
import { onConnectionReset, onMetadataResponse, requestMetadata } from '../../../actors/consumer/groupConsumer.ts';
import type { ConsumerEffect, ConsumerState } from '../../../actors/consumer/ConsumerState.ts';
import { Rng } from '../../../src/kernel/Rng.ts';
import type { MetadataResponse } from '../../../src/protocol/messages.ts';

// The group consumer's rules on metadata and connection resets, on a state built as the machine boots it.
function consumer(): ConsumerState {
  const input = { nodeId: 'consumer-1', disk: undefined, rng: new Rng(1), now: () => 1_000, bootstrapBrokers: [1, 2], groupId: 'g', topics: ['events'] };
  return { ...bootState(input as Parameters<typeof bootState>[0]), status: 'subscribed' };
}

const metadata = (correlationId: number, partitions: number): MetadataResponse => ({
  type: 'metadata.response',
  correlationId,
  brokers: [1, 2, 3],
  partitions: Array.from({ length: partitions }, (_, partition) => ({ topic: 'events', partition, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1, 2, 3], isr: [1, 2, 3] })),
  topicErrors: {},
});

describe('group consumer: metadata', () => {
  it('a leader that assigned before it knew a subscribed topic rejoins when the topic shows up (Java compares metadata snapshots)', () => {
    const out: ConsumerEffect[] = [];
    const asked = requestMetadata(consumer(), out);
    const leader: ConsumerState = { ...asked, membership: { ...asked.membership, isLeader: true, state: 'STABLE', generationId: 1, rejoinNeeded: false }, assignedCounts: {} };
    const next = onMetadataResponse(leader, metadata(asked.metadataInFlight as number, 2), out);
    expect(next.membership.rejoinNeeded).toBe(true);
    expect(next.assignedCounts).toBeNull();
  });

  it('a leader whose topic kept its partition count stays', () => {
    const out: ConsumerEffect[] = [];
    const asked = requestMetadata(consumer(), out);
    const leader: ConsumerState = { ...asked, membership: { ...asked.membership, isLeader: true, state: 'STABLE', generationId: 1, rejoinNeeded: false }, assignedCounts: { events: 2 } };
    expect(onMetadataResponse(leader, metadata(asked.metadataInFlight as number, 2), out).membership.rejoinNeeded).toBe(false);
  });

  it('a connection reset from the broker asked for metadata retries after retry.backoff.ms, not request.timeout.ms', () => {
    const out: ConsumerEffect[] = [];
    const asked = requestMetadata(consumer(), out);
    const to = `broker-${asked.metadataTo}`;
    const effects: ConsumerEffect[] = [];
    onConnectionReset(asked, to, 1_000, effects);
    expect(effects).toContainEqual({ kind: 'timer', id: 'consumer.metadata', delayMs: asked.client.retryBackoffMs, event: { type: 'consumer.metadata' } });
    const other: ConsumerEffect[] = [];
    onConnectionReset(asked, 'broker-9', 1_000, other);
    expect(other).toEqual([]);
  });
});

describe('group consumer: a reset during a poll', () => {
  it("ends the poll's fetches to that broker at once and asks for metadata; the poll returns when nothing else is pending", () => {
    const base = consumer();
    const pending = (partition: number, broker: number) => ({ kind: 'fetch' as const, key: `events-${partition}`, topic: 'events', partition, to: `broker-${broker}`, fetchOffset: 0 });
    const fetching: ConsumerState = {
      ...base,
      phase: 'fetching',
      offsets: { ...base.offsets, positions: { 'events-0': 0, 'events-1': 0 } },
      round: { operationId: 5, pending: { 10: pending(0, 1), 11: pending(1, 2) }, records: {}, caughtUp: [] },
    };
    const out: ConsumerEffect[] = [];
    const afterFirst = onConnectionReset(fetching, 'broker-1', 1_000, out);
    expect(afterFirst.phase).toBe('fetching');
    expect(Object.keys(afterFirst.round?.pending ?? {})).toEqual(['11']);
    expect(afterFirst.metadataInFlight).not.toBeNull();
    expect(out.some((e) => e.kind === 'note')).toBe(false);
    const afterSecond = onConnectionReset(afterFirst, 'broker-2', 1_000, out);
    expect(afterSecond.round).toBeNull();
    expect(out).toContainEqual(expect.objectContaining({ kind: 'note', data: expect.objectContaining({ history: 'complete', id: 5, type: 'ok' }) }));
  });
});
