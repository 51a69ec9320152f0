import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextHighWatermark } from '../../../actors/broker/highWatermark.ts';
import type { LeaderHighWatermarkInput } from '../../../actors/broker/highWatermark.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';

// The leader's HW over random histories of appends, follower fetches (follower LEOs move both ways: followers
// truncate) and ISR changes: it never goes backwards, never passes the leader's LEO or a maximal-ISR member's
// LEO when it moves, and stays put while the ISR is under min.insync.replicas.

type HighWatermarkEvent =
  | { kind: 'append'; count: number }
  | { kind: 'fetch'; follower: number; leo: number }
  | { kind: 'isr'; members: boolean[] };

const followers = [2, 3, 4];
const eventArbitrary: fc.Arbitrary<HighWatermarkEvent> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('fetch' as const), follower: fc.constantFrom(...followers), leo: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('isr' as const), members: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
);

type HighWatermarkRule = (input: LeaderHighWatermarkInput) => number;

const highWatermarkNeverGoesBackwards = (rule: HighWatermarkRule) =>
  fc.property(fc.integer({ min: 1, max: 3 }), fc.array(eventArbitrary, { maxLength: 50, size: 'max' }), (minInsyncReplicas, events) => {
    let highWatermark = 0;
    let leaderLeo = 0;
    let isr = [1, ...followers];
    const replicaLeos: Record<number, number> = {};
    for (const event of events) {
      if (event.kind === 'append') leaderLeo += event.count;
      if (event.kind === 'fetch') replicaLeos[event.follower] = Math.floor(event.leo * leaderLeo);
      if (event.kind === 'isr') isr = [1, ...followers.filter((_, index) => event.members[index])];
      const next = rule({ current: highWatermark, leaderId: 1, leaderLeo, isr, replicaLeos, minInsyncReplicas });
      expect(next).toBeGreaterThanOrEqual(highWatermark);
      expect(next).toBeLessThanOrEqual(leaderLeo);
      if (isr.length < minInsyncReplicas) expect(next).toBe(highWatermark);
      if (next > highWatermark) for (const id of isr.slice(1)) expect(next).toBeLessThanOrEqual(replicaLeos[id] ?? -1);
      highWatermark = next;
    }
  });

// The HW as a plain minimum over the ISR, without the leader's never-backwards rule and the min-ISR freeze.
const plainMinimum: HighWatermarkRule = ({ leaderLeo, isr, replicaLeos }) =>
  Math.max(0, Math.min(leaderLeo, ...isr.slice(1).map((id) => replicaLeos[id] ?? 0)));

describe('highWatermark properties', () => {
  it('the leader high watermark never goes backwards, and is frozen below min.insync.replicas', () => {
    fc.assert(highWatermarkNeverGoesBackwards(nextHighWatermark), { numRuns: propertyRuns(300) });
  });

  it('catches a high watermark computed as a plain minimum over the ISR', () => {
    const result = fc.check(highWatermarkNeverGoesBackwards(plainMinimum), { numRuns: 300, seed: 20_241_017 });
    expect(result.failed).toBe(true);
  });
});
