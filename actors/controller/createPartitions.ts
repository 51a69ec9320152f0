import type { ControllerResult } from './ControllerResult.ts';
import type { CreateTopicOptions } from './createTopic.ts';
import { place } from './createTopic.ts';
import { isActiveBroker, replayAll, topicOf, type MetadataImage, type MetadataRecord } from './metadataImage.ts';

/** CreatePartitions for one topic: the partition count it should have from now on. */
export interface CreatePartitionsRequest {
  readonly topic: string;
  readonly totalCount: number;
}

/** The answer: NONE, or why nothing was created. */
export type CreatePartitionsResponse =
  | { readonly errorCode: 'NONE' }
  | { readonly errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' | 'INVALID_PARTITIONS' | 'INVALID_REPLICATION_FACTOR'; readonly message: string };

/**
 * Adds partitions to a topic as `ReplicationControlManager#createPartitions` does: UNKNOWN_TOPIC_OR_PARTITION for
 * a topic that does not exist, INVALID_PARTITIONS unless the new count is above the current one; the new
 * partitions get the topic's replication factor from the placer and start like a new topic's (ISR = the unfenced
 * replicas, the first of them leader, epochs 0). Keys that hashed to one partition may hash to another from now
 * on, which is why Kafka never removes partitions and warns before adding them.
 */
export function createPartitions(
  image: MetadataImage,
  request: CreatePartitionsRequest,
  options: Pick<CreateTopicOptions, 'replicaPlacer' | 'draw'>,
): ControllerResult<CreatePartitionsResponse> {
  const refuse = (errorCode: Exclude<CreatePartitionsResponse['errorCode'], 'NONE'>, message: string): ControllerResult<CreatePartitionsResponse> => ({
    image,
    records: [],
    response: { errorCode, message },
  });
  const topic = topicOf(image, request.topic);
  if (topic === undefined) return refuse('UNKNOWN_TOPIC_OR_PARTITION', `Topic '${request.topic}' does not exist.`);
  const current = topic.partitions.length;
  if (!Number.isInteger(request.totalCount) || request.totalCount <= current) {
    return refuse('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than or equal to the requested ${request.totalCount}.`);
  }
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 1;
  const placement = place(image, { numPartitions: request.totalCount - current, replicationFactor }, { ...options, numPartitions: 1, defaultReplicationFactor: 1 });
  if (!placement.ok) return refuse('INVALID_REPLICATION_FACTOR', placement.message);
  const records: MetadataRecord[] = [];
  placement.assignments.forEach((replicas, i) => {
    const isr = replicas.filter((broker) => isActiveBroker(image, broker));
    const leader = isr[0];
    if (leader === undefined) throw new Error(`createPartitions invariant broken: ${request.topic}-${current + i} has no live replica`);
    records.push({ type: 'Partition', topic: request.topic, partition: current + i, replicas, isr, leader, leaderEpoch: 0, partitionEpoch: 0 });
  });
  return { image: replayAll(image, records), records, response: { errorCode: 'NONE' } };
}
