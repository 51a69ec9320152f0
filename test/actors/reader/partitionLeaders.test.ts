import { describe, expect, it } from 'vitest';
import { isCurrentLeader, knownLeader, updatePartitionLeaders } from '../../../actors/reader/index.ts';
import type { PartitionState } from '../../../src/protocol/messages.ts';

const state = (partition: number, leader: number, leaderEpoch: number): PartitionState => ({
  topic: 't',
  partition,
  replicas: [1, 2],
  isr: [1, 2],
  leader,
  leaderEpoch,
  partitionEpoch: leaderEpoch,
});

describe('partitionLeaders', () => {
  it('takes leaders from metadata', () => {
    const leaders = updatePartitionLeaders({}, [state(0, 1, 0), state(1, 2, 3)]);
    expect(leaders).toEqual({ 't-0': { leader: 1, leaderEpoch: 0 }, 't-1': { leader: 2, leaderEpoch: 3 } });
  });

  it('takes a newer or equal epoch, and keeps the cached leader over a stale response (KIP-320)', () => {
    const cached = updatePartitionLeaders({}, [state(0, 2, 5)]);
    expect(updatePartitionLeaders(cached, [state(0, 1, 4)])).toEqual(cached);
    expect(updatePartitionLeaders(cached, [state(0, 3, 5)])['t-0']).toEqual({ leader: 3, leaderEpoch: 5 });
    expect(updatePartitionLeaders(cached, [state(0, 1, 6)])['t-0']).toEqual({ leader: 1, leaderEpoch: 6 });
  });

  it('knows no leader for an unknown partition or a leader of -1', () => {
    const leaders = updatePartitionLeaders({}, [state(0, -1, 2)]);
    expect(knownLeader(leaders, 't-0')).toBeUndefined();
    expect(knownLeader(leaders, 't-9')).toBeUndefined();
  });

  it('tells whether a node is the current leader', () => {
    const leaders = updatePartitionLeaders({}, [state(0, 2, 1)]);
    expect(isCurrentLeader(leaders, 't-0', 'broker-2')).toBe(true);
    expect(isCurrentLeader(leaders, 't-0', 'broker-1')).toBe(false);
  });
});
