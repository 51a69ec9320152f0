// The weakening matrix: for every weakening, fast-check explores scenarios until the property it must break
// fails, shrinks the counterexample, and reports runs to find, seconds (wall), shrinks, and what the shrunk
// scenario holds (faults, records). Also, with --properties, each property without weakening over --runs runs.
// Prints one JSON object. Run: npm run bench:weakenings [-- --runs 2000 --seed 1 --max-shrinks 100 --only acks-1,...
// --properties --property no-loss,...]
import { parseArgs } from 'node:util';
import { checkProperty } from '../properties/checkProperty.ts';
import { groupPropertyNames, replicationPropertyNames } from '../properties/replicationProperties.ts';
import { weakeningNames, weakenings } from '../src/scenario/weakenings.ts';

let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      properties: { type: 'boolean', default: false },
      /** Only these weakenings (comma-separated); `none` for none. */
      only: { type: 'string' },
      /** With --properties, only these properties (comma-separated). */
      property: { type: 'string' },
      /** The most shrinking runs after each first failure. */
      'max-shrinks': { type: 'string', default: '100' },
    },
  }));
} catch (err) {
  process.stderr.write(`bench:weakenings: ${(err as Error).message}\nusage: npm run bench:weakenings [-- --runs N --seed S --only W,... --properties --property P,...]\n`);
  process.exit(2);
}
const runs = Number(values.runs);
const seed = Number(values.seed);
const maxShrinks = Number(values['max-shrinks']);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed) || !Number.isSafeInteger(maxShrinks) || maxShrinks < 0) {
  process.stderr.write(`bench:weakenings: --runs must be an integer >= 1, --seed an integer and --max-shrinks an integer >= 0, got ${values.runs}, ${values.seed} and ${values['max-shrinks']}\n`);
  process.exit(2);
}

const matrix = weakeningNames
  .filter((name) => values.only === undefined || values.only.split(',').includes(name))
  .map((name) => {
    const { breaks, bug } = weakenings[name];
    const started = performance.now();
    let secondsToFind: number | null = null;
    const check = checkProperty(breaks, [name], {
      numRuns: runs,
      seed,
      capsuleDir: 'reports/capsules',
      maxShrinks,
      onRun: (held) => {
        if (!held && secondsToFind === null) secondsToFind = Number(((performance.now() - started) / 1000).toFixed(1));
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const ce = check.counterexample;
    return {
      weakening: name,
      bug,
      property: breaks,
      found: !check.ok,
      runsToFind: check.runsToFind,
      secondsToFind,
      shrinks: check.shrinks,
      secondsWithShrinking: Number(seconds.toFixed(1)),
      shrunkFaults: ce?.faults ?? null,
      shrunkRecords: ce?.records ?? null,
      violations: ce?.violations ?? [],
      capsule: ce?.capsulePath ?? null,
    };
  });

const properties = values.properties
  ? [...replicationPropertyNames, ...groupPropertyNames].filter((property) => values.property === undefined || values.property.split(',').includes(property)).map((property) => {
      const started = performance.now();
      const check = checkProperty(property, [], { numRuns: runs, seed, capsuleDir: 'reports/capsules' });
      const seconds = (performance.now() - started) / 1000;
      return { property, runs: check.runsToFind, ok: check.ok, seconds: Number(seconds.toFixed(1)), runsPerSec: Number((check.runsToFind / seconds).toFixed(2)), counterexample: check.counterexample?.capsulePath ?? null };
    })
  : undefined;

process.stdout.write(`${JSON.stringify({ benchmark: 'weakenings', runs, seed, matrix, ...(properties ? { properties } : {}) }, null, 2)}\n`);
