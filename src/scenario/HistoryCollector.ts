import type { Subscription } from 'rxjs';
import { HistoryRecorder, type History, type LogRecord } from '../history/History.ts';
import { isHistoryNote } from '../history/HistoryNote.ts';
import type { NodeNote } from '../kernel/NodeHost.ts';

// Turns the history notes client machines emit into one Jepsen-style history. A client's operation ids count
// per boot, so an operation is named by (node, boot, id). When a client boots again, or the run ends, its
// operations still open are completed as `info`: a crashed client never learned how they ended (Jepsen's
// `:crash` makes them indeterminate too).

/** Collects the history of a run from the World's note stream. */
export class HistoryCollector {
  private readonly recorder = new HistoryRecorder();
  /** `node#boot:id` -> invocation index, for operations not completed yet. */
  private readonly open = new Map<string, number>();
  /** node -> the boot its latest note came from. */
  private readonly boots = new Map<string, number>();
  private lastTimeMs = 0;
  /**
   * One LogRecord object per place in a log (`topic-partition` -> offset), shared by the acknowledged send and every
   * poll that returned the same record: a record read twice (and sent once) is kept once. A record that differs
   * from the one kept (the log was truncated and written again there) replaces it.
   */
  private readonly records = new Map<string, LogRecord[]>();

  /** Feeds one note (notes that are not history notes are ignored). */
  observe(note: NodeNote): void {
    if (!isHistoryNote(note.data)) return;
    this.lastTimeMs = note.atMs;
    const boot = this.boots.get(note.node);
    if (boot !== undefined && boot !== note.incarnation) this.abandon(note.node, note.atMs);
    this.boots.set(note.node, note.incarnation);
    const key = `${note.node}#${note.incarnation}:${note.data.id}`;
    if (note.data.history === 'invoke') {
      this.open.set(key, this.recorder.invoke(note.node, note.data.f, note.data.value as never, note.atMs));
      return;
    }
    const invokeIndex = this.open.get(key);
    if (invokeIndex === undefined) throw new Error(`history note completes unknown operation ${key}`);
    this.open.delete(key);
    const f = this.recorder.operations()[invokeIndex]?.f;
    this.recorder.complete(invokeIndex, note.data.type, this.shared(f, note.data.type, note.data.value) as never, note.atMs);
  }

  // The value with its records replaced by the shared ones: an acknowledged send's record, a poll's records.
  private shared(f: string | undefined, type: string, value: unknown): unknown {
    if (type !== 'ok' || typeof value !== 'object' || value === null) return value;
    if (f === 'send' && isLogRecord(value)) return this.intern(value);
    const records = (value as { records?: unknown }).records;
    if (f !== 'poll' || !Array.isArray(records) || !records.every(isLogRecord)) return value;
    return { ...value, records: records.map((record) => this.intern(record)) };
  }

  private intern(record: LogRecord): LogRecord {
    const key = `${record.topic}-${record.partition}`;
    let log = this.records.get(key);
    if (log === undefined) this.records.set(key, (log = []));
    const kept = log[record.offset];
    if (kept !== undefined && kept.key === record.key && kept.value === record.value) return kept;
    log[record.offset] = record;
    return record;
  }

  /** Subscribes to a note stream. */
  subscribe(notes$: { subscribe(observer: (note: NodeNote) => void): Subscription }): Subscription {
    return notes$.subscribe((note) => this.observe(note));
  }

  /** Whether an operation of kind `f` (a send, a poll) is still waiting for its answer. */
  hasOpen(f: string): boolean {
    const operations = this.recorder.operations();
    for (const invokeIndex of this.open.values()) if (operations[invokeIndex]?.f === f) return true;
    return false;
  }

  /** The history so far, with operations still open left open (the run goes on). */
  snapshot(): History {
    return [...this.recorder.operations()];
  }

  /** Ends the history: every operation still open completes as `info` at `atMs`. */
  finish(atMs: number): History {
    for (const node of new Set([...this.open.keys()].map((key) => key.slice(0, key.indexOf('#'))))) this.abandon(node, Math.max(atMs, this.lastTimeMs));
    return this.recorder.operations();
  }

  // Completes the node's open operations as info: its process is gone, and with it any answer.
  private abandon(node: string, atMs: number): void {
    const prefix = `${node}#`;
    for (const [key, invokeIndex] of [...this.open]) {
      if (!key.startsWith(prefix)) continue;
      const invocation = this.recorder.operations()[invokeIndex];
      this.recorder.complete(invokeIndex, 'info', (invocation?.value ?? {}) as never, atMs);
      this.open.delete(key);
    }
  }
}

function isLogRecord(value: unknown): value is LogRecord {
  const record = value as LogRecord;
  return typeof record === 'object' && record !== null && typeof record.topic === 'string' && Number.isInteger(record.partition) && Number.isInteger(record.offset) && record.offset >= 0;
}
