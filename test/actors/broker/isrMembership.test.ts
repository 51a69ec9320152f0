import { describe, expect, it } from 'vitest';
import {
  isCaughtUp,
  isFollowerInSync,
  NEVER_MS,
  outOfSyncReplicas,
  resetFetchState,
  unknownFollowerFetchState,
  updateFetchState,
} from '../../../actors/broker/isrMembership.ts';
import type { FollowerFetchState } from '../../../actors/broker/isrMembership.ts';

const lagMs = 30_000; // replica.lag.time.max.ms

// Fetches in order, each `[fetchOffset, fetchTimeMs, leaderLeo]`, from a follower the leader knew nothing about.
const afterFetches = (...fetches: Array<[number, number, number]>): FollowerFetchState =>
  fetches.reduce(
    (state, [fetchOffset, fetchTimeMs, leaderLeo]) => updateFetchState(state, { fetchOffset, fetchTimeMs, leaderLeo }),
    unknownFollowerFetchState,
  );

describe('isrMembership', () => {
  describe('updateFetchState (Replica.updateFetchStateOrThrow)', () => {
    it('marks the follower caught up at the fetch time when it reads from the leader log end offset', () => {
      expect(afterFetches([10, 1_000, 10])).toEqual({ leo: 10, lastCaughtUpTimeMs: 1_000, lastFetchLeaderLeo: 10, lastFetchTimeMs: 1_000 });
    });

    it('marks it caught up at the previous fetch time when it reached the leader LEO of that fetch', () => {
      // At t=1000 the leader was at 10; at t=2000 the follower reads from 10 while the leader moved on to 15.
      expect(afterFetches([5, 1_000, 10], [10, 2_000, 15]).lastCaughtUpTimeMs).toBe(1_000);
    });

    it('leaves the caught-up time alone for a follower that falls further behind', () => {
      const state = afterFetches([10, 1_000, 10], [10, 2_000, 15], [12, 3_000, 20]);
      expect(state.lastCaughtUpTimeMs).toBe(1_000);
      expect(state.lastFetchLeaderLeo).toBe(20);
      expect(state.leo).toBe(12);
    });
  });

  describe('outOfSyncReplicas (Partition.getOutOfSyncReplicas)', () => {
    const view = (followers: Record<number, FollowerFetchState>) => ({ leaderId: 1, leaderLeo: 20, isr: [1, 2, 3], followers });

    it('removes a stuck follower once it has not been caught up for replica.lag.time.max.ms', () => {
      const stuck = afterFetches([10, 1_000, 10]);
      const current = afterFetches([20, 31_000, 20]);
      expect(outOfSyncReplicas(view({ 2: stuck, 3: current }), 31_000, lagMs)).toEqual([]);
      expect(outOfSyncReplicas(view({ 2: stuck, 3: current }), 31_001, lagMs)).toEqual([2]);
    });

    it('removes a slow follower that keeps fetching but never catches up', () => {
      let slow = afterFetches([10, 0, 10]);
      for (let t = 1_000; t <= 40_000; t += 1_000) slow = updateFetchState(slow, { fetchOffset: 10 + t / 1_000, fetchTimeMs: t, leaderLeo: 100 + t });
      expect(outOfSyncReplicas({ leaderId: 1, leaderLeo: 40_100, isr: [1, 2], followers: { 2: slow } }, 40_000, lagMs)).toEqual([2]);
    });

    it('keeps a follower whose log end offset equals the leader, however long ago it fetched', () => {
      expect(outOfSyncReplicas(view({ 2: afterFetches([20, 0, 20]), 3: afterFetches([20, 0, 20]) }), 100_000, lagMs)).toEqual([]);
    });

    it('counts an ISR follower the leader has no state for as out of sync, and never the leader', () => {
      expect(outOfSyncReplicas(view({ 3: afterFetches([20, 0, 20]) }), 0, lagMs)).toEqual([2]);
    });
  });

  describe('isCaughtUp', () => {
    it('is true within the lag time and when the log end offsets match', () => {
      const state = afterFetches([10, 1_000, 10]);
      expect(isCaughtUp(state, 15, 31_000, lagMs)).toBe(true);
      expect(isCaughtUp(state, 15, 31_001, lagMs)).toBe(false);
      expect(isCaughtUp(state, 10, 99_000, lagMs)).toBe(true);
    });

    it('is false at time 0 for a follower that has only fetched from behind the leader (never caught up)', () => {
      // Kafka's "never" is 0 on a wall clock; virtual time starts at 0, so the simulator's lies further back.
      const behind = afterFetches([5, 0, 10]);
      expect(behind.lastCaughtUpTimeMs).toBe(NEVER_MS);
      expect(isCaughtUp(behind, 10, 0, lagMs)).toBe(false);
    });
  });

  describe('isFollowerInSync (Partition.isFollowerInSync)', () => {
    it('lets a follower back into the ISR once it reaches the high watermark', () => {
      expect(isFollowerInSync({ followerLeo: 7, highWatermark: 8, leaderEpochStartOffset: 5 })).toBe(false);
      expect(isFollowerInSync({ followerLeo: 8, highWatermark: 8, leaderEpochStartOffset: 5 })).toBe(true);
    });

    it("also requires the start of the leader's epoch, which a lagging new-leader HW may not cover (R8)", () => {
      expect(isFollowerInSync({ followerLeo: 8, highWatermark: 8, leaderEpochStartOffset: 12 })).toBe(false);
      expect(isFollowerInSync({ followerLeo: 12, highWatermark: 8, leaderEpochStartOffset: 12 })).toBe(true);
    });
  });

  describe('resetFetchState (Replica.resetReplicaState)', () => {
    const known = afterFetches([10, 1_000, 10]);

    it('makes a new leader forget what followers had and treat ISR members as caught up now', () => {
      expect(resetFetchState(known, { nowMs: 5_000, leaderLeo: 12, isNewLeader: true, isFollowerInIsr: true })).toEqual({
        leo: -1,
        lastCaughtUpTimeMs: 5_000,
        lastFetchLeaderLeo: -1,
        lastFetchTimeMs: NEVER_MS,
      });
    });

    it('lets a re-elected leader keep follower positions, and counts followers outside the ISR as never caught up', () => {
      expect(resetFetchState(known, { nowMs: 5_000, leaderLeo: 12, isNewLeader: false, isFollowerInIsr: false })).toEqual({
        leo: 10,
        lastCaughtUpTimeMs: NEVER_MS,
        lastFetchLeaderLeo: 12,
        lastFetchTimeMs: NEVER_MS,
      });
    });
  });
});
