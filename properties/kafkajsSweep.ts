// A sweep of the kafkajs properties: `npm run sweep:kafkajs -- --runs 1000 --seed 1 --workers 2`. Each run is one
// scenario of kafkajsScenarioArbitrary (run N is run N of a property check with the same seed), judged by every
// kafkajs property; a violation is counted as explained when one of the kafkajs findings accounts for it
// (kafkajsFindings.ts), otherwise its run is listed for `checkPropertyAsync` to shrink. Prints one JSON object.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { runResolvedScenarioAsync, type RunnableScenario } from '../src/scenario/runResolvedScenario.ts';
import type { PropertyName } from '../src/scenario/weakenings.ts';
import { kafkajsScenarioArbitrary } from './arbitraries/kafkajsScenarioArbitrary.ts';
import { rejoinRewinds, sequenceReuses, strandedMembers, unexplainedViolations } from './kafkajsFindings.ts';
import { propertyViolations } from './replicationProperties.ts';

/** The promises kafkajs clients are checked against (README, "Testing a real client"). */
export const kafkajsPropertyNames: readonly PropertyName[] = ['no-loss', 'ordering', 'single-owner', 'group-at-least-once'];

/** One property's tally over a sweep. */
export interface PropertyTally {
  held: number;
  /** Runs it failed only with what kafkajs's sequence reuse explains. */
  explained: number;
  /** Runs it failed otherwise: run index and violations. */
  unexplained: Array<{ run: number; violations: string[] }>;
}

/** A sweep's result. */
export interface SweepResult {
  seed: number;
  runs: number;
  properties: Record<string, PropertyTally>;
  /** Runs in which kafkajs acknowledged a message at another message's offset. */
  sequenceReuseRuns: number[];
  /** Runs in which a kafkajs member read or processed again after rejoining in its own generation. */
  rejoinRewindRuns: number[];
  /** Runs in which a kafkajs member gave its partitions up to rejoin and never joined again. */
  strandedMemberRuns: number[];
}

/** The scenario of run `run` for `seed`: the one a property check with that seed draws as its run `run`. */
export async function scenarioOfRun(seed: number, run: number): Promise<RunnableScenario> {
  let drawn: RunnableScenario | undefined;
  await fc.check(
    fc.asyncProperty(kafkajsScenarioArbitrary(), async (scenario) => {
      drawn = scenario;
      return true;
    }),
    { seed, numRuns: 1, path: String(run) },
  );
  return drawn as RunnableScenario;
}

/** Runs and judges the given runs. */
export async function sweepRuns(seed: number, runs: readonly number[], onRun?: (run: number) => void): Promise<SweepResult> {
  const properties = Object.fromEntries(kafkajsPropertyNames.map((p): [string, PropertyTally] => [p, { held: 0, explained: 0, unexplained: [] }]));
  const sequenceReuseRuns: number[] = [];
  const rejoinRewindRuns: number[] = [];
  const strandedMemberRuns: number[] = [];
  for (const run of runs) {
    const result = await runResolvedScenarioAsync(await scenarioOfRun(seed, run));
    if (sequenceReuses(result.history).length > 0) sequenceReuseRuns.push(run);
    if (rejoinRewinds(result).length > 0) rejoinRewindRuns.push(run);
    if (strandedMembers(result).length > 0) strandedMemberRuns.push(run);
    for (const property of kafkajsPropertyNames) {
      const tally = properties[property] as PropertyTally;
      const violations = propertyViolations(property, result);
      const unexplained = unexplainedViolations(violations, result);
      if (violations.length === 0) tally.held++;
      else if (unexplained.length === 0) tally.explained++;
      else tally.unexplained.push({ run, violations });
    }
    onRun?.(run);
  }
  return { seed, runs: runs.length, properties, sequenceReuseRuns, rejoinRewindRuns, strandedMemberRuns };
}

function merge(parts: readonly SweepResult[]): SweepResult {
  const [first] = parts;
  const properties = Object.fromEntries(
    kafkajsPropertyNames.map((p): [string, PropertyTally] => [
      p,
      {
        held: parts.reduce((sum, part) => sum + (part.properties[p]?.held ?? 0), 0),
        explained: parts.reduce((sum, part) => sum + (part.properties[p]?.explained ?? 0), 0),
        unexplained: parts.flatMap((part) => part.properties[p]?.unexplained ?? []).sort((a, b) => a.run - b.run),
      },
    ]),
  );
  return {
    seed: first?.seed ?? 0,
    runs: parts.reduce((sum, part) => sum + part.runs, 0),
    properties,
    sequenceReuseRuns: parts.flatMap((part) => part.sequenceReuseRuns).sort((a, b) => a - b),
    rejoinRewindRuns: parts.flatMap((part) => part.rejoinRewindRuns).sort((a, b) => a - b),
    strandedMemberRuns: parts.flatMap((part) => part.strandedMemberRuns).sort((a, b) => a - b),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, workers: { type: 'string', default: '1' }, shard: { type: 'string' } },
  });
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  const workers = Number(values.workers);
  for (const [name, value] of [['--runs', runs], ['--seed', seed], ['--workers', workers]] as const) {
    if (!Number.isInteger(value) || value < (name === '--seed' ? 0 : 1)) {
      process.stderr.write(`kafkajs sweep: ${name} must be an integer >= ${name === '--seed' ? 0 : 1}, got ${JSON.stringify(value)}\n`);
      process.exitCode = 2;
      return;
    }
  }
  if (values.shard !== undefined) {
    const [index, count] = values.shard.split('/').map(Number) as [number, number];
    const mine = Array.from({ length: runs }, (_, run) => run).filter((run) => run % count === index);
    process.stdout.write(`${JSON.stringify(await sweepRuns(seed, mine))}\n`);
    return;
  }
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, index) =>
      new Promise<SweepResult>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--runs', String(runs), '--seed', String(seed), '--shard', `${index}/${workers}`], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as SweepResult) : reject(new Error(`shard ${index}/${workers} exited ${code}`))));
      }),
    ),
  );
  process.stdout.write(`${JSON.stringify(merge(parts), null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
