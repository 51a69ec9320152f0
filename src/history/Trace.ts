import { createHash, type Hash } from 'node:crypto';
import { stableStringify } from './stableStringify.ts';

/** Why a message did not reach its destination. */
export type DropReason = 'partition' | 'loss' | 'crashed' | 'unknown-destination';

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
  | { t: number; kind: 'node'; node: string; event: 'added' | 'started' | 'crashed' | 'paused' | 'resumed' | 'powerLoss' }
  | { t: number; kind: 'fault'; fault: unknown; effect: 'applied' | 'no-op' }
  | { t: number; kind: 'note'; node: string; data: unknown };

/** How much of the trace a World keeps: every line (`full`), or only the running hash (`hash`). */
export type TraceMode = 'full' | 'hash';

const HASH_CHUNK_CHARS = 1 << 16;

/**
 * The run's trace: stable JSON lines, hashed as they are written (SHA-256 over the lines joined by `\n`).
 * In `full` mode the text is also kept, as flat chunks of about 64 K characters rather than one string per
 * line: millions of small live strings would cost the garbage collector more than the run itself.
 */
export class Trace {
  private readonly chunks: string[] = [];
  private readonly hash: Hash = createHash('sha256');
  private pending = '';
  private count = 0;
  private readonly formatter = new EntryFormatter();

  constructor(readonly mode: TraceMode = 'full') {}

  /** How many entries have been written. */
  get length(): number {
    return this.count;
  }

  /** Appends one entry. */
  write(entry: TraceEntry): void {
    const line = this.formatter.format(entry);
    this.pending += this.count === 0 ? line : '\n' + line;
    this.count++;
    if (this.pending.length >= HASH_CHUNK_CHARS) this.flush();
  }

  /** The entries written so far (empty in `hash` mode, which keeps none). */
  entries(): TraceEntry[] {
    return this.text().map((line) => JSON.parse(line) as TraceEntry);
  }

  /** The stable JSON lines written so far (empty in `hash` mode). */
  text(): string[] {
    if (this.mode !== 'full' || this.count === 0) return [];
    return (this.chunks.join('') + this.pending).split('\n');
  }

  /** Hex SHA-256 of every line so far; the run can go on afterwards. */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending);
    if (this.mode === 'full') this.chunks.push(flatten(this.pending));
    this.pending = '';
  }
}

// Concatenation builds a rope of every piece; keeping it would keep every piece alive. A number-keyed read
// makes V8 flatten it into one sequential string, after which the pieces can be collected.
function flatten(text: string): string {
  void text.charCodeAt(0);
  return text;
}

/**
 * The stable JSON line of an entry. The kernel's own entries are written by hand with their keys in sorted
 * order (this runs several times per delivery); payloads and anything unusual go through stableStringify.
 */
export function formatEntry(entry: TraceEntry): string {
  return defaultFormatter.format(entry);
}

/**
 * Formats trace lines with two caches that matter on the delivery path: node ids are quoted once, and the
 * time text is reused while time stands still (a delivery and the send it causes share a time).
 */
class EntryFormatter {
  private readonly quoted = new Map<string, string>();
  private lastT = Number.NaN;
  private lastTText = '';

  format(entry: TraceEntry): string {
    switch (entry.kind) {
      case 'sent':
        return `{"from":${this.q(entry.from)},"id":${entry.id},"kind":"sent","message":${stableStringify(entry.message)},"t":${this.time(entry.t)},"to":${this.q(entry.to)}}`;
      case 'delivered':
      case 'duplicated':
        return `{"id":${entry.id},"kind":"${entry.kind}","t":${this.time(entry.t)},"to":${this.q(entry.to)}}`;
      case 'dropped':
        return `{"id":${entry.id},"kind":"dropped","reason":"${entry.reason}","t":${this.time(entry.t)},"to":${this.q(entry.to)}}`;
      case 'timer':
        return `{"event":${this.q(entry.event)},"kind":"timer","node":${this.q(entry.node)},"t":${this.time(entry.t)}}`;
      default:
        return stableStringify(entry);
    }
  }

  private q(text: string): string {
    let quoted = this.quoted.get(text);
    if (quoted === undefined) {
      quoted = JSON.stringify(text);
      // Ids and event types are few; bound the cache anyway in case a machine invents event types.
      if (this.quoted.size < 100_000) this.quoted.set(text, quoted);
    }
    return quoted;
  }

  // Times come from the VirtualClock, which only holds finite times.
  private time(t: number): string {
    if (t !== this.lastT) {
      this.lastT = t;
      this.lastTText = formatMs(t);
    }
    return this.lastTText;
  }
}

const defaultFormatter = new EntryFormatter();

/**
 * `String(t)` for a time in ms, faster for the common case: the network rounds times to the microsecond, and
 * two small integers print faster than a double needs its shortest decimal form. Anything else falls back.
 */
export function formatMs(t: number): string {
  const micros = Math.round(t * 1000);
  if (micros / 1000 !== t || micros < 0 || micros > 0x3fffffff * 1000) return '' + t;
  const whole = Math.floor(t);
  let frac = micros - whole * 1000;
  if (frac === 0) return '' + whole;
  // Three decimals, trailing zeros dropped, as JavaScript prints them.
  let digits = 3;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const text = '' + frac;
  return whole + '.' + (text.length < digits ? '00'.slice(0, digits - text.length) + text : text);
}
