import { stateChange, type ControllerView, type PartitionStateChange } from './brokerFailure.ts';
import { leaderForPreferredReplica } from './partitionLeaderElection.ts';

// The ZooKeeper-mode controller's automatic leader balancing (Kafka 3.9 `KafkaController#
// checkAndTriggerAutoLeaderRebalance`, with auto.leader.rebalance.enable): 5 s after it takes over and every
// leader.imbalance.check.interval.seconds after that, it groups the partitions by preferred replica (the first
// assigned), and for a broker whose share of such partitions led elsewhere (or by no one) is above
// leader.imbalance.per.broker.percentage, it runs the preferred-replica election on each of them whose preferred
// replica can lead (alive, not shutting down, in the ISR): that replica leads in the next leader epoch, the ISR kept.

/** The settings the balancing reads. */
export interface AutoLeaderRebalance {
  readonly enable: boolean;
  readonly intervalMs: number;
  readonly imbalancePerBrokerPercentage: number;
}

/** How long after a controller takes over it first checks the balance (`scheduleAutoLeaderRebalanceTask(5 s)`). */
export const FIRST_REBALANCE_CHECK_MS = 5_000;

/** The preferred-replica elections one check makes. */
export function autoRebalanceChanges(view: ControllerView, imbalancePerBrokerPercentage: number, shuttingDown: ReadonlySet<number>): PartitionStateChange[] {
  const isOnline = (replica: number) => Object.hasOwn(view.liveBrokers, replica) && !shuttingDown.has(replica);
  const byPreferred = new Map<number, ControllerView['partitions'][number][]>();
  for (const p of view.partitions) {
    const preferred = p.replicas[0];
    if (preferred === undefined) continue;
    byPreferred.set(preferred, [...(byPreferred.get(preferred) ?? []), p]);
  }
  const changes: PartitionStateChange[] = [];
  for (const [preferred, partitions] of [...byPreferred].sort(([a], [b]) => a - b)) {
    // `leadershipInfo.exists(_.leader != preferred)`: a partition with no state yet does not count.
    const elsewhere = partitions.filter((p) => p.state !== null && p.state.leader !== preferred);
    if (elsewhere.length / partitions.length <= imbalancePerBrokerPercentage / 100) continue;
    for (const p of elsewhere) {
      const state = p.state;
      if (state === null) continue;
      const elected = leaderForPreferredReplica(state, p.replicas, isOnline).leaderAndIsr;
      if (elected === null) continue;
      changes.push(stateChange({ ...p, state }, elected, 'preferredReplicaElection'));
    }
  }
  return changes;
}
