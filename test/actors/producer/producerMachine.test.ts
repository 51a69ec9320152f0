import { describe, expect, it } from 'vitest';
import { producerMachine } from '../../../actors/producer/producerMachine.ts';
import type { ProducerSettings } from '../../../actors/producer/producerDefaults.ts';
import type { LogRecord, SendValue } from '../../../src/history/History.ts';
import type { HistoryCompleteNote, HistoryNote } from '../../../src/history/HistoryNote.ts';
import type { BusEvent } from '../../../src/kernel/Bus.ts';
import type { NetworkConfig } from '../../../src/kernel/networkModel.ts';
import type { Seed } from '../../../src/kernel/Rng.ts';
import { createWorld, type World } from '../../../src/kernel/World.ts';
import type { ProducePartitionData, ProduceRequest, RecordBatch } from '../../../src/protocol/messages.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { partitionForKey } from '../../../src/protocol/partitionForKey.ts';
import { fakeBrokerLog, fakeBrokerMachine } from './fakeBroker.ts';
import type { FakeBrokerFaults } from './fakeBroker.ts';

const PRODUCER = 'producer-1';
const TOPIC = 't';

interface ScenarioOptions {
  readonly seed?: Seed;
  readonly settings?: Partial<ProducerSettings>;
  readonly partitions?: number;
  readonly brokers?: readonly number[];
  readonly leadership?: ReadonlyArray<{ fromMs: number; leader: number }>;
  readonly faults?: FakeBrokerFaults;
  readonly network?: NetworkConfig;
}

/** A World with fake brokers (ids 1.., all bootstrap-able through broker 1) and one producer. */
function scenario(options: ScenarioOptions = {}) {
  const world = createWorld({ seed: options.seed ?? 1, network: options.network ?? { defaults: { latency: { kind: 'constant', ms: 2 } } } });
  const history: HistoryNote[] = [];
  const noteTimes = new Map<HistoryNote, number>();
  const events: BusEvent[] = [];
  world.notes$.subscribe((note) => {
    if (note.node !== PRODUCER) return;
    history.push(note.data as HistoryNote);
    noteTimes.set(note.data as HistoryNote, note.atMs);
  });
  world.events$.subscribe((event) => events.push(event));
  const brokers = options.brokers ?? [1];
  for (const brokerId of brokers) {
    world.addNode(brokerNodeId(brokerId), fakeBrokerMachine, {
      input: { brokerId, brokers, topics: { [TOPIC]: options.partitions ?? 6 }, leadership: options.leadership, faults: options.faults },
    });
  }
  world.addNode(PRODUCER, producerMachine, { input: { bootstrapBrokers: [1], settings: options.settings ?? {} } });
  const send = (value: string, key: string | null, partition?: number) =>
    world.call(PRODUCER, { type: 'client.send', topic: TOPIC, key, value, ...(partition === undefined ? {} : { partition }) });
  return { world, history, events, send, completionTime: (note: HistoryNote) => noteTimes.get(note) };
}

function completions(history: readonly HistoryNote[]): HistoryCompleteNote[] {
  return history.filter((note): note is HistoryCompleteNote => note.history === 'complete');
}

function okRecords(history: readonly HistoryNote[]): LogRecord[] {
  return completions(history)
    .filter((note) => note.type === 'ok')
    .map((note) => note.value as LogRecord);
}

/** The produce requests sent, each with the batch of its first partition (the tests below send to one partition). */
function produceRequests(events: readonly BusEvent[]): Array<{ atMs: number; to: string; request: ProduceRequest; batch: RecordBatch }> {
  return events
    .filter((event) => event.kind === 'sent' && event.envelope.message.type === 'produce.request')
    .map((event) => {
      const request = event.envelope.message as unknown as ProduceRequest;
      return { atMs: event.atMs, to: event.envelope.to, request, batch: (request.partitions[0] as ProducePartitionData).batch };
    });
}

function brokerLog(world: World, brokerId: number, partition: number) {
  return fakeBrokerLog(world.snapshot(brokerNodeId(brokerId))?.context, TOPIC, partition);
}

describe('producerMachine: partitioning', () => {
  it('sends every record with the same key to the same partition: murmur2 of the key', () => {
    const { world, history, send } = scenario({ partitions: 6 });
    const keys = ['alpha', 'beta', 'gamma', 'alpha', 'beta', 'gamma', 'alpha'];
    keys.forEach((key, i) => send(`v${i}`, key));
    world.runFor(1_000);
    const records = okRecords(history);
    expect(records).toHaveLength(keys.length);
    for (const record of records) expect(record.partition).toBe(partitionForKey(record.key as string, 6));
    const partitionsOf = (key: string) => new Set(records.filter((r) => r.key === key).map((r) => r.partition));
    expect(partitionsOf('alpha').size).toBe(1);
    expect(new Set(records.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('spreads null keys round-robin over the partitions', () => {
    const { world, history, send } = scenario({ partitions: 4 });
    for (let i = 0; i < 8; i++) send(`v${i}`, null);
    world.runFor(1_000);
    const byValue = new Map(okRecords(history).map((r) => [r.value, r.partition]));
    const partitions = Array.from({ length: 8 }, (_, i) => byValue.get(`v${i}`) as number);
    for (let i = 1; i < 8; i++) expect(partitions[i]).toBe(((partitions[i - 1] as number) + 1) % 4);
  });

  it("sticky null keys (KIP-480): records stay on one partition while they fit the open batch", () => {
    const { world, history, events, send } = scenario({ partitions: 4, settings: { partitioner: 'sticky', lingerMs: 50 } });
    send('warm-up', 'alpha');
    world.runFor(500);
    for (let i = 0; i < 3; i++) send(`v${i}`, null);
    world.runFor(1_000);
    const partitions = new Set(okRecords(history).filter((r) => r.key === null).map((r) => r.partition));
    expect(partitions.size).toBe(1);
    expect(produceRequests(events).filter((p) => p.atMs >= 500)).toHaveLength(1);
  });

  it('puts a record in its explicit partition, whatever its key says', () => {
    const { world, history, send } = scenario({ partitions: 6 });
    const key = 'alpha';
    const explicit = (partitionForKey(key, 6) + 3) % 6;
    send('v0', key, explicit);
    world.runFor(1_000);
    expect(okRecords(history)).toEqual([{ topic: TOPIC, partition: explicit, offset: 0, key, value: 'v0' }]);
    const invoke = history.find((note) => note.history === 'invoke');
    expect((invoke?.value as SendValue).partition).toBe(explicit);
  });
});

describe('producerMachine: acks and history', () => {
  it('acks=0: the broker never answers, and the send completes as info once it is sent', () => {
    const { world, history, events, send } = scenario({ settings: { acks: 0 } });
    send('v0', 'alpha');
    world.runFor(1_000);
    expect(completions(history).map((note) => [note.id, note.type])).toEqual([[0, 'info']]);
    expect(events.some((event) => event.envelope.message.type === 'produce.response')).toBe(false);
    expect(brokerLog(world, 1, partitionForKey('alpha', 6)).map((r) => r.value)).toEqual(['v0']);
  });

  it('opens each connection with the ApiVersions handshake, and sends an acks=0 batch only on a connection that took it', () => {
    const { world, history, events, send } = scenario({ settings: { acks: 0 } });
    send('v0', null, 0);
    world.runFor(1_000);
    const sent = () => events.filter((e) => e.kind === 'sent' && e.envelope.from === PRODUCER).map((e) => e.envelope.message.type);
    expect(sent().slice(0, 2)).toEqual(['apiVersions.request', 'metadata.request']);
    expect(completions(history).map((note) => note.type)).toEqual(['info']);
    // The broker's process dies: its machine refuses the connection, every time the producer tries again.
    world.crash(brokerNodeId(1));
    // The reset reaches the producer one link latency later; a send before it would still go out on the old socket.
    world.runFor(10);
    const before = sent().length;
    send('held', null, 0);
    world.runFor(3_000);
    expect(new Set(sent().slice(before))).toEqual(new Set(['apiVersions.request']));
    expect(sent().slice(before).length).toBeGreaterThan(2);
    expect(completions(history)).toHaveLength(1); // not completed: the batch waits in the accumulator
    world.restart(brokerNodeId(1));
    world.runFor(3_000);
    expect(completions(history).map((note) => note.type)).toEqual(['info', 'info']);
    expect(brokerLog(world, 1, 0).map((r) => r.value)).toEqual(['held']);
  });

  it('invokes each send with a per-boot counter id and completes it ok at its offset', () => {
    const { world, history, send } = scenario({ settings: { lingerMs: 20 } });
    send('v0', null, 2);
    send('v1', null, 2);
    world.runFor(1_000);
    expect(history.filter((note) => note.history === 'invoke').map((note) => note.id)).toEqual([0, 1]);
    expect(okRecords(history).map((r) => [r.value, r.offset])).toEqual([['v0', 0], ['v1', 1]]);
  });
});

describe('producerMachine: retries', () => {
  it('NOT_LEADER_OR_FOLLOWER: refreshes metadata, retries on the new leader and ends ok', () => {
    const leadership = [{ fromMs: 0, leader: 1 }, { fromMs: 100, leader: 2 }];
    const { world, history, events, send } = scenario({ brokers: [1, 2], leadership, settings: { acks: 1 } });
    send('v0', null, 0);
    world.runFor(150);
    send('v1', null, 0);
    world.runFor(1_000);
    expect(okRecords(history).map((r) => r.value)).toEqual(['v0', 'v1']);
    expect(brokerLog(world, 2, 0).map((r) => r.value)).toEqual(['v1']);
    const after150 = events.filter((event) => event.kind === 'sent' && event.atMs >= 150).map((event) => `${event.envelope.message.type}->${event.envelope.to}`);
    const rejected = after150.indexOf('produce.response->producer-1');
    const refreshed = after150.findIndex((step, i) => i > rejected && step.startsWith('metadata.request'));
    const retried = after150.indexOf('produce.request->broker-2');
    expect(rejected).toBeGreaterThan(0);
    expect(refreshed).toBeGreaterThan(rejected);
    expect(retried).toBeGreaterThan(refreshed);
  });

  it('retries a broker that never answers until delivery.timeout.ms, then completes the send as info', () => {
    const settings = { requestTimeoutMs: 1_000, deliveryTimeoutMs: 5_000 };
    const { world, history, events, send, completionTime } = scenario({ settings, faults: { neverAnswer: true } });
    send('v0', 'alpha');
    world.runFor(10_000);
    const [done] = completions(history);
    expect(done?.type).toBe('info');
    expect(completionTime(done as HistoryNote)).toBeGreaterThanOrEqual(5_000);
    expect(completionTime(done as HistoryNote)).toBeLessThan(6_000);
    expect(produceRequests(events).length).toBeGreaterThanOrEqual(3);
  });

  it("a broker's process crash resets the connection: the request fails at once, metadata is refreshed, and the producer stays off that broker for reconnect.backoff.ms", () => {
    const { world, history, events, send } = scenario({ settings: { acks: 1, requestTimeoutMs: 30_000, retryBackoffMs: 1, retryBackoffMaxMs: 1 }, faults: { neverAnswer: true } });
    send('v0', 'alpha');
    world.runFor(100);
    world.crash('broker-1');
    world.restart('broker-1');
    world.runFor(2_000);
    const reset = events.find((e) => e.kind === 'delivered' && e.envelope.to === PRODUCER && e.envelope.message.type === 'connection.reset');
    expect(reset?.atMs).toBeGreaterThan(100);
    const resetAt = reset?.atMs as number;
    const after = events.filter((e) => e.kind === 'sent' && e.envelope.from === PRODUCER && e.atMs >= resetAt);
    // Metadata is asked for at once, within retry.backoff.ms of the last update (not after metadata.max.age.ms).
    expect(after.find((e) => e.envelope.message.type === 'metadata.request')?.atMs).toBeLessThan(resetAt + 150);
    // With retry.backoff.ms at 1 ms, the retry still waits for the reconnect backoff (50 ms); nor does it wait for
    // request.timeout.ms (30 s).
    const retry = after.find((e) => e.envelope.message.type === 'produce.request');
    expect(retry?.atMs).toBeGreaterThanOrEqual(resetAt + 50);
    expect(retry?.atMs).toBeLessThan(resetAt + 200);
    expect(completions(history)).toEqual([]);
  });

  it('idempotence: a retried batch whose first response was lost gets its original offsets, and is stored once', () => {
    const { world, history, events, send } = scenario({ settings: { requestTimeoutMs: 500 }, faults: { dropFirstResponses: 1 } });
    send('v0', null, 0);
    world.runFor(2_000);
    send('v1', null, 0);
    world.runFor(2_000);
    const attempts = produceRequests(events).filter((p) => p.batch.records[0]?.value === 'v0');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.batch.baseSequence).toBe(attempts[0]?.batch.baseSequence);
    expect(okRecords(history).map((r) => [r.value, r.offset])).toEqual([['v0', 0], ['v1', 1]]);
    expect(brokerLog(world, 1, 0).map((r) => r.value)).toEqual(['v0', 'v1']);
  });
});

describe('producerMachine: batching and flow control', () => {
  function lingerRun(lingerMs: number) {
    const run = scenario({ settings: { lingerMs } });
    run.send('warm-up', null, 0);
    run.world.runFor(500);
    for (let i = 0; i < 3; i++) {
      run.send(`v${i}`, null, 0);
      run.world.runFor(10);
    }
    run.world.runFor(1_000);
    return { ...run, requests: produceRequests(run.events).filter((p) => p.atMs >= 500) };
  }

  it('linger.ms: sends made within the linger go out as one batch, once the linger has passed', () => {
    const { requests, history } = lingerRun(50);
    expect(requests.map((p) => p.batch.records.map((r) => r.value))).toEqual([['v0', 'v1', 'v2']]);
    expect(requests[0]?.atMs).toBeGreaterThanOrEqual(500 + 50);
    expect(okRecords(history).map((r) => r.offset)).toEqual([0, 1, 2, 3]);
  });

  it('linger.ms 0 sends each record as soon as it arrives (the weakening the test above must see)', () => {
    expect(lingerRun(0).requests).toHaveLength(3);
  });

  it('a record that opens a second batch wakes the Sender before the linger passes; one that only joins a batch does not', () => {
    // batch.size fits two of these records; the linger alone would hold them for 10 s. The third opens a new batch,
    // which makes the first one full (RecordAccumulator#ready: more than one batch in the queue).
    const run = scenario({ settings: { lingerMs: 10_000, batchSize: 200 } });
    run.send('warm-up', null, 0);
    run.world.runFor(20_000);
    const value = (i: number) => `v${i}-${'x'.repeat(40)}`;
    run.send(value(0), null, 0);
    run.world.runFor(5);
    const afterOne = produceRequests(run.events).filter((p) => p.atMs >= 20_000);
    run.send(value(1), null, 0);
    run.send(value(2), null, 0);
    run.world.runFor(5);
    const requests = produceRequests(run.events).filter((p) => p.atMs >= 20_000);
    expect(afterOne).toHaveLength(0);
    expect(requests.map((p) => p.batch.records.map((r) => r.value))).toEqual([[value(0), value(1)]]);
    expect(requests[0]?.atMs).toBeLessThan(20_000 + 10);
  });

  function maxOutstanding(maxInFlightRequestsPerConnection: number): { max: number; ok: number } {
    const network: NetworkConfig = { defaults: { latency: { kind: 'constant', ms: 20 } } };
    const run = scenario({ partitions: 10, network, settings: { acks: 1, maxInFlightRequestsPerConnection } });
    // After a warm-up (metadata known), one send per ms: each is drained at once while the limit allows, and those
    // held back go together in the next request to the broker (one request carries every ready partition).
    let outstanding = 0;
    let max = 0;
    run.world.events$.subscribe(({ kind, envelope }) => {
      if (kind === 'sent' && envelope.message.type === 'produce.request') outstanding++;
      if (kind === 'delivered' && envelope.message.type === 'produce.response') outstanding--;
      max = Math.max(max, outstanding);
    });
    run.send('warm-up', null, 0);
    run.world.runFor(500);
    for (let p = 0; p < 10; p++) {
      run.send(`v${p}`, null, p);
      run.world.runFor(1);
    }
    run.world.runFor(2_000);
    return { max, ok: okRecords(run.history).length - 1 };
  }

  it('max.in.flight.requests.per.connection bounds the produce requests awaiting a response', () => {
    expect(maxOutstanding(2)).toEqual({ max: 2, ok: 10 });
    expect(maxOutstanding(5)).toEqual({ max: 5, ok: 10 });
  });
});

describe('producerMachine: a lossy, duplicating network', () => {
  it('lost responses and duplicated messages: every send completes once, acked at its stored offset, stored once', () => {
    const network: NetworkConfig = {
      defaults: { latency: { kind: 'uniform', minMs: 1, maxMs: 30 }, dropProbability: 0.1, duplicateProbability: 0.1 },
      links: [
        // Requests are not lost: a lost request followed by a delivered later one is a gap TCP never makes, and a
        // broker with no state for the producer accepts the later sequence first (see the report on the network).
        { from: PRODUCER, to: brokerNodeId(1), dropProbability: 0 },
      ],
    };
    const { world, history, send } = scenario({ seed: 3, partitions: 3, network, settings: { requestTimeoutMs: 200 } });
    for (let i = 0; i < 40; i++) {
      send(`v${i}`, `k${i % 7}`);
      world.runFor(5);
    }
    world.runFor(10_000);
    const invoked = history.filter((note) => note.history === 'invoke').map((note) => note.id);
    const completed = completions(history).map((note) => note.id);
    expect([...completed].sort((a, b) => a - b)).toEqual(invoked);
    const acked = okRecords(history);
    expect(acked.length).toBeGreaterThan(30);
    for (const record of acked) expect(brokerLog(world, 1, record.partition)[record.offset]?.value).toBe(record.value);
    // Idempotence: retries and duplicated requests never store a record twice.
    const stored = [0, 1, 2].flatMap((p) => brokerLog(world, 1, p).map((r) => r.value));
    expect(new Set(stored).size).toBe(stored.length);
  });
});

describe('producerMachine: boot and determinism', () => {
  it('fails the boot with a clear error naming a bad setting', () => {
    expect(() => scenario({ settings: { enableIdempotence: true, acks: 1 } })).toThrow(/configuration acks.*idempotent producer/);
    expect(() => scenario({ settings: { lingerMS: 5 } as never })).toThrow(/lingerMS.*not a producer setting/);
  });

  it('gives the same traceHash for the same seed, on a lossy network', () => {
    const network: NetworkConfig = {
      defaults: { latency: { kind: 'uniform', minMs: 1, maxMs: 30 }, dropProbability: 0.1, duplicateProbability: 0.05 },
    };
    const run = (seed: Seed) => {
      const { world, send } = scenario({ seed, network, settings: { requestTimeoutMs: 200, lingerMs: 5 } });
      for (let i = 0; i < 30; i++) {
        send(`v${i}`, i % 3 === 0 ? null : `k${i % 5}`);
        world.runFor(7);
      }
      world.runFor(5_000);
      return world.traceHash();
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });
});
