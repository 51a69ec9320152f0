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
import { checkProperty } from '../properties/checkProperty.ts';
import { weakeningNames, weakenings } from '../src/scenario/weakenings.ts';
import { runKernelBench } from './kernel.ts';
import { runIdleClusterBench, runMillionRecords, runScenarioBench } from './scenario.ts';
import { runPropertyBench } from './properties.ts';

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

const kernel = runKernelBench({ quick });
const scenario = runScenarioBench({ quick });
const idleCluster = runIdleClusterBench();

// Property runs per second, each property over its own arbitrary, no weakening (bench/properties.ts).
const propertyRuns = quick ? 3 : 100;
const properties = runPropertyBench({ runs: propertyRuns, seed: SEED, sample: quick ? 3 : 20 });

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
  // The slowest property in the kernel's units (issue 13 asked for 5, issue 15 for 8; the goal is 20).
  slowestPropertyRunsPerSecPer100kPingPong: { target: '>= 8', measured: Math.min(...properties.map((p) => p.runsPerSecPer100kPingPong)), met: properties.every((p) => p.runsPerSecPer100kPingPong >= 8) },
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
