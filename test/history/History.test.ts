import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { HistoryRecorder, keyOf, type Operation } from '../../src/history/History.ts';

describe('HistoryRecorder', () => {
  it('records invocations and completions in order, pairing each completion with its invocation', () => {
    const recorder = new HistoryRecorder();
    const send = recorder.invoke('p0', 'send', { topic: 'orders', key: 'k', value: 'v1' }, 10);
    const poll = recorder.invoke('p1', 'poll', {}, 11);
    const polled = recorder.complete(poll, 'ok', { records: [], memberId: 'm-1', generation: 2 }, 12);
    const sent = recorder.complete(send, 'ok', { topic: 'orders', partition: 3, offset: 7, key: 'k', value: 'v1' }, 12);

    expect([send, poll, polled, sent]).toEqual([0, 1, 2, 3]);
    expect(recorder.operations()).toEqual<Operation[]>([
      { index: 0, process: 'p0', type: 'invoke', f: 'send', value: { topic: 'orders', key: 'k', value: 'v1' }, timeMs: 10 },
      { index: 1, process: 'p1', type: 'invoke', f: 'poll', value: {}, timeMs: 11 },
      { index: 2, process: 'p1', type: 'ok', f: 'poll', value: { records: [], memberId: 'm-1', generation: 2 }, timeMs: 12 },
      { index: 3, process: 'p0', type: 'ok', f: 'send', value: { topic: 'orders', partition: 3, offset: 7, key: 'k', value: 'v1' }, timeMs: 12 },
    ]);
  });

  it('lets a process invoke again once its operation completed, whatever the outcome', () => {
    const recorder = new HistoryRecorder();
    for (const type of ['fail', 'info', 'ok'] as const) {
      const index = recorder.invoke('p0', 'assign', { partitions: ['t-0'] }, 0);
      recorder.complete(index, type, { partitions: ['t-0'] }, 0);
    }
    expect(recorder.operations().map((op) => op.type)).toEqual(['invoke', 'fail', 'invoke', 'info', 'invoke', 'ok']);
  });

  it('keeps the history JSON-safe: it survives a round trip through JSON unchanged', () => {
    const recorder = new HistoryRecorder();
    const crash = recorder.invoke('p0', 'crash', {}, 1);
    recorder.complete(crash, 'info', {}, 2);
    const commit = recorder.invoke('p0', 'commit', { offsets: { 't-0': 4 } }, 3);
    recorder.complete(commit, 'ok', { offsets: { 't-0': 4 } }, 3);
    const subscribe = recorder.invoke('p0', 'subscribe', { topics: ['t'] }, 4);
    recorder.complete(subscribe, 'ok', { topics: ['t'] }, 5);
    expect(JSON.parse(JSON.stringify(recorder.operations()))).toEqual(recorder.operations());
  });

  it('throws when a process invokes while it has an operation outstanding', () => {
    const recorder = new HistoryRecorder();
    recorder.invoke('p0', 'poll', {}, 0);
    expect(() => recorder.invoke('p0', 'send', { topic: 't', key: null, value: 'v' }, 1)).toThrow(
      /HistoryRecorder\.invoke: process must be a client with no operation other than sends outstanding \(its poll at index 0 is still open: complete it first\), got "p0"/,
    );
    expect(() => recorder.invoke('p1', 'poll', {}, 1)).not.toThrow();
  });

  it('lets a producer pipeline sends, but nothing else while a send is open', () => {
    const recorder = new HistoryRecorder();
    const first = recorder.invoke('p0', 'send', { topic: 't', key: null, value: 'a' }, 0);
    const second = recorder.invoke('p0', 'send', { topic: 't', key: null, value: 'b' }, 1);
    expect(recorder.outstandingOf('p0')).toEqual([first, second]);
    expect(() => recorder.invoke('p0', 'poll', {}, 2)).toThrow(/no operation outstanding \(its send at index 0 is still open/);
    recorder.complete(second, 'ok', { topic: 't', partition: 0, offset: 0, key: null, value: 'b' }, 3);
    recorder.complete(first, 'ok', { topic: 't', partition: 0, offset: 1, key: null, value: 'a' }, 4);
    expect(recorder.outstandingOf('p0')).toEqual([]);
    expect(() => recorder.invoke('p0', 'poll', {}, 5)).not.toThrow();
  });

  it('throws when an operation is completed twice', () => {
    const recorder = new HistoryRecorder();
    const poll = recorder.invoke('p0', 'poll', {}, 0);
    recorder.complete(poll, 'ok', { records: [] }, 1);
    expect(() => recorder.complete(poll, 'info', {}, 2)).toThrow(/already completed by operation 1/);
  });

  it('throws when the index is unknown or names a completion', () => {
    const recorder = new HistoryRecorder();
    expect(() => recorder.complete(0, 'ok', {}, 0)).toThrow(/invokeIndex must be the index of an operation in this history \(none yet\), got 0/);
    const poll = recorder.invoke('p0', 'poll', {}, 0);
    const done = recorder.complete(poll, 'ok', { records: [] }, 0);
    expect(() => recorder.complete(7, 'ok', {}, 0)).toThrow(/\(0\.\.1\), got 7/);
    expect(() => recorder.complete(-1, 'ok', {}, 0)).toThrow(ArgumentError);
    expect(() => recorder.complete(done, 'ok', {}, 0)).toThrow(/not of a completion \(operation 1 is an ok poll/);
  });

  it("throws when a completion's type is 'invoke'", () => {
    const recorder = new HistoryRecorder();
    const poll = recorder.invoke('p0', 'poll', {}, 0);
    // @ts-expect-error: the type system already refuses it; the check is for JavaScript callers.
    expect(() => recorder.complete(poll, 'invoke', {}, 0)).toThrow(/type must be 'ok', 'fail' or 'info', got "invoke"/);
  });

  it('throws on an empty process id and on time going backwards or not finite', () => {
    const recorder = new HistoryRecorder();
    expect(() => recorder.invoke('', 'poll', {}, 0)).toThrow(/process must be a non-empty client id/);
    expect(() => recorder.invoke('p0', 'poll', {}, Number.NaN)).toThrow(/timeMs must be a finite number, got NaN/);
    const poll = recorder.invoke('p0', 'poll', {}, 5);
    expect(() => recorder.complete(poll, 'ok', { records: [] }, 4)).toThrow(/timeMs must be a finite number >= 5 \(time does not go backwards\), got 4/);
    // A rejected call records nothing, so the operation can still be completed.
    expect(recorder.complete(poll, 'ok', { records: [] }, 5)).toBe(1);
  });
});

describe('keyOf', () => {
  it("names a record's partition as Kafka prints a TopicPartition", () => {
    expect(keyOf({ topic: 'orders', partition: 3 })).toBe('orders-3');
  });
});
