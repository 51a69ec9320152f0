import { describe, expect, it } from 'vitest';
import { collectRecords, emptyFetcher, onFetchResponse, sendFetches, fetchDefaults, type Fetcher } from '../../../actors/client/fetcher.ts';
import type { FetchResponse, RecordBatch } from '../../../src/protocol/messages.ts';

function batch(baseOffset: number, count: number, leaderEpoch: number): RecordBatch {
  const records = Array.from({ length: count }, (_, i) => ({ key: null, value: `e${leaderEpoch}@${baseOffset + i}` }));
  return { baseOffset, leaderEpoch, producerId: -1, producerEpoch: -1, baseSequence: -1, sizeInBytes: 100, records };
}

/** A fetch of t-0 and t-1 at offset 2 sent to broker 1, answered with `batches` for each. */
function fetched(batches: Record<string, RecordBatch[]>, positions: Record<string, number>): Fetcher {
  const targets = ['t-0', 't-1'].map((key, partition) => ({ key, topic: 't', partition, position: 2, leader: 1, leaderEpoch: 3 }));
  const sent = sendFetches(emptyFetcher(), targets, { settings: fetchDefaults, send: () => 1 });
  const response: FetchResponse & { from: string } = {
    type: 'fetch.response',
    correlationId: 1,
    partitions: Object.entries(batches).map(([key, list]) => ({ topic: 't', partition: Number(key.slice(2)), highWatermark: 20, logStartOffset: 0, batches: list })),
    from: 'broker-1',
  };
  return onFetchResponse(sent, response, positions, () => true).fetcher;
}

describe('fetcher: leader epochs of the records poll() returns (FetchPosition.offsetEpoch)', () => {
  it("gives each moved position the epoch of its last record's batch, also when a poll stops inside the buffer", () => {
    // t-0: offsets 0-3 in epoch 1 (the fetch asked from 2), 4-5 in epoch 3.
    const fetcher = fetched({ 't-0': [batch(0, 4, 1), batch(4, 2, 3)] }, { 't-0': 2, 't-1': 2 });
    const first = collectRecords(fetcher, { 't-0': 2, 't-1': 2 }, 2);
    expect(first.records.map((r) => r.offset)).toEqual([2, 3]);
    expect(first.offsetEpochs).toEqual({ 't-0': 1 });
    const second = collectRecords(first.fetcher, first.positions, 10);
    expect(second.records.map((r) => r.offset)).toEqual([4, 5]);
    expect(second.offsetEpochs).toEqual({ 't-0': 3 });
    expect(second.positions).toEqual({ 't-0': 6, 't-1': 2 });
  });

  it('drops the answer for a partition left out of the positions (one awaiting validation)', () => {
    const fetcher = fetched({ 't-0': [batch(2, 2, 1)], 't-1': [batch(2, 2, 1)] }, { 't-1': 2 });
    expect(Object.keys(fetcher.buffer)).toEqual(['t-1']);
  });
});
