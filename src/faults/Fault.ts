import { ArgumentError, describeValue, requireNumberAtLeast, requireProbability } from '../kernel/argumentError.ts';
import type { LinkOverride } from '../kernel/networkModel.ts';
import type { PartitionSpec } from '../kernel/partitions.ts';

/**
 * A fault as plain data, applied at virtual time `atMs`. Faults are idempotent: crashing a node that is
 * down, restarting one that is up, pausing a paused node or resuming a running one changes nothing (the trace
 * says `no-op`), so a shrunk schedule that lost half of a pair is still valid.
 * - `crash`: the process dies; volatile state and in-flight deliveries to it are lost, the disk stays.
 * - `powerLoss`: a crash that also loses writes not yet fsynced.
 * - `shutdown`: the operator stops the process (SIGTERM): a broker first moves its leaderships away (controlled
 *   shutdown), then exits cleanly with everything on disk; any other node exits at once, also cleanly.
 * - `restart`: a crashed or shut down node boots again from its disk.
 * - `pause` / `resume`: a freeze (GC pause, SIGSTOP); deliveries and timers are held, then released in order.
 * - `partition`: replaces the partition in force; `heal` removes it and every link fault.
 * - `link`: overrides one directed link (both directions with `bidirectional`); `reset` removes the override.
 */
export type Fault =
  | { atMs: number; kind: 'crash' | 'powerLoss' | 'shutdown' | 'restart' | 'pause' | 'resume'; node: string }
  | ({ atMs: number; kind: 'partition' } & PartitionSpec)
  | { atMs: number; kind: 'heal' }
  | { atMs: number; kind: 'link'; from: string; to: string; bidirectional?: boolean; set?: LinkOverride; reset?: boolean };

/** The fault kinds, in the order the docs list them. */
export const faultKinds = ['crash', 'powerLoss', 'shutdown', 'restart', 'pause', 'resume', 'partition', 'heal', 'link'] as const;

/** A list of faults; `world.schedule` applies each at its time (equal times in list order). */
export type FaultSchedule = Fault[];

const NODE_KINDS = new Set(['crash', 'powerLoss', 'shutdown', 'restart', 'pause', 'resume']);
const LINK_FIELDS = new Set(['latency', 'spike', 'dropProbability', 'duplicateProbability', 'reorderProbability']);

/**
 * Checks one fault's shape and node ids (the partition's own checks run when it is compiled). Throws an
 * ArgumentError naming `where[index].field`, the value and what is allowed.
 */
export function validateFault(where: string, fault: unknown, known: ReadonlySet<string>, nowMs: number): Fault {
  if (fault === null || typeof fault !== 'object') throw new ArgumentError(where, 'fault', fault, 'an object with atMs and kind');
  const f = fault as Record<string, unknown>;
  requireNumberAtLeast(where, 'atMs', f.atMs, nowMs);
  if (typeof f.kind !== 'string' || !(faultKinds as readonly string[]).includes(f.kind)) {
    throw new ArgumentError(where, 'kind', f.kind, `one of ${faultKinds.join(', ')}`);
  }
  if (NODE_KINDS.has(f.kind)) requireKnownNode(where, 'node', f.node, known);
  if (f.kind === 'link') validateLinkFault(where, f, known);
  return fault as Fault;
}

function validateLinkFault(where: string, f: Record<string, unknown>, known: ReadonlySet<string>): void {
  requireKnownNode(where, 'from', f.from, known);
  requireKnownNode(where, 'to', f.to, known);
  if (f.from === f.to) throw new ArgumentError(where, 'to', f.to, `a node other than from (${String(f.from)})`);
  if (f.bidirectional !== undefined && typeof f.bidirectional !== 'boolean') {
    throw new ArgumentError(where, 'bidirectional', f.bidirectional, 'true or false');
  }
  if (f.reset !== undefined && f.reset !== true) throw new ArgumentError(where, 'reset', f.reset, 'true (or left out)');
  if (f.reset === true) {
    if (f.set !== undefined) throw new ArgumentError(where, 'set', f.set, 'left out when reset is true');
    return;
  }
  if (f.set === null || typeof f.set !== 'object') {
    throw new ArgumentError(where, 'set', f.set, 'an object of link settings (or reset: true)');
  }
  validateLinkOverride(`${where}.set`, f.set as Record<string, unknown>);
}

/** Checks a link override's fields: probabilities in [0, 1], latencies finite and non-negative. */
export function validateLinkOverride(where: string, override: Record<string, unknown>): LinkOverride {
  if (override === null || typeof override !== 'object' || Array.isArray(override)) {
    throw new ArgumentError(where, 'link settings', override, `an object of link settings (${[...LINK_FIELDS].join(', ')})`);
  }
  for (const key of Object.keys(override)) {
    if (!LINK_FIELDS.has(key)) throw new ArgumentError(where, key, override[key], `a known link setting (${[...LINK_FIELDS].join(', ')})`);
  }
  for (const key of ['dropProbability', 'duplicateProbability', 'reorderProbability']) {
    if (override[key] !== undefined) requireProbability(where, key, override[key]);
  }
  if (override.latency !== undefined) validateLatency(where, override.latency);
  if (override.spike !== undefined) {
    const spike = override.spike as Record<string, unknown>;
    if (spike === null || typeof spike !== 'object') throw new ArgumentError(where, 'spike', spike, '{ probability, extraMs }');
    requireProbability(where, 'spike.probability', spike.probability);
    requireNumberAtLeast(where, 'spike.extraMs', spike.extraMs, 0);
  }
  return override as LinkOverride;
}

function validateLatency(where: string, latency: unknown): void {
  const l = latency as Record<string, unknown>;
  const shapes = "{ kind: 'constant', ms } | { kind: 'uniform', minMs, maxMs } | { kind: 'exponential', meanMs, minMs? }";
  if (l === null || typeof l !== 'object') throw new ArgumentError(where, 'latency', latency, shapes);
  if (l.kind === 'constant') requireNumberAtLeast(where, 'latency.ms', l.ms, 0);
  else if (l.kind === 'uniform') {
    requireNumberAtLeast(where, 'latency.minMs', l.minMs, 0);
    requireNumberAtLeast(where, 'latency.maxMs', l.maxMs, l.minMs as number);
  } else if (l.kind === 'exponential') {
    requireNumberAtLeast(where, 'latency.meanMs', l.meanMs, 0);
    if (l.minMs !== undefined) requireNumberAtLeast(where, 'latency.minMs', l.minMs, 0);
  } else throw new ArgumentError(where, 'latency.kind', l.kind, shapes);
}

function requireKnownNode(where: string, argument: string, node: unknown, known: ReadonlySet<string>): void {
  if (typeof node !== 'string' || !known.has(node)) {
    throw new ArgumentError(where, argument, node, `a known node id (${[...known].join(', ') || 'none yet'})`);
  }
}

/** A one-line description of a fault for timelines and error messages. */
export function describeFault(fault: Fault): string {
  const { atMs, kind, ...rest } = fault;
  return `${atMs} ms ${kind} ${describeValue(rest)}`;
}
