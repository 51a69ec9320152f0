// The kafka-sim command line. Exit codes: 0 success, 1 a violation or failed run, 2 bad input or usage, 3 a
// replay whose traceHash differs from the one recorded.
import { parseArgs } from 'node:util';
import { SimulationError } from '../kernel/SimulationError.ts';
import { formatKernelDemo, runKernelDemo } from './kernelDemo.ts';
import { CapsuleInputError, readCapsule, replay } from './replayCommand.ts';
import { loadScenario, runAndDescribe, ScenarioInputError } from './runCommand.ts';

const USAGE = `Usage: kafka-sim <command> [options]

Commands:
  run [FILE] [--seed S] [--json]     run a scenario file, or the embedded default scenario, and print its story
  replay CAPSULE [--json]            run a replay capsule again; exit 3 if its traceHash differs
  kernel-demo [--seed S] [--ms N]    the simulation kernel alone: a ping/pong fixture under faults

Options:
  --seed S   the run's seed (a number or a string; overrides the scenario's)
  --ms N     kernel-demo: virtual milliseconds to run (default 10000)
  --json     print the result as one JSON object
  --help     show this help`;

class UsageError extends Error {}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        ms: { type: 'string' },
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
    if (command === 'replay') {
      if (rest.length !== 1) throw new UsageError(`replay takes one capsule file, got ${rest.length === 0 ? 'none' : `"${rest.join(' ')}"`}`);
      const outcome = replay(readCapsule(rest[0] as string));
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command === 'run') {
      if (rest.length > 1) throw new UsageError(`run takes at most one scenario file, got "${rest.join(' ')}"`);
      if (values.ms !== undefined) throw new UsageError('--ms is for kernel-demo; a scenario sets its own durations');
      const scenario = loadScenario(rest[0], values.seed === undefined ? undefined : parseSeed(values.seed));
      const outcome = runAndDescribe(scenario, 'reports/capsules', () => performance.now());
      process.stdout.write(values.json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.text}\n`);
      return outcome.exitCode;
    }
    if (command !== 'kernel-demo') throw new UsageError(`unknown command "${command}"; commands: run, replay, kernel-demo`);
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
    if (err instanceof CapsuleInputError || err instanceof ScenarioInputError) {
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

function parseSeed(raw: string | undefined): number | string {
  if (raw === undefined) return 1;
  if (raw.length === 0) throw new UsageError('--seed must be a number or a non-empty string, got ""');
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
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

process.exitCode = main(process.argv.slice(2));
