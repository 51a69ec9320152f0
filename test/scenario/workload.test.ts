import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/kernel/Rng.ts';
import { HistoryCollector } from '../../src/scenario/HistoryCollector.ts';
import { mergeByTime, workloadCalls } from '../../src/scenario/workload.ts';
import type { LogRecord } from '../../src/history/History.ts';

describe('workloadCalls', () => {
  it('makes calls as they are taken: a workload of a billion records starts at once', () => {
    const calls = workloadCalls([{ id: 'p', workload: { topic: 't', records: 1e9, ratePerSec: 1_000, keys: { kind: 'null' } } }], () => 1, 0, new Rng(1));
    expect(calls.next().value).toMatchObject({ atMs: 0, to: 'p', command: { value: 'p:0' } });
    expect(calls.next().value).toMatchObject({ atMs: 1, command: { value: 'p:1' } });
  });

  it('orders every producer\'s calls by time, earlier producers first at the same instant', () => {
    const workload = (ratePerSec: number) => ({ topic: 't', records: 5, ratePerSec, keys: { kind: 'keyspace' as const, size: 3 } });
    const calls = [...workloadCalls([{ id: 'a', workload: workload(500) }, { id: 'b', workload: workload(1_000) }], () => 1, 10, new Rng(1))];
    expect(calls.map((c) => `${c.atMs}:${c.command.value}`)).toEqual(['10:a:0', '10:b:0', '11:b:1', '12:a:1', '12:b:2', '13:b:3', '14:a:2', '14:b:4', '16:a:3', '18:a:4']);
  });
});

describe('mergeByTime', () => {
  it('gives what a stable sort of the streams, concatenated, gives', () => {
    const stream = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 8 }).map((times) => times.sort((x, y) => x - y));
    fc.assert(
      fc.property(fc.array(stream, { maxLength: 4 }), (streams) => {
        const items = streams.map((times, s) => times.map((atMs, i) => ({ atMs, id: `${s}.${i}` })));
        const merged = [...mergeByTime(items.map((xs) => xs[Symbol.iterator]()))];
        expect(merged).toEqual(items.flat().sort((x, y) => x.atMs - y.atMs));
      }),
    );
  });
});

describe('HistoryCollector', () => {
  const record = (offset: number, value: string): LogRecord => ({ topic: 't', partition: 0, offset, key: null, value });
  const note = (atMs: number, node: string, data: object) => ({ atMs, node, incarnation: 1, data });

  it('keeps one object for a record that was acknowledged and read, and a rewritten offset apart', () => {
    const collector = new HistoryCollector();
    collector.observe(note(1, 'producer-1', { history: 'invoke', id: 0, f: 'send', value: { topic: 't', key: null, value: 'a' } }));
    collector.observe(note(2, 'producer-1', { history: 'complete', id: 0, type: 'ok', value: record(0, 'a') }));
    collector.observe(note(3, 'reader-1', { history: 'invoke', id: 0, f: 'poll', value: {} }));
    collector.observe(note(4, 'reader-1', { history: 'complete', id: 0, type: 'ok', value: { records: [record(0, 'a'), record(1, 'b')] } }));
    collector.observe(note(5, 'reader-1', { history: 'invoke', id: 1, f: 'poll', value: {} }));
    collector.observe(note(6, 'reader-1', { history: 'complete', id: 1, type: 'ok', value: { records: [record(0, 'a'), record(1, 'c')] } }));
    const history = collector.finish(7);
    const sent = history[1]?.value as LogRecord;
    const [first, second] = [history[3]?.value, history[5]?.value] as Array<{ records: LogRecord[] }>;
    expect(first?.records[0]).toBe(sent);
    expect(second?.records[0]).toBe(sent);
    expect(second?.records[1]).toEqual(record(1, 'c'));
    expect(first?.records[1]).toEqual(record(1, 'b'));
  });
});
