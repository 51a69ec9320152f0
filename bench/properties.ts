// Property runs per second: each property over its own arbitrary (small scenarios with faults), no weakening, with
// the kernel's ping-pong measured just before it in the same process, so each row also gives the speed in the
// kernel's units (runs per second per 100,000 ping-pong deliveries per second) and a busy machine slows both.
//
//   npm run bench:properties                       100 runs of every property (seed 1)
//   npm run bench:properties -- --runs 30 --seed 7 --property no-loss --kafka 3.9
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkProperty } from '../properties/checkProperty.ts';
import { groupPropertyNames, propertyArbitrary, replicationPropertyNames } from '../properties/replicationProperties.ts';
import { runResolvedScenario, type RunnableScenario } from '../src/scenario/runResolvedScenario.ts';
import type { PropertyName } from '../src/scenario/weakenings.ts';
import { kafkaProfileNames, type KafkaProfileName } from '../src/scenario/kafkaProfile.ts';
import { sentRecords } from '../src/scenario/Scenario.ts';
import { measureWorld } from './kernel.ts';

/** Virtual ms of the ping-pong measured before each property (the kernel bench's full-size round). */
const PING_PONG_MS = 400;

export interface PropertyBenchOptions {
  runs: number;
  seed: number;
  properties?: readonly PropertyName[];
  kafkaVersion?: KafkaProfileName;
  /** Scenarios sampled for the deterministic counts (deliveries, records, faults, virtual seconds per run). */
  sample: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** What a run of the arbitrary costs, from a sample of its scenarios: deterministic for a seed. */
function runShape(arbitrary: fc.Arbitrary<RunnableScenario>, sample: number, seed: number) {
  const scenarios = fc.sample(arbitrary, { numRuns: sample, seed });
  let deliveries = 0;
  const virtualSeconds: number[] = [];
  for (const scenario of scenarios) {
    const result = runResolvedScenario(scenario, { onWorld: (world) => world.events$.subscribe((event) => event.kind === 'delivered' && deliveries++) });
    virtualSeconds.push(result.virtualMs / 1000);
  }
  return {
    deliveriesPerRun: Math.round(deliveries / scenarios.length),
    virtualSecondsPerRun: round(mean(virtualSeconds), 1),
    meanRecords: round(mean(scenarios.map((s) => s.producers.reduce((sum, p) => sum + sentRecords(p.workload), 0))), 1),
    meanFaults: round(mean(scenarios.map((s) => s.faults.length)), 1),
  };
}

/** One row per property: runs, wall seconds, runs/s, and the same speed per 100,000 ping-pong deliveries/s. */
export function runPropertyBench(options: PropertyBenchOptions) {
  const names = options.properties ?? [...replicationPropertyNames, ...groupPropertyNames];
  // Warm up the JIT on the kernel and on both kinds of scenario, so the first property measured is not the slowest
  // (with 3 warm-up runs each, the first group property measured ran at 5.5 runs/s and the next two, the same
  // scenarios, at 7.4 and 7.9).
  measureWorld('hash', PING_PONG_MS);
  for (const property of ['no-loss', 'single-owner'] as const) checkProperty(property, [], { numRuns: 20, seed: options.seed + 1 });
  return names.map((property) => {
    // The ping-pong is measured right before and right after the property, and the two averaged: this VM's speed
    // drifts (the same runs have taken 5.5 and 8.4 runs/s minutes apart), and a baseline on one side only can catch
    // a moment the property's runs did not have.
    const before = measureWorld('hash', PING_PONG_MS).deliveriesPerSec;
    const from = performance.now();
    const check = checkProperty(property, [], { numRuns: options.runs, seed: options.seed, ...(options.kafkaVersion === undefined ? {} : { kafkaVersion: options.kafkaVersion }) });
    const wall = (performance.now() - from) / 1000;
    const after = measureWorld('hash', PING_PONG_MS).deliveriesPerSec;
    const pingPong = (before + after) / 2;
    const arbitrary = propertyArbitrary(property, [], options.kafkaVersion);
    const runsPerSec = check.runsToFind / wall;
    return {
      property,
      runs: check.runsToFind,
      held: check.ok,
      seconds: round(wall, 2),
      runsPerSec: round(runsPerSec, 2),
      pingPongDeliveriesPerSec: Math.round(pingPong),
      pingPongBeforeAndAfter: [Math.round(before), Math.round(after)],
      runsPerSecPer100kPingPong: round(runsPerSec / (pingPong / 100_000), 2),
      ...runShape(arbitrary, options.sample, options.seed),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, property: { type: 'string', multiple: true }, kafka: { type: 'string' }, sample: { type: 'string', default: '20' } },
  });
  const all: readonly string[] = [...replicationPropertyNames, ...groupPropertyNames];
  const fail = (message: string): never => {
    process.stderr.write(`bench:properties: ${message}\n`);
    process.exit(2);
  };
  const positive = (name: string, text: string) => {
    const n = Number(text);
    return Number.isInteger(n) && n > 0 ? n : fail(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
  };
  for (const p of values.property ?? []) if (!all.includes(p)) fail(`--property ${JSON.stringify(p)} is not one of ${all.join(', ')}`);
  if (values.kafka !== undefined && !(kafkaProfileNames as readonly string[]).includes(values.kafka)) fail(`--kafka ${JSON.stringify(values.kafka)} is not one of ${kafkaProfileNames.join(', ')}`);
  const rows = runPropertyBench({
    runs: positive('runs', values.runs),
    seed: positive('seed', values.seed),
    sample: positive('sample', values.sample),
    ...(values.property === undefined ? {} : { properties: values.property as PropertyName[] }),
    ...(values.kafka === undefined ? {} : { kafkaVersion: values.kafka as KafkaProfileName }),
  });
  process.stdout.write(`${JSON.stringify({ benchmark: 'properties', seed: Number(values.seed), kafka: values.kafka ?? 'default', rows }, null, 2)}\n`);
  if (rows.some((row) => !row.held)) process.exitCode = 1;
}
