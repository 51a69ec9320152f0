import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../src/history/History.ts';
import {
  commitValue,
  dropPartitions,
  enqueuePolled,
  finishRecord,
  idleProcessing,
  isProcessingIdle,
  pollValue,
  processingTimeOf,
  startNextRecord,
} from '../../../actors/consumer/processing.ts';

const record = (partition: number, offset: number): LogRecord => ({ topic: 't', partition, offset, key: null, value: `${partition}:${offset}` });

describe('processing', () => {
  it('processes partition by partition in offset order, one record per processingTimeMs', () => {
    let p = enqueuePolled(idleProcessing, [record(1, 4), record(0, 7), record(1, 5), record(0, 8)]);
    const done: string[] = [];
    let nowMs = 100;
    while (!isProcessingIdle(p)) {
      p = startNextRecord(p, nowMs, 10);
      nowMs = p.current?.doneAtMs ?? nowMs;
      const finished = finishRecord(p, nowMs);
      done.push(finished.record.value);
      p = finished.state;
    }
    expect(done).toEqual(['1:4', '1:5', '0:7', '0:8']);
    expect(nowMs).toBe(100 + processingTimeOf([record(0, 0), record(0, 1), record(0, 2), record(0, 3)], 10));
  });

  it('does not finish a record before its processing time is over', () => {
    const p = startNextRecord(enqueuePolled(idleProcessing, [record(0, 0)]), 0, 10);
    expect(() => finishRecord(p, 9)).toThrow(/before its processing time/);
  });

  it('refuses a poll whose records of one partition go backwards', () => {
    expect(() => enqueuePolled(idleProcessing, [record(0, 5), record(0, 4)])).toThrow(/poll returned t-0@4/);
  });

  it('drops the waiting records of revoked partitions but lets the current one finish', () => {
    const p = startNextRecord(enqueuePolled(idleProcessing, [record(0, 0), record(0, 1), record(1, 0)]), 0, 10);
    const dropped = dropPartitions(p, ['t-0']);
    expect(dropped.current?.record).toEqual(record(0, 0));
    expect(dropped.queue).toEqual([record(1, 0)]);
  });
});

describe('history values', () => {
  it('reports a poll with the member id and generation the member believed it had', () => {
    const value = pollValue({ memberId: 'c1-1', generationId: 4 }, [record(0, 3)]);
    expect(value).toEqual({ records: [record(0, 3)], memberId: 'c1-1', generation: 4 });
  });

  it('reports a commit as offsets by topic-partition key', () => {
    expect(commitValue({ 't-0': 4 })).toEqual({ offsets: { 't-0': 4 } });
  });
});
