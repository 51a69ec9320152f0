import { describe, expect, it } from 'vitest';
import { fetchedRecords } from '../../../actors/reader/index.ts';
import { batchesOf } from './fakeBroker.ts';

const response = (batches = batchesOf('v', 0, 9, 3)) => ({ topic: 't', partition: 2, batches });

describe('fetchedRecords', () => {
  it('returns every record from the position, with its offset, topic and partition', () => {
    const { records, nextPosition } = fetchedRecords(response(), 0, 500);
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(records[4]).toEqual({ topic: 't', partition: 2, offset: 4, key: null, value: 'v4' });
    expect(nextPosition).toBe(9);
  });

  it('skips the records of a batch that starts below the position', () => {
    const { records, nextPosition } = fetchedRecords(response(), 4, 500);
    expect(records.map((r) => r.value)).toEqual(['v4', 'v5', 'v6', 'v7', 'v8']);
    expect(nextPosition).toBe(9);
  });

  it('returns at most maxRecords, and the position after the last one returned', () => {
    const { records, nextPosition } = fetchedRecords(response(), 1, 4);
    expect(records.map((r) => r.offset)).toEqual([1, 2, 3, 4]);
    expect(nextPosition).toBe(5);
  });

  it('keeps the position when nothing is returned', () => {
    expect(fetchedRecords(response([]), 7, 500)).toEqual({ records: [], nextPosition: 7 });
  });

  it('never goes back: a batch repeated or out of order gives nothing again', () => {
    const [a, b] = batchesOf('v', 0, 6, 3);
    const { records } = fetchedRecords(response([a!, b!, a!]), 0, 500);
    expect(records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
