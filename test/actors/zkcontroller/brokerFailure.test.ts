import { describe, expect, it } from 'vitest';
import { onBrokerFailure, partitionStatePath, partitionStateWrite, partitionStateZNodeData, type ControllerPartition, type ControllerView } from '../../../actors/zkcontroller/brokerFailure.ts';
import { CONTROLLER_EPOCH_PATH } from '../../../actors/zkcontroller/controllerElection.ts';
import type { ZkLeaderAndIsr } from '../../../actors/zkcontroller/partitionLeaderElection.ts';
import { zkSession } from './zkFixture.ts';

// The ZooKeeper-mode controller's decisions when brokers die (KafkaController#onReplicasBecomeOffline), and the
// conditional writes that carry them out.
const state = (leader: number, isr: number[], change: Partial<ZkLeaderAndIsr> = {}): ZkLeaderAndIsr => ({ leader, leaderEpoch: 4, isr, leaderRecoveryState: 'RECOVERED', partitionEpoch: 9, ...change });
const partition = (p: number, replicas: number[], s: ZkLeaderAndIsr | null, topic = 't'): ControllerPartition => ({ topic, partition: p, replicas, state: s });

function view(partitions: ControllerPartition[], live: number[], unclean: Record<string, boolean> = {}): ControllerView {
  return { epoch: 3, epochZkVersion: 2, liveBrokers: Object.fromEntries(live.map((id) => [id, 100 + id])), partitions, uncleanLeaderElection: unclean };
}

describe('the ZooKeeper-mode controller when a broker dies', () => {
  it('elects the first live assigned replica of the ISR when the leader dies, and drops the dead one from the ISR', () => {
    const [change] = onBrokerFailure(view([partition(0, [1, 2, 3], state(1, [1, 3, 2]))], [2, 3]), [1]);
    expect(change).toMatchObject({ reason: 'offlinePartitionElection', expectedZkVersion: 9, next: { leader: 2, leaderEpoch: 5, isr: [3, 2], partitionEpoch: 10 } });
  });

  it('removes a dead follower from the ISR in a new leader epoch, the leader unchanged', () => {
    const [change] = onBrokerFailure(view([partition(0, [1, 2, 3], state(1, [1, 2, 3]))], [1, 3]), [2]);
    expect(change).toMatchObject({ reason: 'replicaOffline', next: { leader: 1, leaderEpoch: 5, isr: [1, 3] } });
  });

  it('leaves a partition whose last ISR member died without a leader, the dead replica kept as the ISR', () => {
    const [change] = onBrokerFailure(view([partition(0, [1, 2, 3], state(1, [1]))], [2, 3]), [1]);
    expect(change).toMatchObject({ reason: 'replicaOffline', next: { leader: -1, leaderEpoch: 5, isr: [1] } });
  });

  it('elects a replica outside the ISR only where the topic allows unclean election; the partition is then RECOVERING', () => {
    const partitions = [partition(0, [1, 2], state(1, [1])), partition(0, [1, 2], state(1, [1]), 'u')];
    const changes = onBrokerFailure(view(partitions, [2], { u: true }), [1]);
    expect(changes.map((c) => [c.topic, c.reason, c.next.leader, c.next.isr, c.next.leaderRecoveryState])).toEqual([
      ['t', 'replicaOffline', -1, [1], 'RECOVERED'],
      ['u', 'offlinePartitionElection', 2, [2], 'RECOVERING'],
    ]);
  });

  it('changes nothing where the dead broker is neither leader nor in the ISR, nor for a partition never written', () => {
    const partitions = [partition(0, [1, 2, 3], state(1, [1, 2])), partition(1, [3, 1], null)];
    expect(onBrokerFailure(view(partitions, [1, 2]), [3])).toEqual([]);
  });

  it('handles two dead brokers at once: the leader replaced, the other dead follower dropped, one epoch step each', () => {
    const [change] = onBrokerFailure(view([partition(0, [1, 2, 3], state(1, [1, 2, 3]))], [3]), [1, 2]);
    expect(change).toMatchObject({ reason: 'offlinePartitionElection', next: { leader: 3, leaderEpoch: 5, isr: [3] } });
  });
});

describe("the controller's conditional write of a partition state", () => {
  // A server with /controller_epoch at zkVersion 2 and t-0's state znode at zkVersion 9.
  function server() {
    const { tree, ask } = zkSession();
    for (const path of ['/brokers', '/brokers/topics', '/brokers/topics/t', '/brokers/topics/t/partitions', '/brokers/topics/t/partitions/0', partitionStatePath('t', 0), CONTROLLER_EPOCH_PATH]) {
      ask({ type: 'zk.create.request', path, data: null, ephemeral: false });
    }
    for (let i = 0; i < 2; i++) ask({ type: 'zk.setData.request', path: CONTROLLER_EPOCH_PATH, data: 3, version: -1 });
    for (let i = 0; i < 9; i++) ask({ type: 'zk.setData.request', path: partitionStatePath('t', 0), data: partitionStateZNodeData(state(1, [1, 2, 3]), 3), version: -1 });
    return { tree, ask };
  }

  it('writes the new state on the zkVersion it knows, checking the controller epoch', () => {
    const s = server();
    const [change] = onBrokerFailure(view([partition(0, [1, 2, 3], state(1, [1, 2, 3]))], [2, 3]), [1]);
    const response = s.ask(partitionStateWrite({ epoch: 3, epochZkVersion: 2 }, change!));
    expect(response.errorCode).toBe('OK');
    const node = s.tree().nodes[partitionStatePath('t', 0)];
    expect(node?.stat.version).toBe(change?.next.partitionEpoch);
    expect(node?.data).toEqual({ controller_epoch: 3, leader: 2, version: 1, leader_epoch: 5, isr: [2, 3], leader_recovery_state: 0 });
  });

  it("refuses a zombie controller's write (another controller moved /controller_epoch) and a write on a stale zkVersion", () => {
    const s = server();
    const [change] = onBrokerFailure(view([partition(0, [1, 2, 3], state(1, [1, 2, 3]))], [2, 3]), [1]);
    const before = s.tree().nodes[partitionStatePath('t', 0)];
    const zombie = s.ask(partitionStateWrite({ epoch: 2, epochZkVersion: 1 }, change!));
    expect(zombie.errorCode).toBe('BADVERSION');
    expect(zombie.results?.[0]?.errorCode).toBe('BADVERSION');
    const stale = s.ask(partitionStateWrite({ epoch: 3, epochZkVersion: 2 }, { ...change!, expectedZkVersion: 8 }));
    expect(stale.errorCode).toBe('BADVERSION');
    expect(stale.results?.[1]?.errorCode).toBe('BADVERSION');
    expect(s.tree().nodes[partitionStatePath('t', 0)]).toEqual(before);
  });
});
