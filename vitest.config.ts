import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// The files that take longest (measured on the 2-core VM, slowest first). A clean checkout has no timings cached,
// so vitest would start the biggest files first, and a small file that runs for a minute or two could start last
// and leave one worker busy while the other idles; these start first instead.
const SLOW_FIRST = [
  'properties/weakenings.test.ts',
  'test/experiments/experiments.test.ts',
  'test/cli/malformedInputs.test.ts',
  'properties/kafkajs.test.ts',
  'test/cli/main.test.ts',
  'test/realclients/kafkajsCli.test.ts',
  'test/cli/check.test.ts',
  'properties/groups.test.ts',
  'test/cli/experiment.test.ts',
  'test/examples.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOW_FIRST.indexOf(relative(process.cwd(), spec.moduleId));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Array#sort is stable: the rest keep the base order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // Simulation runs are CPU-bound; two cores, so two workers.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    // A larger young generation: simulation runs allocate many short-lived objects, and V8's default 16 MB
    // semi-space makes scavenges about a tenth of a run (measured: a property run about 8% faster with 64).
    execArgv: ['--max-semi-space-size=64'],
    // Unpacks the Chromium that the report and plot tests open pages in (test/support/launchBrowser.ts).
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
