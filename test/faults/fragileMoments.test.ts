import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultWindow } from '../../properties/arbitraries/faultScheduleArbitrary.ts';
import { fragileMomentArbitrary } from '../../properties/arbitraries/kafkaFaultScheduleArbitrary.ts';
import { propertyViolations } from '../../properties/replicationProperties.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';
import type { RunResult } from '../../src/scenario/runResolvedScenario.ts';

// The fragile-moment patterns: two fault windows timed against each other, so that the second hits the moment the
// first causes (a follower rejoining the ISR, catching up after a restart, a leader deposed after its session, the
// broker that takes over from a crashed leader).
// Whether a pattern's second window waits for the partition's next leader (the failover moment).
const nextLeaderOpened = (window: FaultWindow | undefined) => String((window?.open as { node?: string } | undefined)?.node).startsWith('next-leader:');

describe('fragile-moment fault patterns', () => {
  const partition = fc.constantFrom('events-0', 'events-1');
  const start = fc.integer({ min: 0, max: 1_000 });

  it('opens the leader crash 0-1.5 s after the first window closes, on the same partition, and restarts what it crashed', () => {
    fc.assert(
      fc.property(fragileMomentArbitrary(partition, start, true), (pattern) => {
        // The session-expiry moment opens with the leader's cut from its followers (its own test, below).
        const [first, second] = pattern.length === 3 ? pattern.slice(1) : pattern;
        expect(first).toBeDefined();
        expect(second).toBeDefined();
        if (first === undefined || second === undefined) return;
        if (nextLeaderOpened(second)) return; // the failover moment, below
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

  it('crashes the leader, then the broker that takes over from it as it does, and keeps the first down past the failover', () => {
    const failovers = fc
      .sample(fragileMomentArbitrary(partition, start, true), { numRuns: propertyRuns(300), seed: 4 })
      .filter(([, second]) => nextLeaderOpened(second));
    expect(failovers.length).toBeGreaterThan(0);
    for (const [first, second] of failovers) {
      if (first === undefined || second === undefined) throw new Error('a pattern has two windows');
      const { kind, node } = first.open as { kind: string; node: string };
      expect(kind).toBe('crash');
      expect(node).toMatch(/^leader:events-[01]$/);
      const partitionOf = node.slice('leader:'.length);
      // Armed just after the first crash; it fires when the controller fences the silent leader (7-10 s later).
      expect(second.startMs).toBe(first.startMs + 1);
      expect(second.open).toMatchObject({ node: `next-leader:${partitionOf}` });
      expect(['crash', 'powerLoss']).toContain((second.open as { kind: string }).kind);
      expect(second.close).toEqual({ kind: 'restart', node: `next-leader:${partitionOf}` });
      // The old leader is no candidate: it comes back only after the latest failover (10.5 s).
      expect(first.durationMs).toBeGreaterThanOrEqual(10_500);
      expect(second.durationMs).toBeGreaterThan(10_500);
    }
  });

  it('cuts the leader off from its followers, pauses it as the cut heals past its session, and crashes the next leader after it resumes', () => {
    const expiries = fc.sample(fragileMomentArbitrary(partition, start, false), { numRuns: 300, seed: 5 }).filter((pattern) => pattern.length === 3);
    expect(expiries.length).toBeGreaterThan(30);
    for (const [cut, pause, crash] of expiries) {
      if (cut === undefined || pause === undefined || crash === undefined) throw new Error('three windows');
      const partitionOf = (pause.open as unknown as { node: string }).node.slice('leader:'.length);
      expect(cut.open).toEqual({ kind: 'partition', groups: [[`leader:${partitionOf}`], [`followers:${partitionOf}`]] });
      expect(cut.close).toEqual({ kind: 'heal' });
      // The pause opens inside the cut (0-1.5 s into it), as its last millisecond: what the leader appended in the
      // cut is on no follower when it stops.
      expect(pause.open).toEqual({ kind: 'pause', node: `leader:${partitionOf}` });
      expect(pause.startMs - cut.startMs).toBeLessThanOrEqual(1_500);
      expect(cut.startMs + cut.durationMs).toBe(pause.startMs + 1);
      expect(pause.durationMs).toBeGreaterThan(9_000);
      // The crash comes 0-1.5 s after the deposed leader resumes, and hits the partition's leader of then.
      expect(crash.startMs - (pause.startMs + pause.durationMs)).toBe(pause.startMs - cut.startMs);
      expect(crash.open).toEqual({ kind: 'crash', node: `leader:${partitionOf}` });
    }
  });

  it('draws power losses only when asked to', () => {
    const last = (pattern: FaultWindow[]) => (pattern[pattern.length - 1]?.open as { kind: string }).kind;
    const kinds = fc.sample(fragileMomentArbitrary(partition, start, false), { numRuns: 200, seed: 2 }).map(last);
    expect(new Set(kinds)).toEqual(new Set(['crash']));
    const lossy = fc.sample(fragileMomentArbitrary(partition, start, true), { numRuns: 200, seed: 2 }).map(last);
    expect(new Set(lossy)).toEqual(new Set(['crash', 'powerLoss']));
  });

  it('draws each of the four moments', () => {
    const patterns = fc.sample(fragileMomentArbitrary(partition, start, false), { numRuns: 300, seed: 3 });
    // A cut (an ISR change, or the leader's cut before its pause), a follower's crash, or the failover's crash first.
    const firsts = patterns.map(([first]) => (first?.open as { kind: string }).kind);
    expect(new Set(firsts)).toEqual(new Set(['partition', 'crash']));
    expect(patterns.some((pattern) => pattern.length === 3 && (pattern[1]?.open as { kind: string }).kind === 'pause')).toBe(true);
    const failovers = patterns.filter(([, second]) => nextLeaderOpened(second));
    expect(failovers.length).toBeGreaterThan(30);
    expect(failovers.length).toBeLessThan(120);
  });

});

describe('no-loss counts G1a', () => {
  // A run with nothing wrong but one failed send that a reader saw.
  const result = (anomalies: Record<string, number>): RunResult =>
    ({ checkers: { anomalies }, invariants: [], finalReadComplete: true, appliedFaults: [], uncleanRecoveries: [], lossyElections: [] }) as unknown as RunResult;

  it('a send reported failed that a poll returned breaks no-loss, and only no-loss', () => {
    expect(propertyViolations('no-loss', result({ G1a: 1 }))).toEqual(['G1a (1)']);
    expect(propertyViolations('ordering', result({ G1a: 1 }))).toEqual([]);
    expect(propertyViolations('no-loss', result({}))).toEqual([]);
  });
});
