// The ZooKeeper-mode controller's leader elections (Kafka 3.9 `PartitionLeaderElectionAlgorithms` and `Election`,
// core/src/main/scala/kafka/controller/), as pure functions. Each election picks from the partition's replicas in
// assignment order, and makes the next LeaderAndIsr with the leader epoch bumped (`LeaderAndIsr#newLeader` keeps the
// ISR, `#newLeaderAndIsr` sets it); the controller then writes it to ZooKeeper with the partition's zkVersion.
// Unlike KRaft's, the preferred-replica election has no fallback: it elects the first assigned replica or nothing.

/** A partition's state as the controller writes it to `/brokers/topics/<t>/partitions/<p>/state`. */
export interface ZkLeaderAndIsr {
  /** -1 when the partition has no leader. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** RECOVERING after an unclean election, when the cluster supports leader recovery (KIP-704). */
  readonly leaderRecoveryState: 'RECOVERED' | 'RECOVERING';
  /** The state znode's version the controller last wrote (its conditional write's expected version). */
  readonly partitionEpoch: number;
}

/** What an election decided: the next state (null: no leader could be elected) and the replicas it chose among. */
export interface ElectionResult {
  readonly leaderAndIsr: ZkLeaderAndIsr | null;
  readonly liveReplicas: readonly number[];
}

/**
 * For an offline or new partition: the first assigned replica that is alive and in the ISR; failing that, with
 * unclean leader election enabled, the first live assigned replica (`offlinePartitionLeaderElection`).
 */
export function offlinePartitionLeaderElection(assignment: readonly number[], isr: readonly number[], live: ReadonlySet<number>, uncleanLeaderElectionEnabled: boolean): number | undefined {
  return assignment.find((id) => live.has(id) && isr.includes(id)) ?? (uncleanLeaderElectionEnabled ? assignment.find((id) => live.has(id)) : undefined);
}

/** During a reassignment: the first target replica that is alive and in the ISR (`reassignPartitionLeaderElection`). */
export function reassignPartitionLeaderElection(targetReplicas: readonly number[], isr: readonly number[], live: ReadonlySet<number>): number | undefined {
  return targetReplicas.find((id) => live.has(id) && isr.includes(id));
}

/** The preferred replica, the first assigned, if it is alive and in the ISR; no other (`preferredReplicaPartitionLeaderElection`). */
export function preferredReplicaPartitionLeaderElection(assignment: readonly number[], isr: readonly number[], live: ReadonlySet<number>): number | undefined {
  const preferred = assignment[0];
  return preferred !== undefined && live.has(preferred) && isr.includes(preferred) ? preferred : undefined;
}

/** Away from brokers shutting down: the first assigned replica alive, in the ISR and not shutting down. */
export function controlledShutdownPartitionLeaderElection(assignment: readonly number[], isr: readonly number[], live: ReadonlySet<number>, shuttingDown: ReadonlySet<number>): number | undefined {
  return assignment.find((id) => live.has(id) && isr.includes(id) && !shuttingDown.has(id));
}

/**
 * `Election.leaderForOffline`: the offline election over the live assigned replicas. A leader from the ISR keeps the
 * ISR's live members; an unclean one (outside the ISR) becomes the ISR alone, and the partition is RECOVERING when the
 * cluster supports leader recovery. No state (a partition never written) elects nothing.
 */
export function leaderForOffline(
  current: ZkLeaderAndIsr | null,
  assignment: readonly number[],
  isOnline: (replica: number) => boolean,
  options: { readonly uncleanLeaderElectionEnabled: boolean; readonly isLeaderRecoverySupported: boolean },
): ElectionResult {
  const liveReplicas = assignment.filter(isOnline);
  if (current === null) return { leaderAndIsr: null, liveReplicas };
  const leader = offlinePartitionLeaderElection(assignment, current.isr, new Set(liveReplicas), options.uncleanLeaderElectionEnabled);
  if (leader === undefined) return { leaderAndIsr: null, liveReplicas };
  const clean = current.isr.includes(leader);
  const isr = clean ? current.isr.filter(isOnline) : [leader];
  const leaderRecoveryState = !clean && options.isLeaderRecoverySupported ? 'RECOVERING' : current.leaderRecoveryState;
  return { leaderAndIsr: { ...current, leader, leaderEpoch: current.leaderEpoch + 1, isr, leaderRecoveryState }, liveReplicas };
}

/** `Election.leaderForReassign`: among the live target replicas; the ISR is kept. */
export function leaderForReassign(current: ZkLeaderAndIsr, targetReplicas: readonly number[], isOnline: (replica: number) => boolean): ElectionResult {
  const leader = reassignPartitionLeaderElection(targetReplicas, current.isr, new Set(targetReplicas.filter(isOnline)));
  return { leaderAndIsr: leader === undefined ? null : { ...current, leader, leaderEpoch: current.leaderEpoch + 1 }, liveReplicas: targetReplicas };
}

/** `Election.leaderForPreferredReplica`: the preferred replica or nothing; the ISR is kept. */
export function leaderForPreferredReplica(current: ZkLeaderAndIsr, assignment: readonly number[], isOnline: (replica: number) => boolean): ElectionResult {
  const leader = preferredReplicaPartitionLeaderElection(assignment, current.isr, new Set(assignment.filter(isOnline)));
  return { leaderAndIsr: leader === undefined ? null : { ...current, leader, leaderEpoch: current.leaderEpoch + 1 }, liveReplicas: assignment };
}

/**
 * `Election.leaderForControlledShutdown`: away from the brokers shutting down (which still count as online here),
 * and the ISR loses them whoever leads.
 */
export function leaderForControlledShutdown(
  current: ZkLeaderAndIsr,
  assignment: readonly number[],
  isOnlineOrShuttingDown: (replica: number) => boolean,
  shuttingDown: ReadonlySet<number>,
): ElectionResult {
  const liveReplicas = assignment.filter(isOnlineOrShuttingDown);
  const leader = controlledShutdownPartitionLeaderElection(assignment, current.isr, new Set(liveReplicas), shuttingDown);
  const isr = current.isr.filter((replica) => !shuttingDown.has(replica));
  return { leaderAndIsr: leader === undefined ? null : { ...current, leader, leaderEpoch: current.leaderEpoch + 1, isr }, liveReplicas };
}
