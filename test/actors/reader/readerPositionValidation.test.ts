import { describe, expect, it } from 'vitest';
import type { LogTruncationNote } from '../../../actors/client/positionValidation.ts';
import type { OffsetsForLeaderEpochRequest } from '../../../src/protocol/messages.ts';
import { batchesOf, type FakePartition } from './fakeBroker.ts';
import { readerPositions, startReaderRun, type ReaderRun } from './readerRun.ts';

// The reader (assign mode) validates its positions after a leader change, as Java's consumer does (KIP-320).
function partition(fields: Partial<FakePartition> = {}): FakePartition {
  return { topic: 't', partition: 0, leader: 1, leaderEpoch: 0, logStartOffset: 0, highWatermark: 6, batches: batchesOf('old-', 0, 10, 2), ...fields };
}

function truncationNotes(run: ReaderRun): LogTruncationNote['logTruncation'][] {
  return run.notes.filter((n) => (n.data as Partial<LogTruncationNote>).logTruncation !== undefined).map((n) => (n.data as LogTruncationNote).logTruncation);
}

/** The fetches and validations between the reader and broker 2, in the order they went or arrived. */
function withBroker2(run: ReaderRun): string[] {
  const toReader = (e: ReaderRun['events'][number]) => e.kind === 'delivered' && e.envelope.from === 'broker-2' && e.envelope.to === 'reader-1';
  const fromReader = (e: ReaderRun['events'][number]) => e.kind === 'sent' && e.envelope.from === 'reader-1' && e.envelope.to === 'broker-2';
  return run.events
    .filter((e) => toReader(e) || fromReader(e))
    .map((e) => e.envelope.message.type)
    .filter((type) => type.startsWith('fetch.') || type.startsWith('offsetsForLeaderEpoch.'));
}

describe('reader: position validation after a leader change (KIP-320)', () => {
  it('moves back to where the new leader diverges when an unclean election truncated the log below its position', () => {
    const run = startReaderRun({ partitions: [partition()] });
    run.world.runFor(500);
    expect(readerPositions(run.world)).toEqual({ 't-0': 6 });

    // Broker 2 was elected uncleanly in epoch 1 with only offsets 0-2 of epoch 0, and wrote 3-7 in epoch 1 since: a
    // fetch at 6 would succeed and silently skip w3-w5.
    const batches = [...batchesOf('old-', 0, 3, 3), ...batchesOf('w', 3, 8, 5, 1)];
    run.setPartition(partition({ leader: 2, leaderEpoch: 1, highWatermark: 8, batches }));
    run.world.runFor(1_000);

    const asked = run.sentByReader('offsetsForLeaderEpoch.request').map((e) => e.message as unknown as OffsetsForLeaderEpochRequest);
    expect(asked.map((r) => r.partitions)).toEqual([[{ topic: 't', partition: 0, leaderEpoch: 0, currentLeaderEpoch: 1 }]]);
    expect(truncationNotes(run)).toEqual([{ partition: 't-0', fetchOffset: 6, offsetEpoch: 0, divergentOffset: 3, divergentEpoch: 0, resolution: 'seek' }]);
    expect(run.readsOf('t-0').slice(6).map((r) => [r.offset, r.value])).toEqual([
      [3, 'w3'],
      [4, 'w4'],
      [5, 'w5'],
      [6, 'w6'],
      [7, 'w7'],
    ]);
    expect(run.sentByReader('listOffsets.request')).toEqual([]);
  });

  it('keeps its position when the new leader holds it, and fetches from the new leader only once it has said so', () => {
    const run = startReaderRun({ partitions: [partition({ highWatermark: 4 })] });
    run.world.runFor(500);
    expect(readerPositions(run.world)).toEqual({ 't-0': 4 });

    // Broker 2 has epoch 0 up to offset 6 and wrote 6-9 in epoch 1: epoch 0 ends past the position.
    const batches = [...batchesOf('old-', 0, 6, 2), ...batchesOf('new-', 6, 10, 2, 1)];
    run.setPartition(partition({ leader: 2, leaderEpoch: 1, highWatermark: 10, batches }));
    run.world.runFor(1_000);

    expect(withBroker2(run).slice(0, 3)).toEqual(['offsetsForLeaderEpoch.request', 'offsetsForLeaderEpoch.response', 'fetch.request']);
    expect(truncationNotes(run)).toEqual([]);
    expect(run.readsOf('t-0').map((r) => r.value)).toEqual(['old-0', 'old-1', 'old-2', 'old-3', 'old-4', 'old-5', 'new-6', 'new-7', 'new-8', 'new-9']);
  });
});
