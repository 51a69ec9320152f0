import { describe, expect, it } from 'vitest';
import type { ControllerView } from '../../../actors/zkcontroller/brokerFailure.ts';
import { decideControlledShutdown, partitionsLedBy } from '../../../actors/zkcontroller/controlledShutdown.ts';
import type { ZkLeaderAndIsr } from '../../../actors/zkcontroller/partitionLeaderElection.ts';

// `KafkaController#doControlledShutdown`: the leaderships of the broker that asks move to another ISR member, it
// leaves the ISRs it is in, and what it still leads is named in the answer.

const state = (leader: number, isr: number[], leaderEpoch = 4, partitionEpoch = 7): ZkLeaderAndIsr => ({ leader, leaderEpoch, isr, leaderRecoveryState: 'RECOVERED', partitionEpoch });

function view(partitions: Array<{ partition: number; replicas: number[]; state: ZkLeaderAndIsr }>): ControllerView {
  return {
    epoch: 2,
    epochZkVersion: 1,
    liveBrokers: { 1: 100, 2: 200, 3: 300 },
    partitions: partitions.map((p) => ({ topic: 't', ...p })),
    uncleanLeaderElection: {},
  };
}

describe('controlled shutdown (ZooKeeper-mode controller)', () => {
  it('moves a leadership to the first ISR member in assignment order that is not shutting down, without the broker in the ISR', () => {
    const decision = decideControlledShutdown(view([{ partition: 0, replicas: [1, 3, 2], state: state(1, [1, 2, 3]) }]), 1, 100, new Set([1]));
    expect(decision).toEqual({
      kind: 'move',
      changes: [{ topic: 't', partition: 0, replicas: [1, 3, 2], expectedZkVersion: 7, next: state(3, [2, 3], 5, 8), reason: 'controlledShutdownElection' }],
    });
  });

  it('skips another broker shutting down as the new leader', () => {
    const decision = decideControlledShutdown(view([{ partition: 0, replicas: [1, 3, 2], state: state(1, [1, 2, 3]) }]), 1, 100, new Set([1, 3]));
    expect(decision.kind === 'move' && decision.changes[0]?.next).toEqual(state(2, [2], 5, 8));
  });

  it('takes a follower out of the ISR in a new leader epoch, the leader kept', () => {
    const decision = decideControlledShutdown(view([{ partition: 0, replicas: [2, 1, 3], state: state(2, [2, 1, 3]) }]), 1, 100, new Set([1]));
    expect(decision.kind === 'move' && decision.changes).toEqual([
      { topic: 't', partition: 0, replicas: [2, 1, 3], expectedZkVersion: 7, next: state(2, [2, 3], 5, 8), reason: 'replicaOffline' },
    ]);
  });

  it('leaves what it cannot move: a single replica, a follower out of the ISR, a leadership with no other ISR member', () => {
    const v = view([
      { partition: 0, replicas: [1], state: state(1, [1]) },
      { partition: 1, replicas: [2, 1, 3], state: state(2, [2, 3]) },
      { partition: 2, replicas: [1, 2, 3], state: state(1, [1]) },
    ]);
    expect(decideControlledShutdown(v, 1, 100, new Set([1]))).toEqual({ kind: 'move', changes: [] });
    // The answer then names the partitions it still leads, and the broker asks again later.
    expect(partitionsLedBy(v, 1)).toEqual([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
    ]);
  });

  it('refuses a request from an earlier registration (STALE_BROKER_EPOCH) and from a broker not registered (BROKER_NOT_AVAILABLE)', () => {
    const v = view([{ partition: 0, replicas: [1, 2, 3], state: state(1, [1, 2, 3]) }]);
    expect(decideControlledShutdown(v, 1, 99, new Set([1]))).toEqual({ kind: 'refuse', errorCode: 'STALE_BROKER_EPOCH' });
    expect(decideControlledShutdown(v, 4, 400, new Set([4]))).toEqual({ kind: 'refuse', errorCode: 'BROKER_NOT_AVAILABLE' });
    // An unknown epoch (-1) is taken.
    expect(decideControlledShutdown(v, 1, -1, new Set([1])).kind).toBe('move');
  });
});
