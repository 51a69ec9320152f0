import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fragileMomentArbitrary } from '../../properties/arbitraries/kafkaFaultScheduleArbitrary.ts';
import { propertyViolations } from '../../properties/replicationProperties.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';
import type { RunResult } from '../../src/scenario/runResolvedScenario.ts';

// The fragile-moment patterns: two fault windows timed against each other, so that the second hits the moment the
// first causes (a follower rejoining the ISR, catching up after a restart, a leader deposed after its session).
describe('fragile-moment fault patterns', () => {
  const partition = fc.constantFrom('events-0', 'events-1');
  const start = fc.integer({ min: 0, max: 1_000 });

  it('opens the leader crash 0-1.5 s after the first window closes, on the same partition, and restarts what it crashed', () => {
    fc.assert(
      fc.property(fragileMomentArbitrary(partition, start, true), ([first, second]) => {
        expect(first).toBeDefined();
        expect(second).toBeDefined();
        if (first === undefined || second === undefined) return;
        const firstEnd = first.startMs + first.durationMs;
        expect(second.startMs - firstEnd).toBeGreaterThanOrEqual(0);
        expect(second.startMs - firstEnd).toBeLessThanOrEqual(1_500);
        const opened = second.open as { kind: string; node: string };
        expect(['crash', 'powerLoss']).toContain(opened.kind);
        expect(opened.node).toMatch(/^leader:events-[01]$/);
        expect(second.close).toEqual({ kind: 'restart', node: opened.node });
        // The first window aims at the same partition: a follower cut off or down past the lag time (5 s), or the
        // leader paused past its broker session (9 s).
        const partitionOf = opened.node.slice('leader:'.length);
        expect(JSON.stringify(first.open)).toContain(partitionOf);
        const pausedLeader = (first.open as { kind: string }).kind === 'pause';
        expect(first.durationMs).toBeGreaterThan(pausedLeader ? 9_000 : 5_000);
      }),
      { numRuns: propertyRuns(100), seed: 1 },
    );
  });

  it('draws power losses only when asked to', () => {
    const kinds = fc.sample(fragileMomentArbitrary(partition, start, false), { numRuns: 200, seed: 2 }).map(([, second]) => (second?.open as { kind: string }).kind);
    expect(new Set(kinds)).toEqual(new Set(['crash']));
    const lossy = fc.sample(fragileMomentArbitrary(partition, start, true), { numRuns: 200, seed: 2 }).map(([, second]) => (second?.open as { kind: string }).kind);
    expect(new Set(lossy)).toEqual(new Set(['crash', 'powerLoss']));
  });

  it('draws each of the three moments', () => {
    const firsts = fc.sample(fragileMomentArbitrary(partition, start, false), { numRuns: 300, seed: 3 }).map(([first]) => (first?.open as { kind: string }).kind);
    expect(new Set(firsts)).toEqual(new Set(['partition', 'crash', 'pause']));
  });

});

describe('no-loss counts G1a', () => {
  // A run with nothing wrong but one failed send that a reader saw.
  const result = (anomalies: Record<string, number>): RunResult =>
    ({ checkers: { anomalies }, invariants: [], finalReadComplete: true, appliedFaults: [], uncleanRecoveries: [] }) as unknown as RunResult;

  it('a send reported failed that a poll returned breaks no-loss, and only no-loss', () => {
    expect(propertyViolations('no-loss', result({ G1a: 1 }))).toEqual(['G1a (1)']);
    expect(propertyViolations('ordering', result({ G1a: 1 }))).toEqual([]);
    expect(propertyViolations('no-loss', result({}))).toEqual([]);
  });
});
