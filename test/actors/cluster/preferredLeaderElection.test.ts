import { describe, expect, it } from 'vitest';
import { brokerNodeId } from '../../../src/protocol/nodeIds.ts';
import { startCluster } from './clusterFixture.ts';

// Automatic leader balancing (auto.leader.rebalance.enable, leader.imbalance.check.interval.seconds;
// QuorumController#maybeScheduleNextBalancePartitionLeaders, ReplicationControlManager#maybeBalancePartitionLeaders).
describe('preferred-leader election', () => {
  const preferredOf = (cluster: ReturnType<typeof startCluster>, p: number) => cluster.controllerImage().topics.t?.partitions[p]?.replicas[0];

  function afterLeaderRestart(controllerConfig: Parameters<typeof startCluster>[0] extends infer O ? O extends { controllerConfig?: infer C } ? C : never : never) {
    const cluster = startCluster({ controllerConfig, brokerConfig: { replicaLagTimeMaxMs: 2_000 } });
    cluster.world.runFor(5_000);
    const partition = [0, 1, 2].find((p) => cluster.leaderOf('t', p) === preferredOf(cluster, p)) ?? 0;
    const preferred = cluster.leaderOf('t', partition);
    cluster.world.crash(brokerNodeId(preferred));
    cluster.world.runFor(12_000);
    expect(cluster.leaderOf('t', partition)).not.toBe(preferred);
    cluster.world.restart(brokerNodeId(preferred));
    cluster.world.runFor(12_000);
    // Back in the ISR, but not leading: elections keep a valid leader.
    expect(cluster.controllerImage().topics.t?.partitions[partition]?.isr).toContain(preferred);
    expect(cluster.leaderOf('t', partition)).not.toBe(preferred);
    return { cluster, partition, preferred };
  }

  it('moves the leadership back to the preferred replica once it is in the ISR, a check interval after the imbalance began', () => {
    const { cluster, partition, preferred } = afterLeaderRestart({ leaderImbalanceCheckIntervalMs: 30_000 });
    // The imbalance began when the crashed leader was fenced (~14 s): the pass runs 30 s later.
    cluster.world.runFor(10_000);
    expect(cluster.leaderOf('t', partition)).not.toBe(preferred);
    cluster.world.runFor(10_000);
    expect(cluster.leaderOf('t', partition)).toBe(preferred);
    for (const p of [0, 1, 2]) expect(cluster.leaderOf('t', p)).toBe(preferredOf(cluster, p));
  });

  it('leaves the leadership where it is when auto.leader.rebalance.enable is off', () => {
    const { cluster, partition, preferred } = afterLeaderRestart({ leaderImbalanceCheckIntervalMs: 30_000, autoLeaderRebalanceEnable: false });
    cluster.world.runFor(60_000);
    expect(cluster.leaderOf('t', partition)).not.toBe(preferred);
  });
});
