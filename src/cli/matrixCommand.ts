// `kafka-sim matrix [--runs N] [--seed S] [--json]`: every weakening against the property it must break, and every
// property with no weakening. A weakening is caught when fast-check finds a counterexample within the runs (then
// shrunk, its capsule written); a rare one (see weakenings.ts) that the runs miss is still caught if its committed
// counterexample (properties/counterexamples/) breaks the property. Exit 1 when a weakening is not caught or a
// property fails with no weakening: the matrix is the claim that the properties can fail and do not.
import type { KafkaProfileName } from '../scenario/kafkaProfile.ts';
import { readFileSync } from 'node:fs';
import { checkProperty, exploreRuns, type PropertyCheckResult } from '../../properties/checkProperty.ts';
import { propertyViolations } from '../../properties/replicationProperties.ts';
import { replayCapsule, type ReplayCapsule } from '../scenario/capsule.ts';
import { weakeningNames, weakenings, type PropertyName, type WeakeningName } from '../scenario/weakenings.ts';
import { checkablePropertyNames } from './checkCommand.ts';

/** One row of the matrix. */
export interface MatrixRow {
  weakening: WeakeningName | null;
  bug: string | null;
  property: PropertyName;
  /** For a weakening: whether it was caught (by the runs, or by its committed counterexample). For none: whether the property held. */
  ok: boolean;
  caughtBy: 'runs' | 'committed counterexample' | null;
  runs: number;
  seconds: number;
  shrunkFaults: number | null;
  shrunkRecords: number | null;
  violations: string[];
  capsulePath: string | null;
  /**
   * For a weakening the runs did not catch: the runs explored past the budget without shrinking (up to
   * BEYOND_BUDGET times it), and the budget that catches it (its first failing run + 1, at the same seed) or null
   * when they found nothing either. Absent when the runs caught it.
   */
  beyondBudget?: { searchedTo: number; catchingBudget: number | null };
}

/** How far past its budget a missed weakening is looked for (a multiple of --runs, at most MAX_SEARCH_RUNS). */
export const BEYOND_BUDGET = 20;
const MAX_SEARCH_RUNS = 5_000;

/** What `matrix` is asked to do; `wallClockMs` times each check (the CLI's clock, not the simulation's). */
export interface MatrixOptions {
  runs: number;
  seed: number;
  capsuleDir: string;
  /** The most shrinking runs after each first failure. */
  maxShrinks: number;
  wallClockMs: () => number;
  /** Told as each row starts and ends. */
  onRow?: (label: string) => void;
  /**
   * Every weakening against every property, not only the one it must break. The other cells only inform (a
   * weakening may break more than its own property); they do not change the verdict.
   */
  full?: boolean;
  /** The Kafka version profile of the explored scenarios (default 4.1). */
  kafkaVersion?: KafkaProfileName | undefined;
}

/** Runs the matrix. */
export function runMatrix(options: MatrixOptions): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const name of weakeningNames) {
    rows.push(weakeningRow(name, options));
    if (options.full === true) {
      for (const property of checkablePropertyNames) if (property !== weakenings[name].breaks) rows.push(crossRow(name, property, options));
    }
  }
  for (const property of checkablePropertyNames) rows.push(propertyRow(property, options));
  return rows;
}

// One cell: `property` checked with `name` switched on (or none), timed; `judge` says whether the cell is ok and
// how its weakening was caught.
function cell(
  name: WeakeningName | null,
  property: PropertyName,
  options: MatrixOptions,
  judge: (check: PropertyCheckResult) => Pick<MatrixRow, 'ok' | 'caughtBy' | 'violations'>,
): MatrixRow {
  const started = options.wallClockMs();
  const check = checkProperty(property, name === null ? [] : [name], {
    numRuns: options.runs,
    seed: options.seed,
    capsuleDir: options.capsuleDir,
    maxShrinks: options.maxShrinks,
    ...(options.kafkaVersion === undefined ? {} : { kafkaVersion: options.kafkaVersion }),
  });
  const ce = check.counterexample;
  return {
    weakening: name,
    bug: name === null ? null : weakenings[name].bug,
    property,
    ...judge(check),
    runs: check.runsToFind,
    seconds: Number(((options.wallClockMs() - started) / 1000).toFixed(1)),
    shrunkFaults: ce?.faults ?? null,
    shrunkRecords: ce?.records ?? null,
    capsulePath: ce?.capsulePath ?? null,
  };
}

// A weakening against the property it must break: caught by the runs, or (a rare one) by its committed
// counterexample.
function weakeningRow(name: WeakeningName, options: MatrixOptions): MatrixRow {
  const weakening = weakenings[name];
  options.onRow?.(`${name} -> ${weakening.breaks}`);
  const row = cell(name, weakening.breaks, options, (check) => {
    if (check.counterexample !== null) return { ok: true, caughtBy: 'runs', violations: check.counterexample.violations };
    if (!('rare' in weakening)) return { ok: false, caughtBy: null, violations: [] };
    const file = new URL(`../../properties/counterexamples/${name}.json`, import.meta.url);
    const capsule = JSON.parse(readFileSync(file, 'utf8')) as ReplayCapsule;
    const violations = propertyViolations(weakening.breaks, replayCapsule(capsule).result);
    return { ok: violations.length > 0, caughtBy: violations.length > 0 ? 'committed counterexample' : null, violations };
  });
  return row.caughtBy === 'runs' ? row : { ...row, beyondBudget: lookBeyondBudget(name, options) };
}

// The budget that catches a weakening the runs missed: the runs after the budget, explored in order without
// shrinking (run k, 0-based, fails: --runs k + 1 finds it at the same seed).
function lookBeyondBudget(name: WeakeningName, options: MatrixOptions): NonNullable<MatrixRow['beyondBudget']> {
  const searchedTo = Math.min(options.runs * BEYOND_BUDGET, Math.max(options.runs, MAX_SEARCH_RUNS));
  const runs = Array.from({ length: searchedTo - options.runs }, (_, i) => options.runs + i);
  options.onRow?.(`${name}: not caught in ${options.runs} runs; looking on to run ${searchedTo}`);
  const { firstFailure } = exploreRuns(weakenings[name].breaks, [name], { seed: options.seed, runs, kafkaVersion: options.kafkaVersion });
  return { searchedTo, catchingBudget: firstFailure === null ? null : firstFailure + 1 };
}

// A weakening against a property it is not paired with: whether that breaks too (informative, always ok).
function crossRow(name: WeakeningName, property: PropertyName, options: MatrixOptions): MatrixRow {
  options.onRow?.(`${name} -> ${property} (cross)`);
  return cell(name, property, options, (check) => ({ ok: true, caughtBy: check.counterexample === null ? null : 'runs', violations: check.counterexample?.violations ?? [] }));
}

function propertyRow(property: PropertyName, options: MatrixOptions): MatrixRow {
  options.onRow?.(`${property} (no weakening)`);
  return cell(null, property, options, (check) => ({ ok: check.ok, caughtBy: null, violations: check.counterexample?.violations ?? [] }));
}

/** The matrix as a text table. */
export function formatMatrix(rows: readonly MatrixRow[], runs: number, seed: number): string {
  const header = ['weakening', 'bug', 'property', 'result', 'runs', 'seconds', 'shrunk to'];
  const body = rows.map((r) => [
    r.weakening ?? '(none)',
    r.bug ?? '',
    r.property,
    resultText(r),
    String(r.runs),
    String(r.seconds),
    r.shrunkFaults === null ? '' : `${r.shrunkFaults} faults, ${r.shrunkRecords} records`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const ok = rows.every((r) => r.ok);
  return [
    `kafka-sim matrix: ${runs} runs per check, seed ${seed}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...rows.flatMap((r) => budgetAdvice(r, runs, seed)),
    `verdict: ${ok ? 'every weakening caught, every property held' : 'FAILED'}`,
  ].join('\n');
}

// What budget a weakening the runs missed needs, when the matrix looked past the budget.
function budgetAdvice(r: MatrixRow, runs: number, seed: number): string[] {
  if (r.weakening === null || r.beyondBudget === undefined) return [];
  const missed = `${r.weakening}: the runs did not catch it in a budget of ${runs}`;
  const { searchedTo, catchingBudget } = r.beyondBudget;
  if (catchingBudget === null) return [`${missed}, nor up to run ${searchedTo} (seed ${seed})`];
  return [`${missed}; run ${catchingBudget} does: --runs ${catchingBudget} (seed ${seed})`];
}

function resultText(r: MatrixRow): string {
  if (r.weakening === null) return r.ok ? 'held' : 'FAILED';
  if (r.property !== weakenings[r.weakening].breaks) return r.caughtBy === null ? 'held (cross)' : 'broken too (cross)';
  if (!r.ok) return 'NOT CAUGHT';
  return r.caughtBy === 'runs' ? 'caught' : 'caught (committed counterexample)';
}
