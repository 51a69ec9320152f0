import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { assignReplicasToBrokers } from '../controller/assignReplicasToBrokers.ts';
import type { ControllerView } from './brokerFailure.ts';
import { topicZNodeData } from './topicZnodes.ts';

// Partitions added to a topic in ZooKeeper mode (Kafka 3.9 `ZkAdminManager#createPartitions` on the controller's
// broker, `AdminZkClient#createNewPartitionsAssignment` and `#createPartitionsWithAssignment`): the new partitions are
// placed by the ZooKeeper-era placement over the registered brokers, starting from the broker that holds partition 0's
// first replica and numbered on from the current count, and the topic's whole assignment is written back to
// `/brokers/topics/<topic>` (any version). The controller learns of them from that znode's watch
// (`PartitionModificationsHandler`, `processPartitionModifications`) and creates them as new partitions
// (`onNewPartitionCreation`, newPartitions.ts).

/** The write that adds the partitions, or why there is none. */
export type CreatePartitionsDecision =
  | { readonly kind: 'refuse'; readonly errorCode: KafkaErrorType; readonly message: string }
  | { readonly kind: 'write'; readonly path: string; readonly data: Record<string, unknown> };

/** Decides a CreatePartitions for `topic` to `totalCount` partitions from the controller's view of the cluster. */
export function decideCreatePartitions(view: Pick<ControllerView, 'liveBrokers' | 'partitions'>, topic: string, totalCount: number): CreatePartitionsDecision {
  const existing = view.partitions.filter((p) => p.topic === topic).sort((a, b) => a.partition - b.partition);
  const partition0 = existing[0]?.replicas;
  if (partition0 === undefined) return { kind: 'refuse', errorCode: 'UNKNOWN_TOPIC_OR_PARTITION', message: `Topic '${topic}' does not exist.` };
  if (totalCount <= existing.length) {
    const message = `The number of partitions for a topic can only be increased. Topic ${topic} currently has ${existing.length} partitions, ${totalCount} would not be an increase.`;
    return { kind: 'refuse', errorCode: 'INVALID_PARTITIONS', message };
  }
  const brokers = Object.keys(view.liveBrokers).map(Number).sort((a, b) => a - b);
  const fixedStartIndex = Math.max(0, brokers.findIndex((id) => id >= (partition0[0] ?? 0)));
  const spec = { numPartitions: totalCount - existing.length, replicationFactor: partition0.length };
  const placed = assignReplicasToBrokers(brokers, spec, null, { fixedStartIndex, startPartitionId: existing.length });
  if (!placed.ok) return { kind: 'refuse', errorCode: 'INVALID_REPLICATION_FACTOR', message: placed.message };
  const assignments = [...existing.map((p) => p.replicas), ...placed.assignments];
  return { kind: 'write', path: `/brokers/topics/${topic}`, data: topicZNodeData(assignments) };
}
