import { describe, expect, it } from 'vitest';
import { bootState } from '../../../actors/consumer/consumerMachine.ts';
import { ensureCoordinator, onConnectionReset, onFindCoordinatorResponse, onMetadataResponse, requestMetadata } from '../../../actors/consumer/groupConsumer.ts';
import type { ConsumerEffect, ConsumerState } from '../../../actors/consumer/ConsumerState.ts';
import { nextNetworkDeadlineMs, requestOf } from '../../../actors/client/networkClient.ts';
import { Rng } from '../../../src/kernel/Rng.ts';
import type { MetadataResponse } from '../../../src/protocol/messages.ts';

// The group consumer's rules on metadata and connection resets, on a state built as the machine boots it, its
// connections to brokers 1 and 2 open.
function consumer(): ConsumerState {
  const input = { nodeId: 'consumer-1', disk: undefined, rng: new Rng(1), now: () => 1_000, bootstrapBrokers: [1, 2], groupId: 'g', topics: ['events'] };
  const booted = bootState(input as Parameters<typeof bootState>[0]);
  return { ...booted, status: 'subscribed', network: { ...booted.network, connections: { 1: 'ready', 2: 'ready' } } };
}

const metadata = (correlationId: number, partitions: number): MetadataResponse => ({
  type: 'metadata.response',
  correlationId,
  brokers: [1, 2, 3],
  partitions: Array.from({ length: partitions }, (_, partition) => ({ topic: 'events', partition, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1, 2, 3], isr: [1, 2, 3] })),
  topicErrors: {},
});

// The broker the Metadata request in flight went to.
function metadataBroker(state: ConsumerState): string {
  return `broker-${requestOf(state.network, state.metadataInFlight as number)?.node}`;
}

describe('group consumer: metadata', () => {
  it('a leader that assigned before it knew a subscribed topic rejoins when the topic shows up (Java compares metadata snapshots)', () => {
    const out: ConsumerEffect[] = [];
    const asked = requestMetadata(consumer(), 1_000, out);
    const leader: ConsumerState = { ...asked, membership: { ...asked.membership, isLeader: true, state: 'STABLE', generationId: 1, rejoinNeeded: false }, assignedCounts: {} };
    const next = onMetadataResponse(leader, { ...metadata(asked.metadataInFlight as number, 2), from: metadataBroker(asked) }, 1_000, out);
    expect(next.membership.rejoinNeeded).toBe(true);
    expect(next.assignedCounts).toBeNull();
  });

  it('a leader whose topic kept its partition count stays', () => {
    const out: ConsumerEffect[] = [];
    const asked = requestMetadata(consumer(), 1_000, out);
    const leader: ConsumerState = { ...asked, membership: { ...asked.membership, isLeader: true, state: 'STABLE', generationId: 1, rejoinNeeded: false }, assignedCounts: { events: 2 } };
    expect(onMetadataResponse(leader, { ...metadata(asked.metadataInFlight as number, 2), from: metadataBroker(asked) }, 1_000, out).membership.rejoinNeeded).toBe(false);
  });

  it('a connection reset from the broker asked for metadata retries after retry.backoff.ms, not request.timeout.ms', () => {
    const out: ConsumerEffect[] = [];
    const asked = requestMetadata(consumer(), 1_000, out);
    const to = metadataBroker(asked);
    const effects: ConsumerEffect[] = [];
    onConnectionReset(asked, to, 1_000, effects);
    expect(effects).toContainEqual({ kind: 'timer', id: 'consumer.metadata', delayMs: asked.client.retryBackoffMs, event: { type: 'consumer.metadata' } });
    const other: ConsumerEffect[] = [];
    onConnectionReset(asked, 'broker-9', 1_000, other);
    expect(other).toEqual([]);
  });
});

describe('group consumer: a reset during a poll', () => {
  it("ends the poll's fetch to that broker, keeps off it for reconnect.backoff.ms and asks for metadata; the poll goes on", () => {
    const base = consumer();
    const inFlight = (correlationId: number, key: string) => ({ correlationId, fetchOffsets: { [key]: 0 } });
    const polling: ConsumerState = {
      ...base,
      phase: 'polling',
      poll: { operationId: 5, deadlineMs: 2_000 },
      membership: { ...base.membership, state: 'STABLE', generationId: 1, rejoinNeeded: false },
      metadata: { ...base.metadata, leaders: { 'events-0': { leader: 1, leaderEpoch: 0 }, 'events-1': { leader: 2, leaderEpoch: 0 } } },
      offsets: { ...base.offsets, positions: { 'events-0': 0, 'events-1': 0 }, processed: { 'events-0': 0, 'events-1': 0 } },
      coordinator: 3,
      fetcher: { ...base.fetcher, inFlight: { 1: inFlight(10, 'events-0'), 2: inFlight(11, 'events-1') } },
    };
    const out: ConsumerEffect[] = [];
    const after = onConnectionReset(polling, 'broker-1', 1_000, out);
    expect(Object.keys(after.fetcher.inFlight)).toEqual(['2']);
    expect(after.network.reconnect[1]).toEqual({ atMs: 1_050, failures: 1 });
    expect(after.metadataInFlight).not.toBeNull();
    expect(metadataBroker(after)).toBe('broker-2'); // not the broker backing off
    // The poll stays open: no fetch to broker 1 until its backoff ends, when the poll wakes up.
    expect(after.phase).toBe('polling');
    expect(out.some((e) => e.kind === 'note')).toBe(false);
    expect(out.some((e) => e.kind === 'send' && e.to === 'broker-1' && e.message.type === 'fetch.request')).toBe(false);
    // The deadline timer (set after every step) wakes the poll when the backoff ends.
    expect(nextNetworkDeadlineMs(after.network, 1_000)).toBe(1_050);
    // A second reset in a row backs off twice as long.
    const again = { ...after, network: { ...after.network, reconnect: { 1: { atMs: 900, failures: 1 } } } };
    expect(onConnectionReset(again, 'broker-1', 1_000, []).network.reconnect[1]).toEqual({ atMs: 1_100, failures: 2 });
  });
});

describe('group consumer: coordinator discovery backs off (AbstractCoordinator#ensureCoordinatorReady)', () => {
  // A subscribed consumer with a FindCoordinator in flight to broker 1, and broker 2 (the coordinator it will be
  // told of) backing off after a refused connection.
  function looking(): ConsumerState {
    const out: ConsumerEffect[] = [];
    const base = consumer();
    const backingOff = { ...base, network: { ...base.network, connections: { 1: 'ready' as const }, reconnect: { 2: { atMs: 1_400, failures: 3 } } } };
    return ensureCoordinator(backingOff, 1_000, out);
  }
  const found = (state: ConsumerState, nodeId: number) => ({ type: 'findCoordinator.response' as const, correlationId: state.findInFlight as number, nodeId, from: 'broker-1' });
  const lookupTimers = (effects: ConsumerEffect[]) => effects.filter((e) => e.kind === 'timer' && e.id === 'consumer.findCoordinator').map((e) => (e as { delayMs: number }).delayMs);

  it('a coordinator whose connection backs off is not taken: the next lookup waits retry.backoff.ms, doubling per attempt', () => {
    let state = looking();
    expect(state.findInFlight).not.toBeNull();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const out: ConsumerEffect[] = [];
      state = onFindCoordinatorResponse(state, found(state, 2), 1_000 + attempt, out);
      expect(state.coordinator).toBeNull();
      delays.push(...lookupTimers(out));
      // Whatever asks for the coordinator meanwhile (a poll, a failed group request) sends nothing before the backoff ends.
      const asked: ConsumerEffect[] = [];
      expect(ensureCoordinator(state, 1_000 + attempt, asked).findInFlight).toBeNull();
      expect(asked.filter((e) => e.kind === 'send')).toEqual([]);
      state = ensureCoordinator(state, state.findBackoff.untilMs, []);
      expect(state.findInFlight).not.toBeNull();
    }
    // retry.backoff.ms 100 doubling up to retry.backoff.max.ms 1,000 (KIP-580), no jitter.
    expect(delays).toEqual([100, 200, 400, 800, 1_000]);
  });

  it('a reachable coordinator is taken, and the attempts start over', () => {
    const first: ConsumerEffect[] = [];
    const failedOnce = onFindCoordinatorResponse(looking(), found(looking(), 2), 1_000, first);
    const retried = ensureCoordinator(failedOnce, failedOnce.findBackoff.untilMs, []);
    const out: ConsumerEffect[] = [];
    const taken = onFindCoordinatorResponse(retried, found(retried, 1), failedOnce.findBackoff.untilMs, out);
    expect(taken.coordinator).toBe(1);
    expect(taken.findBackoff).toEqual({ attempts: 0, untilMs: 0 });
    expect(out).toContainEqual({ kind: 'cancel', id: 'consumer.findCoordinator' });
  });
});
