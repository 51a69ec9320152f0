import { describe, expect, it } from 'vitest';
import { nonmonotonicPoll } from '../../../src/checker/nonmonotonicPoll.ts';
import { pollSkip } from '../../../src/checker/pollSkip.ts';
import type { FetchRequest, FetchResponse, ListOffsetsRequest } from '../../../src/protocol/messages.ts';
import { batchesOf, type FakePartition } from './fakeBroker.ts';
import { offsetsOf, READER, readerPositions, startReaderRun } from './readerRun.ts';

function partition(p: number, fields: Partial<FakePartition> = {}): FakePartition {
  const batches = fields.batches ?? batchesOf(`p${p}-v`, 0, 10, 2);
  return { topic: 't', partition: p, leader: 1, leaderEpoch: 0, logStartOffset: 0, highWatermark: 10, batches, ...fields };
}

/** Every partition error in the fetch responses the reader got. */
function fetchErrors(run: ReturnType<typeof startReaderRun>): string[] {
  return run
    .deliveredToReader('fetch.response')
    .flatMap((e) => (e.message as unknown as FetchResponse).partitions.map((p) => p.errorCode))
    .filter((code): code is NonNullable<typeof code> => code !== undefined);
}

function valuesOf(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
}

describe('readerMachine: reading', () => {
  it('reads every record below the high watermark in order, nothing at or above it, and follows the HW as it moves', () => {
    // LEO 10 on both partitions; t-0 has HW 6 (mid-log), t-1 HW 4. Batches of 2 and max.poll.records 3 make the
    // broker return batches that start below the position, whose first records the reader must skip.
    const run = startReaderRun({
      partitions: [partition(0, { highWatermark: 6 }), partition(1, { highWatermark: 4 })],
      reader: { maxPollRecords: 3 },
    });
    run.world.runFor(2_000);
    expect(run.readsOf('t-0').map((r) => r.value)).toEqual(valuesOf('p0-v', 0, 6));
    expect(run.readsOf('t-1').map((r) => r.value)).toEqual(valuesOf('p1-v', 0, 4));
    expect(offsetsOf(run.readsOf('t-0'))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(readerPositions(run.world)).toEqual({ 't-0': 6, 't-1': 4 });
    // max.poll.records bounds a whole poll; the rest waits in the fetcher's buffer for the next.
    for (const op of run.okPolls()) expect(op.value.records.length).toBeLessThanOrEqual(3);

    // A consumer fetch: one per leader, covering both partitions it leads, long-polled (fetch.max.wait.ms,
    // fetch.min.bytes); replica -1, no broker epoch, each partition with the leader epoch from metadata.
    const fetches = run.sentByReader('fetch.request').map((e) => e.message as unknown as FetchRequest);
    expect(fetches.length).toBeGreaterThan(2);
    for (const f of fetches) {
      expect(f).toMatchObject({ replicaId: -1, replicaEpoch: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 52_428_800 });
      for (const p of f.partitions) expect(p).toMatchObject({ currentLeaderEpoch: 0, lastFetchedEpoch: -1, partitionMaxBytes: 1_048_576 });
    }
    expect(fetches[0]?.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual(['t-0', 't-1']);

    run.setPartition(partition(0, { highWatermark: 10 }));
    run.world.runFor(1_000);
    expect(offsetsOf(run.readsOf('t-0'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(run.readsOf('t-1')).toHaveLength(4);
  });

  it('records an assign at boot and polls one at a time, each with contiguous records per partition', () => {
    const run = startReaderRun({ partitions: [partition(0), partition(1)], reader: { maxPollRecords: 3 } });
    run.world.runFor(1_500);
    const history = run.history(); // the recorder throws if two operations overlap
    expect(history[0]).toMatchObject({ f: 'assign', type: 'invoke', value: { partitions: ['t-0', 't-1'] }, process: READER });
    expect(history[1]).toMatchObject({ f: 'assign', type: 'ok' });
    expect(history.slice(2).every((op) => op.f === 'poll')).toBe(true);
    expect(history.filter((op) => op.type === 'invoke').length).toBeGreaterThan(5);
    for (const op of run.okPolls()) {
      for (const key of ['t-0', 't-1']) {
        const offsets = offsetsOf(op.value.records.filter((r) => `${r.topic}-${r.partition}` === key));
        offsets.forEach((o, i) => i === 0 || expect(o).toBe((offsets[i - 1] as number) + 1));
      }
    }
  });

  it('keeps polls contiguous across polls on a lossy, duplicating, reordering network', () => {
    const run = startReaderRun({
      seed: 7,
      partitions: [partition(0, { highWatermark: 2 }), partition(1, { highWatermark: 2 })],
      reader: { maxPollRecords: 3, requestTimeoutMs: 200, fetchMaxWaitMs: 50 },
      network: {
        defaults: {
          latency: { kind: 'exponential', meanMs: 5, minMs: 1 },
          dropProbability: 0.1,
          duplicateProbability: 0.1,
          reorderProbability: 0.2,
        },
      },
    });
    for (let hw = 4; hw <= 10; hw += 2) {
      run.world.runFor(400);
      run.setPartition(partition(0, { highWatermark: hw }));
      run.setPartition(partition(1, { highWatermark: hw }));
    }
    run.world.runFor(3_000);
    expect(offsetsOf(run.readsOf('t-0'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(offsetsOf(run.readsOf('t-1'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const history = run.history();
    expect(pollSkip(history).valid).toBe(true);
    expect(nonmonotonicPoll(history).valid).toBe(true);
    expect(run.events.some((e) => e.kind === 'dropped')).toBe(true);
  });

  it('reads the partition whose leader answers, while the connection to one that does not is given up after request.timeout.ms and tried again', () => {
    const run = startReaderRun({
      partitions: [partition(0), partition(1, { leader: 2 })],
      reader: { requestTimeoutMs: 300, fetchMaxWaitMs: 100 },
    });
    run.world.partition({ isolate: 'broker-2' });
    run.world.runFor(1_000);
    expect(run.readsOf('t-0')).toHaveLength(10);
    expect(run.readsOf('t-1')).toHaveLength(0);
    // The fetch for t-1 waits for broker 2's handshake; at request.timeout.ms the reader gives the connection up and,
    // after the reconnect backoff, tries again. No fetch goes to broker 2 without a connection.
    const toBroker2 = run.sentByReader('apiVersions.request').filter((e) => e.to === 'broker-2').map((e) => e.sentAtMs);
    expect(toBroker2.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < toBroker2.length; i++) expect((toBroker2[i] as number) - (toBroker2[i - 1] as number)).toBeGreaterThanOrEqual(300);
    expect(run.sentByReader('fetch.request').filter((e) => e.to === 'broker-2')).toEqual([]);
    run.world.heal();
    run.world.runFor(1_000);
    expect(offsetsOf(run.readsOf('t-1'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("ends the fetch to a broker whose connection is reset, keeps off it for reconnect.backoff.ms (doubling), and asks for metadata", () => {
    const run = startReaderRun({ partitions: [partition(0), partition(1, { leader: 2 })] });
    run.world.runFor(500);
    const metadataBefore = run.sentByReader('metadata.request').length;
    // broker-2's process dies; its machine refuses the reader's fetches with a reset instead of letting them wait.
    run.world.crash('broker-2');
    const crashMs = run.world.now;
    run.world.runFor(1_000);
    const resets = run.events.filter((e) => e.kind === 'delivered' && e.envelope.to === READER && e.envelope.message.type === 'connection.reset').map((e) => e.atMs);
    expect(resets.length).toBeGreaterThan(2);
    // After each reset the next connection to broker 2 waits 50 ms, then 100, 200, ... (NetworkClient's reconnect
    // backoff); the dead broker refuses each one, so no fetch goes out to it.
    const retries = run.sentByReader('apiVersions.request').filter((e) => e.to === 'broker-2' && e.sentAtMs > crashMs).map((e) => e.sentAtMs);
    expect(run.sentByReader('fetch.request').filter((e) => e.to === 'broker-2' && e.sentAtMs > crashMs)).toEqual([]);
    expect(retries.length).toBeGreaterThan(1);
    expect((retries[0] as number) - (resets[0] as number)).toBeGreaterThanOrEqual(50);
    expect((retries[1] as number) - (retries[0] as number)).toBeGreaterThanOrEqual(100);
    expect(run.sentByReader('metadata.request').length).toBeGreaterThan(metadataBefore);
    // The other leader's partition was read all along.
    expect(run.readsOf('t-0')).toHaveLength(10);
  });
});

describe('readerMachine: leaders and offsets', () => {
  it('follows a leader change: NOT_LEADER_OR_FOLLOWER, fresh metadata, then fetches from the new leader with its epoch', () => {
    const run = startReaderRun({ partitions: [partition(0, { highWatermark: 4, batches: batchesOf('old-', 0, 4, 2) })] });
    run.world.runFor(500);
    expect(offsetsOf(run.readsOf('t-0'))).toEqual([0, 1, 2, 3]);
    const metadataBefore = run.sentByReader('metadata.request').length;

    // Broker 2 takes over in epoch 1 with the old log and 4 more records.
    const batches = [...batchesOf('old-', 0, 4, 2), ...batchesOf('new-', 4, 8, 2, 1)];
    run.setPartition(partition(0, { leader: 2, leaderEpoch: 1, highWatermark: 8, batches }));
    run.world.runFor(1_000);

    expect(run.readsOf('t-0').map((r) => r.value)).toEqual([...valuesOf('old-', 0, 4), ...valuesOf('new-', 4, 8)]);
    const errors = fetchErrors(run);
    expect(errors).toContain('NOT_LEADER_OR_FOLLOWER');
    expect(run.sentByReader('metadata.request').length).toBeGreaterThan(metadataBefore);
    const toNewLeader = run.sentByReader('fetch.request').filter((e) => e.to === 'broker-2');
    expect(toNewLeader.length).toBeGreaterThan(0);
    for (const e of toNewLeader) expect((e.message as unknown as FetchRequest).partitions[0]?.currentLeaderEpoch).toBe(1);
  });

  it('resets to the log start on OFFSET_OUT_OF_RANGE when its position is past the end of the leader log', () => {
    const run = startReaderRun({ partitions: [partition(0, { highWatermark: 6 })] });
    run.world.runFor(500);
    expect(readerPositions(run.world)).toEqual({ 't-0': 6 });

    // The leader's log now holds 3 records, in the same leader epoch (a shortcut of the fake broker: in Kafka a log
    // shrinks under a reader only with a new leader, and then validation moves the position first, see
    // readerPositionValidation.test.ts): the fetch at 6 is past its end.
    run.setPartition(partition(0, { highWatermark: 3, batches: batchesOf('w', 0, 3, 3) }));
    run.world.runFor(1_000);
    const errors = fetchErrors(run);
    expect(errors).toContain('OFFSET_OUT_OF_RANGE');
    const resets = run.sentByReader('listOffsets.request').map((e) => e.message as unknown as ListOffsetsRequest);
    expect(resets.map((r) => [r.timestamp, r.currentLeaderEpoch])).toContainEqual([-2, 0]);
    expect(run.readsOf('t-0').slice(6).map((r) => [r.offset, r.value])).toEqual([[0, 'w0'], [1, 'w1'], [2, 'w2']]);
    expect(readerPositions(run.world)).toEqual({ 't-0': 3 });
  });

  it('starts at the log start offset when the log no longer begins at 0', () => {
    const run = startReaderRun({ partitions: [partition(0, { logStartOffset: 4, batches: batchesOf('p0-v', 4, 10, 2) })] });
    run.world.runFor(500);
    expect(offsetsOf(run.readsOf('t-0'))).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('refreshes metadata every metadata.max.age.ms, and goes round the bootstrap brokers when one does not answer', () => {
    const run = startReaderRun({
      partitions: [partition(0)],
      reader: { bootstrapBrokers: [1, 2], metadataMaxAgeMs: 500, requestTimeoutMs: 200, fetchMaxWaitMs: 100 },
    });
    run.world.partition({ oneWay: { from: ['broker-1'], to: [READER] } }); // broker 1 hears but cannot answer
    run.world.runFor(400);
    // The first metadata request waits for broker 1's handshake, which never comes back: at request.timeout.ms
    // (200) the reader gives the connection up (NetworkClient's handleTimedOutRequests) and, retry.backoff.ms (100)
    // later, connects to broker 2 and asks it. No metadata request ever went out to broker 1.
    expect(run.sentByReader('apiVersions.request').map((e) => [e.to, e.sentAtMs])).toEqual([
      ['broker-1', 0],
      ['broker-2', 300],
      ['broker-1', expect.any(Number)], // to fetch t-0 from its leader
    ]);
    expect(run.sentByReader('connection.reset').filter((e) => e.to === 'broker-1').map((e) => e.sentAtMs)[0]).toBe(200);
    const metadata = run.sentByReader('metadata.request');
    expect(metadata[0]?.to).toBe('broker-2');
    expect(metadata[0]?.sentAtMs).toBeGreaterThan(300);
    expect(metadata[0]?.sentAtMs).toBeLessThan(320);
    expect(run.readsOf('t-0')).toHaveLength(0); // broker 1 leads t-0
    run.world.heal();
    run.world.runFor(2_000);
    expect(run.readsOf('t-0')).toHaveLength(10);
    // The fetch to broker 1 timed out too (its handshake unanswered), closing that connection again and asking for
    // metadata once more (before the 500 ms age is up). Then one every 500 ms after each answer (network latency adds
    // a few ms), from broker 2, whose connection stays open.
    const sentAtMs = run.sentByReader('metadata.request').map((e) => e.sentAtMs);
    expect(sentAtMs[1]).toBeLessThan((sentAtMs[0] as number) + 500);
    expect(sentAtMs.length).toBeGreaterThanOrEqual(5);
    for (let i = 2; i < sentAtMs.length; i++) {
      const gapMs = (sentAtMs[i] as number) - (sentAtMs[i - 1] as number);
      expect(gapMs).toBeGreaterThanOrEqual(500);
      expect(gapMs).toBeLessThanOrEqual(512);
    }
    expect(new Set(run.sentByReader('metadata.request').map((e) => e.to))).toEqual(new Set(['broker-2']));
  });

  it('waits for a topic that does not exist yet, then assigns all its partitions', () => {
    const run = startReaderRun({ partitions: [partition(0, { topic: 'other' })] });
    run.world.runFor(500);
    expect(run.history()).toEqual([]);
    run.setPartition(partition(0));
    run.setPartition(partition(1));
    run.world.runFor(500);
    expect(run.history()[0]).toMatchObject({ f: 'assign', value: { partitions: ['t-0', 't-1'] } });
    expect(run.readsOf('t-1')).toHaveLength(10);
  });
});

describe('readerMachine: read to end', () => {
  it('seeks to 0 as a new assignment, re-reads everything and stops at the high watermark', () => {
    const run = startReaderRun({ partitions: [partition(0, { highWatermark: 6 }), partition(1, { highWatermark: 4 })] });
    run.world.runFor(500);
    const assignsBefore = run.history().filter((op) => op.f === 'assign' && op.type === 'ok').length;
    const readsBefore = run.readsOf('t-0').length;
    run.world.call(READER, { type: 'client.readToEnd' });
    expect(run.world.runUntil(() => run.doneNotes().length > 0, { maxTimeMs: 5_000 })).toBe(true);

    expect(run.doneNotes()).toEqual([{ readToEnd: 'done', positions: { 't-0': 6, 't-1': 4 } }]);
    const history = run.history();
    expect(history.filter((op) => op.f === 'assign' && op.type === 'ok')).toHaveLength(assignsBefore + 1);
    expect(offsetsOf(run.readsOf('t-0').slice(readsBefore))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(offsetsOf(run.readsOf('t-1').slice(4))).toEqual([0, 1, 2, 3]);
    // The done note follows the poll that found both partitions caught up.
    const doneAt = run.notes.findIndex((n) => (n.data as { readToEnd?: string }).readToEnd === 'done');
    expect(run.notes[doneAt - 1]?.data).toMatchObject({ history: 'complete', type: 'ok', value: { records: [] } });
  });

  it('does not finish while a partition has no leader, and finishes once it has one', () => {
    const run = startReaderRun({ partitions: [partition(0), partition(1)] });
    run.world.runFor(500);
    run.setPartition(partition(1, { leader: -1, leaderEpoch: 1 }));
    run.world.runFor(20);
    run.world.call(READER, { type: 'client.readToEnd' });
    run.world.runFor(2_000);
    expect(run.doneNotes()).toEqual([]);
    run.setPartition(partition(1, { leader: 2, leaderEpoch: 2 }));
    run.world.runFor(1_000);
    expect(run.doneNotes()).toEqual([{ readToEnd: 'done', positions: { 't-0': 10, 't-1': 10 } }]);
  });

  it('waits for a high watermark that moves during the read', () => {
    const run = startReaderRun({ partitions: [partition(0, { highWatermark: 4 })], reader: { maxPollRecords: 2 } });
    run.world.runFor(300);
    run.world.call(READER, { type: 'client.readToEnd' });
    run.world.runFor(60);
    run.setPartition(partition(0, { highWatermark: 10 }));
    expect(run.world.runUntil(() => run.doneNotes().length > 0, { maxTimeMs: 5_000 })).toBe(true);
    expect(run.doneNotes()[0]?.positions).toEqual({ 't-0': 10 });
  });
});

describe('readerMachine: determinism and restarts', () => {
  const scenario = (seed: number): string => {
    const run = startReaderRun({
      seed,
      partitions: [partition(0, { highWatermark: 6 }), partition(1, { leader: 2 })],
      reader: { maxPollRecords: 3, requestTimeoutMs: 150, fetchMaxWaitMs: 50 },
      network: { defaults: { latency: { kind: 'exponential', meanMs: 4, minMs: 1 }, dropProbability: 0.05, duplicateProbability: 0.05 } },
    });
    run.world.schedule([
      { atMs: 300, kind: 'partition', isolate: 'broker-2' },
      { atMs: 600, kind: 'heal' },
    ]);
    run.world.runFor(400);
    run.setPartition(partition(0, { leader: 2, leaderEpoch: 1 }));
    run.world.runFor(600);
    run.world.call(READER, { type: 'client.readToEnd' });
    run.world.runFor(1_000);
    return run.world.traceHash();
  };

  it('gives the same traceHash for the same seed, and another for another seed', () => {
    expect(scenario(11)).toBe(scenario(11));
    expect(scenario(11)).not.toBe(scenario(12));
  });

  it('boots again from offset 0 after a crash, recording a new assignment', () => {
    const run = startReaderRun({ partitions: [partition(0)] });
    run.world.runFor(300);
    run.world.crash(READER);
    run.world.restart(READER);
    run.world.runFor(300);
    const assigns = run.notes.filter((n) => (n.data as { f?: string }).f === 'assign');
    expect(assigns).toHaveLength(2);
    expect(offsetsOf(run.readsOf('t-0'))).toEqual([...Array(10).keys(), ...Array(10).keys()]);
  });
});
