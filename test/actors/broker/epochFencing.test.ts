import { describe, expect, it } from 'vitest';
import { checkCurrentLeaderEpoch } from '../../../actors/broker/epochFencing.ts';

describe('epochFencing', () => {
  it('fences a request from an older leader epoch (FENCED_LEADER_EPOCH)', () => {
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: 4, leaderEpoch: 5, isLeader: true })).toBe('FENCED_LEADER_EPOCH');
  });

  it('answers UNKNOWN_LEADER_EPOCH to a request from a newer epoch this broker has not seen yet', () => {
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: 6, leaderEpoch: 5, isLeader: true })).toBe('UNKNOWN_LEADER_EPOCH');
  });

  it('serves a request in the current epoch on the leader', () => {
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: 5, leaderEpoch: 5, isLeader: true })).toBeUndefined();
  });

  it('answers NOT_LEADER_OR_FOLLOWER on a follower, after the epoch check', () => {
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: 5, leaderEpoch: 5, isLeader: false })).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: 4, leaderEpoch: 5, isLeader: false })).toBe('FENCED_LEADER_EPOCH');
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: 5, leaderEpoch: 5, isLeader: false, requireLeader: false })).toBeUndefined();
  });

  it('skips the epoch check for a request without an epoch (-1, before KIP-320)', () => {
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: -1, leaderEpoch: 5, isLeader: true })).toBeUndefined();
    expect(checkCurrentLeaderEpoch({ currentLeaderEpoch: undefined, leaderEpoch: 5, isLeader: false })).toBe('NOT_LEADER_OR_FOLLOWER');
  });
});
