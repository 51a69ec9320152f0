import { describe, expect, it } from 'vitest';
import { checkProperty, describeCounterexample } from './checkProperty.ts';
import { propertyRuns } from './propertyRuns.ts';
import { groupScenarioArbitrary } from './arbitraries/groupScenarioArbitrary.ts';
import { groupPropertyNames } from './replicationProperties.ts';

// The consumer-group promises under membership faults (consumers crashing, pausing past their session, cut off;
// the coordinator crashing, pausing, cut off), for each of the four assignors, with no weakening. A failure
// shrinks, writes its replay capsule under reports/capsules/ and prints how to replay it. KAFKA_SIM_RUNS sets the
// budget, KAFKA_SIM_SEED the seed.
const seed = process.env.KAFKA_SIM_SEED === undefined ? 2026 : Number(process.env.KAFKA_SIM_SEED);

describe('consumer-group properties (no weakening)', () => {
  for (const property of groupPropertyNames) {
    it(`${property} holds under joins, leaves, crashes, zombies and coordinator failover`, () => {
      const check = checkProperty(property, [], { numRuns: propertyRuns(15), seed, capsuleDir: 'reports/capsules' });
      expect(check.ok, describeCounterexample(check)).toBe(true);
    });
  }

  // The replication promises still hold with groups running: consumers, their commits and a coordinator's
  // appends to __consumer_offsets share the cluster with the producers and readers.
  for (const property of ['no-loss', 'ordering'] as const) {
    it(`${property} still holds with consumer groups running`, () => {
      const check = checkProperty(property, [], { numRuns: propertyRuns(8), seed, capsuleDir: 'reports/capsules', scenarios: groupScenarioArbitrary() });
      expect(check.ok, describeCounterexample(check)).toBe(true);
    });
  }
});
