import { describe, expect, it } from 'vitest';
import { checkProperty, describeCounterexample } from './checkProperty.ts';
import { propertyRuns } from './propertyRuns.ts';
import { replicationPropertyNames } from './replicationProperties.ts';

// The replication promises under faults (process crashes, pauses, partitions, link latency, and power losses for
// log matching), with no weakening: RF 3, min ISR 2, idempotent acks=all producers, unclean election off. A
// failure shrinks, writes its replay capsule under reports/capsules/ and prints how to replay it.
// KAFKA_SIM_RUNS sets the budget, KAFKA_SIM_SEED the seed (fixed by default, so CI is reproducible).
const seed = process.env.KAFKA_SIM_SEED === undefined ? 2026 : Number(process.env.KAFKA_SIM_SEED);

describe('replication properties (no weakening)', () => {
  for (const property of replicationPropertyNames) {
    it(`${property} holds under crashes, pauses, partitions and link latency`, () => {
      const check = checkProperty(property, [], { numRuns: propertyRuns(8), seed, capsuleDir: 'reports/capsules' });
      expect(check.ok, describeCounterexample(check)).toBe(true);
    });
  }
});
