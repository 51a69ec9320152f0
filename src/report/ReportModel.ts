// What a report shows of one run, as plain data: the messages around the failure (or the first fault), what
// happened to the cluster and the groups on a timeline, each client's operations, the replicas' logs at the end,
// and the verdicts with the operations they name. The Mermaid and HTML renderers read only this.
import type { BrokerState } from '../../actors/broker/BrokerState.ts';
import type { TraceEntry } from '../history/Trace.ts';
import type { RunnableScenario, RunResult } from '../scenario/runResolvedScenario.ts';

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
  seed: string;
  traceHash: string;
  valid: RunResult['valid'];
  virtualMs: number;
  nodes: string[];
  /** The messages of the diagram's window, and how the window was chosen. */
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
}

// Periodic chatter that would bury the protocol exchange: liveness heartbeats and replication fetches.
const quietTypes = new Set(['broker.heartbeat', 'broker.heartbeat.response', 'heartbeat.request', 'heartbeat.response', 'metadata.records']);

/** Builds the report model of a run. */
export function buildReportModel(input: ReportInput): ReportModel {
  const { scenario, result } = input;
  const offending = offendingOperations(result);
  const focusMs = focusTime(result, offending);
  const messages = allMessages(input.trace);
  const firstFaultMs = result.appliedFaults[0]?.atMs ?? null;
  const anchor = focusMs ?? firstFaultMs ?? scenario.durations.startupMs;
  const reason = focusMs !== null ? 'around the first violation' : firstFaultMs !== null ? 'around the first fault' : 'after startup';
  const fromMs = Math.max(0, anchor - 200);
  // The readers are the checkers' instruments and the application's calls come from outside: neither is protocol.
  const readers = new Set(scenario.readers.map((r) => r.id));
  const shownMessage = (m: ReportMessage) =>
    m.sentMs >= fromMs && !quietTypes.has(m.type) && !m.replication && m.from !== 'world' && !readers.has(m.from) && !readers.has(m.to);
  const inWindow = messages.filter(shownMessage);
  const shown = inWindow.slice(0, input.maxMessages ?? 120);
  const toMs = shown.at(-1)?.sentMs ?? fromMs;
  const nodes = [...new Set(['controller', ...input.brokers.map((b) => `broker-${b.brokerId}`), ...shown.flatMap((m) => [m.from, m.to])])];
  return {
    title: `kafka-sim run, seed ${String(scenario.seed)}`,
    seed: String(scenario.seed),
    traceHash: result.traceHash,
    valid: result.valid,
    virtualMs: result.virtualMs,
    nodes,
    messages: shown,
    window: { fromMs, toMs, focusMs, reason, inWindow: inWindow.length },
    events: timelineEvents(input, focusMs),
    clients: clientOperations(result, offending),
    partitions: replicaLogs(input.brokers),
    verdicts: result.checkers.results.map((r) => ({ checker: r.checker, valid: r.valid, anomalies: r.anomalies, examples: r.examples })),
    invariants: result.invariants.map((i) => ({ invariant: i.invariant, valid: i.valid, violations: i.violations, examples: i.examples as unknown[] })),
  };
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
