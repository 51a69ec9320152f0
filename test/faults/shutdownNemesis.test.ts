import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyArbitrary } from '../../properties/replicationProperties.ts';

// `kafka-sim check --shutdowns`: the drawn fault schedules may include clean shutdowns (a broker's controlled shutdown,
// a consumer's close), each with its restart; without it they draw none, and the same seed draws the same runs.
describe('the shutdown nemesis', () => {
  const shutdownsIn = (scenarios: ReadonlyArray<{ faults: ReadonlyArray<{ kind: string }> }>) => scenarios.flatMap((s) => s.faults.filter((f) => f.kind === 'shutdown')).length;

  for (const property of ['no-loss', 'single-owner'] as const) {
    it(`${property}: draws shutdowns only when asked, and leaves the default draws as they were`, () => {
      const plain = fc.sample(propertyArbitrary(property), { numRuns: 60, seed: 9 });
      const asked = fc.sample(propertyArbitrary(property, [], undefined, { shutdowns: true }), { numRuns: 60, seed: 9 });
      expect(shutdownsIn(plain)).toBe(0);
      expect(shutdownsIn(asked)).toBeGreaterThan(0);
      // Every shutdown is followed by a restart of the same node (its window closes).
      for (const scenario of asked) {
        const faults = scenario.faults as ReadonlyArray<{ kind: string; node?: string; atMs: number }>;
        for (const shutdown of faults.filter((f) => f.kind === 'shutdown')) {
          expect(faults.some((f) => f.kind === 'restart' && f.node === shutdown.node && f.atMs >= shutdown.atMs) || shutdown.atMs >= (scenario.durations.safetyMs ?? 0) - 15_000).toBe(true);
        }
      }
      expect(fc.sample(propertyArbitrary(property, [], undefined, {}), { numRuns: 60, seed: 9 })).toEqual(plain);
    });
  }
});
