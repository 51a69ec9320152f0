import { topicOf } from '../controller/metadataImage.ts';
import type {
  OffsetForLeaderPartition,
  OffsetForLeaderPartitionResult,
  OffsetsForLeaderEpochRequest,
} from '../../src/protocol/messages.ts';
import type { BrokerEffect, BrokerState, PartitionReplica } from './BrokerState.ts';
import { replicaOf } from './BrokerState.ts';
import { checkCurrentLeaderEpoch } from './epochFencing.ts';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, endOffsetFor } from './leaderEpochCache.ts';

// The leader's answer to OffsetsForLeaderEpoch (KafkaApis#handleOffsetForLeaderEpochRequest, ReplicaManager and
// Partition#lastOffsetForLeaderEpoch): for each partition, where the asked epoch ends in the leader's log. Consumers
// send it after a leader change to learn whether the log they read from was truncated below their position
// (KIP-320). Only the leader answers (fetchOnlyFromLeader), after the same epoch fencing as a fetch.

/**
 * One partition's answer (Partition#lastOffsetForLeaderEpoch with UnifiedLog#endOffsetForEpoch): the fencing error,
 * or the largest epoch at or below the asked one and where it ends (LeaderEpochFileCache#endOffsetFor); an epoch
 * the cache cannot place is answered as -1 and -1 without an error, as Kafka does.
 */
export function lastOffsetForLeaderEpoch(
  replica: PartitionReplica,
  brokerId: number,
  asked: Pick<OffsetForLeaderPartition, 'leaderEpoch' | 'currentLeaderEpoch'>,
): Pick<OffsetForLeaderPartitionResult, 'errorCode' | 'leaderEpoch' | 'endOffset'> {
  const fenced = checkCurrentLeaderEpoch({ currentLeaderEpoch: asked.currentLeaderEpoch, leaderEpoch: replica.leaderEpoch, isLeader: replica.leader === brokerId });
  if (fenced !== undefined) return { errorCode: fenced, leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
  const end = endOffsetFor(replica.log.epochCache, asked.leaderEpoch, replica.log.logEndOffset);
  if (end.endOffset === UNDEFINED_EPOCH_OFFSET) return { leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
  return { leaderEpoch: end.epoch, endOffset: end.endOffset };
}

/**
 * OffsetsForLeaderEpoch: every partition of the request answered at once. A partition this broker does not host is
 * NOT_LEADER_OR_FOLLOWER when its topic exists in the metadata image, UNKNOWN_TOPIC_OR_PARTITION otherwise
 * (ReplicaManager#lastOffsetForLeaderEpoch).
 */
export function serveOffsetsForLeaderEpoch(state: BrokerState, request: OffsetsForLeaderEpochRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const partitions = request.partitions.map((asked): OffsetForLeaderPartitionResult => {
    const { topic, partition } = asked;
    const replica = replicaOf(state, topic, partition);
    if (replica === undefined) {
      const errorCode = topicOf(state.image, topic) === undefined ? 'UNKNOWN_TOPIC_OR_PARTITION' : 'NOT_LEADER_OR_FOLLOWER';
      return { topic, partition, errorCode, leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    }
    return { topic, partition, ...lastOffsetForLeaderEpoch(replica, state.brokerId, asked) };
  });
  out.push({ kind: 'send', to: request.from, message: { type: 'offsetsForLeaderEpoch.response', correlationId: request.correlationId, partitions } });
  return state;
}
