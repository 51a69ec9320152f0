// The operation history clients record, Jepsen-style (DESIGN §4): every client call is an `invoke` followed by
// one completion, `ok`, `fail` (definitely not applied) or `info` (outcome unknown: a timeout,
// NOT_LEADER_OR_FOLLOWER after the request left, a crash mid-request). The checkers in src/checker read it.
// Jepsen's workload (jepsen/src/jepsen/tests/kafka.clj) names a partition by an integer "key"; here a key is
// the topic-partition as Kafka prints it, `${topic}-${partition}`. Everything is plain JSON data.
import { ArgumentError, describeValue } from '../kernel/argumentError.ts';

/** How an operation ended: `invoke` opens it; `ok`, `fail` (not applied) or `info` (unknown) completes it. */
export type OperationType = 'invoke' | 'ok' | 'fail' | 'info';

/** A completion's type. */
export type CompletionType = Exclude<OperationType, 'invoke'>;

/** What a client did, Jepsen's `:f`. */
export type OperationFunction = 'send' | 'poll' | 'commit' | 'subscribe' | 'assign' | 'crash';

/** A send as invoked (and as completed when `fail` or `info`): `partition` only when it is known. */
export interface SendValue {
  topic: string;
  /** The record's key (it picks the partition when none is given). */
  key: string | null;
  /** Unique per run, so a value names the one send that wrote it. */
  value: string;
  partition?: number;
}

/** A record at its place in a partition's log: an acknowledged send, or one record a poll returned. */
export interface LogRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string;
}

/**
 * A poll's value: `{}` when invoked; records only if a failed or indefinite poll still returned some.
 * Subscribed consumers report their group membership so checkers can see rebalances.
 */
export interface PollValue {
  records?: LogRecord[];
  memberId?: string;
  generation?: number;
}

/** What an `ok` poll returned: per partition, contiguous offsets in order. */
export interface PollResult extends PollValue {
  records: LogRecord[];
}

/** Offsets to commit, by topic-partition key: the next offset to read, as Kafka's OffsetAndMetadata. */
export interface CommitValue {
  offsets: Record<string, number>;
}

/** A manual assignment (`KafkaConsumer.assign`), by topic-partition key. */
export interface AssignValue {
  partitions: string[];
}

/** A group subscription (`KafkaConsumer.subscribe`): the coordinator picks the partitions. */
export interface SubscribeValue {
  topics: string[];
}

/** A client crash: the client is thrown away and a fresh one opened (Jepsen's `:crash`). */
export type CrashValue = Record<string, never>;

interface ValuesByType<Invoke, Ok, Other = Invoke> {
  invoke: Invoke;
  ok: Ok;
  fail: Other;
  info: Other;
}

/** The value each kind of operation carries, by function and type. */
export interface OperationValues {
  send: ValuesByType<SendValue, LogRecord>;
  poll: ValuesByType<PollValue, PollResult>;
  commit: ValuesByType<CommitValue, CommitValue>;
  subscribe: ValuesByType<SubscribeValue, SubscribeValue>;
  assign: ValuesByType<AssignValue, AssignValue>;
  crash: ValuesByType<CrashValue, CrashValue>;
}

/** The fields every operation has; `value`'s shape follows `f` and `type`. */
export interface OperationFields<F extends OperationFunction, T extends OperationType> {
  /** Position in the history. */
  index: number;
  /** The client that performed it. */
  process: string;
  type: T;
  f: F;
  value: OperationValues[F][T];
  /** Virtual time. */
  timeMs: number;
}

/**
 * The operations of the given functions and types, as a union with one member per (f, type), so checking
 * `f` and `type` narrows `value`: `OperationOf<'send', 'ok'>` carries the offset.
 */
export type OperationOf<F extends OperationFunction = OperationFunction, T extends OperationType = OperationType> =
  F extends OperationFunction ? (T extends OperationType ? OperationFields<F, T> : never) : never;

/** One entry of a history. */
export type Operation = OperationOf;

/** The value an invocation of `f` carries. */
export type InvokeValue<F extends OperationFunction> = OperationValues[F]['invoke'];

/** Any completion's value (the function comes from the invocation it completes). */
export type CompletionValue = {
  [F in OperationFunction]: OperationValues[F][CompletionType];
}[OperationFunction];

/** A whole history, in the order the operations happened. */
export type History = readonly Operation[];

/** Jepsen's key for a record: its topic-partition as Kafka prints it (`orders-3`). */
export function keyOf(record: { topic: string; partition: number }): string {
  return `${record.topic}-${record.partition}`;
}

/**
 * Records a history as clients run. A process has at most one operation outstanding, as in Jepsen, except
 * that sends pipeline: a producer's `send()` returns a future and the next send goes before it completes, so a
 * process may have many sends outstanding, but nothing else while it does. Commits are asynchronous too
 * (KafkaConsumer.commitAsync completes through a callback): a group consumer polls while its commits are open. Completions name their invocation
 * by index, so each pairs with exactly one; misuse throws at the call that broke the rule.
 */
export class HistoryRecorder {
  private readonly ops: Operation[] = [];
  /** process -> indexes of its outstanding invocations (several only for sends). */
  private readonly outstanding = new Map<string, Set<number>>();
  /** For each invocation, the index of its completion plus one (0: not completed): 4 bytes an operation. */
  private completions = new Int32Array(1024);

  /** Opens an operation; returns its index, which `complete` takes. */
  invoke<F extends OperationFunction>(process: string, f: F, value: InvokeValue<F>, timeMs: number): number {
    if (typeof process !== 'string' || process === '') {
      throw new ArgumentError('HistoryRecorder.invoke', 'process', process, 'a non-empty client id');
    }
    const open = this.outstanding.get(process);
    // Commits are asynchronous (commitAsync): they neither wait for nor hold up the client's other operations.
    const first = f === 'commit' ? undefined : [...(open ?? [])].find((i) => this.ops[i]?.f !== 'commit');
    if (first !== undefined && (f !== 'send' || this.ops[first]?.f !== 'send')) {
      const what = f === 'send' ? 'no operation other than sends outstanding' : 'no operation outstanding';
      throw new ArgumentError(
        'HistoryRecorder.invoke',
        'process',
        process,
        `a client with ${what} (its ${this.ops[first]?.f} at index ${first} is still open: complete it first)`,
      );
    }
    this.checkTime('HistoryRecorder.invoke', timeMs);
    const index = this.ops.length;
    // The cast is sound: `value` has the invoke shape for `f`, which is what OperationOf<F, 'invoke'> holds.
    this.ops.push({ index, process, type: 'invoke', f, value, timeMs } as Operation);
    if (open === undefined) this.outstanding.set(process, new Set([index]));
    else open.add(index);
    return index;
  }

  /** Completes the invocation at `invokeIndex`; returns the completion's index. */
  complete(invokeIndex: number, type: CompletionType, value: CompletionValue, timeMs: number): number {
    const where = 'HistoryRecorder.complete';
    const invocation = this.ops[invokeIndex];
    if (!Number.isInteger(invokeIndex) || invocation === undefined) {
      const range = this.ops.length === 0 ? 'none yet' : `0..${this.ops.length - 1}`;
      throw new ArgumentError(where, 'invokeIndex', invokeIndex, `the index of an operation in this history (${range})`);
    }
    if (invocation.type !== 'invoke') {
      throw new ArgumentError(
        where,
        'invokeIndex',
        invokeIndex,
        `the index of an invocation, not of a completion (operation ${invokeIndex} is an ${invocation.type} ${invocation.f}; pass the index invoke() returned)`,
      );
    }
    const completedBy = (this.completions[invokeIndex] ?? 0) - 1;
    if (completedBy >= 0) {
      throw new ArgumentError(
        where,
        'invokeIndex',
        invokeIndex,
        `an outstanding invocation (the ${invocation.f} by ${describeValue(invocation.process)} was already completed by operation ${completedBy})`,
      );
    }
    if (type !== 'ok' && type !== 'fail' && type !== 'info') {
      throw new ArgumentError(where, 'type', type, "'ok', 'fail' or 'info'");
    }
    this.checkTime(where, timeMs);
    const index = this.ops.length;
    const { process, f } = invocation;
    // The cast trusts the caller to pass the completion shape for this invocation's `f`: the function is
    // known only at run time, from the invocation.
    this.ops.push({ index, process, type, f, value, timeMs } as Operation);
    if (invokeIndex >= this.completions.length) {
      const grown = new Int32Array(Math.max(this.completions.length * 2, invokeIndex + 1));
      grown.set(this.completions);
      this.completions = grown;
    }
    this.completions[invokeIndex] = index + 1;
    const open = this.outstanding.get(process);
    open?.delete(invokeIndex);
    if (open?.size === 0) this.outstanding.delete(process);
    return index;
  }

  /** The indexes of the invocations `process` has not completed yet, oldest first. */
  outstandingOf(process: string): number[] {
    return [...(this.outstanding.get(process) ?? [])];
  }

  /** The history so far (the recorder's own array: read it, do not change it). */
  operations(): History {
    return this.ops;
  }

  // Clients record as virtual time runs, so a history is in time order; a step back means a misplaced call.
  private checkTime(where: string, timeMs: number): void {
    const last = this.ops.at(-1)?.timeMs ?? Number.NEGATIVE_INFINITY;
    if (typeof timeMs !== 'number' || !Number.isFinite(timeMs) || timeMs < last) {
      const allowed = this.ops.length === 0 ? 'a finite number' : `a finite number >= ${last} (time does not go backwards)`;
      throw new ArgumentError(where, 'timeMs', timeMs, allowed);
    }
  }
}
