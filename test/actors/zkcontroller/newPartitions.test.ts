import { describe, expect, it } from 'vitest';
import { partitionStatePath } from '../../../actors/zkcontroller/brokerFailure.ts';
import { CONTROLLER_EPOCH_PATH } from '../../../actors/zkcontroller/controllerElection.ts';
import { initialPartitionStates, partitionStateCreates } from '../../../actors/zkcontroller/newPartitions.ts';
import { zkSession } from './zkFixture.ts';

// New partitions in ZooKeeper mode (ZkPartitionStateMachine#initializeLeaderAndIsrForPartitions): brokers 1 and 3
// are alive.
const live = { liveBrokers: { 1: 101, 3: 103 } };

describe('new partitions in ZooKeeper mode', () => {
  it('makes the live assigned replicas the ISR, in assignment order, and the first of them leader in epoch 0', () => {
    const { initialized, withoutLiveReplicas } = initialPartitionStates(live, [
      { topic: 't', partition: 0, replicas: [2, 3, 1] },
      { topic: 't', partition: 1, replicas: [2, 4] },
    ]);
    expect(initialized).toEqual([{ topic: 't', partition: 0, replicas: [2, 3, 1], state: { leader: 3, leaderEpoch: 0, isr: [3, 1], leaderRecoveryState: 'RECOVERED', partitionEpoch: 0 } }]);
    expect(withoutLiveReplicas).toEqual([{ topic: 't', partition: 1, replicas: [2, 4] }]);
  });

  function server(epochWrites: number) {
    const { tree, ask } = zkSession();
    for (const path of ['/brokers', '/brokers/topics', CONTROLLER_EPOCH_PATH]) ask({ type: 'zk.create.request', path, data: null, ephemeral: false });
    ask({ type: 'zk.create.request', path: '/brokers/topics/t', data: { partitions: { 0: [2, 3, 1] } }, ephemeral: false });
    for (let i = 0; i < epochWrites; i++) ask({ type: 'zk.setData.request', path: CONTROLLER_EPOCH_PATH, data: i + 1, version: -1 });
    return { tree, ask };
  }

  it('creates the state znode under its parents, each create checking the controller epoch', () => {
    const zk = server(2);
    const { initialized } = initialPartitionStates(live, [{ topic: 't', partition: 0, replicas: [2, 3, 1] }]);
    const answers = partitionStateCreates({ epoch: 2, epochZkVersion: 2 }, initialized).map((call) => zk.ask(call).errorCode);
    expect(answers).toEqual(['OK', 'OK', 'OK']);
    const node = zk.tree().nodes[partitionStatePath('t', 0)];
    expect(node?.stat.version).toBe(0);
    expect(node?.data).toEqual({ controller_epoch: 2, leader: 3, version: 1, leader_epoch: 0, isr: [3, 1], leader_recovery_state: 0 });
  });

  it("creates nothing for a controller that was replaced (BADVERSION on the epoch's check)", () => {
    const zk = server(3);
    const { initialized } = initialPartitionStates(live, [{ topic: 't', partition: 0, replicas: [2, 3, 1] }]);
    const answers = partitionStateCreates({ epoch: 2, epochZkVersion: 2 }, initialized).map((call) => zk.ask(call).errorCode);
    expect(answers).toEqual(['BADVERSION', 'BADVERSION', 'BADVERSION']);
    expect(zk.tree().nodes['/brokers/topics/t/partitions']).toBeUndefined();
  });
});
