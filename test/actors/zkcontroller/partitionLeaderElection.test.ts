import { describe, expect, it } from 'vitest';
import {
  leaderForControlledShutdown,
  leaderForOffline,
  leaderForPreferredReplica,
  leaderForReassign,
  type ZkLeaderAndIsr,
} from '../../../actors/zkcontroller/partitionLeaderElection.ts';

// The ZooKeeper-mode controller's elections (Kafka 3.9 PartitionLeaderElectionAlgorithms and Election).
const state = (leader: number, isr: number[], leaderEpoch = 4): ZkLeaderAndIsr => ({ leader, leaderEpoch, isr, leaderRecoveryState: 'RECOVERED', partitionEpoch: 9 });
const online = (...ids: number[]) => (replica: number) => ids.includes(replica);
const clean = { uncleanLeaderElectionEnabled: false, isLeaderRecoverySupported: true };

describe('offline election', () => {
  it('takes the first assigned replica that is alive and in the ISR, keeps the live ISR and bumps the epoch', () => {
    const result = leaderForOffline(state(1, [1, 2, 3]), [1, 2, 3], online(2, 3), clean);
    expect(result.leaderAndIsr).toEqual({ leader: 2, leaderEpoch: 5, isr: [2, 3], leaderRecoveryState: 'RECOVERED', partitionEpoch: 9 });
    expect(result.liveReplicas).toEqual([2, 3]);
  });

  it('follows assignment order, not ISR order', () => {
    expect(leaderForOffline(state(1, [3, 2]), [1, 2, 3], online(2, 3), clean).leaderAndIsr?.leader).toBe(2);
  });

  it('elects nothing when no ISR member is alive and unclean election is off', () => {
    expect(leaderForOffline(state(1, [1]), [1, 2, 3], online(2, 3), clean).leaderAndIsr).toBeNull();
  });

  it('with unclean election on, takes the first live replica, makes it the ISR alone and marks the partition RECOVERING', () => {
    const result = leaderForOffline(state(1, [1]), [1, 3, 2], online(2, 3), { uncleanLeaderElectionEnabled: true, isLeaderRecoverySupported: true });
    expect(result.leaderAndIsr).toMatchObject({ leader: 3, leaderEpoch: 5, isr: [3], leaderRecoveryState: 'RECOVERING' });
    const old = leaderForOffline(state(1, [1]), [1, 3, 2], online(2, 3), { uncleanLeaderElectionEnabled: true, isLeaderRecoverySupported: false });
    expect(old.leaderAndIsr?.leaderRecoveryState).toBe('RECOVERED');
  });

  it('elects nothing for a partition with no state yet', () => {
    expect(leaderForOffline(null, [1, 2], online(1, 2), clean)).toEqual({ leaderAndIsr: null, liveReplicas: [1, 2] });
  });
});

describe('reassignment election', () => {
  it('takes the first target replica alive and in the ISR, and keeps the ISR', () => {
    const result = leaderForReassign(state(1, [1, 4, 5]), [4, 5, 6], online(1, 5, 6));
    expect(result.leaderAndIsr).toMatchObject({ leader: 5, leaderEpoch: 5, isr: [1, 4, 5] });
    expect(leaderForReassign(state(1, [1]), [4, 5], online(1, 4, 5)).leaderAndIsr).toBeNull();
  });
});

describe('preferred-replica election', () => {
  it('elects the first assigned replica when it is alive and in the ISR', () => {
    expect(leaderForPreferredReplica(state(2, [1, 2]), [1, 2, 3], online(1, 2, 3)).leaderAndIsr).toMatchObject({ leader: 1, leaderEpoch: 5, isr: [1, 2] });
  });

  it('has no fallback: a preferred replica out of the ISR or down elects nothing, even with others eligible', () => {
    expect(leaderForPreferredReplica(state(2, [2, 3]), [1, 2, 3], online(1, 2, 3)).leaderAndIsr).toBeNull();
    expect(leaderForPreferredReplica(state(2, [1, 2, 3]), [1, 2, 3], online(2, 3)).leaderAndIsr).toBeNull();
  });
});

describe('controlled-shutdown election', () => {
  it('moves leadership away from the brokers shutting down and takes them out of the ISR', () => {
    const result = leaderForControlledShutdown(state(1, [1, 2, 3]), [1, 2, 3], online(1, 2, 3), new Set([1]));
    expect(result.leaderAndIsr).toMatchObject({ leader: 2, leaderEpoch: 5, isr: [2, 3] });
    expect(result.liveReplicas).toEqual([1, 2, 3]);
  });

  it('elects nothing when every ISR member is shutting down or down', () => {
    expect(leaderForControlledShutdown(state(1, [1, 2]), [1, 2, 3], online(1, 2, 3), new Set([1, 2])).leaderAndIsr).toBeNull();
  });
});
