// The text `kafka-sim run` prints: what happened (faults and leader changes on a timeline), how the clients
// fared (sends by outcome, produce latency percentiles in virtual time, reads), and the verdicts.
import { controllerDefaults } from '../../actors/controller/controllerDefaults.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../protocol/groupMessages.ts';
import { coordinatorPartition } from '../protocol/coordinatorPartition.ts';
import type { LeaderNote } from '../checker/ClusterSample.ts';
import type { History } from '../history/History.ts';
import { longestAckWaits } from './ackWaits.ts';
import type { NodeNote } from '../kernel/NodeHost.ts';
import type { RunResult } from '../scenario/runResolvedScenario.ts';
import type { ResolvedScenario } from '../scenario/resolveScenario.ts';

/** A leader change a broker noted, for the timeline. */
export interface LeaderChange {
  atMs: number;
  partition: string;
  leaderEpoch: number;
  broker: number;
}

/** Collects the leader changes from the World's notes. */
export function leaderChangesFrom(notes: readonly NodeNote[]): LeaderChange[] {
  return notes.flatMap((note) => {
    const data = note.data as Partial<LeaderNote>;
    if (data.invariant !== 'leader') return [];
    return [{ atMs: note.atMs, partition: `${data.topic}-${data.partition}`, leaderEpoch: data.leaderEpoch ?? -1, broker: data.broker ?? -1 }];
  });
}

/** What a ZooKeeper-mode broker noted about controllers: elected, resigned, or a stale controller's request refused. */
export interface ControllerEvent {
  atMs: number;
  zookeeper: 'controller' | 'resigned' | 'fenced' | 'shutdown';
  broker: number;
  /** The controller's epoch (absent for a controlled-shutdown attempt). */
  controllerEpoch?: number;
  /** For a refusal: the request, and the controller epoch the broker follows. */
  request?: string;
  followsEpoch?: number;
  /**
   * For a controlled-shutdown attempt: its number, its outcome ('done', 'partitions left', an error, 'no answer',
   * 'connection lost', 'no controller'), the partitions still led (with an answer), and whether it was the last.
   */
  attempt?: number;
  outcome?: string;
  remaining?: number;
  last?: boolean;
}

/** Collects the controller events from the World's notes (none in KRaft mode). */
export function controllerEventsFrom(notes: readonly NodeNote[]): ControllerEvent[] {
  return notes.flatMap((note) => {
    const data = note.data as Partial<ControllerEvent>;
    return data.zookeeper === undefined ? [] : [{ ...(data as Omit<ControllerEvent, 'atMs'>), atMs: note.atMs }];
  });
}

/** Sends by outcome and the acknowledged sends' latencies (invoke to ok, virtual ms). */
export function sendStats(history: History): { ok: number; fail: number; info: number; latencyMs: { p50: number; p95: number; p99: number; max: number } } {
  const invokedAt = new Map<string, number>();
  const counts = { ok: 0, fail: 0, info: 0 };
  const latencies: number[] = [];
  for (const op of history) {
    if (op.f !== 'send') continue;
    if (op.type === 'invoke') {
      invokedAt.set(op.value.value, op.timeMs);
      continue;
    }
    counts[op.type]++;
    if (op.type === 'ok') latencies.push(op.timeMs - (invokedAt.get(op.value.value) ?? op.timeMs));
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length === 0 ? 0 : (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number));
  return { ...counts, latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies.at(-1) ?? 0 } };
}

/** One producer's sends: how they ended, and how many the final read after the heal did not return. */
export interface ProducerOutcome {
  producer: string;
  acks: string;
  ok: number;
  fail: number;
  info: number;
  /** Acknowledged, yet missing from the final read: lost. */
  lost: number;
  /** Of the unknown outcomes, how many the final read returned (they were written after all). */
  infoWritten: number;
}

/** Per producer, how its sends ended and what the final read found of them. */
export function producerOutcomes(scenario: ResolvedScenario, result: RunResult): ProducerOutcome[] {
  const finalRead = new Set<string>();
  for (const op of result.history) {
    if (op.f === 'poll' && op.type === 'ok' && op.timeMs >= result.finalReadStartMs) for (const r of op.value.records) finalRead.add(r.value);
  }
  return scenario.producers.map((producer) => {
    const outcome: ProducerOutcome = { producer: producer.id, acks: String(producer.settings?.acks ?? (scenario.weakenings.includes('acks-1') ? 1 : 'all')), ok: 0, fail: 0, info: 0, lost: 0, infoWritten: 0 };
    for (const op of result.history) {
      if (op.f !== 'send' || op.type === 'invoke' || op.process !== producer.id) continue;
      outcome[op.type]++;
      const read = finalRead.has(op.value.value);
      if (op.type === 'ok' && !read) outcome.lost++;
      if (op.type === 'info' && read) outcome.infoWritten++;
    }
    return outcome;
  });
}

// How the quiet period after the heal ended: when the cluster settled, or at its cap and what it still waited for.
function quietLine(quiet: RunResult['quiet'], capMs: number): string {
  const lasted = `${ms(quiet.endMs - quiet.startMs)} ms`;
  if (quiet.ends === 'elapsed') return `quiet period: ${lasted} (a fixed length)`;
  if (quiet.waitingFor === null) return `quiet period: settled after ${lasted} (at most ${ms(capMs)} ms)`;
  return `quiet period: NOT SETTLED within ${ms(capMs)} ms: ${quiet.waitingFor}`;
}

// Checkers that judge progress, not safety: their failures are late work, not lost work.
const LIVENESS_CHECKERS = new Set(['group-drained', 'group-convergence']);

// What follows a checker's name: its anomaly counts, and for a liveness checker what they mean.
function checkerDetail(r: RunResult['checkers']['results'][number]): string {
  if (Object.keys(r.anomalies).length === 0) return LIVENESS_CHECKERS.has(r.checker) ? ' (liveness)' : '';
  if (r.checker === 'group-drained') {
    const undrained = (r.examples.undrained ?? []) as Array<{ partition: string; count: number; offsets: number[] }>;
    const where = undrained.map((c) => `${c.partition} ${c.count} from offset ${c.offsets[0]}`).join(', ');
    return ` (liveness): ${r.anomalies.undrained} records not processed by the end, all past what the group processed or committed (late, not lost): ${where}`;
  }
  return `${LIVENESS_CHECKERS.has(r.checker) ? ' (liveness)' : ''}: ${JSON.stringify(r.anomalies)}`;
}

/** The run as text for a terminal. */
export function formatRun(scenario: ResolvedScenario, result: RunResult, leaderChanges: readonly LeaderChange[], wallMs: number, controllerEvents: readonly ControllerEvent[] = []): string {
  const sends = sendStats(result.history);
  const polled = new Set<string>();
  for (const op of result.history) if (op.f === 'poll' && op.type === 'ok') for (const r of op.value.records) polled.add(r.value);
  const timeline = [
    ...result.appliedFaults.map((f) => ({ atMs: f.atMs, text: `fault   ${describe(f.fault)}${f.applied === undefined ? ' (no node for that role: skipped)' : f.applied === f.fault ? '' : ` -> ${describe(f.applied)}`}` })),
    ...leaderChanges.flatMap((c) => leaderLine(scenario, c)),
    ...controllerEvents.map((e) => ({ atMs: e.atMs, text: controllerLine(e) })),
    ...generationChanges(result),
  ].sort((a, b) => a.atMs - b.atMs);
  const verdicts = result.checkers.results.map((r) => `  ${r.valid === true ? 'ok     ' : r.valid === false ? 'FAILED ' : 'unknown'} ${r.checker}${checkerDetail(r)}`);
  const invariants = result.invariants.map((r) => `  ${r.valid ? 'ok     ' : 'FAILED '} ${r.invariant}${r.valid ? '' : ` (${r.violations})`}`);
  return [
    `kafka-sim run (seed ${JSON.stringify(scenario.seed)}, Kafka ${scenario.kafka.version}${scenario.kafka.metadata === 'zookeeper' ? ' in ZooKeeper mode' : ''}): ${scenario.brokers} brokers, ${scenario.topics.map((t) => `${t.name} ${t.partitions}x RF ${t.replicationFactor} min ISR ${t.minInsyncReplicas ?? 1}`).join(', ')}; ${scenario.producers.length} producers, ${scenario.readers.length} readers${scenario.consumers.length > 0 ? `, ${scenario.consumers.length} group consumers` : ''}${(scenario.apps ?? []).length > 0 ? `, ${(scenario.apps ?? []).length} kafkajs apps` : ''}; ${(result.virtualMs / 1000).toFixed(1)} virtual s in ${(wallMs / 1000).toFixed(1)} s${scenario.weakenings.length > 0 ? `; weakenings: ${scenario.weakenings.join(', ')}` : ''}`,
    '',
    'timeline (virtual ms):',
    ...timeline.map((e) => `  ${ms(e.atMs).padStart(9)}  ${e.text}`),
    '',
    `sends: ${sends.ok} acknowledged, ${sends.fail} failed, ${sends.info} unknown; ack latency p50 ${ms(sends.latencyMs.p50)} ms, p95 ${ms(sends.latencyMs.p95)} ms, p99 ${ms(sends.latencyMs.p99)} ms, max ${ms(sends.latencyMs.max)} ms`,
    `throughput: ${(sends.ok / (scenario.durations.safetyMs / 1000)).toFixed(1)} acknowledged writes per virtual second of the safety phase; ${polled.size} distinct values read`,
    ...producerOutcomes(scenario, result).map(
      (p) => `  ${p.producer} (acks=${p.acks}): ${p.ok} acknowledged${p.lost > 0 ? `, ${p.lost} of them LOST` : ''}, ${p.fail} failed, ${p.info} unknown${p.info > 0 ? ` (${p.infoWritten} of those written)` : ''}`,
    ),
    ...ackWaitLines(result.history),
    quietLine(result.quiet, scenario.durations.quietMs),
    ...result.uncleanRecoveries.map(
      ({ partition, leader }) =>
        `unclean recovery: the controller elected ${partition}'s last known leader (broker ${leader}) with unclean elections off (KIP-966); Kafka counts it unclean (if that broker lost its page cache, no-loss, ordering and log-matching do not judge the run)`,
    ),
    ...result.lossyElections.map(({ partition, leader, leaderEpoch, logEndOffset, highWatermark, sameEpochAbove }) =>
      sameEpochAbove === undefined
        ? `lossy election: broker ${leader} took ${partition} (leader epoch ${leaderEpoch}) with its log ending at ${logEndOffset}, below the high watermark ${highWatermark} another replica had learned; acknowledged records are lost (if that broker lost its page cache, Kafka's bug R12: no-loss, ordering and log-matching do not judge the run)`
        : `lossy election: broker ${leader} led ${partition} again in leader epoch ${leaderEpoch} after a restart no controller noticed, with its log ending at ${logEndOffset}, below another replica's (${sameEpochAbove}); what it writes there diverges unseen by leader epochs (if that broker lost its page cache, bug R4 without the epoch change: no-loss, ordering and log-matching do not judge the run)`,
    ),
    `final read: ${result.finalReadComplete ? 'every reader read every partition to its high watermark' : 'INCOMPLETE'}`,
    ...consumerLines(scenario, result),
    '',
    'checkers:',
    ...verdicts,
    'invariants:',
    ...invariants,
    '',
    `verdict: ${result.valid === true ? 'valid' : result.valid === false ? 'VIOLATIONS' : 'unknown'}; traceHash ${result.traceHash}`,
  ].join('\n');
}

// The longest wait for an ack per partition (the dozen longest when there are more).
function ackWaitLines(history: History): string[] {
  const waits = longestAckWaits(history);
  if (waits.length === 0) return [];
  const shown = waits.length <= 12 ? waits : [...waits].sort((a, b) => b.waitMs - a.waitMs).slice(0, 12);
  return [
    `longest wait for an ack, by partition${shown.length < waits.length ? ` (the ${shown.length} longest of ${waits.length})` : ''}:`,
    ...shown.map((w) => `  ${w.partition.padEnd(12)} ${ms(w.waitMs).padStart(8)} ms (sent at ${ms(w.sentMs)}, acknowledged at ${ms(w.ackedMs)})`),
  ];
}

function controllerLine(e: ControllerEvent): string {
  if (e.zookeeper === 'shutdown') {
    const what = e.outcome === 'done' ? 'nothing left to move, it stops' : e.outcome === 'partitions left' ? `${e.remaining} partition${e.remaining === 1 ? '' : 's'} still led here` : e.outcome;
    return `stop    broker ${e.broker} controlled shutdown, attempt ${e.attempt}: ${what}${e.last === true ? '; no attempts left, it stops anyway' : ''}`;
  }
  if (e.zookeeper === 'controller') return `control broker ${e.broker} elected controller (controller epoch ${e.controllerEpoch})`;
  if (e.zookeeper === 'resigned') return `control broker ${e.broker} resigned as controller (controller epoch ${e.controllerEpoch})`;
  return `fenced  broker ${e.broker} refused ${e.request} from controller epoch ${e.controllerEpoch} (it follows epoch ${e.followsEpoch})`;
}

// A leader change; for `__consumer_offsets`, only the partitions that coordinate a group of the run, as the
// coordinator moving.
function leaderLine(scenario: ResolvedScenario, change: LeaderChange): Array<{ atMs: number; text: string }> {
  const prefix = `${CONSUMER_OFFSETS_TOPIC}-`;
  if (!change.partition.startsWith(prefix)) {
    return [{ atMs: change.atMs, text: `leader  ${change.partition}: broker ${change.broker} in epoch ${change.leaderEpoch}` }];
  }
  const partition = Number(change.partition.slice(prefix.length));
  const count = (scenario.controller?.offsetsTopicNumPartitions as number | undefined) ?? controllerDefaults.offsetsTopicNumPartitions;
  const groups = [...new Set(scenario.consumers.map((c) => c.groupId))].filter((g) => coordinatorPartition(g, count) === partition);
  if (groups.length === 0) return [];
  return [{ atMs: change.atMs, text: `coordinator of ${groups.join(', ')}: broker ${change.broker} (${change.partition}, epoch ${change.leaderEpoch})` }];
}

// Each completed rebalance: the group, its generation and assignor, and who got which partitions (by node).
function generationChanges(result: RunResult): Array<{ atMs: number; text: string }> {
  const nodeOf = new Map<string, string>();
  for (const e of result.groupLog) if (e.group === 'owned' && e.memberId !== '') nodeOf.set(e.memberId, e.node);
  return result.groupLog.flatMap((e) => {
    if (e.group !== 'generation') return [];
    const members = Object.entries(e.assignments).map(([memberId, partitions]) => `${nodeOf.get(memberId) ?? memberId} [${partitions.join(', ')}]`);
    return [{ atMs: e.timeMs, text: `group   ${e.groupId} generation ${e.generation} (${e.protocolName ?? 'none'}, by ${e.node}): ${members.join('; ') || 'no members'}` }];
  });
}

// Per group consumer: records processed (and how many of them more than once in the group), commits.
function consumerLines(scenario: ResolvedScenario, result: RunResult): string[] {
  if (scenario.consumers.length === 0) return [];
  const seen = new Map<string, number>();
  for (const e of result.groupLog) if (e.group === 'processed') seen.set(`${e.groupId} ${e.value}`, (seen.get(`${e.groupId} ${e.value}`) ?? 0) + 1);
  const again = [...seen.values()].filter((n) => n > 1).length;
  const lines = [`consumers: ${seen.size} distinct records processed, ${again} of them more than once (at-least-once)`];
  for (const consumer of scenario.consumers) {
    const processed = result.groupLog.filter((e) => e.group === 'processed' && e.node === consumer.id).length;
    const commits = { ok: 0, fail: 0, info: 0 };
    for (const op of result.history) if (op.f === 'commit' && op.type !== 'invoke' && op.process === consumer.id) commits[op.type]++;
    lines.push(`  ${consumer.id} (group ${consumer.groupId}): ${processed} records processed; commits ${commits.ok} ok, ${commits.fail} failed, ${commits.info} unknown`);
  }
  return lines;
}

// Virtual times have sub-millisecond latencies in them; a tenth of a millisecond is enough to read.
function ms(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function describe(fault: { kind: string } & Record<string, unknown>): string {
  const { atMs: _atMs, kind, ...rest } = fault;
  const detail = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return detail === '' ? kind : `${kind} ${detail}`;
}
