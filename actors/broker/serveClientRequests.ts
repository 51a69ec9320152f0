import { allPartitions, isActiveBroker, topicOf } from '../controller/metadataImage.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { ApiVersionsRequest, InitProducerIdRequest, ListOffsetsRequest, MetadataRequest, PartitionState } from '../../src/protocol/messages.ts';
import { partitionState } from '../../src/protocol/messages.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { replicaOf } from './BrokerState.ts';
import { checkCurrentLeaderEpoch } from './epochFencing.ts';

// The requests clients send any broker: ApiVersions (a new connection's handshake), Metadata (answered from this
// broker's metadata image, which may lag the controller's), InitProducerId, ListOffsets and OffsetsForLeaderEpoch
// (its rule is in offsetsForLeaderEpoch.ts).

export { serveOffsetsForLeaderEpoch } from './offsetsForLeaderEpoch.ts';

/** ApiVersions: the connection is ready. */
export function serveApiVersions(state: BrokerState, request: ApiVersionsRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  out.push({ kind: 'send', to: request.from, message: { type: 'apiVersions.response', correlationId: request.correlationId } });
  return state;
}

/** Metadata: the unfenced brokers, and the partitions of the requested topics (all topics when none is named). */
export function serveMetadata(state: BrokerState, request: MetadataRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const { image } = state;
  const brokers = Object.keys(image.brokers).map(Number).filter((id) => isActiveBroker(image, id));
  const wanted = request.topics.length === 0 ? null : new Set(request.topics);
  const partitions: PartitionState[] = allPartitions(image)
    .filter(({ topic }) => wanted === null || wanted.has(topic))
    .map(({ topic, partition, registration }) => partitionState(topic, partition, registration));
  const topicErrors: Record<string, KafkaErrorType> = {};
  for (const topic of request.topics) if (topicOf(image, topic) === undefined) topicErrors[topic] = 'UNKNOWN_TOPIC_OR_PARTITION';
  // A ZooKeeper-mode broker names the elected controller (`ZkMetadataCache#getControllerId`).
  const controller = state.zk === null ? {} : { controllerId: state.zk.controllerId };
  out.push({ kind: 'send', to: request.from, message: { type: 'metadata.response', correlationId: request.correlationId, brokers, partitions, topicErrors, ...controller } });
  return state;
}

/** How many producer ids one broker incarnation may hand out: ids are `brokerEpoch * PRODUCER_ID_BLOCK + n`. */
export const PRODUCER_ID_BLOCK = 100_000;

/**
 * InitProducerId for an idempotent (non-transactional) producer: a fresh producer id at epoch 0. Kafka's brokers
 * take blocks of ids from the controller (KIP-730); here each registration's broker epoch, unique in the cluster
 * (it is a metadata log offset), names a block, so ids never repeat across brokers or restarts and nothing needs
 * to be written to disk. A broker that has not registered yet answers COORDINATOR_NOT_AVAILABLE (retriable).
 */
export function serveInitProducerId(state: BrokerState, request: InitProducerIdRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const answer = { type: 'initProducerId.response', correlationId: request.correlationId } as const;
  if (state.brokerEpoch < 0 || state.nextProducerIdSequence >= PRODUCER_ID_BLOCK) {
    out.push({ kind: 'send', to: request.from, message: { ...answer, producerId: -1, producerEpoch: -1, errorCode: 'COORDINATOR_NOT_AVAILABLE' } });
    return state;
  }
  const producerId = state.brokerEpoch * PRODUCER_ID_BLOCK + state.nextProducerIdSequence;
  out.push({ kind: 'send', to: request.from, message: { ...answer, producerId, producerEpoch: 0 } });
  return { ...state, nextProducerIdSequence: state.nextProducerIdSequence + 1 };
}

/**
 * ListOffsets: earliest is 0 (no retention here); latest is the HW, or OFFSET_NOT_AVAILABLE while a new leader's
 * HW has not reached the start of its epoch (Partition.fetchOffsetForTimestamp).
 */
export function serveListOffsets(state: BrokerState, request: ListOffsetsRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const replica = replicaOf(state, request.topic, request.partition);
  const answer = (offset: number, errorCode?: KafkaErrorType): BrokerState => {
    out.push({
      kind: 'send',
      to: request.from,
      message: { type: 'listOffsets.response', correlationId: request.correlationId, topic: request.topic, partition: request.partition, offset, ...(errorCode ? { errorCode } : {}) },
    });
    return state;
  };
  if (replica === undefined) return answer(-1, 'UNKNOWN_TOPIC_OR_PARTITION');
  const fenced = checkCurrentLeaderEpoch({ currentLeaderEpoch: request.currentLeaderEpoch, leaderEpoch: replica.leaderEpoch, isLeader: replica.leader === state.brokerId });
  if (fenced !== undefined) return answer(-1, fenced);
  if (request.timestamp === -2) return answer(0);
  if (replica.log.highWatermark < replica.leaderEpochStartOffset) return answer(-1, 'OFFSET_NOT_AVAILABLE');
  return answer(replica.log.highWatermark);
}
