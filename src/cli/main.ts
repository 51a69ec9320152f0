// The kafka-sim command line. Exit codes: 0 success, 1 a violation or failed run, 2 bad input or usage, 3 a
// replay whose traceHash differs from the one recorded, 70 an internal error (EX_SOFTWARE).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SimulationError } from '../kernel/SimulationError.ts';
import { kafkaProfileNames, type KafkaProfileName } from '../scenario/kafkaProfile.ts';
import type { PropertyName } from '../scenario/weakenings.ts';
import { commandNames, isCommand, type CommandName } from './commands.ts';
import { CapsuleInputError, CheckInputError, ExperimentInputError, ScenarioInputError } from './inputErrors.ts';
import { checkOutputDir, checkOutputFile, OutputPathError } from './outputPaths.ts';

// Each command's modules load when it runs (a simulation, the checkers, fast-check, the plots are most of the start-up
// time), so that help, a bad flag or a bad file answer in a fraction of a second.
const helpPages = () => import('./help.ts');
const progressBars = () => import('./progressBar.ts');

/** The exit code of an internal error: a bug of kafka-sim, not of the input (sysexits' EX_SOFTWARE). */
const INTERNAL_ERROR = 70;
/**
 * Shrinking runs after a failure, unless --max-shrinks says otherwise: enough for the last-resort subsets of a stuck
 * shrink (withLastResortShrinks) to be tried after fast-check's own steps.
 */
const DEFAULT_MAX_SHRINKS = 400;

// Options that take a value: `--seed -7` passes -7 as the value (parseArgs would take it for an option).
const VALUED_OPTIONS = new Set(['--seed', '--kafka', '--ms', '--property', '--weaken', '--runs', '--report', '--max-shrinks', '--shard', '--workers', '--from-run', '--mermaid', '--out', '--seeds']);

function joinNegativeValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (VALUED_OPTIONS.has(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

class UsageError extends Error {}

// The command as a user would type it again, for a report's header (arguments with spaces or quotes are quoted).
function commandLine(argv: readonly string[]): string {
  return ['kafka-sim', ...argv.map((arg) => (/^[\w./:=@,+-]+$/.test(arg) ? arg : JSON.stringify(arg)))].join(' ');
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        kafka: { type: 'string' },
        shutdowns: { type: 'boolean' },
        ms: { type: 'string' },
        property: { type: 'string' },
        weaken: { type: 'string' },
        runs: { type: 'string' },
        report: { type: 'string' },
        'max-shrinks': { type: 'string' },
        clients: { type: 'string' },
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
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    // Before parsing succeeds, the command is the first known command name on the line.
    return usageError(firstSentence((err as Error).message), argv.find(isCommand));
  }
  const { values, positionals } = parsed;
  const commandWord = positionals[0];
  const command: CommandName | undefined = commandWord === undefined ? 'run' : isCommand(commandWord) ? commandWord : undefined;
  if (values.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const [, ...rest] = positionals;
  if (command === undefined) return usageError(`unknown command "${commandWord}"; commands: ${commandNames.join(', ')}`);
  if (values.help) {
    const { commandHelp, overview } = await helpPages();
    process.stdout.write(`${commandWord === undefined ? overview() : commandHelp(command)}\n`);
    return 0;
  }
  if (command === 'help') {
    const [topic] = rest;
    if (rest.length > 1 || (topic !== undefined && !isCommand(topic))) return usageError(`help takes one command name, got "${rest.join(' ')}"; commands: ${commandNames.join(', ')}`, 'help');
    const { commandHelp, overview } = await helpPages();
    process.stdout.write(`${topic === undefined ? overview() : commandHelp(topic as CommandName)}\n`);
    return 0;
  }
  try {
    if (
      command !== 'check' &&
      (values.property !== undefined || values.weaken !== undefined || values.shard !== undefined || values.workers !== undefined || values.merge !== undefined || values['from-run'] !== undefined || values.shutdowns !== undefined)
    ) {
      throw new UsageError('--property, --weaken, --shard, --workers, --merge, --from-run and --shutdowns are options of check');
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
    // Output paths first: a run must not end in a failed write.
    if (values.report !== undefined) checkOutputFile(values.report, '--report');
    if (values.mermaid !== undefined) checkOutputFile(values.mermaid, '--mermaid');
    if (values.out !== undefined) checkOutputDir(values.out, '--out');
    if (command !== 'experiment' && (values.out !== undefined || values.seeds !== undefined || values.quick !== undefined)) {
      throw new UsageError('--out, --seeds and --quick are options of experiment');
    }
    if (command === 'experiment') {
      if (values.seed !== undefined) throw new UsageError('experiment runs seeds 1..N: use --seeds N, not --seed');
      const { resolveExperiments } = await import('./resolveExperiments.ts');
      const names = resolveExperiments(rest);
      const seeds = values.seeds === undefined ? undefined : parseRuns(values.seeds, 10, '--seeds');
      const show = process.stderr.isTTY && !values.json;
      const { formatExperiment, runExperiments } = await import('./experimentCommand.ts');
      const written = await runExperiments({
        names,
        outDir: values.out ?? 'reports/experiments',
        seeds,
        quick: values.quick === true,
        ...(show ? { onRun: (label: string) => process.stderr.write(`  ${label}\n`) } : {}),
      });
      process.stdout.write(values.json ? `${JSON.stringify({ experiments: written.map((w) => ({ ...w.result, files: w.files })) })}\n` : `${written.map(formatExperiment).join('\n\n')}\n`);
      return 0;
    }
    if (command === 'replay') {
      if (rest.length !== 1) throw new UsageError(`replay takes one capsule file, got ${rest.length === 0 ? 'none' : `"${rest.join(' ')}"`}`);
      const { readCapsule, replay } = await import('./replayCommand.ts');
      const outcome = await replay(readCapsule(rest[0] as string), { report: values.report, mermaid: values.mermaid, command: commandLine(argv) }, rest[0] as string);
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command === 'run') {
      if (rest.length > 1) throw new UsageError(`run takes at most one scenario file, got "${rest.join(' ')}"`);
      if (values.ms !== undefined) throw new UsageError('--ms is for kernel-demo; a scenario sets its own durations');
      const { loadScenario } = await import('./loadScenario.ts');
      const scenario = loadScenario(rest[0], values.seed === undefined ? undefined : parseSeed(values.seed), kafkaVersion);
      const { runAndDescribe } = await import('./runCommand.ts');
      const { runProgressBar } = await progressBars();
      // On a terminal, a run shows how far it has got (the quiet and final-read phases count at their caps).
      const { startupMs, safetyMs, quietMs, finalReadMs } = scenario.durations;
      const bar = process.stderr.isTTY && !values.json ? runProgressBar(startupMs + safetyMs + quietMs + finalReadMs, () => performance.now()) : undefined;
      const outcome = await runAndDescribe(scenario, 'reports/capsules', () => performance.now(), { report: values.report, mermaid: values.mermaid, progress: bar?.update, command: commandLine(argv) });
      bar?.stop();
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command === 'matrix') {
      if (rest.length > 0) throw new UsageError(`matrix takes no file, got "${rest.join(' ')}"`);
      const seed = parseCheckSeed(values.seed);
      const runs = parseRuns(values.runs, 200);
      const show = process.stderr.isTTY && !values.json;
      const maxShrinks = parseRuns(values['max-shrinks'], DEFAULT_MAX_SHRINKS, '--max-shrinks');
      const { formatMatrix, runMatrix } = await import('./matrixCommand.ts');
      const rows = runMatrix({ runs, seed, kafkaVersion, capsuleDir: 'reports/capsules', maxShrinks, full: values.full === true, wallClockMs: () => performance.now(), ...(show ? { onRow: (label: string) => process.stderr.write(`checking ${label} ...\n`) } : {}) });
      const ok = rows.every((r) => r.ok);
      process.stdout.write(values.json ? `${JSON.stringify({ runs, seed, ok, rows })}\n` : `${formatMatrix(rows, runs, seed)}\n`);
      return ok ? 0 : 1;
    }
    if (command !== 'check' && values.clients !== undefined) throw new UsageError('--clients is an option of check');
    if (command === 'check') {
      if (values.clients !== undefined && values.clients !== 'simulator' && values.clients !== 'kafkajs') {
        throw new UsageError(`--clients: got ${JSON.stringify(values.clients)}, allowed: simulator (the default) or kafkajs`);
      }
      if (values.clients === 'kafkajs') {
        if (values.workers !== undefined || values.shard !== undefined || values.merge !== undefined || values.kafka !== undefined || values.shutdowns !== undefined) {
          throw new UsageError('--clients kafkajs runs in one process, on Kafka 4.1: without --workers, --shard, --merge, --kafka or --shutdowns (sweeps on several cores: npm run sweep:kafkajs)');
        }
        if (rest.length > 0) throw new UsageError(`check takes no file, got "${rest.join(' ')}"`);
        const { checkKafkajsCommand } = await import('./checkCommand.ts');
        const progress = process.stderr.isTTY && !values.json ? (await progressBars()).progressBar() : undefined;
        const outcome = await checkKafkajsCommand({
          property: values.property,
          weaken: values.weaken,
          runs: parseRuns(values.runs, 100),
          seed: parseCheckSeed(values.seed),
          maxShrinks: parseRuns(values['max-shrinks'], DEFAULT_MAX_SHRINKS, '--max-shrinks'),
          capsuleDir: 'reports/capsules',
          ...(values['from-run'] === undefined ? {} : { fromRun: parseRunIndex(values['from-run']) }),
          ...(progress ? { progress } : {}),
        });
        process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
        return outcome.exitCode;
      }
      if (rest.length > 0 && values.merge !== true) throw new UsageError(`check takes no file (except with --merge), got "${rest.join(' ')}"`);
      const seed = parseCheckSeed(values.seed);
      const runs = parseRuns(values.runs, 100);
      const shutdowns = values.shutdowns === true;
      // Names first, so that a bad one is refused before the checkers load.
      const { resolveCheck } = await import('./resolveCheck.ts');
      resolveCheck(values.property, values.weaken);
      const { checkCommand } = await import('./checkCommand.ts');
      const { exploreWithWorkers, mergeShards, parseShard, runShard } = await import('./checkSharding.ts');
      if (values.merge === true) {
        if (rest.length === 0) throw new UsageError('--merge takes the shards\' JSON lines files, got none');
        const merged = mergeShards(rest);
        const lines = merged.map((m) =>
          values.json
            ? JSON.stringify(m)
            : `${m.property}${m.weakening === null ? '' : ` with ${m.weakening}`}: ${m.ok ? `held over ${m.ran} runs` : `FAILED at run ${m.firstFailure}`} (${m.shards} shards, seed ${m.seed}${m.kafka === undefined ? '' : `, Kafka ${m.kafka}`}${m.shutdowns === true ? ', with shutdowns' : ''})${m.ok ? '' : `; shrink it: npx kafka-sim check --property ${m.property}${m.weakening === null ? '' : ` --weaken ${m.weakening}`} --seed ${m.seed}${m.kafka === undefined ? '' : ` --kafka ${m.kafka}`}${m.shutdowns === true ? ' --shutdowns' : ''} --runs ${m.runs} --from-run ${m.firstFailure}`}`,
        );
        process.stdout.write(`${lines.join('\n')}\n`);
        return merged.every((m) => m.ok) ? 0 : 1;
      }
      if (values.shard !== undefined) {
        const { index, count } = parseShard(values.shard);
        const { properties, weakening } = resolveCheck(values.property, values.weaken);
        const results = properties.map((property) => runShard(property, weakening, { seed, runs, index, count, kafkaVersion, shutdowns }));
        process.stdout.write(`${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
        return results.every((r) => r.firstFailure === null) ? 0 : 1;
      }
      let explored: Map<PropertyName, number | null> | undefined;
      const workers = values.workers === undefined ? 1 : parseRuns(values.workers, 1, '--workers');
      if (workers > 1) {
        const { properties, weakening } = resolveCheck(values.property, values.weaken);
        explored = new Map();
        for (const property of properties) explored.set(property, await exploreWithWorkers(property, weakening, { seed, runs, workers, kafkaVersion, shutdowns }));
      }
      const fromRun = values['from-run'] === undefined ? undefined : parseRunIndex(values['from-run']);
      const progress = process.stderr.isTTY && !values.json ? (await progressBars()).progressBar() : undefined;
      const maxShrinks = parseRuns(values['max-shrinks'], DEFAULT_MAX_SHRINKS, '--max-shrinks');
      const outcome = checkCommand({
        property: values.property,
        weaken: values.weaken,
        runs,
        seed,
        kafkaVersion,
        shutdowns,
        maxShrinks,
        capsuleDir: 'reports/capsules',
        ...(explored === undefined ? {} : { explored }),
        ...(fromRun === undefined ? {} : { fromRun }),
        ...(progress ? { progress } : {}),
      });
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (rest.length > 0) throw new UsageError(`kernel-demo takes no file, got "${rest.join(' ')}"`);
    const seed = parseSeed(values.seed);
    const ms = parseMs(values.ms);
    const { formatKernelDemo, runKernelDemo } = await import('./kernelDemo.ts');
    const started = performance.now();
    const result = runKernelDemo(seed, ms);
    const wallMs = performance.now() - started;
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${formatKernelDemo(result, wallMs)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message, command);
    if (err instanceof CapsuleInputError || err instanceof ScenarioInputError || err instanceof CheckInputError || err instanceof ExperimentInputError || err instanceof OutputPathError) {
      process.stderr.write(`kafka-sim: ${err.message}\n`);
      return 2;
    }
    if (err instanceof SimulationError) {
      process.stderr.write(`kafka-sim: run failed: ${err.message}\n`);
      return 1;
    }
    return internalError(err, argv);
  }
}

// A bug of kafka-sim: a short message, the command line to report, and its own exit code.
function internalError(err: unknown, argv: readonly string[]): number {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`kafka-sim: internal error (${firstSentence(message)}); please report it with the command line: kafka-sim ${argv.join(' ')}\n`);
  if (process.env.KAFKA_SIM_DEBUG !== undefined && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  return INTERNAL_ERROR;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

// parseArgs' messages run on with advice about '--'; the first sentence names the problem.
function firstSentence(message: string): string {
  const end = message.indexOf('. ');
  return end === -1 ? message : message.slice(0, end);
}

function parseKafkaVersion(raw: string | undefined): KafkaProfileName | undefined {
  if (raw === undefined) return undefined;
  if (!(kafkaProfileNames as readonly string[]).includes(raw)) throw new UsageError(`--kafka: got ${JSON.stringify(raw)}, allowed: one of ${kafkaProfileNames.join(', ')}`);
  return raw as KafkaProfileName;
}

function parseSeed(raw: string | undefined): number | string {
  if (raw === undefined) return 1;
  if (raw.length === 0) throw new UsageError('--seed must be a number or a non-empty string, got ""');
  if (!/^-?\d+$/.test(raw)) return raw;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed: got ${raw}, allowed: an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, or a string`);
  return seed;
}

// A decimal integer as written: digits, an optional minus sign, nothing else (no 1e3, 0x2 or spaces).
function decimalInteger(raw: string | undefined): number | null {
  if (raw === undefined || !/^-?\d+$/.test(raw)) return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}

// fast-check's seed: an integer.
function parseCheckSeed(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const seed = decimalInteger(raw);
  if (seed === null) throw new UsageError(`--seed for check and matrix must be a decimal integer (fast-check's seed), got ${JSON.stringify(raw)}`);
  return seed;
}

// Ten million runs take over a week at the suite's pace; a sweep that large is split with --shard.
const MAX_RUNS = 10_000_000;

// The upper bound of each count option, and why.
const COUNT_LIMITS: Record<string, { max: number; why: string }> = {
  '--runs': { max: MAX_RUNS, why: ' (split larger sweeps with --shard)' },
  '--max-shrinks': { max: MAX_RUNS, why: '' },
  '--workers': { max: 256, why: ' (one thread per core is the most that helps)' },
  '--seeds': { max: 1_000, why: ' (each seed runs every configuration of the experiment)' },
};

function parseRuns(raw: string | undefined, fallback: number, name = '--runs'): number {
  if (raw === undefined) return fallback;
  const { max, why } = COUNT_LIMITS[name] ?? { max: MAX_RUNS, why: '' };
  const runs = decimalInteger(raw);
  if (runs === null || runs < 1 || runs > max) {
    throw new UsageError(`${name} must be a decimal integer between 1 and ${max.toLocaleString('en-US')}${why}, got ${JSON.stringify(raw)}`);
  }
  return runs;
}

// A run's index in a check (0-based).
function parseRunIndex(raw: string): number {
  const run = decimalInteger(raw);
  if (run === null || run < 0 || run >= MAX_RUNS) throw new UsageError(`--from-run must be a decimal integer between 0 and ${MAX_RUNS - 1}, got ${JSON.stringify(raw)}`);
  return run;
}

// One virtual day: the kernel demo prints per-second figures, and a longer run only takes longer.
const MAX_DEMO_MS = 86_400_000;

function parseMs(raw: string | undefined): number {
  if (raw === undefined) return 10_000;
  const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DEMO_MS) throw new UsageError(`--ms must be a finite number >= 0, at most ${MAX_DEMO_MS} (one virtual day), got ${JSON.stringify(raw)}`);
  return ms;
}

// One line, and where to read more.
function usageError(message: string, command?: CommandName): number {
  const help = command === undefined || command === 'help' ? 'kafka-sim --help' : `kafka-sim ${command} --help`;
  process.stderr.write(`kafka-sim: ${message}\nsee ${help}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
