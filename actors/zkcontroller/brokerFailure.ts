import type { ZkCall } from '../zookeeper/zkClient.ts';
import { CONTROLLER_EPOCH_PATH } from './controllerElection.ts';
import { leaderForOffline, type ZkLeaderAndIsr } from './partitionLeaderElection.ts';

// What the ZooKeeper-mode controller decides when brokers die (Kafka 3.9 `KafkaController#onBrokerFailure` and
// `#onReplicasBecomeOffline`), as a pure function of its view of the cluster: first every partition whose leader died
// goes offline and is elected a new leader (`PartitionStateMachine`: OfflinePartition, then OnlinePartition with the
// offline election: the first live assigned replica in the ISR, else an unclean one when the topic allows it); then
// every dead replica still in an ISR leaves it (`ReplicaStateMachine`'s OfflineReplica, `doRemoveReplicasFromIsr`): a
// dead leader that could not be replaced leaves the partition leaderless (-1), and the last member of an ISR stays in
// it, so the partition waits for that replica to come back. Each change bumps the leader epoch (ZooKeeper mode changes
// the ISR through LeaderAndIsr only in a new epoch) and is written to the partition's state znode conditionally on its
// zkVersion, in a multi that also checks the controller epoch's zkVersion, so that a controller that lost its
// election cannot write (`KafkaZkClient#updateLeaderAndIsr`). The replicas of each changed partition then get a
// LeaderAndIsrRequest.

/** A partition as the controller knows it: its assigned replicas and the state last written for it. */
export interface ControllerPartition {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  /** The state znode's content and zkVersion (`partitionEpoch`); null before the partition was ever written. */
  readonly state: ZkLeaderAndIsr | null;
}

/** The controller's view of the cluster (the parts of `ControllerContext` this decision reads). */
export interface ControllerView {
  readonly epoch: number;
  /** `/controller_epoch`'s zkVersion when this controller was elected: every write checks it. */
  readonly epochZkVersion: number;
  /** Brokers registered under `/brokers/ids`, each with its broker epoch (the znode's czxid). */
  readonly liveBrokers: Readonly<Record<number, number>>;
  readonly partitions: readonly ControllerPartition[];
  /** `unclean.leader.election.enable` per topic (false when absent). */
  readonly uncleanLeaderElection: Readonly<Record<string, boolean>>;
}

/** A partition whose state the controller writes: the new state, and the zkVersion the write expects. */
export interface PartitionStateChange {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly expectedZkVersion: number;
  /** The new state, with the zkVersion the write gives it (`expectedZkVersion + 1`) as its partition epoch. */
  readonly next: ZkLeaderAndIsr;
  /**
   * Why: a new leader elected, a dead (or shutting-down) replica removed from the ISR, the leader's AlterPartition
   * (alterPartition.ts), a leadership moved off a broker shutting down (controlledShutdown.ts), or back to its
   * preferred replica (autoLeaderRebalance.ts).
   */
  readonly reason: 'offlinePartitionElection' | 'replicaOffline' | 'alterPartition' | 'controlledShutdownElection' | 'preferredReplicaElection';
}

/**
 * A change the controller decides for a partition whose state it knows: written on the zkVersion it holds, which
 * the write moves one on (the partition epoch the replicas are told).
 */
export function stateChange(p: ControllerPartition & { readonly state: ZkLeaderAndIsr }, next: ZkLeaderAndIsr, reason: PartitionStateChange['reason']): PartitionStateChange {
  const expectedZkVersion = p.state.partitionEpoch;
  return { topic: p.topic, partition: p.partition, replicas: p.replicas, expectedZkVersion, next: { ...next, partitionEpoch: expectedZkVersion + 1 }, reason };
}

/** `/brokers/topics/<topic>/partitions/<partition>/state`. */
export function partitionStatePath(topic: string, partition: number): string {
  return `/brokers/topics/${topic}/partitions/${partition}/state`;
}

/** The state znode's JSON (`TopicPartitionStateZNode`, version 1). */
export function partitionStateZNodeData(state: ZkLeaderAndIsr, controllerEpoch: number): Record<string, unknown> {
  return {
    controller_epoch: controllerEpoch,
    leader: state.leader,
    version: 1,
    leader_epoch: state.leaderEpoch,
    isr: [...state.isr],
    leader_recovery_state: state.leaderRecoveryState === 'RECOVERING' ? 1 : 0,
  };
}

/** A state znode's content read back (the inverse of partitionStateZNodeData), its zkVersion as the partition epoch. */
export function readPartitionStateZNode(data: unknown, zkVersion: number): ZkLeaderAndIsr | null {
  const znode = data as { leader?: number; leader_epoch?: number; isr?: number[]; leader_recovery_state?: number } | null | undefined;
  if (znode === null || znode === undefined) return null;
  return {
    leader: znode.leader ?? -1,
    leaderEpoch: znode.leader_epoch ?? 0,
    isr: znode.isr ?? [],
    leaderRecoveryState: znode.leader_recovery_state === 1 ? 'RECOVERING' : 'RECOVERED',
    partitionEpoch: zkVersion,
  };
}

/**
 * The partition state changes after `dead` brokers left `/brokers/ids`, in Kafka's order: offline partitions are
 * elected a leader first, then the dead replicas leave the ISRs of what is left. `view.liveBrokers` no longer names
 * the dead ones; brokers in `shuttingDown` are not elected.
 */
export function onBrokerFailure(view: ControllerView, dead: readonly number[], shuttingDown: ReadonlySet<number> = new Set()): PartitionStateChange[] {
  // A broker shutting down is no candidate (`ControllerContext#isReplicaOnline` without includeShuttingDownBrokers).
  const isOnline = (replica: number) => Object.hasOwn(view.liveBrokers, replica) && !shuttingDown.has(replica);
  const changes: PartitionStateChange[] = [];
  for (const p of view.partitions) {
    const state = p.state;
    if (state === null) continue;
    let next: ZkLeaderAndIsr = state;
    let reason: PartitionStateChange['reason'] | null = null;
    // OfflinePartition -> OnlinePartition: a leader that died is replaced if the offline election finds one.
    if (state.leader >= 0 && dead.includes(state.leader)) {
      const elected = leaderForOffline(state, p.replicas, isOnline, { uncleanLeaderElectionEnabled: view.uncleanLeaderElection[p.topic] === true, isLeaderRecoverySupported: true }).leaderAndIsr;
      if (elected !== null) {
        next = elected;
        reason = 'offlinePartitionElection';
      }
    }
    // OfflineReplica: each dead replica still in the ISR leaves it; a dead leader that could not be replaced leaves the
    // partition without one; the ISR never empties (`doRemoveReplicasFromIsr`).
    for (const replica of dead) {
      if (!next.isr.includes(replica)) continue;
      const leader = replica === next.leader ? -1 : next.leader;
      const isr = next.isr.length === 1 ? next.isr : next.isr.filter((id) => id !== replica);
      next = { ...next, leader, isr, leaderEpoch: next.leaderEpoch + 1 };
      reason ??= 'replicaOffline';
    }
    // The write moves the znode's version one on: that is the partition epoch the replicas are told.
    if (reason !== null) changes.push(stateChange({ ...p, state }, next, reason));
  }
  return changes;
}

/**
 * The write of one change (`KafkaZkClient#updateLeaderAndIsr`): a multi that checks `/controller_epoch`'s zkVersion
 * and sets the state znode on the zkVersion the controller knows. BADVERSION on the check means another controller
 * was elected (this one must resign); on the setData, the leader changed the ISR meanwhile (the controller reads it
 * again and retries).
 */
export function partitionStateWrite(view: Pick<ControllerView, 'epoch' | 'epochZkVersion'>, change: PartitionStateChange): ZkCall {
  return {
    type: 'zk.multi.request',
    ops: [
      { op: 'check', path: CONTROLLER_EPOCH_PATH, version: view.epochZkVersion },
      { op: 'setData', path: partitionStatePath(change.topic, change.partition), data: partitionStateZNodeData(change.next, view.epoch), version: change.expectedZkVersion },
    ],
  };
}
