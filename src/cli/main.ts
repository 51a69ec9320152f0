// The kafka-sim command line. Exit codes: 0 success, 1 a violation or failed run, 2 bad input or usage, 3 a
// replay whose traceHash differs from the one recorded.
import { parseArgs } from 'node:util';
import { SimulationError } from '../kernel/SimulationError.ts';
import { formatKernelDemo, runKernelDemo } from './kernelDemo.ts';
import { CapsuleInputError, readCapsule, replay } from './replayCommand.ts';
import { checkCommand, CheckInputError, resolveCheck } from './checkCommand.ts';
import { exploreWithWorkers, mergeShards, parseShard, runShard } from './checkSharding.ts';
import { kafkaVersions, type KafkaVersion } from '../scenario/kafkaProfile.ts';
import type { PropertyName } from '../scenario/weakenings.ts';
import { ExperimentInputError, formatExperiment, resolveExperiments, runExperiments } from './experimentCommand.ts';
import { formatMatrix, runMatrix } from './matrixCommand.ts';
import { progressBar } from './progressBar.ts';
import { loadScenario, runAndDescribe, ScenarioInputError } from './runCommand.ts';

const USAGE = `Usage: kafka-sim <command> [options]

Commands:
  run [FILE] [--seed S] [--kafka V] [--json] [--report OUT.html] [--mermaid OUT.md]
                                     run a scenario file, or the embedded default scenario, and print its story
  replay CAPSULE [--json] [--report OUT.html] [--mermaid OUT.md]
                                     run a replay capsule again; exit 3 if its traceHash differs
  check [--property P|all] [--weaken W] [--runs N] [--seed S] [--kafka V] [--max-shrinks N] [--workers N | --shard i/n | --merge FILE... | --from-run N] [--json]
                                     explore scenarios for properties with fast-check, shrink a failure to a capsule
  matrix [--runs N] [--seed S] [--kafka V] [--max-shrinks N] [--full] [--json]
                                     every weakening against its property, every property with none
  experiment NAME|all [--out DIR] [--seeds N] [--quick] [--json]
                                     measure one of Kafka's textbook claims over seeds: a table (Markdown, JSON)
                                     and an SVG plot in DIR (default reports/experiments); NAME is one of keys,
                                     acks, ordering, group-sizing, rebalance, failover, scaling
  kernel-demo [--seed S] [--ms N]    the simulation kernel alone: a ping/pong fixture under faults

Options:
  --seed S   the run's seed (a number or a string; overrides the scenario's)
  --kafka V  run, check, matrix: the Kafka version profile, 3.9 or 4.1 (overrides the scenario's; default 4.1)
  --ms N     kernel-demo: virtual milliseconds to run (default 10000)
  --property check: a property name, or all (default: the weakening's property, or all)
  --weaken   check: a weakening to switch on (its property must then fail)
  --runs N   check, matrix: runs per property (default 100 for check, 200 for matrix)
  --max-shrinks N  check, matrix: the most shrinking runs after a failure (default 100)
  --workers N      check: explore the runs on N worker threads (same answer as one)
  --shard i/n      check: explore only every n-th run from run i (0 <= i < n); prints JSON lines, no shrinking
  --merge FILE...  check: merge shards' JSON lines; prints the first failing run and how to shrink it
  --from-run N     check: replay run N (0-based) and shrink it
  --full           matrix: every weakening against every property, not only its own
  --out DIR  experiment: where to write the tables and plots (default reports/experiments)
  --seeds N  experiment: seeds to average over (default 10, or 2 with --quick)
  --quick    experiment: fewer and smaller runs, for a first look
  --json     print the result as one JSON object
  --report   run, replay: write a self-contained HTML report of the run
  --mermaid  run, replay: write a Mermaid sequence diagram of the messages around the failure
  --help     show this help`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        kafka: { type: 'string' },
        ms: { type: 'string' },
        property: { type: 'string' },
        weaken: { type: 'string' },
        runs: { type: 'string' },
        report: { type: 'string' },
        'max-shrinks': { type: 'string' },
        shard: { type: 'string' },
        workers: { type: 'string' },
        merge: { type: 'boolean' },
        full: { type: 'boolean' },
        'from-run': { type: 'string' },
        mermaid: { type: 'string' },
        out: { type: 'string' },
        seeds: { type: 'string' },
        quick: { type: 'boolean' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command = 'run', ...rest] = positionals;
  try {
    if (command !== 'check' && (values.property !== undefined || values.weaken !== undefined || values.shard !== undefined || values.workers !== undefined || values.merge !== undefined || values['from-run'] !== undefined)) {
      throw new UsageError('--property, --weaken, --shard, --workers, --merge and --from-run are options of check');
    }
    if (command !== 'check' && command !== 'matrix' && (values.runs !== undefined || values['max-shrinks'] !== undefined)) {
      throw new UsageError('--runs and --max-shrinks are options of check and matrix');
    }
    if (command !== 'run' && command !== 'replay' && (values.report !== undefined || values.mermaid !== undefined)) {
      throw new UsageError('--report and --mermaid are options of run and replay');
    }
    if (command !== 'run' && command !== 'check' && command !== 'matrix' && values.kafka !== undefined) {
      throw new UsageError('--kafka is an option of run, check and matrix (a capsule replays the version it recorded)');
    }
    const kafkaVersion = parseKafkaVersion(values.kafka);
    if (command !== 'experiment' && (values.out !== undefined || values.seeds !== undefined || values.quick !== undefined)) {
      throw new UsageError('--out, --seeds and --quick are options of experiment');
    }
    if (command === 'experiment') {
      if (values.seed !== undefined) throw new UsageError('experiment runs seeds 1..N: use --seeds N, not --seed');
      const names = resolveExperiments(rest);
      const seeds = values.seeds === undefined ? undefined : parseRuns(values.seeds, 10, '--seeds');
      const show = process.stderr.isTTY && !values.json;
      const written = await runExperiments({
        names,
        outDir: values.out ?? 'reports/experiments',
        seeds,
        quick: values.quick === true,
        ...(show ? { onRun: (label: string) => process.stderr.write(`  ${label}\n`) } : {}),
      });
      process.stdout.write(values.json ? `${JSON.stringify(written.map((w) => ({ ...w.result, files: w.files })))}\n` : `${written.map(formatExperiment).join('\n\n')}\n`);
      return 0;
    }
    if (command === 'replay') {
      if (rest.length !== 1) throw new UsageError(`replay takes one capsule file, got ${rest.length === 0 ? 'none' : `"${rest.join(' ')}"`}`);
      const outcome = replay(readCapsule(rest[0] as string), { report: values.report, mermaid: values.mermaid });
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command === 'run') {
      if (rest.length > 1) throw new UsageError(`run takes at most one scenario file, got "${rest.join(' ')}"`);
      if (values.ms !== undefined) throw new UsageError('--ms is for kernel-demo; a scenario sets its own durations');
      const scenario = loadScenario(rest[0], values.seed === undefined ? undefined : parseSeed(values.seed), kafkaVersion);
      const outcome = runAndDescribe(scenario, 'reports/capsules', () => performance.now(), { report: values.report, mermaid: values.mermaid });
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command === 'matrix') {
      if (rest.length > 0) throw new UsageError(`matrix takes no file, got "${rest.join(' ')}"`);
      const seed = parseCheckSeed(values.seed);
      const runs = parseRuns(values.runs, 200);
      const show = process.stderr.isTTY && !values.json;
      const maxShrinks = parseRuns(values['max-shrinks'], 100, '--max-shrinks');
      const rows = runMatrix({ runs, seed, kafkaVersion, capsuleDir: 'reports/capsules', maxShrinks, full: values.full === true, wallClockMs: () => performance.now(), ...(show ? { onRow: (label: string) => process.stderr.write(`checking ${label} ...\n`) } : {}) });
      const ok = rows.every((r) => r.ok);
      process.stdout.write(values.json ? `${JSON.stringify({ runs, seed, ok, rows })}\n` : `${formatMatrix(rows, runs, seed)}\n`);
      return ok ? 0 : 1;
    }
    if (command === 'check') {
      if (rest.length > 0 && values.merge !== true) throw new UsageError(`check takes no file (except with --merge), got "${rest.join(' ')}"`);
      const seed = parseCheckSeed(values.seed);
      const runs = parseRuns(values.runs, 100);
      if (values.merge === true) {
        if (rest.length === 0) throw new UsageError('--merge takes the shards\' JSON lines files, got none');
        const merged = mergeShards(rest);
        const lines = merged.map((m) =>
          values.json
            ? JSON.stringify(m)
            : `${m.property}${m.weakening === null ? '' : ` with ${m.weakening}`}: ${m.ok ? `held over ${m.ran} runs` : `FAILED at run ${m.firstFailure}`} (${m.shards} shards, seed ${m.seed}${m.kafka === undefined ? '' : `, Kafka ${m.kafka}`})${m.ok ? '' : `; shrink it: npx kafka-sim check --property ${m.property}${m.weakening === null ? '' : ` --weaken ${m.weakening}`} --seed ${m.seed}${m.kafka === undefined ? '' : ` --kafka ${m.kafka}`} --runs ${m.runs} --from-run ${m.firstFailure}`}`,
        );
        process.stdout.write(`${lines.join('\n')}\n`);
        return merged.every((m) => m.ok) ? 0 : 1;
      }
      if (values.shard !== undefined) {
        const { index, count } = parseShard(values.shard);
        const { properties, weakening } = resolveCheck(values.property, values.weaken);
        const results = properties.map((property) => runShard(property, weakening, { seed, runs, index, count, kafkaVersion }));
        process.stdout.write(`${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
        return results.every((r) => r.firstFailure === null) ? 0 : 1;
      }
      let explored: Map<PropertyName, number | null> | undefined;
      const workers = values.workers === undefined ? 1 : parseRuns(values.workers, 1, '--workers');
      if (workers > 1) {
        const { properties, weakening } = resolveCheck(values.property, values.weaken);
        explored = new Map();
        for (const property of properties) explored.set(property, await exploreWithWorkers(property, weakening, { seed, runs, workers, kafkaVersion }));
      }
      const fromRun = values['from-run'] === undefined ? undefined : parseRunIndex(values['from-run']);
      const progress = process.stderr.isTTY && !values.json ? progressBar() : undefined;
      const maxShrinks = parseRuns(values['max-shrinks'], 100, '--max-shrinks');
      const outcome = checkCommand({
        property: values.property,
        weaken: values.weaken,
        runs,
        seed,
        kafkaVersion,
        maxShrinks,
        capsuleDir: 'reports/capsules',
        ...(explored === undefined ? {} : { explored }),
        ...(fromRun === undefined ? {} : { fromRun }),
        ...(progress ? { progress } : {}),
      });
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command !== 'kernel-demo') throw new UsageError(`unknown command "${command}"; commands: run, replay, check, matrix, experiment, kernel-demo`);
    if (rest.length > 0) throw new UsageError(`kernel-demo takes no file, got "${rest.join(' ')}"`);
    const seed = parseSeed(values.seed);
    const ms = parseMs(values.ms);
    const started = performance.now();
    const result = runKernelDemo(seed, ms);
    const wallMs = performance.now() - started;
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${formatKernelDemo(result, wallMs)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message);
    if (err instanceof CapsuleInputError || err instanceof ScenarioInputError || err instanceof CheckInputError || err instanceof ExperimentInputError) {
      process.stderr.write(`kafka-sim: ${err.message}\n`);
      return 2;
    }
    if (err instanceof SimulationError) {
      process.stderr.write(`kafka-sim: run failed: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

function parseKafkaVersion(raw: string | undefined): KafkaVersion | undefined {
  if (raw === undefined) return undefined;
  if (!(kafkaVersions as readonly string[]).includes(raw)) throw new UsageError(`--kafka: got ${JSON.stringify(raw)}, allowed: one of ${kafkaVersions.join(', ')}`);
  return raw as KafkaVersion;
}

function parseSeed(raw: string | undefined): number | string {
  if (raw === undefined) return 1;
  if (raw.length === 0) throw new UsageError('--seed must be a number or a non-empty string, got ""');
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

// fast-check's seed: an integer.
function parseCheckSeed(raw: string | undefined): number {
  const seed = raw === undefined ? 1 : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed for check and matrix must be an integer (fast-check's seed), got ${JSON.stringify(raw)}`);
  return seed;
}

function parseRuns(raw: string | undefined, fallback: number, name = '--runs'): number {
  const runs = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new UsageError(`${name} must be an integer >= 1, got ${JSON.stringify(raw)}`);
  return runs;
}

// A run's index in a check (0-based).
function parseRunIndex(raw: string): number {
  const run = Number(raw);
  if (!Number.isSafeInteger(run) || run < 0 || raw.trim() === '') throw new UsageError(`--from-run must be an integer >= 0, got ${JSON.stringify(raw)}`);
  return run;
}

function parseMs(raw: string | undefined): number {
  if (raw === undefined) return 10_000;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`--ms must be a finite number >= 0, got ${JSON.stringify(raw)}`);
  return ms;
}

function usageError(message: string): number {
  process.stderr.write(`kafka-sim: ${message}\n\n${USAGE}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
