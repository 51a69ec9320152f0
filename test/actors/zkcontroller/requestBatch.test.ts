import { describe, expect, it } from 'vitest';
import { onBrokerFailure, type ControllerView } from '../../../actors/zkcontroller/brokerFailure.ts';
import type { ZkLeaderAndIsr } from '../../../actors/zkcontroller/partitionLeaderElection.ts';
import { addLeaderAndIsr, addUpdateMetadata, batchRequests, emptyRequestBatch } from '../../../actors/zkcontroller/requestBatch.ts';

// The controller's requests after a round of state changes (AbstractControllerBrokerRequestBatch): broker 1 died;
// brokers 2 and 3 are alive with broker epochs 102 and 103.
const led = (leader: number, isr: number[]): ZkLeaderAndIsr => ({ leader, leaderEpoch: 4, isr, leaderRecoveryState: 'RECOVERED', partitionEpoch: 9 });
const view: ControllerView = {
  epoch: 3,
  epochZkVersion: 2,
  liveBrokers: { 2: 102, 3: 103 },
  partitions: [
    { topic: 't', partition: 0, replicas: [1, 2, 3], state: led(1, [1, 2, 3]) },
    { topic: 't', partition: 1, replicas: [2, 1], state: led(2, [2, 1]) },
  ],
  uncleanLeaderElection: {},
};

describe("the ZooKeeper-mode controller's request batch", () => {
  it('sends each live replica one LeaderAndIsr with its partitions, then every live broker one UpdateMetadata', () => {
    let batch = emptyRequestBatch();
    for (const change of onBrokerFailure(view, [1])) {
      const live = change.replicas.filter((id) => Object.hasOwn(view.liveBrokers, id));
      batch = addLeaderAndIsr(batch, view, live, { topic: change.topic, partition: change.partition, replicas: change.replicas, state: change.next });
    }
    const { requests, nextCorrelationId } = batchRequests(batch, view, 2, 40);
    expect(requests.map((r) => [r.to, r.message.type, r.message.correlationId, r.message.brokerEpoch, r.message.controllerEpoch])).toEqual([
      [2, 'leaderAndIsr.request', 40, 102, 3],
      [3, 'leaderAndIsr.request', 41, 103, 3],
      [2, 'updateMetadata.request', 42, 102, 3],
      [3, 'updateMetadata.request', 43, 103, 3],
    ]);
    expect(nextCorrelationId).toBe(44);
    const toTwo = requests[0]?.message;
    expect(toTwo?.type === 'leaderAndIsr.request' && toTwo.partitionStates.map((p) => [p.partition, p.leader, p.leaderEpoch, p.isr, p.partitionEpoch])).toEqual([
      [0, 2, 5, [2, 3], 10],
      [1, 2, 5, [2], 10],
    ]);
    const toThree = requests[1]?.message;
    expect(toThree?.type === 'leaderAndIsr.request' && toThree.partitionStates.map((p) => p.partition)).toEqual([0]);
    const metadata = requests[2]?.message;
    expect(metadata?.type === 'updateMetadata.request' && metadata.liveBrokers).toEqual([2, 3]);
    expect(metadata?.type === 'updateMetadata.request' && metadata.partitionStates.map((p) => [p.partition, p.offlineReplicas])).toEqual([
      [0, [1]],
      [1, [1]],
    ]);
  });

  it('keeps the latest state of a partition told twice, and sends nothing to a broker that is not alive', () => {
    const p = { topic: 't', partition: 0, replicas: [1, 2, 3] };
    let batch = addLeaderAndIsr(emptyRequestBatch(), view, [1, 2], { ...p, state: led(2, [2, 3]) });
    batch = addLeaderAndIsr(batch, view, [2], { ...p, state: { ...led(2, [2]), leaderEpoch: 6 } });
    const { requests } = batchRequests(batch, view, 2, 0);
    expect(requests.map((r) => [r.to, r.message.type])).toEqual([
      [2, 'leaderAndIsr.request'],
      [2, 'updateMetadata.request'],
      [3, 'updateMetadata.request'],
    ]);
    const first = requests[0]?.message;
    expect(first?.type === 'leaderAndIsr.request' && first.partitionStates.map((s) => s.leaderEpoch)).toEqual([6]);
  });

  it('sends an UpdateMetadata alone for a change that needs no LeaderAndIsr (an ISR the leader altered)', () => {
    const batch = addUpdateMetadata(emptyRequestBatch(), view, [2, 3], [{ topic: 't', partition: 1, replicas: [2, 1], state: led(2, [2]) }]);
    expect(batchRequests(batch, view, 2, 5).requests.map((r) => [r.to, r.message.type])).toEqual([
      [2, 'updateMetadata.request'],
      [3, 'updateMetadata.request'],
    ]);
  });
});
