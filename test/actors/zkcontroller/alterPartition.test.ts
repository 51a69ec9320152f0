import { describe, expect, it } from 'vitest';
import { decideAlterPartition } from '../../../actors/zkcontroller/alterPartition.ts';
import type { ControllerView } from '../../../actors/zkcontroller/brokerFailure.ts';
import type { ZkLeaderAndIsr } from '../../../actors/zkcontroller/partitionLeaderElection.ts';
import type { AlterPartitionRequest } from '../../../src/protocol/messages.ts';

// The ZooKeeper-mode controller's AlterPartition checks (KafkaController#tryProcessAlterPartition): t-0 is led by
// broker 1 in leader epoch 4, ISR [1, 2], zkVersion 9; brokers 1-3 are alive with broker epochs 101-103.
const current: ZkLeaderAndIsr = { leader: 1, leaderEpoch: 4, isr: [1, 2], leaderRecoveryState: 'RECOVERED', partitionEpoch: 9 };
const view: ControllerView = {
  epoch: 3,
  epochZkVersion: 2,
  liveBrokers: { 1: 101, 2: 102, 3: 103 },
  partitions: [{ topic: 't', partition: 0, replicas: [1, 2, 3], state: current }],
  uncleanLeaderElection: {},
};

function alter(change: Partial<AlterPartitionRequest> = {}, isr: number[] = [1, 2, 3]): AlterPartitionRequest {
  return { type: 'partition.alter', brokerId: 1, brokerEpoch: 101, topic: 't', partition: 0, leaderEpoch: 4, partitionEpoch: 9, newIsr: isr.map((brokerId) => ({ brokerId, brokerEpoch: 100 + brokerId })), ...change };
}

describe("the ZooKeeper-mode controller's AlterPartition", () => {
  it('writes an ISR expansion on the zkVersion the leader saw, and answers with the state written', () => {
    expect(decideAlterPartition(view, alter(), true)).toEqual({
      kind: 'write',
      change: { topic: 't', partition: 0, replicas: [1, 2, 3], expectedZkVersion: 9, reason: 'alterPartition', next: { ...current, isr: [1, 2, 3], partitionEpoch: 10 } },
    });
  });

  it("refuses in Kafka's order: not the controller, a stale broker epoch, an unknown partition", () => {
    expect(decideAlterPartition(view, alter(), false)).toEqual({ kind: 'refuse', errorCode: 'NOT_CONTROLLER' });
    expect(decideAlterPartition(view, alter({ brokerEpoch: 99 }), true)).toEqual({ kind: 'refuse', errorCode: 'STALE_BROKER_EPOCH' });
    expect(decideAlterPartition(view, alter({ brokerId: 4, brokerEpoch: 104 }), true)).toEqual({ kind: 'refuse', errorCode: 'STALE_BROKER_EPOCH' });
    expect(decideAlterPartition(view, alter({ partition: 5 }), true)).toEqual({ kind: 'refuse', errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('tells a leader ahead of it that another controller is active, and fences a deposed leader', () => {
    expect(decideAlterPartition(view, alter({ leaderEpoch: 5 }), true)).toEqual({ kind: 'refuse', errorCode: 'NOT_CONTROLLER' });
    expect(decideAlterPartition(view, alter({ partitionEpoch: 10 }), true)).toEqual({ kind: 'refuse', errorCode: 'NOT_CONTROLLER' });
    expect(decideAlterPartition(view, alter({ leaderEpoch: 3 }), true)).toEqual({ kind: 'refuse', errorCode: 'FENCED_LEADER_EPOCH' });
  });

  it('answers a request for the state already written with it, even on an older zkVersion; otherwise INVALID_UPDATE_VERSION', () => {
    expect(decideAlterPartition(view, alter({ partitionEpoch: 8 }, [1, 2]), true)).toEqual({ kind: 'current', state: current });
    expect(decideAlterPartition(view, alter({ partitionEpoch: 8 }), true)).toEqual({ kind: 'refuse', errorCode: 'INVALID_UPDATE_VERSION' });
  });

  it('refuses an ISR with a broker that is not alive (KIP-841), but reads no broker epoch of the members (no KIP-903 check)', () => {
    const withoutThree: ControllerView = { ...view, liveBrokers: { 1: 101, 2: 102 } };
    expect(decideAlterPartition(withoutThree, alter(), true)).toEqual({ kind: 'refuse', errorCode: 'INELIGIBLE_REPLICA' });
    // Broker 3 fetched before a restart that gave it epoch 103: the KRaft controller would refuse the stale 50, ZooKeeper's takes it.
    const stale = { ...alter(), newIsr: [{ brokerId: 1, brokerEpoch: 101 }, { brokerId: 2, brokerEpoch: 102 }, { brokerId: 3, brokerEpoch: 50 }] };
    expect(decideAlterPartition(view, stale, true).kind).toBe('write');
  });

  it('takes a leader in controlled shutdown by its broker epoch, but no ISR with a broker shutting down (INELIGIBLE_REPLICA)', () => {
    // The leader itself is shutting down and could not hand over: its epoch checks, it is no ISR member.
    expect(decideAlterPartition(view, alter({}, [1]), true, new Set([1]))).toEqual({ kind: 'refuse', errorCode: 'INELIGIBLE_REPLICA' });
    expect(decideAlterPartition(view, alter(), true, new Set([3]))).toEqual({ kind: 'refuse', errorCode: 'INELIGIBLE_REPLICA' });
    expect(decideAlterPartition(view, alter({}, [1, 2]), true, new Set([3])).kind).toBe('current');
  });
});
