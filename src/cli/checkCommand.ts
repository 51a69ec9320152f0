// `kafka-sim check [--property NAME|all] [--weaken NAME] [--runs N] [--seed S] [--json]`: fast-check explores
// scenarios for each property (with the weakening switched on, if one is named), shrinks the first failure and
// writes its replay capsule. Exit 0 when every property held, 1 when a counterexample was found.
import { checkProperty, checkPropertyAsync, describeCounterexample, type PropertyCheckResult } from '../../properties/checkProperty.ts';
import { kafkajsScenarioArbitrary } from '../../properties/arbitraries/kafkajsScenarioArbitrary.ts';
import { unexplainedViolations } from '../../properties/kafkajsFindings.ts';
import { replayCapsuleAsync } from '../scenario/capsule.ts';
import type { KafkaProfileName } from '../scenario/kafkaProfile.ts';
import { weakenings, type PropertyName, type WeakeningName } from '../scenario/weakenings.ts';
import { CheckInputError } from './inputErrors.ts';
import { resolveCheck } from './resolveCheck.ts';

export { CheckInputError };
export { checkablePropertyNames, resolveCheck } from './resolveCheck.ts';

/** What `check` is asked to do. */
export interface CheckOptions {
  property: string | undefined;
  weaken: string | undefined;
  runs: number;
  seed: number;
  capsuleDir: string;
  /** The most shrinking runs after the first failure. */
  maxShrinks: number;
  /**
   * Where the exploration already happened (shards or workers): per property, the first failing run, or null
   * when every run held. A failing run is shrunk here, as a sequential check would have.
   */
  explored?: ReadonlyMap<PropertyName, number | null>;
  /** Start from this run: replay it and shrink it (a shard's or a merge's first failure). */
  fromRun?: number;
  /** The Kafka version profile of the explored scenarios (default 4.1). */
  kafkaVersion?: KafkaProfileName | undefined;
  /** `--shutdowns`: the drawn faults include clean shutdowns (controlled shutdown and restart). */
  shutdowns?: boolean | undefined;
  /** Told when each property starts (with its run budget) and after every run: a progress display. */
  progress?: { start(property: string, runs: number): void; run(): void; stop(): void };
}

/** The outcome of `check`: its exit code, its text and its JSON. */
export interface CheckOutcome {
  exitCode: 0 | 1;
  text: string;
  json: Record<string, unknown>;
}

/** Runs the checks and describes them. */
export function checkCommand(options: CheckOptions): CheckOutcome {
  const { properties, weakening } = resolveCheck(options.property, options.weaken);
  const results: PropertyCheckResult[] = properties.map((property) => {
    const explored = options.explored?.get(property);
    if (explored === null) return { property, weakenings: weakening === null ? [] : [weakening], runsToFind: options.runs, shrinks: 0, ok: true, counterexample: null };
    const fromRun = explored ?? options.fromRun;
    options.progress?.start(property, options.runs);
    try {
      return checkProperty(property, weakening === null ? [] : [weakening], {
        numRuns: options.runs,
        seed: options.seed,
        capsuleDir: options.capsuleDir,
        maxShrinks: options.maxShrinks,
        ...(options.kafkaVersion === undefined ? {} : { kafkaVersion: options.kafkaVersion }),
        ...(options.shutdowns === true ? { shutdowns: true } : {}),
        ...(fromRun === undefined ? {} : { fromRun }),
        ...(options.progress === undefined ? {} : { onRun: () => options.progress?.run() }),
      });
    } finally {
      options.progress?.stop();
    }
  });
  return describeCheck(options, properties, weakening, results);
}

/** The properties `check --clients kafkajs` knows (README, "Testing a real client"). */
export const kafkajsCheckablePropertyNames: readonly PropertyName[] = ['no-loss', 'ordering', 'single-owner', 'group-at-least-once'];

/**
 * `check --clients kafkajs`: the properties over scenarios of unmodified kafkajs clients (kafkajsScenarioArbitrary),
 * in this process, run by run. A counterexample the kafkajs findings explain is said so.
 */
export async function checkKafkajsCommand(options: CheckOptions): Promise<CheckOutcome> {
  const { properties, weakening } = resolveCheck(options.property, options.weaken);
  const unknown = properties.filter((p) => !kafkajsCheckablePropertyNames.includes(p));
  if (options.property !== undefined && options.property !== 'all' && unknown.length > 0) {
    throw new CheckInputError(`--property: got ${JSON.stringify(options.property)}, allowed with --clients kafkajs: all, or one of ${kafkajsCheckablePropertyNames.join(', ')}`);
  }
  const weakenings = weakening === null ? [] : [weakening];
  const results: PropertyCheckResult[] = [];
  for (const property of properties.filter((p) => kafkajsCheckablePropertyNames.includes(p))) {
    options.progress?.start(property, options.runs);
    try {
      results.push(
        await checkPropertyAsync(property, weakenings, {
          numRuns: options.runs,
          seed: options.seed,
          capsuleDir: options.capsuleDir,
          maxShrinks: options.maxShrinks,
          scenarios: kafkajsScenarioArbitrary({ weakenings }),
          ...(options.fromRun === undefined ? {} : { fromRun: options.fromRun }),
          ...(options.progress === undefined ? {} : { onRun: () => options.progress?.run() }),
        }),
      );
    } finally {
      options.progress?.stop();
    }
  }
  const outcome = describeCheck(options, properties, weakening, results);
  const explained = await Promise.all(
    results.map(async (r) => {
      if (r.counterexample === null) return null;
      const { result } = await replayCapsuleAsync(r.counterexample.capsule);
      return unexplainedViolations(r.counterexample.violations, result).length === 0 ? r.property : null;
    }),
  );
  const notes = explained.filter((p) => p !== null).map((p) => `${p}: the counterexample is one of the kafkajs findings (README, "What the kafkajs properties found")`);
  return { ...outcome, text: [outcome.text, ...notes].join('\n'), json: { ...outcome.json, clients: 'kafkajs', explainedByFindings: explained.filter((p) => p !== null) } };
}

// The text and JSON of a check's results.
function describeCheck(options: CheckOptions, properties: readonly PropertyName[], weakening: WeakeningName | null, results: readonly PropertyCheckResult[]): CheckOutcome {
  const ok = results.every((r) => r.ok);
  const entries = results.map((r) => ({
    property: r.property,
    weakening,
    runs: r.runsToFind,
    ok: r.ok,
    ...(r.excusedRuns === undefined ? {} : { excusedRuns: r.excusedRuns }),
    counterexample:
      r.counterexample === null
        ? null
        : {
            capsulePath: r.counterexample.capsulePath ?? null,
            traceHash: r.counterexample.traceHash,
            faults: r.counterexample.faults,
            operations: r.counterexample.records,
            violations: r.counterexample.violations,
            shrinks: r.shrinks,
          },
  }));
  const first = entries.find((e) => !e.ok) ?? entries[0];
  const drawn = options.shutdowns === true ? { shutdowns: true } : {};
  const json =
    entries.length === 1 && first !== undefined
      ? { ...first, seed: options.seed, ...drawn }
      : { property: options.property ?? 'all', weakening, runs: options.runs, seed: options.seed, ...drawn, ok, counterexample: first?.ok === false ? first.counterexample : null, results: entries };
  const text = [
    `kafka-sim check: ${properties.length} ${properties.length === 1 ? 'property' : 'properties'}, ${options.runs} runs each, seed ${options.seed}${weakening === null ? '' : `, weakening ${weakening} (${weakenings[weakening].bug})`}${options.shutdowns === true ? ', with shutdowns' : ''}`,
    ...results.map(describeCounterexample),
    `verdict: ${ok ? 'every property held' : 'COUNTEREXAMPLE found'}`,
  ].join('\n');
  return { exitCode: ok ? 0 : 1, text, json };
}
