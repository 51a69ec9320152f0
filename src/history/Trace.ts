import { createHash, type Hash } from 'node:crypto';
import { asciiBytes, JsonLineWriter } from './JsonLineWriter.ts';
import { stableStringify } from './stableStringify.ts';
import { writeStableJson } from './writeStableJson.ts';

/** Why a message did not reach its destination (`reset`: it followed a lost message on its connection). */
export type DropReason = 'partition' | 'loss' | 'crashed' | 'unknown-destination' | 'reset';

/**
 * One line of the trace. `t` is virtual time in ms; `id` numbers envelopes in send order. Nothing here may
 * depend on the wall clock or on process-global counters (XState's sessionId), so two runs of the same
 * seed give the same lines in one process or in two.
 */
export type TraceEntry =
  | { t: number; kind: 'sent'; id: number; from: string; to: string; message: unknown }
  | { t: number; kind: 'delivered'; id: number; to: string }
  | { t: number; kind: 'dropped'; id: number; to: string; reason: DropReason }
  | { t: number; kind: 'duplicated'; id: number; to: string }
  | { t: number; kind: 'timer'; node: string; event: string }
  | { t: number; kind: 'state'; node: string; value: unknown }
  | { t: number; kind: 'node'; node: string; event: 'added' | 'started' | 'crashed' | 'exited' | 'paused' | 'resumed' | 'powerLoss' }
  | { t: number; kind: 'fault'; fault: unknown; effect: 'applied' | 'no-op' }
  | { t: number; kind: 'note'; node: string; data: unknown }
  /** The application in a node's process called its client (World.call); dropped when the process was down. */
  | { t: number; kind: 'call'; node: string; event: unknown; outcome: 'taken' | 'dropped' };

/**
 * How much of the trace a World keeps: every line (`full`), only the running hash (`hash`), or nothing (`none`: a
 * property check's search runs, which need only the verdict; the counterexample it reports is run again with its
 * hash).
 */
export type TraceMode = 'full' | 'hash' | 'none';

const CHUNK_BYTES = 1 << 16;

/**
 * The run's trace: stable JSON lines (keys sorted), hashed as they are written: SHA-256 over the lines'
 * UTF-8 bytes joined by `\n`. The kernel's hot entries (sent, delivered, dropped, duplicated, timer) are
 * written field by field into a byte buffer, the rest through stableStringify; both give the same bytes as
 * `stableStringify(entry)`. In `full` mode the bytes are kept too, in 64 KiB chunks (millions of small live
 * strings would cost the garbage collector more than the run itself).
 */
export class Trace {
  private readonly chunks: Buffer[] = [];
  private readonly hash: Hash = createHash('sha256');
  private readonly out: JsonLineWriter;

  constructor(readonly mode: TraceMode = 'full') {
    this.out = new JsonLineWriter(CHUNK_BYTES, (bytes) => {
      this.hash.update(bytes);
      if (this.mode === 'full') this.chunks.push(Buffer.from(bytes));
    });
  }

  /** How many entries have been written. */
  get length(): number {
    return this.out.lineCount;
  }

  /** Appends one entry. */
  write(entry: TraceEntry): void {
    if (this.mode === 'none') return;
    const out = this.out;
    out.startLine();
    writeEntry(out, entry);
    out.endLine();
  }

  /** Appends a `sent` entry (the hot path's form of `write`, without an entry object). */
  sent(t: number, id: number, from: string, to: string, message: unknown): void {
    if (this.mode === 'none') return;
    const out = this.out;
    out.startLine();
    writeSent(out, t, id, from, to, message);
    out.endLine();
  }

  /** Appends a `delivered` entry (the hot path's form of `write`). */
  delivered(t: number, id: number, to: string): void {
    if (this.mode === 'none') return;
    const out = this.out;
    out.startLine();
    writeDelivered(out, 'delivered', t, id, to);
    out.endLine();
  }

  /** The entries written so far (empty in `hash` mode, which keeps none). */
  entries(): TraceEntry[] {
    return this.text().map((line) => JSON.parse(line) as TraceEntry);
  }

  /** The stable JSON lines written so far (empty in `hash` mode). */
  text(): string[] {
    this.out.flush();
    if (this.mode !== 'full' || this.out.lineCount === 0) return [];
    return Buffer.concat(this.chunks).toString('utf8').split('\n');
  }

  /** Hex SHA-256 of every line so far; the run can go on afterwards. Empty in `none` mode, which hashes nothing. */
  digest(): string {
    if (this.mode === 'none') return '';
    this.out.flush();
    return this.hash.copy().digest('hex');
  }
}

/** The stable JSON line of one entry, as the trace writes it (`stableStringify(entry)`, only faster). */
export function formatEntry(entry: TraceEntry): string {
  const chunks: Buffer[] = [];
  const out = new JsonLineWriter(256, (bytes) => chunks.push(Buffer.from(bytes)));
  writeEntry(out, entry);
  out.flush();
  return Buffer.concat(chunks).toString('utf8');
}

// Keys in sorted order, written by hand for the entries that come several times per delivery.
function writeEntry(out: JsonLineWriter, entry: TraceEntry): void {
  switch (entry.kind) {
    case 'sent':
      writeSent(out, entry.t, entry.id, entry.from, entry.to, entry.message);
      return;
    case 'delivered':
    case 'duplicated':
      writeDelivered(out, entry.kind, entry.t, entry.id, entry.to);
      return;
    case 'dropped':
      out.raw('{"id":');
      out.uint(entry.id);
      out.raw(',"kind":"dropped","reason":');
      out.string(entry.reason);
      out.raw(',"t":');
      out.ms(entry.t);
      out.raw(',"to":');
      out.string(entry.to);
      out.raw('}');
      return;
    case 'timer':
      out.raw('{"event":');
      out.string(entry.event);
      out.raw(',"kind":"timer","node":');
      out.string(entry.node);
      out.raw(',"t":');
      out.ms(entry.t);
      out.raw('}');
      return;
    case 'call':
      // The workload's send() calls: one per record.
      out.ascii(CALL_EVENT);
      writeStableJson(out, entry.event);
      out.ascii(CALL_KIND_NODE);
      out.string(entry.node);
      out.ascii(CALL_OUTCOME);
      out.string(entry.outcome);
      out.ascii(LINE_T);
      out.ms(entry.t);
      out.ascii(CLOSE);
      return;
    case 'note':
      // Roles note every history operation: one or two per record.
      if (entry.data === undefined) break;
      out.ascii(NOTE_DATA);
      writeStableJson(out, entry.data);
      out.ascii(NOTE_NODE);
      out.string(entry.node);
      out.ascii(LINE_T);
      out.ms(entry.t);
      out.ascii(CLOSE);
      return;
  }
  out.text(stableStringify(entry));
}

// The fixed parts of the lines written on every delivery, as bytes: copying them beats encoding the
// same strings character by character several times per delivery.
const SENT_FROM = asciiBytes('{"from":');
const SENT_ID = asciiBytes(',"id":');
const SENT_MESSAGE = asciiBytes(',"kind":"sent","message":');
const LINE_T = asciiBytes(',"t":');
const LINE_TO = asciiBytes(',"to":');
const LINE_ID = asciiBytes('{"id":');
const DELIVERED_T = asciiBytes(',"kind":"delivered","t":');
const DUPLICATED_T = asciiBytes(',"kind":"duplicated","t":');
const CLOSE = asciiBytes('}');
const NOTE_DATA = asciiBytes('{"data":');
const CALL_EVENT = asciiBytes('{"event":');
const CALL_KIND_NODE = asciiBytes(',"kind":"call","node":');
const CALL_OUTCOME = asciiBytes(',"outcome":');
const NOTE_NODE = asciiBytes(',"kind":"note","node":');

function writeSent(out: JsonLineWriter, t: number, id: number, from: string, to: string, message: unknown): void {
  out.ascii(SENT_FROM);
  out.string(from);
  out.ascii(SENT_ID);
  out.uint(id);
  out.ascii(SENT_MESSAGE);
  writeStableJson(out, message);
  out.ascii(LINE_T);
  out.ms(t);
  out.ascii(LINE_TO);
  out.string(to);
  out.ascii(CLOSE);
}

function writeDelivered(out: JsonLineWriter, kind: 'delivered' | 'duplicated', t: number, id: number, to: string): void {
  out.ascii(LINE_ID);
  out.uint(id);
  out.ascii(kind === 'delivered' ? DELIVERED_T : DUPLICATED_T);
  out.ms(t);
  out.ascii(LINE_TO);
  out.string(to);
  out.ascii(CLOSE);
}
