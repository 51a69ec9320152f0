import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runResolvedScenario } from '../src/scenario/runResolvedScenario.ts';
import { propertyRuns } from './propertyRuns.ts';
import { propertyArbitrary, propertyViolations, replicationPropertyNames } from './replicationProperties.ts';

// The replication promises under faults (process crashes, pauses, partitions, link latency, and power losses for
// log matching), with no weakening:
// RF 3, min ISR 2, idempotent acks=all producers, unclean election off. Each run checks every property; a
// failure prints fast-check's seed and path, and `kafka-sim check` replays it at larger budgets.
describe('replication properties (no weakening)', () => {
  for (const property of replicationPropertyNames) {
    it(`${property} holds under crashes, pauses, partitions and link latency`, () => {
      fc.assert(
        fc.property(propertyArbitrary(property), (scenario) => {
          const result = runResolvedScenario(scenario);
          expect(propertyViolations(property, result)).toEqual([]);
          // Liveness after heal: every reader read every partition to its HW.
          expect(result.finalReadComplete).toBe(true);
        }),
        { numRuns: propertyRuns(8) },
      );
    });
  }
});
