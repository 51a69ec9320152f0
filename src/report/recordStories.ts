// The story of each record a checker named: sent by whom and when, acknowledged by which broker as leader in which
// epoch at which offset, which replicas held it from when to when, and how it went (truncated, overwritten, lost
// with a broker's unflushed log). Built after the run from the history, the full trace and the ReplicaRecorder.
import type { History, LogRecord } from '../history/History.ts';
import type { TraceEntry } from '../history/Trace.ts';
import { brokerIdOf } from '../protocol/nodeIds.ts';
import type { RunResult } from '../scenario/runResolvedScenario.ts';
import { fmt } from './html.ts';
import { recordAt, type ReplicaPoint } from './ReplicaRecorder.ts';

/** One replica's copy of the record: from when, until when, and how it ended (null: still there at the end). */
export interface RecordCopy {
  broker: number;
  fromMs: number;
  toMs: number | null;
  epoch: number;
  gone: string | null;
}

/** What happened to one record a checker named. */
export interface RecordStory {
  value: string;
  partition: string;
  offset: number;
  producer: string;
  sentMs: number;
  ack: { atMs: number; broker: number | null; leaderEpoch: number | null } | null;
  copies: RecordCopy[];
  /** When the last copy went; null if a replica still held it at the end. */
  lostMs: number | null;
  /** The story in sentences, in time order. */
  sentences: string[];
  /** Trace ids of the messages that carried the record (produce requests, fetch answers) and their partners. */
  messageIds: number[];
  /** Trace id of the produce answer that acknowledged it. */
  ackMessageId: number | null;
}

/** What the stories are built from. */
export interface StoryInput {
  result: Pick<RunResult, 'history' | 'checkers'>;
  trace: readonly TraceEntry[];
  /** Each broker's points for a partition (ReplicaRecorder#timeline); absent: no replica history was kept. */
  timeline?: (partition: string) => Array<{ broker: number; points: readonly ReplicaPoint[] }>;
  /** The most records told. */
  maxStories?: number;
}

/** The values the failing checkers' examples name (fields `value` or `values`), in the order first named. */
export function namedValues(result: Pick<RunResult, 'checkers'>): string[] {
  const found = new Set<string>();
  const visit = (item: unknown, key: string): void => {
    if (typeof item === 'string' && (key === 'value' || key === 'values')) found.add(item);
    else if (Array.isArray(item)) for (const element of item) visit(element, key);
    else if (item !== null && typeof item === 'object') for (const [k, v] of Object.entries(item)) visit(v, k);
  };
  for (const r of result.checkers.results) if (r.valid === false) visit(r.examples, '');
  return [...found];
}

/** The stories of the records the failing checkers named, at most `maxStories` (8). */
export function recordStories(input: StoryInput): RecordStory[] {
  const values = namedValues(input.result).slice(0, input.maxStories ?? 8);
  if (values.length === 0) return [];
  const wanted = new Set(values);
  const sends = sendsOf(input.result.history, wanted);
  const carriers = carryingMessages(input.trace, wanted);
  const stories: RecordStory[] = [];
  for (const value of values) {
    const send = sends.get(value);
    if (send?.record === undefined) continue;
    stories.push(storyOf(value, send as Required<SendOps>, carriers.get(value) ?? [], input));
  }
  return stories;
}

interface SendOps {
  process: string;
  invokedMs: number;
  ackedMs?: number;
  record?: LogRecord;
}

function sendsOf(history: History, wanted: ReadonlySet<string>): Map<string, SendOps> {
  const sends = new Map<string, SendOps>();
  for (const op of history) {
    if (op.f !== 'send' || !wanted.has(op.value.value)) continue;
    if (op.type === 'invoke') sends.set(op.value.value, { process: op.process, invokedMs: op.timeMs });
    else if (op.type === 'ok') {
      const send = sends.get(op.value.value);
      if (send !== undefined) Object.assign(send, { ackedMs: op.timeMs, record: op.value });
    }
  }
  // A record read but whose send never completed ok still has an offset: take the first poll that returned it.
  for (const op of history) {
    if (op.f !== 'poll' || op.type === 'invoke') continue;
    for (const record of op.value.records ?? []) {
      const send = sends.get(record.value);
      if (send !== undefined && send.record === undefined) send.record = record;
    }
  }
  return sends;
}

interface Carrier {
  entry: Extract<TraceEntry, { kind: 'sent' }>;
  correlationId: number | null;
}

// The sent messages whose records include a wanted value, by value.
function carryingMessages(trace: readonly TraceEntry[], wanted: ReadonlySet<string>): Map<string, Carrier[]> {
  const byValue = new Map<string, Carrier[]>();
  for (const entry of trace) {
    if (entry.kind !== 'sent') continue;
    const message = entry.message as { type?: string; correlationId?: number; partitions?: Array<{ batch?: { records?: Array<{ value?: string }> }; batches?: Array<{ records?: Array<{ value?: string }> }> }> };
    if (message.type !== 'produce.request' && message.type !== 'fetch.response') continue;
    for (const partition of message.partitions ?? []) {
      const batches = partition.batch !== undefined ? [partition.batch] : (partition.batches ?? []);
      for (const batch of batches) {
        for (const record of batch.records ?? []) {
          if (record.value === undefined || !wanted.has(record.value)) continue;
          const list = byValue.get(record.value) ?? [];
          if (list.at(-1)?.entry !== entry) list.push({ entry, correlationId: message.correlationId ?? null });
          byValue.set(record.value, list);
        }
      }
    }
  }
  return byValue;
}

function storyOf(value: string, send: Required<SendOps>, carriers: readonly Carrier[], input: StoryInput): RecordStory {
  const { record } = send;
  const partition = `${record.topic}-${record.partition}`;
  const offset = record.offset;
  const answer = ackingAnswer(send, carriers, input.trace, record);
  const timelines = input.timeline?.(partition) ?? [];
  const ackBroker = answer === null ? null : (brokerIdOf(answer.from) ?? null);
  const ackPoint = ackBroker === null ? undefined : pointAt(timelines.find((t) => t.broker === ackBroker)?.points ?? [], answer?.t ?? 0);
  const copies = timelines.flatMap(({ broker, points }) => copiesOf(broker, points, offset, value));
  const ack =
    send.ackedMs === undefined
      ? null
      : { atMs: send.ackedMs, broker: ackBroker, leaderEpoch: ackPoint === undefined ? null : (recordAt(ackPoint, offset)?.epoch ?? ackPoint.leaderEpoch) };
  const leaders = leaderChanges(timelines, send.invokedMs, offset, value);
  const dropped = droppedCarriers(carriers, input.trace);
  const open = copies.some((c) => c.toMs === null);
  const lostMs = copies.length === 0 || open ? null : Math.max(...copies.map((c) => c.toMs ?? 0));
  const messageIds = [...carriers.map((c) => c.entry.id), ...partners(carriers, input.trace)];
  if (answer !== null) messageIds.push(answer.id);
  return {
    value,
    partition,
    offset,
    producer: send.process,
    sentMs: send.invokedMs,
    ack,
    copies,
    lostMs,
    sentences: sentencesOf({ value, partition, offset, send, ack, copies, lostMs, hasTimeline: timelines.length > 0, leaders, dropped }),
    messageIds: [...new Set(messageIds)].sort((a, b) => a - b),
    ackMessageId: answer?.id ?? null,
  };
}

// The produce answer that acknowledged the send: from a broker the producer sent the record to, with the same
// correlation id, no error for the partition, and at or before the acknowledgement.
function ackingAnswer(send: SendOps, carriers: readonly Carrier[], trace: readonly TraceEntry[], record: LogRecord): Extract<TraceEntry, { kind: 'sent' }> | null {
  if (send.ackedMs === undefined) return null;
  const requests = carriers.filter((c) => c.entry.from === send.process && c.correlationId !== null);
  let found: Extract<TraceEntry, { kind: 'sent' }> | null = null;
  for (const entry of trace) {
    if (entry.kind !== 'sent' || entry.to !== send.process || entry.t > send.ackedMs) continue;
    const message = entry.message as { type?: string; correlationId?: number; partitions?: Array<{ topic: string; partition: number; errorCode?: string }> };
    if (message.type !== 'produce.response') continue;
    if (!requests.some((c) => c.entry.to === entry.from && c.correlationId === message.correlationId)) continue;
    const part = message.partitions?.find((p) => p.topic === record.topic && p.partition === record.partition);
    if (part !== undefined && (part.errorCode === undefined || part.errorCode === 'NONE')) found = entry;
  }
  return found;
}

// For each fetch answer that carried the record, the fetch request it answered (same correlation id, reversed).
function partners(carriers: readonly Carrier[], trace: readonly TraceEntry[]): number[] {
  const wanted = new Map<string, number>();
  for (const c of carriers) {
    if ((c.entry.message as { type?: string }).type === 'fetch.response' && c.correlationId !== null) wanted.set(`${c.entry.to}>${c.entry.from}#${c.correlationId}`, c.entry.t);
  }
  const ids: number[] = [];
  for (const entry of trace) {
    if (entry.kind !== 'sent') continue;
    const message = entry.message as { type?: string; correlationId?: number };
    if (message.type !== 'fetch.request') continue;
    const at = wanted.get(`${entry.from}>${entry.to}#${message.correlationId}`);
    if (at !== undefined && entry.t <= at) ids.push(entry.id);
  }
  return ids;
}

function pointAt(points: readonly ReplicaPoint[], atMs: number): ReplicaPoint | undefined {
  let found: ReplicaPoint | undefined;
  for (const point of points) {
    if (point.atMs > atMs) break;
    found = point;
  }
  return found;
}

// The spans over which a broker's log held `value` at `offset`. A broker that goes down keeps its copy in doubt:
// if it is there when the broker is back (a crash keeps the page cache), the span goes on.
function copiesOf(broker: number, points: readonly ReplicaPoint[], offset: number, value: string): RecordCopy[] {
  const copies: RecordCopy[] = [];
  let current: RecordCopy | null = null;
  let downSinceMs: number | null = null;
  for (const point of points) {
    if (!point.up) {
      downSinceMs ??= point.atMs;
      continue;
    }
    const held = recordAt(point, offset);
    const holds = held?.value === value;
    if (current === null && holds) {
      current = { broker, fromMs: point.atMs, toMs: null, epoch: held.epoch, gone: null };
      copies.push(current);
    } else if (current !== null && !holds) {
      current.toMs = point.atMs;
      current.gone =
        downSinceMs !== null
          ? `came back without it (down since ${fmt(downSinceMs)} ms: its unflushed log was lost)`
          : held === undefined
            ? `truncated its log to offset ${point.logEndOffset}, removing it (now in leader epoch ${point.leaderEpoch})`
            : `now holds ${held.value} at that offset instead (batch of leader epoch ${held.epoch})`;
      current = null;
    }
    downSinceMs = null;
  }
  return copies;
}

/** A broker that became leader of the partition after the send, and whether its log held the record then. */
interface LeaderChange {
  atMs: number;
  broker: number;
  leaderEpoch: number;
  holds: boolean;
}

function leaderChanges(timelines: ReadonlyArray<{ broker: number; points: readonly ReplicaPoint[] }>, sinceMs: number, offset: number, value: string): LeaderChange[] {
  const changes: LeaderChange[] = [];
  for (const { broker, points } of timelines) {
    let previous: ReplicaPoint | undefined;
    for (const point of points) {
      const became = point.up && point.isLeader && (previous === undefined || !previous.up || !previous.isLeader || previous.leaderEpoch !== point.leaderEpoch);
      if (became && point.atMs >= sinceMs) changes.push({ atMs: point.atMs, broker, leaderEpoch: point.leaderEpoch, holds: recordAt(point, offset)?.value === value });
      previous = point;
    }
  }
  return changes;
}

/** A message that carried the record and never arrived. */
interface DroppedCarrier {
  atMs: number;
  from: string;
  to: string;
  type: string;
  reason: string;
}

function droppedCarriers(carriers: readonly Carrier[], trace: readonly TraceEntry[]): DroppedCarrier[] {
  const byId = new Map(carriers.map((c) => [c.entry.id, c.entry]));
  const dropped: DroppedCarrier[] = [];
  for (const entry of trace) {
    if (entry.kind !== 'dropped') continue;
    const sent = byId.get(entry.id);
    // A message is told once, at its first drop (a duplicate of it may be dropped too).
    if (sent !== undefined && byId.delete(entry.id)) dropped.push({ atMs: entry.t, from: sent.from, to: sent.to, type: (sent.message as { type: string }).type, reason: entry.reason });
  }
  return dropped;
}

interface SentenceInput {
  value: string;
  partition: string;
  offset: number;
  send: Required<SendOps>;
  ack: RecordStory['ack'];
  copies: readonly RecordCopy[];
  lostMs: number | null;
  hasTimeline: boolean;
  leaders: readonly LeaderChange[];
  dropped: readonly DroppedCarrier[];
}

function sentencesOf(story: SentenceInput): string[] {
  const { send, ack, copies } = story;
  const timed: Array<{ atMs: number; text: string }> = [{ atMs: send.invokedMs, text: `${send.process} sent ${story.value} to ${story.partition}.` }];
  if (ack !== null) {
    const by = ack.broker === null ? 'a broker' : `broker ${ack.broker}${ack.leaderEpoch === null ? '' : ` (leader in epoch ${ack.leaderEpoch})`}`;
    timed.push({ atMs: ack.atMs, text: `${by} acknowledged it at offset ${story.offset}.` });
  }
  for (const copy of copies) {
    timed.push({ atMs: copy.fromMs, text: `broker ${copy.broker} has it at offset ${story.offset} (batch of leader epoch ${copy.epoch}).` });
    if (copy.toMs !== null) timed.push({ atMs: copy.toMs, text: `broker ${copy.broker} ${copy.gone ?? 'no longer has it'}.` });
  }
  for (const leader of story.leaders) {
    timed.push({ atMs: leader.atMs, text: `broker ${leader.broker} became leader in epoch ${leader.leaderEpoch}, ${leader.holds ? 'with the record' : 'without the record'}.` });
  }
  for (const drop of story.dropped) {
    timed.push({ atMs: drop.atMs, text: `the ${drop.type} from ${drop.from} to ${drop.to} carrying it was dropped (${drop.reason}).` });
  }
  timed.sort((a, b) => a.atMs - b.atMs);
  const sentences = timed.map((t) => `${fmt(t.atMs)} ms: ${t.text}`);
  if (!story.hasTimeline) sentences.push('No replica history was kept for this run.');
  else if (copies.length === 0) sentences.push('No replica ever held it at that offset.');
  else if (story.lostMs !== null) sentences.push(`From ${fmt(story.lostMs)} ms no replica held it: the acknowledged record was lost.`);
  else {
    const holders = copies.filter((c) => c.toMs === null).map((c) => c.broker);
    sentences.push(`At the end broker${holders.length > 1 ? 's' : ''} ${holders.join(', ')} still held it.`);
  }
  return sentences;
}
