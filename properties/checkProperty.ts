// One property check: fast-check explores scenarios for a property (with weakenings, or none), shrinks the
// first failure to a small one, and writes its replay capsule. The properties tests call it at CI-sized budgets;
// the CLI will call it at any budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { makeCapsule, type ReplayCapsule } from '../src/scenario/capsule.ts';
import { runResolvedScenario, runResolvedScenarioAsync, type RunnableScenario, type RunResult } from '../src/scenario/runResolvedScenario.ts';
import { defaultKafkaVersion, type KafkaProfileName } from '../src/scenario/kafkaProfile.ts';
import type { PropertyName, WeakeningName } from '../src/scenario/weakenings.ts';
import { sentRecords } from '../src/scenario/Scenario.ts';
import { lossyUncleanRecovery, propertyArbitrary, propertyViolations, replicationPropertyNames } from './replicationProperties.ts';

/** Options of `checkProperty`. */
export interface PropertyCheckOptions {
  numRuns: number;
  /** fast-check's seed: the same seed explores the same scenarios. */
  seed: number;
  /** Shrink a failure to a smaller scenario (default true); off, the first failing scenario is kept. */
  shrink?: boolean;
  /** Where to write the counterexample's capsule; none is written without it. */
  capsuleDir?: string;
  /** The scenarios to explore instead of the property's own (e.g. replication properties over group scenarios). */
  scenarios?: fc.Arbitrary<RunnableScenario>;
  /** Called after every run (exploring, then shrinking) with whether the property held in it: progress reports. */
  onRun?: (held: boolean) => void;
  /**
   * The most shrinking runs after the first failure (default: no limit). Each is a whole simulation run, and a
   * group scenario can take hundreds; past the budget the smallest failure found so far is kept. Counted, not
   * timed, so the result does not depend on the machine.
   */
  maxShrinks?: number;
  /**
   * Start from this run (0-based) instead of exploring from the first: replay it and shrink it if it fails. With
   * the same seed, run N is the same scenario as in a sequential check, so a sweep split into shards or workers
   * shrinks exactly what one process would have.
   */
  fromRun?: number;
  /** The Kafka version profile of the explored scenarios (default: the scenarios' default, 4.1). */
  kafkaVersion?: KafkaProfileName;
  /** Draw clean shutdowns too (controlled shutdown and restart); default false. */
  shutdowns?: boolean;
}

/** A counterexample: the (shrunk) scenario, what it broke, and its capsule. */
export interface Counterexample {
  scenario: RunnableScenario;
  violations: string[];
  traceHash: string;
  faults: number;
  records: number;
  capsule: ReplayCapsule;
  capsulePath?: string;
}

/** What a check found. */
export interface PropertyCheckResult {
  property: PropertyName;
  weakenings: WeakeningName[];
  /** Runs until the first failure (or all of them when the property held). */
  runsToFind: number;
  shrinks: number;
  ok: boolean;
  counterexample: Counterexample | null;
  /**
   * Explored runs that held only because the replication properties do not judge them: a last known leader elected
   * after it lost its page cache (Kafka's unclean recovery, lossyUncleanRecovery). Absent where not counted.
   */
  excusedRuns?: number;
}

/** Checks `property` over scenarios with `weakenings` switched on. */
export function checkProperty(property: PropertyName, weakenings: readonly WeakeningName[], options: PropertyCheckOptions): PropertyCheckResult {
  const budget = new ShrinkBudget(options);
  let excusedRuns = 0;
  const details = fc.check(
    fc.property(options.scenarios ?? propertyArbitrary(property, weakenings, options.kafkaVersion, { shutdowns: options.shutdowns === true }), (scenario) => {
      if (budget.spent()) return true;
      // The search needs only the verdict: no trace (the counterexample is run again below, with its traceHash).
      const result = runResolvedScenario(scenario, { trace: 'none' });
      const held = propertyViolations(property, result).length === 0;
      if (held && !budget.failed && replicationPropertyNames.includes(property) && lossyUncleanRecovery(result)) excusedRuns++;
      return budget.ran(held);
    }),
    checkParameters(options),
  );
  const scenario = details.counterexample?.[0];
  return checkResult(property, weakenings, options, details, excusedRuns, scenario === undefined ? undefined : { scenario, result: runResolvedScenario(scenario) });
}

/**
 * `checkProperty` over scenarios that may have real client applications (kafkajs): each run goes through the async
 * runner. The scenarios must be given (`options.scenarios`, e.g. kafkajsScenarioArbitrary).
 */
export async function checkPropertyAsync(
  property: PropertyName,
  weakenings: readonly WeakeningName[],
  options: PropertyCheckOptions & { scenarios: fc.Arbitrary<RunnableScenario> },
): Promise<PropertyCheckResult> {
  const budget = new ShrinkBudget(options);
  const details = await fc.check(
    fc.asyncProperty(options.scenarios, async (scenario) => {
      if (budget.spent()) return true;
      return budget.ran(propertyViolations(property, await runResolvedScenarioAsync(scenario)).length === 0);
    }),
    checkParameters(options),
  );
  const scenario = details.counterexample?.[0];
  return checkResult(property, weakenings, options, details, 0, scenario === undefined ? undefined : { scenario, result: await runResolvedScenarioAsync(scenario) });
}

// The shrink budget of a check: past `maxShrinks` runs after the first failure, a candidate counts as passing without
// running, so fast-check stops descending. Counted, not timed.
class ShrinkBudget {
  failed = false;
  private shrinkRuns = 0;

  constructor(private readonly options: Pick<PropertyCheckOptions, 'maxShrinks' | 'onRun'>) {}

  /** Whether this candidate is past the budget (and is not to be run); counts it as a shrink run otherwise. */
  spent(): boolean {
    if (this.failed && this.options.maxShrinks !== undefined && this.shrinkRuns >= this.options.maxShrinks) return true;
    if (this.failed) this.shrinkRuns++;
    return false;
  }

  /** A run's outcome, told to onRun; returns it for fast-check. */
  ran(held: boolean): boolean {
    if (!held) this.failed = true;
    this.options.onRun?.(held);
    return held;
  }
}

// fast-check's parameters for a check: its budget and seed, shrinking or not, and where to start.
function checkParameters(options: PropertyCheckOptions): fc.Parameters<[RunnableScenario]> {
  return {
    numRuns: options.numRuns,
    seed: options.seed,
    endOnFailure: options.shrink === false,
    ...(options.fromRun === undefined ? {} : { path: String(options.fromRun) }),
  };
}

// What a check found, from fast-check's details: held, or the (shrunk) counterexample run again, with its capsule.
function checkResult(
  property: PropertyName,
  weakenings: readonly WeakeningName[],
  options: PropertyCheckOptions,
  details: fc.RunDetails<[RunnableScenario]>,
  excusedRuns: number,
  failure: { scenario: RunnableScenario; result: RunResult } | undefined,
): PropertyCheckResult {
  const runsToFind = options.fromRun === undefined ? details.numRuns : options.fromRun + 1;
  const base = { property, weakenings: [...weakenings], runsToFind, shrinks: details.numShrinks, excusedRuns };
  if (!details.failed || failure === undefined) return { ...base, ok: true, counterexample: null };
  const { scenario, result } = failure;
  const violations = propertyViolations(property, result);
  const capsule = makeCapsule(scenario, result, {
    property,
    fastCheck: { seed: details.seed, path: details.counterexamplePath ?? '' },
    violations,
  });
  const counterexample: Counterexample = {
    scenario,
    violations,
    traceHash: result.traceHash,
    faults: scenario.faults.length,
    records: scenario.producers.reduce((sum, producer) => sum + sentRecords(producer.workload), 0) + appRecords(scenario),
    capsule,
  };
  if (options.capsuleDir !== undefined) {
    mkdirSync(options.capsuleDir, { recursive: true });
    // Property, weakenings, Kafka version, seed and the run's traceHash: distinct runs never share a file.
    const name = [property, ...weakenings, `kafka${scenario.kafka?.version ?? defaultKafkaVersion}`, `seed${details.seed}`, result.traceHash.slice(0, 8)].join('-');
    counterexample.capsulePath = join(options.capsuleDir, `${name}.json`);
    writeFileSync(counterexample.capsulePath, `${JSON.stringify(capsule, null, 2)}\n`);
  }
  return { ...base, ok: false, counterexample };
}

// The records the built-in kafkajs producer applications send (one boot each).
function appRecords(scenario: RunnableScenario): number {
  return (scenario.apps ?? []).reduce((sum, app) => sum + (app.app === 'producer' ? Number(app.settings?.records ?? 100) : 0), 0);
}

/**
 * Runs only the given runs of a check (0-based, each as run N of a sequential check with the same seed), in
 * ascending order, without shrinking; stops at the first that fails. What a shard or a worker does.
 */
export function exploreRuns(
  property: PropertyName,
  weakenings: readonly WeakeningName[],
  options: { seed: number; runs: readonly number[]; onRun?: (held: boolean) => void; kafkaVersion?: KafkaProfileName | undefined; shutdowns?: boolean | undefined },
): { ran: number; firstFailure: number | null } {
  const predicate = fc.property(propertyArbitrary(property, weakenings, options.kafkaVersion, { shutdowns: options.shutdowns === true }), (scenario) => {
    const held = propertyViolations(property, runResolvedScenario(scenario, { trace: 'none' })).length === 0;
    options.onRun?.(held);
    return held;
  });
  let ran = 0;
  for (const run of [...options.runs].sort((a, b) => a - b)) {
    ran++;
    if (fc.check(predicate, { seed: options.seed, numRuns: 1, path: String(run), endOnFailure: true }).failed) return { ran, firstFailure: run };
  }
  return { ran, firstFailure: null };
}

/** The runs of shard `index` of `count` over `numRuns` runs: every count-th, starting at index (0-based). */
export function shardRuns(numRuns: number, index: number, count: number): number[] {
  const runs: number[] = [];
  for (let run = index; run < numRuns; run += count) runs.push(run);
  return runs;
}

/** A failure's story in a few lines: what broke, the shrunk scenario's size, and how to replay it. */
export function describeCounterexample(check: PropertyCheckResult): string {
  const ce = check.counterexample;
  if (ce === null) {
    const excused = check.excusedRuns ?? 0;
    return `${check.property}: held over ${check.runsToFind} runs${excused > 0 ? ` (${excused} not judged: a leader elected after it lost its page cache, a last known leader or, without ELR, an ISR member: Kafka's unclean recovery)` : ''}`;
  }
  const weakened = check.weakenings.length > 0 ? ` with ${check.weakenings.join(', ')}` : '';
  const { scenario } = ce;
  const faultLines = scenario.faults.map((fault) => `    ${String(fault.atMs).padStart(6)} ms  ${describeFault(fault)}`);
  const workloads = scenario.producers.map((p) => {
    const first = p.workload.firstRecord ?? 0;
    const sent = sentRecords(p.workload);
    const which = sent === 0 ? 'no records' : sent === 1 ? `record ${first} (${p.id}:${first})` : `records ${first}-${p.workload.records - 1}`;
    return `${p.id ?? 'producer'} sends ${which}, one every ${fmtMs(1_000 / p.workload.ratePerSec)} ms`;
  });
  for (const app of scenario.apps ?? []) workloads.push(`${app.id} runs kafkajs ${app.app} ${JSON.stringify(app.settings ?? {})}`);
  return [
    `${check.property}${weakened} failed after ${check.runsToFind} runs (${check.shrinks} shrinks): ${ce.violations.join(', ')}`,
    `  shrunk to ${plural(ce.faults, 'fault event')} and ${plural(ce.records, 'record')}; seed ${scenario.seed}; traceHash ${ce.traceHash}`,
    ...(faultLines.length === 0 ? ['  faults: none'] : ['  faults:', ...faultLines]),
    `  workload: ${workloads.join('; ')}`,
    ce.capsulePath === undefined ? '' : `  replay: npx kafka-sim replay ${ce.capsulePath} (add --report report.html for the story as a page)`,
  ].filter((line) => line !== '').join('\n');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function fmtMs(ms: number): string {
  return Number.isInteger(ms) ? String(ms) : ms.toFixed(1);
}

// A fault as one short phrase: its kind, then its fields (groups as `a | b`).
function describeFault(fault: RunnableScenario['faults'][number]): string {
  const { atMs: _atMs, kind, ...rest } = fault as { atMs: number; kind: string } & Record<string, unknown>;
  const parts = Object.entries(rest).map(([key, value]) =>
    key === 'groups' && Array.isArray(value) ? (value as unknown[][]).map((g) => `[${g.join(', ')}]`).join(' | ') : key === 'node' || key === 'isolate' ? `${key === 'isolate' ? 'isolate ' : ''}${String(value)}` : `${key}=${JSON.stringify(value)}`,
  );
  return [kind, ...parts].join(' ');
}
