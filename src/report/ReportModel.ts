// What a report shows of one run, as plain data, told as the failure's story: a header (what ran: command,
// property, weakening, replay), the anomalies as sentences, each violating record from its send to its loss, the
// replica logs over time around the failure, the messages that carried those records (or, without any, the
// messages around the first violation or fault) with the faults between them, what happened on a timeline, each
// client's operations, the replicas' logs at the end, and the verdicts with their examples. The Mermaid and HTML
// renderers read only this.
import type { BrokerState } from '../../actors/broker/BrokerState.ts';
import type { TraceEntry } from '../history/Trace.ts';
import type { RunnableScenario, RunResult } from '../scenario/runResolvedScenario.ts';
import { defaultKafkaVersion } from '../scenario/kafkaProfile.ts';
import { weakenings as weakeningCatalog } from '../scenario/weakenings.ts';
import { anomalySentence } from './anomalySentences.ts';
import { recordStories, type RecordStory } from './recordStories.ts';
import type { ReplicaPoint } from './ReplicaRecorder.ts';

/** One message between two nodes: when it left, when it arrived (null if it did not), and why not. */
export interface ReportMessage {
  id: number;
  from: string;
  to: string;
  type: string;
  sentMs: number;
  arrivedMs: number | null;
  dropped: string | null;
  /** A follower's fetch or the leader's answer to it: replication traffic. */
  replication: boolean;
  /** What this message did to a violating record, when it did something the story names. */
  mark?: 'ack' | 'truncation' | 'leader';
}

/** What ran: the command, the property and weakenings, and whether this is a replay of a capsule. */
export interface ReportHeader {
  /** The command line that made the report; null when the report was built by a library call. */
  command: string | null;
  property: string | null;
  weakenings: Array<{ name: string; bug: string; property: string; description: string }>;
  kafkaVersion: string;
  replay: { capsule: string; recordedTraceHash: string; sameTrace: boolean } | null;
  /** How to run it again. */
  replayCommand: string | null;
}

/** What the caller knows of how the run came about (the CLI fills it in). */
export interface ReportContext {
  command?: string;
  property?: string;
  replay?: { capsule: string; recordedTraceHash: string; sameTrace: boolean };
  replayCommand?: string;
}

/** One partition's replicas over a stretch of time, for the chart of log end offsets and high watermarks. */
export interface ReplicaHistory {
  partition: string;
  fromMs: number;
  toMs: number;
  brokers: Array<{ broker: number; points: Array<Omit<ReplicaPoint, 'batches'>> }>;
  /** A replica's log end offset went down: the offsets from `toOffset` to `fromOffset` were truncated. */
  truncations: Array<{ atMs: number; broker: number; fromOffset: number; toOffset: number; leaderEpoch: number }>;
  /** Offsets of the violating records in this partition. */
  storyOffsets: number[];
}

/** Something that happened to the cluster or a group, for the timeline. */
export interface ReportEvent {
  atMs: number;
  kind: 'fault' | 'leader' | 'generation' | 'violation';
  text: string;
}

/** A client operation from its invocation to its completion. */
export interface ReportOperation {
  index: number;
  f: string;
  type: 'ok' | 'fail' | 'info';
  startMs: number;
  endMs: number;
  label: string;
  /** Named by a checker's example: part of what broke. */
  offending: boolean;
}

/** A replica's log at the end of the run. */
export interface ReportReplica {
  broker: number;
  isLeader: boolean;
  leaderEpoch: number;
  highWatermark: number;
  logEndOffset: number;
  records: Array<{ offset: number; epoch: number; value: string }>;
}

/** Everything a report shows (messages of the diagram leave out heartbeats, replication, readers and `world`). */
export interface ReportModel {
  title: string;
  header: ReportHeader;
  /** Every anomaly and failed invariant, as a sentence under its name. */
  anomalies: Array<{ name: string; checker: string; count: number; sentence: string }>;
  /** The records the failing checkers named, each from its send to its loss. */
  stories: RecordStory[];
  /** The replicas of the partitions those records (or the first fault) touched, around the failure. */
  replicaHistory: ReplicaHistory[];
  seed: string;
  traceHash: string;
  valid: RunResult['valid'];
  virtualMs: number;
  nodes: string[];
  /** The messages of the diagram, and how they were chosen; faults and violations are marked between them. */
  messages: ReportMessage[];
  window: { fromMs: number; toMs: number; focusMs: number | null; reason: string; inWindow: number };
  events: ReportEvent[];
  clients: Array<{ process: string; operations: ReportOperation[] }>;
  partitions: Array<{ partition: string; replicas: ReportReplica[] }>;
  verdicts: Array<{ checker: string; valid: RunResult['valid']; anomalies: Record<string, number>; examples: Record<string, unknown[]> }>;
  invariants: Array<{ invariant: string; valid: boolean; violations: number; examples: unknown[] }>;
}

/** What the model is built from: the scenario, its result, the full trace, and the brokers' states at the end. */
export interface ReportInput {
  scenario: RunnableScenario;
  result: RunResult;
  trace: readonly TraceEntry[];
  brokers: ReadonlyArray<{ brokerId: number; state: BrokerState | undefined }>;
  /** The most messages the diagram shows. */
  maxMessages?: number;
  /** Each broker's replica of a partition over time (ReplicaRecorder#timeline), when the run kept it. */
  timeline?: (partition: string) => Array<{ broker: number; points: readonly ReplicaPoint[] }>;
  context?: ReportContext;
}

// Periodic chatter that would bury the protocol exchange: liveness heartbeats and replication fetches.
const quietTypes = new Set(['broker.heartbeat', 'broker.heartbeat.response', 'heartbeat.request', 'heartbeat.response', 'metadata.records']);

/** Builds the report model of a run. */
export function buildReportModel(input: ReportInput): ReportModel {
  const { scenario, result } = input;
  const offending = offendingOperations(result);
  const focusMs = focusTime(result, offending);
  const messages = allMessages(input.trace);
  const stories = recordStories({ result, trace: input.trace, ...(input.timeline === undefined ? {} : { timeline: input.timeline }) });
  const diagram = stories.some((s) => s.messageIds.length > 0) ? storyMessages(input, messages, stories) : windowMessages(input, messages, focusMs);
  const header = reportHeader(scenario, input.context ?? {});
  const nodes = [...new Set(['controller', ...input.brokers.map((b) => `broker-${b.brokerId}`), ...diagram.messages.flatMap((m) => [m.from, m.to])])];
  return {
    title: reportTitle(scenario, header),
    header,
    anomalies: anomalyList(result),
    stories,
    replicaHistory: input.timeline === undefined ? [] : replicaHistory(input, stories, focusMs),
    seed: String(scenario.seed),
    traceHash: result.traceHash,
    valid: result.valid,
    virtualMs: result.virtualMs,
    nodes,
    messages: diagram.messages,
    window: diagram.window,
    events: timelineEvents(input, focusMs),
    clients: clientOperations(result, offending),
    partitions: replicaLogs(input.brokers),
    verdicts: result.checkers.results.map((r) => ({ checker: r.checker, valid: r.valid, anomalies: r.anomalies, examples: r.examples })),
    invariants: result.invariants.map((i) => ({ invariant: i.invariant, valid: i.valid, violations: i.violations, examples: i.examples as unknown[] })),
  };
}

type Diagram = Pick<ReportModel, 'messages' | 'window'>;

// Without a record to follow: the protocol messages from just before the first violation (or fault, or the end of
// startup) on. The readers are the checkers' instruments and the application's calls come from outside: neither
// is protocol.
function windowMessages(input: ReportInput, messages: readonly ReportMessage[], focusMs: number | null): Diagram {
  const { scenario, result } = input;
  const firstFaultMs = result.appliedFaults[0]?.atMs ?? null;
  const anchor = focusMs ?? firstFaultMs ?? scenario.durations.startupMs;
  const reason = focusMs !== null ? 'around the first violation' : firstFaultMs !== null ? 'around the first fault' : 'after startup';
  const fromMs = Math.max(0, anchor - 200);
  const readers = new Set(scenario.readers.map((r) => r.id));
  const shownMessage = (m: ReportMessage) =>
    m.sentMs >= fromMs && !quietTypes.has(m.type) && !m.replication && m.from !== 'world' && !readers.has(m.from) && !readers.has(m.to);
  const inWindow = messages.filter(shownMessage);
  const shown = inWindow.slice(0, input.maxMessages ?? 120);
  const toMs = shown.at(-1)?.sentMs ?? fromMs;
  return { messages: shown, window: { fromMs, toMs, focusMs, reason, inWindow: inWindow.length } };
}

// With records to follow: only the messages that carried them (produce requests, fetch answers, the fetches those
// answered, the acknowledging produce answer) and the message each replica took just before its copy went.
function storyMessages(input: ReportInput, messages: readonly ReportMessage[], stories: readonly RecordStory[]): Diagram {
  const marks = new Map<number, ReportMessage['mark']>();
  for (const story of stories) {
    for (const id of story.messageIds) if (!marks.has(id)) marks.set(id, undefined);
    if (story.ackMessageId !== null) marks.set(story.ackMessageId, 'ack');
    for (const copy of story.copies) {
      if (copy.toMs === null) continue;
      const cause = lastDeliveryTo(input.trace, `broker-${copy.broker}`, copy.toMs);
      if (cause !== null) marks.set(cause, 'truncation');
    }
  }
  // The message that made a broker leader of a story's partition after the record was sent (the controller's
  // metadata record it took just before its leader note).
  const storyPartitions = new Map(stories.map((s) => [s.partition, s.sentMs]));
  for (const entry of input.trace) {
    if (entry.kind !== 'note') continue;
    const data = entry.data as { invariant?: string; topic?: string; partition?: number };
    const sinceMs = storyPartitions.get(`${data.topic}-${data.partition}`);
    if (data.invariant !== 'leader' || sinceMs === undefined || entry.t < sinceMs) continue;
    const cause = lastDeliveryTo(input.trace, entry.node, entry.t);
    if (cause !== null && !marks.has(cause)) marks.set(cause, 'leader');
  }
  const chosen = messages.filter((m) => marks.has(m.id)).map((m) => {
    const mark = marks.get(m.id);
    return mark === undefined ? m : { ...m, mark };
  });
  const shown = chosen.slice(0, input.maxMessages ?? 120);
  const fromMs = shown[0]?.sentMs ?? 0;
  const focusMs = stories.map((s) => s.ack?.atMs ?? s.sentMs).reduce((a, b) => Math.min(a, b), Infinity);
  return {
    messages: shown,
    window: { fromMs, toMs: shown.at(-1)?.sentMs ?? fromMs, focusMs: Number.isFinite(focusMs) ? focusMs : null, reason: 'that carried the violating records', inWindow: chosen.length },
  };
}

function lastDeliveryTo(trace: readonly TraceEntry[], node: string, atMs: number): number | null {
  let found: number | null = null;
  for (const entry of trace) {
    if (entry.t > atMs) break;
    if (entry.kind === 'delivered' && entry.to === node) found = entry.id;
  }
  return found;
}

function reportHeader(scenario: RunnableScenario, context: ReportContext): ReportHeader {
  return {
    command: context.command ?? null,
    property: context.property ?? null,
    weakenings: scenario.weakenings.map((name) => {
      const w = weakeningCatalog[name];
      return { name, bug: w.bug, property: w.breaks, description: w.description };
    }),
    kafkaVersion: scenario.kafka?.version ?? defaultKafkaVersion,
    replay: context.replay ?? null,
    replayCommand: context.replayCommand ?? null,
  };
}

function reportTitle(scenario: RunnableScenario, header: ReportHeader): string {
  const what = header.property ?? 'run';
  const weakened = header.weakenings.length === 0 ? '' : ` with ${header.weakenings.map((w) => w.name).join(', ')}`;
  return `kafka-sim ${header.replay === null ? '' : 'replay: '}${what}${weakened}, seed ${String(scenario.seed)}`;
}

function anomalyList(result: RunResult): ReportModel['anomalies'] {
  const list: ReportModel['anomalies'] = [];
  for (const r of result.checkers.results) {
    for (const [name, count] of Object.entries(r.anomalies)) list.push({ name, checker: r.checker, count, sentence: anomalySentence(name, count) });
  }
  for (const i of result.invariants) {
    if (!i.valid) list.push({ name: i.invariant, checker: 'invariant', count: i.violations, sentence: anomalySentence(i.invariant, i.violations) });
  }
  return list;
}

// The partitions of the violating records (or, without any, of the first fault's target when it names one; else
// none), from a little before the first record was sent, or the first fault, to the end of the run.
function replicaHistory(input: ReportInput, stories: readonly RecordStory[], focusMs: number | null): ReplicaHistory[] {
  const timeline = input.timeline;
  if (timeline === undefined) return [];
  const partitions = [...new Set(stories.map((s) => s.partition))];
  if (partitions.length === 0) {
    const named = input.result.appliedFaults.map((f) => JSON.stringify(f.fault).match(/(?:leader|followers?):([\w.-]+-\d+)/)?.[1]).find((p) => p !== undefined);
    if (named !== undefined) partitions.push(named);
  }
  const firstSend = stories.reduce((min, s) => Math.min(min, s.sentMs), Infinity);
  const anchor = Number.isFinite(firstSend) ? firstSend : (input.result.appliedFaults[0]?.atMs ?? focusMs ?? 0);
  const fromMs = Math.max(0, anchor - 1_000);
  const toMs = input.result.virtualMs;
  return partitions.slice(0, 4).map((partition) => {
    const brokers = timeline(partition).map(({ broker, points }) => {
      // The point in force at fromMs, then every change after it.
      const startIndex = Math.max(0, points.findIndex((p) => p.atMs > fromMs) - 1);
      const kept = (points.findIndex((p) => p.atMs > fromMs) === -1 ? points.slice(-1) : points.slice(startIndex)).map(({ batches: _batches, ...rest }) => rest);
      return { broker, points: kept };
    });
    const truncations: ReplicaHistory['truncations'] = [];
    for (const { broker, points } of brokers) {
      for (let i = 1; i < points.length; i++) {
        const before = points[i - 1];
        const after = points[i];
        if (before === undefined || after === undefined || !after.up) continue;
        // Compare with the last point the broker was up at: a restart that comes back shorter truncated too.
        let j = i - 1;
        while (j > 0 && !(points[j]?.up ?? true)) j--;
        const up = points[j] ?? before;
        if (after.logEndOffset < up.logEndOffset) truncations.push({ atMs: after.atMs, broker, fromOffset: up.logEndOffset, toOffset: after.logEndOffset, leaderEpoch: after.leaderEpoch });
      }
    }
    truncations.sort((a, b) => a.atMs - b.atMs || a.broker - b.broker);
    return { partition, fromMs, toMs, brokers, truncations, storyOffsets: stories.filter((s) => s.partition === partition).map((s) => s.offset) };
  });
}

function allMessages(trace: readonly TraceEntry[]): ReportMessage[] {
  const byId = new Map<number, ReportMessage>();
  for (const entry of trace) {
    if (entry.kind === 'sent') {
      const { type, replicaId } = (entry.message ?? {}) as { type?: unknown; replicaId?: unknown };
      const name = typeof type === 'string' ? type : '?';
      const brokers = entry.from.startsWith('broker-') && entry.to.startsWith('broker-');
      const replication = (name === 'fetch.request' && typeof replicaId === 'number' && replicaId >= 0) || (name === 'fetch.response' && brokers);
      byId.set(entry.id, { id: entry.id, from: entry.from, to: entry.to, type: name, sentMs: entry.t, arrivedMs: null, dropped: null, replication });
    } else if (entry.kind === 'delivered') {
      const message = byId.get(entry.id);
      if (message !== undefined && message.arrivedMs === null) message.arrivedMs = entry.t;
    } else if (entry.kind === 'dropped') {
      const message = byId.get(entry.id);
      if (message !== undefined && message.arrivedMs === null) message.dropped = entry.reason;
    }
  }
  return [...byId.values()];
}

// Operation indexes a checker's examples name (fields called op, ops, sendOp, ...): the operations that broke.
function offendingOperations(result: RunResult): Set<number> {
  const found = new Set<number>();
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'number' && /^(op|ops|sendOp|pollOp|index|invokeIndex|readOp)$/i.test(key)) found.add(value);
    else if (Array.isArray(value)) for (const item of value) visit(item, key);
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  for (const r of result.checkers.results) if (r.valid === false) visit(r.examples, '');
  return found;
}

// When things first went wrong: the earliest invariant violation or offending operation, or null.
function focusTime(result: RunResult, offending: ReadonlySet<number>): number | null {
  const times: number[] = [];
  for (const index of offending) {
    const op = result.history[index];
    if (op !== undefined) times.push(op.timeMs);
  }
  for (const invariant of result.invariants) {
    for (const example of invariant.examples as Array<{ atMs?: unknown }>) if (typeof example?.atMs === 'number') times.push(example.atMs);
  }
  for (const entry of result.groupLog) if (entry.group === 'commitAccepted' && entry.generation >= 0 && entry.generation !== entry.groupGeneration) times.push(entry.timeMs);
  return times.length === 0 ? null : Math.min(...times);
}

function timelineEvents(input: ReportInput, focusMs: number | null): ReportEvent[] {
  const { result } = input;
  const events: ReportEvent[] = result.appliedFaults.map((f) => ({
    atMs: f.atMs,
    kind: 'fault',
    text: `${describeFault(f.fault)}${f.applied === undefined ? ' (no node for that role)' : f.applied === f.fault ? '' : ` -> ${describeFault(f.applied)}`}`,
  }));
  for (const entry of input.trace) {
    if (entry.kind !== 'note') continue;
    const data = entry.data as { invariant?: string; topic?: string; partition?: number; leaderEpoch?: number };
    if (data.invariant === 'leader') events.push({ atMs: entry.t, kind: 'leader', text: `${data.topic}-${data.partition}: ${entry.node} leads in epoch ${data.leaderEpoch}` });
  }
  for (const entry of result.groupLog) {
    if (entry.group !== 'generation') continue;
    const members = Object.entries(entry.assignments).map(([member, partitions]) => `${member} [${partitions.join(', ')}]`).join('; ');
    events.push({ atMs: entry.timeMs, kind: 'generation', text: `group ${entry.groupId} generation ${entry.generation} (${entry.protocolName ?? 'none'}): ${members || 'no members'}` });
  }
  if (focusMs !== null) events.push({ atMs: focusMs, kind: 'violation', text: 'first violation seen' });
  return events.sort((a, b) => a.atMs - b.atMs);
}

function clientOperations(result: RunResult, offending: ReadonlySet<number>): ReportModel['clients'] {
  // Completions name no invocation: pair them per process and function, first in first out (a send by its value).
  const open = new Map<string, Array<{ index: number; timeMs: number }>>();
  const keyOf = (op: RunResult['history'][number]) => `${op.process} ${op.f} ${op.f === 'send' ? (op.value as { value?: string }).value : ''}`;
  const byProcess = new Map<string, ReportOperation[]>();
  for (const op of result.history) {
    const key = keyOf(op);
    if (op.type === 'invoke') {
      open.set(key, [...(open.get(key) ?? []), { index: op.index, timeMs: op.timeMs }]);
      continue;
    }
    const [start, ...rest] = open.get(key) ?? [];
    if (start === undefined) continue;
    open.set(key, rest);
    // Empty polls are most of a consumer's history and say nothing: leave them out.
    if (op.f === 'poll' && op.type === 'ok' && (op.value as { records?: unknown[] }).records?.length === 0) continue;
    const list = byProcess.get(op.process) ?? [];
    list.push({
      index: op.index,
      f: op.f,
      type: op.type,
      startMs: start.timeMs,
      endMs: op.timeMs,
      label: `${op.f} ${op.type}: ${JSON.stringify(op.value).slice(0, 160)}`,
      offending: offending.has(op.index) || offending.has(start.index),
    });
    byProcess.set(op.process, list);
  }
  return [...byProcess.entries()].map(([process, operations]) => ({ process, operations }));
}

function replicaLogs(brokers: ReportInput['brokers']): ReportModel['partitions'] {
  const byPartition = new Map<string, ReportReplica[]>();
  for (const { brokerId, state } of brokers) {
    for (const [key, replica] of Object.entries(state?.partitions ?? {})) {
      if (key.startsWith('__consumer_offsets')) continue;
      const records: ReportReplica['records'] = [];
      for (const batch of replica.log.batches) {
        batch.records.forEach((record, i) => {
          const offset = batch.baseOffset + i;
          if (offset < replica.log.logEndOffset) records.push({ offset, epoch: batch.leaderEpoch, value: record.value });
        });
      }
      const list = byPartition.get(key) ?? [];
      list.push({ broker: brokerId, isLeader: replica.leader === brokerId, leaderEpoch: replica.leaderEpoch, highWatermark: replica.log.highWatermark, logEndOffset: replica.log.logEndOffset, records });
      byPartition.set(key, list);
    }
  }
  return [...byPartition.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([partition, replicas]) => ({ partition, replicas }));
}

function describeFault(fault: { kind: string } & Record<string, unknown>): string {
  const { atMs: _atMs, kind, ...rest } = fault;
  const detail = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return detail === '' ? kind : `${kind} ${detail}`;
}
