import { HistoryRecorder, type CompletionType, type History, type LogRecord } from '../../src/history/History.ts';

/** `[offset, value]` pairs, as Jepsen's kafka_test.clj writes a poll's reads of one key. */
export type Reads = Array<[offset: number, value: string]>;

/** Group membership a subscribed consumer reports with a poll. */
export interface Membership {
  memberId: string;
  generation: number;
}

/**
 * Hand-built histories in the style of Jepsen's kafka_test.clj: each call records an invocation and its
 * completion through a HistoryRecorder and returns the completion's index. Topics stand for Jepsen's keys:
 * `reads` is by topic, partition 0 unless a key is written `topic-partition`, so `x` is the key `x-0`.
 */
export class TestHistory {
  private readonly recorder = new HistoryRecorder();
  private timeMs = 0;

  get ops(): History {
    return this.recorder.operations();
  }

  sendOk(process: string, topic: string, offset: number, value: string, partition = 0): number {
    const invoke = this.recorder.invoke(process, 'send', { topic, key: null, value, partition }, this.tick());
    return this.recorder.complete(invoke, 'ok', { topic, partition, offset, key: null, value }, this.tick());
  }

  sendInfo(process: string, topic: string, value: string, partition?: number): number {
    return this.sendUnacked('info', process, topic, value, partition);
  }

  sendFail(process: string, topic: string, value: string, partition?: number): number {
    return this.sendUnacked('fail', process, topic, value, partition);
  }

  poll(process: string, type: CompletionType, reads: Record<string, Reads>, membership?: Membership): number {
    const invoke = this.recorder.invoke(process, 'poll', {}, this.tick());
    const records: LogRecord[] = Object.entries(reads).flatMap(([key, pairs]) => {
      const { topic, partition } = parseKey(key);
      return pairs.map(([offset, value]) => ({ topic, partition, offset, key: null, value }));
    });
    return this.recorder.complete(invoke, type, { records, ...membership }, this.tick());
  }

  pollOk(process: string, reads: Record<string, Reads>, membership?: Membership): number {
    return this.poll(process, 'ok', reads, membership);
  }

  assign(process: string, partitions: string[], type: CompletionType = 'ok'): number {
    const invoke = this.recorder.invoke(process, 'assign', { partitions }, this.tick());
    return this.recorder.complete(invoke, type, { partitions }, this.tick());
  }

  subscribe(process: string, topics: string[], type: CompletionType = 'ok'): number {
    const invoke = this.recorder.invoke(process, 'subscribe', { topics }, this.tick());
    return this.recorder.complete(invoke, type, { topics }, this.tick());
  }

  commit(process: string, offsets: Record<string, number>): number {
    const invoke = this.recorder.invoke(process, 'commit', { offsets }, this.tick());
    return this.recorder.complete(invoke, 'ok', { offsets }, this.tick());
  }

  crash(process: string): number {
    const invoke = this.recorder.invoke(process, 'crash', {}, this.tick());
    return this.recorder.complete(invoke, 'info', {}, this.tick());
  }

  private sendUnacked(type: 'info' | 'fail', process: string, topic: string, value: string, partition?: number): number {
    const sent = { topic, key: null, value, ...(partition === undefined ? {} : { partition }) };
    const invoke = this.recorder.invoke(process, 'send', sent, this.tick());
    return this.recorder.complete(invoke, type, sent, this.tick());
  }

  private tick(): number {
    this.timeMs += 1;
    return this.timeMs;
  }
}

function parseKey(key: string): { topic: string; partition: number } {
  const match = /^(.*)-(\d+)$/.exec(key);
  return match === null ? { topic: key, partition: 0 } : { topic: match[1] ?? key, partition: Number(match[2]) };
}
