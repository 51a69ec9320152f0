// The benchmark suite: one JSON object with the kernel's figures, the standard scenario's, property runs per second
// for every property over its own arbitrary (small scenarios with faults), and for every weakening the runs and
// seconds to find its counterexample and the shrunk size; each figure beside its target. Every speed is also given
// as a ratio to a baseline measured in the same process, since the machine is shared and noisy.
//
//   npm run bench                 the full suite (tens of minutes)
//   npm run bench -- --quick      under a minute: smaller runs, fewer property runs, weakenings on a small budget
//   npm run bench -- --json       one line of JSON instead of the indented object
//   npm run bench -- --million    also 1,000,000 records produced and read, for the heap target (full size only)
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { checkProperty } from '../properties/checkProperty.ts';
import { groupPropertyNames, propertyArbitrary, replicationPropertyNames } from '../properties/replicationProperties.ts';
import { groupScenarioArbitrary } from '../properties/arbitraries/groupScenarioArbitrary.ts';
import { runResolvedScenario, type RunnableScenario } from '../src/scenario/runResolvedScenario.ts';
import { weakeningNames, weakenings, type PropertyName } from '../src/scenario/weakenings.ts';
import { runKernelBench } from './kernel.ts';
import { runIdleClusterBench, runMillionRecords, runScenarioBench } from './scenario.ts';

const SEED = 1;

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench [-- --quick] [-- --json] [-- --million]\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, million: { type: 'boolean', default: false } } }));
} catch (err) {
  usage((err as Error).message);
}
const { quick, json, million } = values;
if (quick && million) usage('--million runs at full size only');

const started = performance.now();
const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(2));

/** What a property's arbitrary generates: mean records and faults per scenario (from a sample of 50). */
function scenarioSize(arbitrary: fc.Arbitrary<RunnableScenario>) {
  const sample = fc.sample(arbitrary, { numRuns: 50, seed: SEED });
  const records = sample.map((s) => s.producers.reduce((sum, p) => sum + p.workload.records, 0));
  const faults = sample.map((s) => s.faults.length);
  const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1));
  return { meanRecords: mean(records), meanFaults: mean(faults) };
}

/** Mean deliveries of a run of the property's arbitrary (a sample of scenarios; deterministic). */
function deliveriesPerRun(arbitrary: fc.Arbitrary<RunnableScenario>): number {
  const sample = fc.sample(arbitrary, { numRuns: quick ? 3 : 20, seed: SEED });
  let deliveries = 0;
  for (const scenario of sample) {
    runResolvedScenario(scenario, { onWorld: (world) => world.events$.subscribe((event) => event.kind === 'delivered' && deliveries++) });
  }
  return Math.round(deliveries / sample.length);
}

const kernel = runKernelBench({ quick });
const scenario = runScenarioBench({ quick });
const idleCluster = runIdleClusterBench();

// Property runs per second, each property over its own arbitrary, no weakening.
const propertyRuns = quick ? 3 : 100;
const properties = [...replicationPropertyNames, ...groupPropertyNames].map((property: PropertyName) => {
  const from = performance.now();
  const check = checkProperty(property, [], { numRuns: propertyRuns, seed: SEED });
  const wall = (performance.now() - from) / 1000;
  const arbitrary = groupPropertyNames.includes(property) ? groupScenarioArbitrary() : propertyArbitrary(property);
  const runsPerSec = check.runsToFind / wall;
  return {
    property,
    runs: check.runsToFind,
    held: check.ok,
    seconds: Number(wall.toFixed(2)),
    runsPerSec: Number(runsPerSec.toFixed(2)),
    // The speed in the kernel's units: runs per second per 100,000 ping-pong deliveries per second measured here.
    runsPerSecPer100kPingPong: Number((runsPerSec / (scenario.worldDeliveriesPerSec / 100_000)).toFixed(2)),
    deliveriesPerRun: deliveriesPerRun(arbitrary),
    ...scenarioSize(arbitrary),
  };
});

// Every weakening against its property: runs and seconds to the first failure, then a bounded shrink.
const weakeningBudget = quick ? 5 : 2_000;
const maxShrinks = quick ? 0 : 100;
const weakeningRows = weakeningNames.map((name) => {
  const { breaks } = weakenings[name];
  const from = performance.now();
  let foundAfterSeconds: number | null = null;
  const check = checkProperty(breaks, [name], {
    numRuns: weakeningBudget,
    seed: SEED,
    maxShrinks,
    shrink: maxShrinks > 0,
    onRun: (held) => {
      if (!held && foundAfterSeconds === null) foundAfterSeconds = seconds(from);
    },
  });
  return {
    weakening: name,
    property: breaks,
    found: !check.ok,
    runsToFind: check.ok ? null : check.runsToFind,
    secondsToFind: foundAfterSeconds,
    secondsWithShrinking: seconds(from),
    shrunkFaults: check.counterexample?.faults ?? null,
    shrunkRecords: check.counterexample?.records ?? null,
  };
});

const millionRecords = million ? runMillionRecords() : undefined;

const slowestWeakening = Math.max(...weakeningRows.map((w) => w.secondsToFind ?? Infinity));
const targets = {
  scenarioToKernelPingPong: { target: '>= 0.5', measured: scenario.ratioScenarioToKernelPingPong, met: scenario.ratioScenarioToKernelPingPong >= 0.5 },
  virtualSecondsPerWallSecond: { target: '>= 100 at 1,000 records/s offered', measured: scenario.virtualSecondsPerWallSecond, met: scenario.virtualSecondsPerWallSecond >= 100 },
  propertyRunsPerSec: { target: '>= 50 for a 200-record scenario with faults', measured: Math.min(...properties.map((p) => p.runsPerSec)), met: properties.every((p) => p.runsPerSec >= 50) },
  weakeningSecondsToFind: { target: '< 10 s each', measured: Number.isFinite(slowestWeakening) ? slowestWeakening : null, met: weakeningRows.every((w) => w.secondsToFind !== null && w.secondsToFind < 10) },
  ...(millionRecords === undefined
    ? {}
    : { millionRecordsHeap: { target: '1,000,000 records in < 1 GB of heap', measured: `${millionRecords.fitsHeapLimit ? 'finished' : 'did not finish'} under a ${millionRecords.heapLimitMB} MB heap cap`, met: millionRecords.fitsHeapLimit && 'valid' in millionRecords && millionRecords.valid === true } }),
};

const report = {
  benchmark: 'kafka-sim',
  quick,
  node: process.version,
  seed: SEED,
  wallSeconds: seconds(started),
  targets,
  kernel,
  scenario,
  idleCluster,
  properties: { runsEach: propertyRuns, rows: properties },
  weakenings: { budget: weakeningBudget, maxShrinks, rows: weakeningRows },
  ...(millionRecords === undefined ? {} : { millionRecords }),
};
process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
if (scenario.valid !== true || !scenario.finalReadComplete || properties.some((p) => !p.held)) process.exitCode = 1;
