import { describe, expect, it } from 'vitest';
import { checkGroups } from '../../../src/checker/group/index.ts';
import { HistoryRecorder } from '../../../src/history/History.ts';
import { expectedRecords, GroupLogBuilder, range } from './groupLogBuilder.ts';

const checkerNames = ['single-owner', 'stale-commit', 'committed-offsets', 'processing-order', 'at-least-once', 'group-drained'];

describe('checkGroups', () => {
  it('passes a clean hand-over although the history holds no commits to judge', () => {
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .processed('c1', 'm-1', 3, 'orders-1', range(0, 4))
      .owned('c1', 'm-1', 3, [])
      .owned('c2', 'm-2', 4, ['orders-1'])
      .processed('c2', 'm-2', 4, 'orders-1', range(4, 8));
    const result = checkGroups({ log: b.log, history: [], groupOf: { c1: 'billing', c2: 'billing' }, expected: expectedRecords('orders-1', range(0, 8)) });
    expect(result.valid).toBe(true);
    expect(result.anomalies).toEqual({});
    expect(result.results.map((r) => [r.checker, r.valid])).toEqual([
      ['single-owner', true],
      ['stale-commit', 'unknown'],
      ['committed-offsets', 'unknown'],
      ['processing-order', true],
      ['at-least-once', true],
      ['group-drained', true],
    ]);
  });

  it('is invalid when any checker is, and lists every anomaly found by name', () => {
    const recorder = new HistoryRecorder();
    recorder.complete(recorder.invoke('c2', 'commit', { offsets: { 'orders-1': 8 } }, 1), 'ok', { offsets: { 'orders-1': 8 } }, 2);
    recorder.complete(recorder.invoke('c1', 'commit', { offsets: { 'orders-1': 4 } }, 3), 'ok', { offsets: { 'orders-1': 4 } }, 4);
    const b = new GroupLogBuilder()
      .owned('c1', 'm-1', 3, ['orders-1'])
      .owned('c2', 'm-2', 3, ['orders-1'])
      .commitAccepted('broker-1', 'm-2', 4, 4, { 'orders-1': 8 })
      .commitAccepted('broker-1', 'm-1', 3, 4, { 'orders-1': 4 });
    const result = checkGroups({ log: b.log, history: recorder.operations(), groupOf: { c1: 'billing', c2: 'billing' }, expected: expectedRecords('orders-1', [0]) });
    expect(result.valid).toBe(false);
    expect(result.anomalies).toEqual({ 'double-ownership': 1, 'stale-generation-commit': 1, 'committed-offset-regression': 1, unprocessed: 1 });
  });

  it("is 'unknown' when no checker had anything to judge", () => {
    const result = checkGroups({ log: [], history: [], groupOf: {}, expected: [] });
    expect(result.valid).toBe('unknown');
    expect(result.results.map((r) => r.checker)).toEqual(checkerNames);
  });
});
