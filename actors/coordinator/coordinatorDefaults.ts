// The group coordinator's settings in one place, each next to the Kafka config it models (Kafka 3.9,
// `GroupCoordinatorConfig` / the classic `GroupConfig` that `GroupCoordinator.scala` reads).

/** The group coordinator's configuration (all times in virtual milliseconds). */
export interface CoordinatorConfig {
  readonly groupMinSessionTimeoutMs: number;
  readonly groupMaxSessionTimeoutMs: number;
  readonly groupInitialRebalanceDelayMs: number;
  readonly offsetsTopicNumPartitions: number;
  readonly newMemberJoinTimeoutMs: number;
}

/** Kafka's defaults for the group coordinator settings the simulator models. */
export const coordinatorDefaults: CoordinatorConfig = {
  groupMinSessionTimeoutMs: 6_000, // group.min.session.timeout.ms
  groupMaxSessionTimeoutMs: 1_800_000, // group.max.session.timeout.ms
  groupInitialRebalanceDelayMs: 3_000, // group.initial.rebalance.delay.ms
  offsetsTopicNumPartitions: 50, // offsets.topic.num.partitions
  // No Kafka setting: `GroupCoordinator.NewMemberJoinTimeoutMs`, how long a new member's parked JoinGroup may wait
  // before it is dropped (new members cannot heartbeat, so their session timeout does not apply yet).
  newMemberJoinTimeoutMs: 300_000,
};
