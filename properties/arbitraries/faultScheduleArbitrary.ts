import fc from 'fast-check';
import { smallSubsets, withLastResortShrinks } from './withExtraShrinks.ts';
import type { Fault } from '../../src/faults/Fault.ts';

/** The kinds of fault window the arbitrary draws. */
export type FaultWindowKind = 'crash' | 'powerLoss' | 'pause' | 'partition' | 'link';

/** Options of `faultScheduleArbitrary`. */
export interface FaultScheduleConstraints {
  /** The nodes faults may target (at least one). */
  nodes: readonly string[];
  /** Windows start in [0, horizonMs). */
  horizonMs: number;
  /** At most this many windows (each becomes two faults: start and end); default 6. */
  maxWindows?: number;
  /** The longest window in ms; default horizonMs. */
  maxDurationMs?: number;
  /** Which kinds to draw; default all. */
  kinds?: readonly FaultWindowKind[];
  /**
   * What link faults may change: 'any' (loss, duplication, reordering, latency; the default) or 'latency' only.
   * Protocols that rely on TCP (Kafka) get 'latency': a connection loses no single message and never reorders
   * or duplicates, and partitions already model connections that break.
   */
  linkFaults?: 'any' | 'latency';
}

/**
 * One fault window: a fault and the fault that undoes it (crash → restart, pause → resume, partition →
 * heal, link → reset). Drawing windows rather than loose faults is what makes shrinking read well: fast-check
 * drops whole windows, moves them earlier (start toward 0), shortens them (earlier heals) and shrinks a
 * partition's groups.
 */
export interface FaultWindow {
  startMs: number;
  durationMs: number;
  open: Omit<Fault, 'atMs'>;
  close: Omit<Fault, 'atMs'>;
}

/**
 * Fault schedules as explicit arrays of faults, sorted by time (equal times keep window order), over the
 * given nodes: process crashes and power losses with restarts, pauses with resumes, partitions (groups,
 * one-way, isolate one node, majorities ring) with heals, and link faults (loss, duplication, extra latency)
 * with resets.
 */
export function faultScheduleArbitrary(constraints: FaultScheduleConstraints): fc.Arbitrary<Fault[]> {
  const { nodes, horizonMs } = constraints;
  if (nodes.length === 0) throw new Error('faultScheduleArbitrary: nodes must name at least one node, got []');
  if (new Set(nodes).size !== nodes.length) {
    throw new Error(`faultScheduleArbitrary: nodes must not repeat an id, got ${JSON.stringify(nodes)}`);
  }
  if (!Number.isInteger(horizonMs) || horizonMs < 1) {
    throw new Error(`faultScheduleArbitrary: horizonMs must be an integer >= 1, got ${horizonMs}`);
  }
  const maxDurationMs = constraints.maxDurationMs ?? horizonMs;
  const kinds = constraints.kinds ?? ['crash', 'powerLoss', 'pause', 'partition', 'link'];
  const windowArbs = kinds.flatMap((kind) => {
    const arb = windowArbitrary(kind, nodes, constraints.linkFaults ?? 'any');
    return arb === undefined ? [] : [arb];
  });
  if (windowArbs.length === 0) {
    throw new Error(
      `faultScheduleArbitrary: kinds ${JSON.stringify(kinds)} need at least two nodes, got ${JSON.stringify(nodes)}`,
    );
  }
  const window = fc
    .record({
      startMs: fc.integer({ min: 0, max: Math.max(0, horizonMs - 1) }),
      durationMs: fc.integer({ min: 1, max: Math.max(1, maxDurationMs) }),
      faults: fc.oneof(...windowArbs),
    })
    .map(({ startMs, durationMs, faults }): FaultWindow => ({ startMs, durationMs, ...faults }));
  return withLastResortShrinks(fc.array(window, { maxLength: constraints.maxWindows ?? 6 }), smallSubsets).map(toSchedule);
}

/** The faults of some windows as one schedule, sorted by time (equal times keep window order). */
export function toSchedule(windows: FaultWindow[]): Fault[] {
  const timed = windows.flatMap((w, i) => [
    { fault: { atMs: w.startMs, ...w.open } as Fault, order: 2 * i },
    { fault: { atMs: w.startMs + w.durationMs, ...w.close } as Fault, order: 2 * i + 1 },
  ]);
  timed.sort((a, b) => a.fault.atMs - b.fault.atMs || a.order - b.order);
  return timed.map((t) => t.fault);
}

/** What a window does: the fault that opens it and the fault that undoes it. */
export type WindowFaults = Pick<FaultWindow, 'open' | 'close'>;

function windowArbitrary(kind: FaultWindowKind, nodes: readonly string[], linkFaults: 'any' | 'latency'): fc.Arbitrary<WindowFaults> | undefined {
  const node = fc.constantFrom(...nodes);
  switch (kind) {
    case 'crash':
      return node.map((n) => ({ open: { kind: 'crash', node: n }, close: { kind: 'restart', node: n } }) as WindowFaults);
    case 'powerLoss':
      return node.map((n) => ({ open: { kind: 'powerLoss', node: n }, close: { kind: 'restart', node: n } }) as WindowFaults);
    case 'pause':
      return node.map((n) => ({ open: { kind: 'pause', node: n }, close: { kind: 'resume', node: n } }) as WindowFaults);
    case 'partition':
      return nodes.length < 2 ? undefined : partitionArbitrary(nodes);
    case 'link':
      return nodes.length < 2 ? undefined : linkArbitrary(nodes, linkFaults);
  }
}

function partitionArbitrary(nodes: readonly string[]): fc.Arbitrary<WindowFaults> {
  const heal = { kind: 'heal' } as const;
  // A side of at least one node and at most all but one, so the other side is never empty.
  const side = fc.subarray([...nodes], { minLength: 1, maxLength: nodes.length - 1 });
  const groups = side.map((a) => ({ groups: [a, nodes.filter((n) => !a.includes(n))] }));
  const oneWay = side.map((a) => ({ oneWay: { from: a, to: nodes.filter((n) => !a.includes(n)) } }));
  const isolate = fc.constantFrom(...nodes).map((n) => ({ isolate: n }));
  const specs: fc.Arbitrary<object>[] = [isolate, groups, oneWay];
  if (nodes.length >= 3) specs.push(fc.shuffledSubarray([...nodes], { minLength: nodes.length }).map((ring) => ({ majoritiesRing: ring })));
  return fc.oneof(...specs).map((spec) => ({ open: { kind: 'partition', ...spec } as Omit<Fault, 'atMs'>, close: heal }));
}

function linkArbitrary(nodes: readonly string[], linkFaults: 'any' | 'latency'): fc.Arbitrary<WindowFaults> {
  const pair = fc
    .tuple(fc.constantFrom(...nodes), fc.constantFrom(...nodes))
    .filter(([from, to]) => from !== to);
  const latency = fc.integer({ min: 0, max: 500 }).map((ms) => ({ latency: { kind: 'constant' as const, ms } }));
  const setting =
    linkFaults === 'latency'
      ? latency
      : fc.oneof(
          fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ dropProbability: p })),
          fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ duplicateProbability: p })),
          fc.double({ min: 0, max: 1, noNaN: true }).map((p) => ({ reorderProbability: p })),
          latency,
        );
  return fc.record({ pair, setting, bidirectional: fc.boolean() }).map(({ pair: [from, to], setting, bidirectional }) => ({
    open: { kind: 'link', from, to, bidirectional, set: setting },
    close: { kind: 'link', from, to, bidirectional, reset: true },
  }) as WindowFaults);
}
