import type { ZkCall } from '../zookeeper/zkClient.ts';
import { partitionStatePath, partitionStateZNodeData, type ControllerView } from './brokerFailure.ts';
import { CONTROLLER_EPOCH_PATH } from './controllerElection.ts';
import type { ZkLeaderAndIsr } from './partitionLeaderElection.ts';

// A new partition's first state in ZooKeeper mode (Kafka 3.9 `ZkPartitionStateMachine#initializeLeaderAndIsrForPartitions`,
// NewPartition -> OnlinePartition): its live assigned replicas, in assignment order, are the ISR and the first of them
// leads, in leader epoch 0. A partition with no live replica stays new (Kafka logs the failed state change) until a
// replica comes back. The state znode is created with its parents (`KafkaZkClient#createTopicPartitionStatesRaw`),
// every create in a multi that checks the controller epoch's zkVersion; the replicas in the ISR then get a
// LeaderAndIsrRequest.

/** A partition just assigned: its topic, index and replicas (`/brokers/topics/<topic>`'s assignment). */
export interface NewPartition {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
}

/** The first states of the partitions that have a live replica, and the keys of those that have none. */
export function initialPartitionStates(view: Pick<ControllerView, 'liveBrokers'>, partitions: readonly NewPartition[]): {
  readonly initialized: ReadonlyArray<NewPartition & { readonly state: ZkLeaderAndIsr }>;
  readonly withoutLiveReplicas: readonly NewPartition[];
} {
  const initialized: Array<NewPartition & { readonly state: ZkLeaderAndIsr }> = [];
  const withoutLiveReplicas: NewPartition[] = [];
  for (const p of partitions) {
    const live = p.replicas.filter((replica) => Object.hasOwn(view.liveBrokers, replica));
    const leader = live[0];
    if (leader === undefined) withoutLiveReplicas.push(p);
    else initialized.push({ ...p, state: { leader, leaderEpoch: 0, isr: live, leaderRecoveryState: 'RECOVERED', partitionEpoch: 0 } });
  }
  return { initialized, withoutLiveReplicas };
}

/**
 * The ZooKeeper calls that create the partitions' state znodes: each topic's `partitions` node, each partition's node,
 * then its state, every one a multi of a check on `/controller_epoch`'s zkVersion and the create (NODEEXISTS on a
 * parent is expected and harmless; BADVERSION on the check means this controller was replaced).
 */
export function partitionStateCreates(view: Pick<ControllerView, 'epoch' | 'epochZkVersion'>, initialized: ReadonlyArray<NewPartition & { readonly state: ZkLeaderAndIsr }>): ZkCall[] {
  const checked = (path: string, data: unknown): ZkCall => ({
    type: 'zk.multi.request',
    ops: [
      { op: 'check', path: CONTROLLER_EPOCH_PATH, version: view.epochZkVersion },
      { op: 'create', path, data, ephemeral: false },
    ],
  });
  const topics = [...new Set(initialized.map((p) => p.topic))];
  return [
    ...topics.map((topic) => checked(`/brokers/topics/${topic}/partitions`, null)),
    ...initialized.map((p) => checked(`/brokers/topics/${p.topic}/partitions/${p.partition}`, null)),
    ...initialized.map((p) => checked(partitionStatePath(p.topic, p.partition), partitionStateZNodeData(p.state, view.epoch))),
  ];
}
