// A reader in a real World against fake brokers, with what the tests look at: the messages it sent and got,
// its notes, and the history those notes make (through the HistoryRecorder, which refuses a second operation
// outstanding, so a reader that overlaps operations fails the test there).
import { readerMachine, type ReaderOptions } from '../../../actors/reader/index.ts';
import type { History, LogRecord, OperationOf } from '../../../src/history/History.ts';
import { HistoryCollector } from '../../../src/scenario/HistoryCollector.ts';
import type { BusEvent, Envelope } from '../../../src/kernel/Bus.ts';
import type { NodeNote } from '../../../src/kernel/NodeHost.ts';
import type { NetworkConfig } from '../../../src/kernel/networkModel.ts';
import type { Seed } from '../../../src/kernel/Rng.ts';
import { createWorld, type World } from '../../../src/kernel/World.ts';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { fakeBrokerMachine, type FakePartition } from './fakeBroker.ts';

export const READER = 'reader-1';

/** How to set up a run. */
export interface ReaderRunOptions {
  seed?: Seed;
  brokers?: number[];
  partitions: FakePartition[];
  reader?: Partial<ReaderOptions>;
  network?: NetworkConfig;
}

/** A running reader and what it did. */
export interface ReaderRun {
  world: World;
  events: BusEvent[];
  notes: NodeNote[];
  /** Changes a partition on every fake broker (through the bus, so it lands a few ms later). */
  setPartition(state: FakePartition): void;
  /** Envelopes the reader sent or received (delivered), in order. */
  sentByReader(type: string): Envelope[];
  deliveredToReader(type: string): Envelope[];
  history(): History;
  okPolls(): OperationOf<'poll', 'ok'>[];
  /** Every record the reader's ok polls returned for `key`, in history order. */
  readsOf(key: string): LogRecord[];
  doneNotes(): { readToEnd: 'done'; positions: Record<string, number> }[];
}

const quietNetwork: NetworkConfig = { defaults: { latency: { kind: 'uniform', minMs: 1, maxMs: 5 } } };

/** Boots fake brokers (all with the same table) and one reader, and starts recording. */
export function startReaderRun(options: ReaderRunOptions): ReaderRun {
  const brokers = options.brokers ?? [1, 2];
  const world = createWorld({ seed: options.seed ?? 1, network: options.network ?? quietNetwork });
  const events: BusEvent[] = [];
  const notes: NodeNote[] = [];
  world.events$.subscribe((e) => events.push(e));
  world.notes$.subscribe((n) => notes.push(n));
  for (const brokerId of brokers) {
    world.addNode(brokerNodeId(brokerId), fakeBrokerMachine, { input: { brokerId, brokers, partitions: options.partitions } });
  }
  const readerInput: ReaderOptions = { bootstrapBrokers: [brokers[0] as number], topics: ['t'], ...options.reader };
  world.addNode(READER, readerMachine, { input: { ...readerInput } });
  const run: ReaderRun = {
    world,
    events,
    notes,
    setPartition: (state) => {
      for (const brokerId of brokers) world.inject(brokerNodeId(brokerId), { type: 'fake.setPartition', state });
    },
    sentByReader: (type) => events.filter((e) => e.kind === 'sent' && e.envelope.from === READER && e.envelope.message.type === type).map((e) => e.envelope),
    deliveredToReader: (type) =>
      events.filter((e) => e.kind === 'delivered' && e.envelope.to === READER && e.envelope.message.type === type).map((e) => e.envelope),
    history: () => historyOf(notes),
    okPolls: () => run.history().filter((op): op is OperationOf<'poll', 'ok'> => op.f === 'poll' && op.type === 'ok'),
    readsOf: (key) => run.okPolls().flatMap((op) => op.value.records.filter((r) => `${r.topic}-${r.partition}` === key)),
    doneNotes: () =>
      notes.filter((n) => (n.data as { readToEnd?: string }).readToEnd === 'done').map((n) => n.data as ReturnType<ReaderRun['doneNotes']>[number]),
  };
  return run;
}

/**
 * The history the notes make, as the scenario runner collects it: by (node, boot, id), a crashed boot's open
 * operation completed as `info`.
 */
export function historyOf(notes: readonly NodeNote[]): History {
  const collector = new HistoryCollector();
  for (const note of notes) collector.observe(note);
  return collector.snapshot();
}

/** The offsets of records, for short assertions. */
export function offsetsOf(records: readonly LogRecord[]): number[] {
  return records.map((r) => r.offset);
}

/** The reader's current positions (its context), or undefined before it is assigned. */
export function readerPositions(world: World): Record<string, number> | undefined {
  const context = world.snapshot(READER)?.context as { state?: { assignment?: unknown; positions: Record<string, number> } } | undefined;
  return context?.state?.assignment === undefined ? undefined : context.state.positions;
}
