import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { assignReplicasToBrokers } from './assignReplicasToBrokers.ts';
import type { ReplicaPlacer } from './controllerDefaults.ts';
import type { ControllerErrorType } from './ControllerErrorType.ts';
import type { ControllerResult } from './ControllerResult.ts';
import type { Draw } from './Draw.ts';
import { isActiveBroker, replayAll, topicOf } from './metadataImage.ts';
import type { MetadataImage, MetadataRecord } from './metadataImage.ts';
import { stripedReplicaPlacer } from './stripedReplicaPlacer.ts';
import type { PlacementResult } from './stripedReplicaPlacer.ts';

/** CreateTopics for one topic; -1 for either count means the controller's default. */
export interface CreateTopicRequest {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
}

/** The defaults a -1 resolves to, the placement rule, and the draw the placer uses. */
export interface CreateTopicOptions {
  readonly numPartitions: number;
  readonly defaultReplicationFactor: number;
  readonly replicaPlacer: ReplicaPlacer;
  readonly draw: Draw;
}

/** CreateTopics response for one topic: the replica lists (leader first), or the error and Kafka's message. */
export type CreateTopicResponse =
  | { readonly errorCode: 'NONE'; readonly assignments: readonly (readonly number[])[] }
  | { readonly errorCode: Exclude<ControllerErrorType, 'NONE'>; readonly message: string };

/**
 * Creates a topic as `ReplicationControlManager#createTopic` does: TOPIC_ALREADY_EXISTS first; a replication factor
 * of 0 or below -1 is INVALID_REPLICATION_FACTOR, a partition count of 0 or below -1 INVALID_PARTITIONS; the placer
 * refuses a replication factor above the usable brokers (or no unfenced broker) with INVALID_REPLICATION_FACTOR.
 * Each partition starts with ISR = its unfenced replicas in assignment order, leader = the first of them, leader
 * and partition epochs 0. Writes a Topic record, then one Partition record per partition.
 */
export function createTopic(
  image: MetadataImage,
  request: CreateTopicRequest,
  options: CreateTopicOptions,
): ControllerResult<CreateTopicResponse> {
  checkRequest(request);
  const refuse = (errorCode: Exclude<ControllerErrorType, 'NONE'>, message: string): ControllerResult<CreateTopicResponse> => ({
    image,
    records: [],
    response: { errorCode, message },
  });
  if (topicOf(image, request.name) !== undefined) return refuse('TOPIC_ALREADY_EXISTS', `Topic '${request.name}' already exists.`);
  if (request.replicationFactor < -1 || request.replicationFactor === 0) {
    return refuse('INVALID_REPLICATION_FACTOR', 'Replication factor must be larger than 0, or -1 to use the default value.');
  }
  if (request.numPartitions < -1 || request.numPartitions === 0) {
    return refuse('INVALID_PARTITIONS', 'Number of partitions was set to an invalid non-positive value.');
  }
  const spec = {
    numPartitions: request.numPartitions === -1 ? options.numPartitions : request.numPartitions,
    replicationFactor: request.replicationFactor === -1 ? options.defaultReplicationFactor : request.replicationFactor,
  };
  const placement = place(image, spec, options);
  if (!placement.ok) return refuse(placement.error, placement.message);

  const records: MetadataRecord[] = [{ type: 'Topic', name: request.name }];
  placement.assignments.forEach((replicas, partition) => {
    const isr = replicas.filter((broker) => isActiveBroker(image, broker));
    const leader = isr[0];
    // The placers put an unfenced broker first, so the ISR is never empty.
    if (leader === undefined) throw new Error(`createTopic invariant broken: ${request.name}-${partition} has no live replica`);
    records.push({ type: 'Partition', topic: request.name, partition, replicas, isr, leader, leaderEpoch: 0, partitionEpoch: 0 });
  });
  return { image: replayAll(image, records), records, response: { errorCode: 'NONE', assignments: placement.assignments } };
}

/** Places the replicas of `numPartitions` new partitions with the configured placer over the registered brokers. */
export function place(
  image: MetadataImage,
  spec: { numPartitions: number; replicationFactor: number },
  options: CreateTopicOptions,
): PlacementResult {
  const brokers = Object.values(image.brokers);
  if (options.replicaPlacer === 'striped') {
    // KRaft offers every registered broker not in controlled shutdown (fenced ones as followers only).
    return stripedReplicaPlacer(brokers.map(({ id, fenced }) => ({ id, fenced })), spec, options.draw);
  }
  // The ZooKeeper controller only saw live brokers.
  return assignReplicasToBrokers(brokers.filter((b) => !b.fenced).map((b) => b.id), spec, options.draw);
}

// Misuse (not a protocol answer): counts that are not integers, or a name Kafka could never accept.
function checkRequest(request: CreateTopicRequest): void {
  if (typeof request.name !== 'string' || request.name.length === 0) {
    throw new ArgumentError('createTopic', 'request.name', request.name, 'a non-empty topic name');
  }
  for (const field of ['numPartitions', 'replicationFactor'] as const) {
    if (!Number.isInteger(request[field])) {
      throw new ArgumentError('createTopic', `request.${field}`, request[field], 'an integer (-1 for the default)');
    }
  }
}
