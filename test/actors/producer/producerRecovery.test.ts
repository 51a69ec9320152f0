import { describe, expect, it } from 'vitest';
import { producerMachine } from '../../../actors/producer/producerMachine.ts';
import type { ProducerSettings } from '../../../actors/producer/producerDefaults.ts';
import type { LogRecord } from '../../../src/history/History.ts';
import type { HistoryCompleteNote, HistoryNote } from '../../../src/history/HistoryNote.ts';
import type { BusEvent } from '../../../src/kernel/Bus.ts';
import { createWorld } from '../../../src/kernel/World.ts';
import type { ProducePartitionData, ProduceRequest } from '../../../src/protocol/messages.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { fakeBrokerLog, fakeBrokerMachine } from './fakeBroker.ts';
import type { FakeBrokerFaults } from './fakeBroker.ts';

// An idempotent producer recovering from a sequence gap and from an expired retry, as Kafka 3.9's
// TransactionManager does, against the test-only fake broker (one leader, one partition written to).

const PRODUCER = 'producer-1';

function world(options: { settings?: Partial<ProducerSettings>; faults?: FakeBrokerFaults }) {
  const w = createWorld({ seed: 1, network: { defaults: { latency: { kind: 'constant', ms: 2 } } } });
  const history: HistoryNote[] = [];
  const events: BusEvent[] = [];
  w.notes$.subscribe((note) => {
    if (note.node === PRODUCER) history.push(note.data as HistoryNote);
  });
  w.events$.subscribe((event) => events.push(event));
  w.addNode(brokerNodeId(1), fakeBrokerMachine, { input: { brokerId: 1, brokers: [1], topics: { t: 1 }, faults: options.faults } });
  w.addNode(PRODUCER, producerMachine, { input: { bootstrapBrokers: [1], settings: { lingerMs: 0, ...options.settings } } });
  const send = (value: string) => w.call(PRODUCER, { type: 'client.send', topic: 't', key: null, value, partition: 0 });
  /** Every produce request's batch, in the order sent: its first record, epoch and base sequence. */
  const batchesSent = () =>
    events
      .filter((event) => event.kind === 'sent' && event.envelope.message.type === 'produce.request')
      .map((event) => {
        const { batch } = (event.envelope.message as unknown as ProduceRequest).partitions[0] as ProducePartitionData;
        return { value: batch.records[0]?.value, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence };
      });
  const outcomes = () =>
    history
      .filter((note): note is HistoryCompleteNote => note.history === 'complete')
      .map((note) => [(note.value as LogRecord).value, note.type]);
  const log = () => fakeBrokerLog(w.snapshot(brokerNodeId(1))?.context, 't', 0).map((record) => record.value);
  /** Runs in 1 ms steps until `count` produce requests have gone out. */
  const runUntilSent = (count: number) => {
    for (let i = 0; i < 5_000 && batchesSent().length < count; i++) w.runFor(1);
    expect(batchesSent()).toHaveLength(count);
  };
  return { world: w, send, batchesSent, outcomes, log, runUntilSent };
}

describe('idempotent producer: recovery from OUT_OF_ORDER_SEQUENCE_NUMBER', () => {
  it('bumps the epoch when the next batch the broker expects is refused, and retries it from sequence 0: the send ends ok, stored once', () => {
    const run = world({ faults: { errorFirst: { error: 'OUT_OF_ORDER_SEQUENCE_NUMBER', count: 1 } } });
    run.send('v0');
    run.world.runFor(2_000);
    run.send('v1');
    run.world.runFor(2_000);
    // TransactionManager#canRetry: a gap at the head of the line asks for an epoch bump, and the batch is retried.
    expect(run.batchesSent()).toEqual([
      { value: 'v0', producerEpoch: 0, baseSequence: 0 },
      { value: 'v0', producerEpoch: 1, baseSequence: 0 },
      { value: 'v1', producerEpoch: 1, baseSequence: 1 },
    ]);
    expect(run.outcomes()).toEqual([['v0', 'ok'], ['v1', 'ok']]);
    expect(run.log()).toEqual(['v0', 'v1']);
  });
});

describe('idempotent producer: an expired retry leaves its partition unresolved until its sequence is known', () => {
  it('keeps the epoch when a later batch of the partition was acknowledged: the sequence resolved, and the next batch continues it', () => {
    // v0's first attempt is refused with nothing appended; v1, sent while v0 was still in flight, lands first (the
    // broker had no state for the producer). v0's retries are then out of order and it is not the next sequence, so
    // it is retried until its delivery timeout. Its expiry leaves sequence 1 unresolved; nothing is in flight, and
    // the last acknowledged sequence (v1's) is the one before the next to assign, so no bump is needed
    // (TransactionManager#maybeResolveSequences).
    const settings = { requestTimeoutMs: 1_000, deliveryTimeoutMs: 4_000 };
    const run = world({ settings, faults: { errorFirst: { error: 'NOT_ENOUGH_REPLICAS', count: 1 } } });
    run.send('v0');
    run.runUntilSent(1);
    run.world.runFor(1);
    run.send('v1');
    run.world.runFor(10_000);
    run.send('v2');
    run.world.runFor(2_000);
    expect(run.batchesSent().slice(0, 2)).toEqual([
      { value: 'v0', producerEpoch: 0, baseSequence: 0 },
      { value: 'v1', producerEpoch: 0, baseSequence: 1 },
    ]);
    expect(run.batchesSent().at(-1)).toEqual({ value: 'v2', producerEpoch: 0, baseSequence: 2 });
    expect(run.outcomes()).toEqual([['v1', 'ok'], ['v0', 'fail'], ['v2', 'ok']]);
    expect(run.log()).toEqual(['v1', 'v2']);
  });
});
