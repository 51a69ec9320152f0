import { describe, expect, it } from 'vitest';
import { autoRebalanceChanges } from '../../../actors/zkcontroller/autoLeaderRebalance.ts';
import type { ControllerView } from '../../../actors/zkcontroller/brokerFailure.ts';
import type { ZkLeaderAndIsr } from '../../../actors/zkcontroller/partitionLeaderElection.ts';

// `KafkaController#checkAndTriggerAutoLeaderRebalance`: per preferred replica, the share of its partitions led
// elsewhere against leader.imbalance.per.broker.percentage, then the preferred-replica election on each.

const state = (leader: number, isr: number[]): ZkLeaderAndIsr => ({ leader, leaderEpoch: 3, isr, leaderRecoveryState: 'RECOVERED', partitionEpoch: 6 });

function view(partitions: Array<{ replicas: number[]; state: ZkLeaderAndIsr | null }>, live = [1, 2, 3]): ControllerView {
  return {
    epoch: 1,
    epochZkVersion: 0,
    liveBrokers: Object.fromEntries(live.map((id) => [id, id])),
    partitions: partitions.map((p, partition) => ({ topic: 't', partition, ...p })),
    uncleanLeaderElection: {},
  };
}

describe('automatic leader balancing (ZooKeeper-mode controller)', () => {
  it('moves a leadership back to its preferred replica in the next leader epoch, the ISR kept', () => {
    const changes = autoRebalanceChanges(view([{ replicas: [1, 2, 3], state: state(2, [2, 3, 1]) }]), 10, new Set());
    expect(changes).toEqual([{ topic: 't', partition: 0, replicas: [1, 2, 3], expectedZkVersion: 6, next: { ...state(1, [2, 3, 1]), leaderEpoch: 4, partitionEpoch: 7 }, reason: 'preferredReplicaElection' }]);
  });

  it('acts only above the imbalance percentage, and counts a partition with no leader as led elsewhere', () => {
    // Broker 1 prefers 10 partitions and leads 9: a ratio of 0.1 is not above 10%.
    const nine = Array.from({ length: 9 }, () => ({ replicas: [1, 2], state: state(1, [1, 2]) }));
    expect(autoRebalanceChanges(view([...nine, { replicas: [1, 2], state: state(2, [2, 1]) }]), 10, new Set())).toHaveLength(0);
    // With one leaderless partition more (also preferred by 1), 2 of 11 are led elsewhere: above; only the one that can move does.
    const changes = autoRebalanceChanges(view([...nine, { replicas: [1, 2], state: state(2, [2, 1]) }, { replicas: [1, 2], state: state(-1, [2]) }]), 10, new Set());
    expect(changes.map((c) => c.partition)).toEqual([9]);
  });

  it('leaves a partition whose preferred replica is out of the ISR, not alive, or shutting down', () => {
    const partitions = [{ replicas: [1, 2], state: state(2, [2]) }];
    expect(autoRebalanceChanges(view(partitions), 10, new Set())).toHaveLength(0);
    const inIsr = [{ replicas: [1, 2], state: state(2, [2, 1]) }];
    expect(autoRebalanceChanges(view(inIsr, [2, 3]), 10, new Set())).toHaveLength(0);
    expect(autoRebalanceChanges(view(inIsr), 10, new Set([1]))).toHaveLength(0);
    expect(autoRebalanceChanges(view(inIsr), 10, new Set())).toHaveLength(1);
  });
});
