import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { ProducePartitionData } from '../../src/protocol/messages.ts';
import { minInsyncReplicasFor } from './brokerConfig.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { replicaOf, withReplica } from './BrokerState.ts';
import { advanceHighWatermark } from './highWatermarkAdvance.ts';
import { appendAsLeader } from './partitionLog.ts';
import { checkProduce } from './produceChecks.ts';
import { checkIdempotentAppend, recordAppend, retainedBatches } from './producerState.ts';
import { NO_PRODUCER_ID } from './RecordBatch.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// The one leader-append path (ReplicaManager.appendRecords -> appendToLocalLog -> Partition.appendRecordsToLeader),
// for a client's ProduceRequest and for the group coordinator's own writes alike. The checks run in Kafka's order:
// leadership, acks and the ISR against min.insync.replicas (NOT_ENOUGH_REPLICAS: nothing written), then the
// idempotent producer's sequence (a retried duplicate is not appended again and gets the original offsets). After
// each append the HW is re-evaluated, which also completes the delayed operations the append satisfied.

/** Where a write comes from (AppendOrigin): a client's Produce, or this broker's group coordinator. */
export type AppendOrigin = 'client' | 'coordinator';

/** One partition's outcome of the local append. */
export interface PartitionAppendResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: KafkaErrorType;
  /** -1 when nothing was appended and no duplicate was found. */
  readonly baseOffset: number;
  readonly lastOffset: number;
}

/**
 * Appends each partition's batch on this leader, in request order. `nowMs` is for the HW, which waits for followers
 * caught up at that time (Partition.maybeIncrementLeaderHW).
 */
export function appendRecords(
  state: BrokerState,
  entries: readonly ProducePartitionData[],
  options: { readonly requiredAcks: number; readonly origin: AppendOrigin; readonly nowMs: number },
  out: BrokerEffect[],
): { readonly state: BrokerState; readonly results: readonly PartitionAppendResult[] } {
  let next = state;
  const results: PartitionAppendResult[] = [];
  for (const entry of entries) {
    const appended = appendToPartition(next, entry, options, out);
    next = appended.state;
    results.push(appended.result);
  }
  return { state: next, results };
}

function appendToPartition(
  state: BrokerState,
  entry: ProducePartitionData,
  { requiredAcks, nowMs }: { readonly requiredAcks: number; readonly nowMs: number },
  out: BrokerEffect[],
): { state: BrokerState; result: PartitionAppendResult } {
  const { topic, partition, batch } = entry;
  const failed = (errorCode: KafkaErrorType) => ({ state, result: { topic, partition, errorCode, baseOffset: -1, lastOffset: -1 } });
  const replica = replicaOf(state, topic, partition);
  if (replica === undefined) return failed('UNKNOWN_TOPIC_OR_PARTITION');
  if (replica.leader !== state.brokerId) return failed('NOT_LEADER_OR_FOLLOWER');
  const rejected = checkProduce({
    acks: requiredAcks,
    isr: replica.isr,
    minInsyncReplicas: minInsyncReplicasFor(state.config, topic),
    replicationFactor: replica.replicas.length,
  });
  if (rejected !== undefined) return failed(rejected);
  const idempotence = checkIdempotentAppend(replica.producerStates, batch);
  if (idempotence.kind === 'error') return failed(idempotence.error);
  if (idempotence.kind === 'duplicate') {
    const { baseOffset, lastOffset } = idempotence;
    return { state, result: { topic, partition, errorCode: 'NONE', baseOffset, lastOffset } };
  }
  const producer =
    batch.producerId === NO_PRODUCER_ID ? undefined : { producerId: batch.producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence };
  // The broker replaces its state with the result, so the log's batch array may grow in place.
  const appended = appendAsLeader(replica.log, batch.records, {
    leaderEpoch: replica.leaderEpoch,
    reuseBatches: true,
    sizeInBytes: batch.sizeInBytes,
    ...(producer ? { producer } : {}),
  });
  const producerStates = recordAppend(replica.producerStates, appended.batch, appended, retainedBatches(state.config.weakenings));
  out.push({ kind: 'persist', fsync: false });
  const key = topicPartitionKey(topic, partition);
  const next = advanceHighWatermark(withReplica(state, { ...replica, log: appended.log, producerStates }), key, out, nowMs);
  return { state: next, result: { topic, partition, errorCode: 'NONE', baseOffset: appended.baseOffset, lastOffset: appended.lastOffset } };
}
