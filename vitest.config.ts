import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // Simulation runs are CPU-bound; two cores, so two workers.
    maxWorkers: 2,
    // Unpacks the Chromium that the report and plot tests open pages in (test/support/launchBrowser.ts).
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
