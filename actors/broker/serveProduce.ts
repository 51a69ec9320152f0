import type { ProduceRequest, ProduceResponse } from '../../src/protocol/messages.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { minInsyncReplicasFor } from './brokerConfig.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { nextTimer, replicaOf, withReplica } from './BrokerState.ts';
import { advanceHighWatermark, answerProduce } from './highWatermarkAdvance.ts';
import { appendAsLeader } from './partitionLog.ts';
import { checkProduce } from './produceChecks.ts';
import { checkIdempotentAppend, recordAppend } from './producerState.ts';
import { NO_PRODUCER_ID } from './RecordBatch.ts';
import { releaseParkedFetches } from './serveFetch.ts';

// Produce on the leader (ReplicaManager.appendRecords, Partition.appendRecordsToLeader). The checks run in
// Kafka's order: leadership, acks and the ISR against min.insync.replicas (NOT_ENOUGH_REPLICAS: nothing
// written), then the idempotent producer's sequence (a retried duplicate is not appended again and gets the
// original offsets). acks=0 is never answered, acks=1 is answered after the local append, acks=all waits until
// the HW passes the batch (NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below the minimum meanwhile, or
// REQUEST_TIMED_OUT after the request's timeoutMs).

/** Serves one partition's Produce. */
export function serveProduce(state: BrokerState, request: ProduceRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const replica = replicaOf(state, request.topic, request.partition);
  const answer = (baseOffset: number, errorCode?: KafkaErrorType): BrokerState => {
    // acks=0: no response at all. On an error Kafka closes the connection instead (KafkaApis.handleProduceRequest),
    // which is how an acks=0 producer learns to refresh its metadata.
    if (request.acks === 0) {
      if (errorCode !== undefined) out.push({ kind: 'disconnect', to: request.from });
      return state;
    }
    const response: ProduceResponse = {
      type: 'produce.response',
      correlationId: request.correlationId,
      topic: request.topic,
      partition: request.partition,
      baseOffset,
      ...(errorCode === undefined ? {} : { errorCode }),
    };
    out.push({ kind: 'send', to: request.from, message: response });
    return state;
  };
  if (replica === undefined) return answer(-1, 'UNKNOWN_TOPIC_OR_PARTITION');
  if (replica.leader !== state.brokerId) return answer(-1, 'NOT_LEADER_OR_FOLLOWER');
  const rejected = checkProduce({
    acks: request.acks,
    isr: replica.isr,
    minInsyncReplicas: minInsyncReplicasFor(state.config, request.topic),
    replicationFactor: replica.replicas.length,
  });
  if (rejected !== undefined) return answer(-1, rejected);
  const idempotence = checkIdempotentAppend(replica.producerStates, request.batch);
  if (idempotence.kind === 'error') return answer(-1, idempotence.error);

  const key = `${request.topic}-${request.partition}`;
  let next = state;
  let baseOffset: number;
  let lastOffset: number;
  if (idempotence.kind === 'duplicate') {
    ({ baseOffset, lastOffset } = idempotence);
  } else {
    const { batch } = request;
    const producer =
      batch.producerId === NO_PRODUCER_ID
        ? undefined
        : { producerId: batch.producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence };
    // The broker replaces its state with the result, so the log's batch array may grow in place.
    const appended = appendAsLeader(replica.log, batch.records, { leaderEpoch: replica.leaderEpoch, reuseBatches: true, ...(producer ? { producer } : {}) });
    ({ baseOffset, lastOffset } = appended);
    const producerStates = recordAppend(replica.producerStates, appended.batch, appended);
    next = withReplica(state, { ...replica, log: appended.log, producerStates });
    out.push({ kind: 'persist', fsync: false });
    next = releaseParkedFetches(next, key, out);
  }
  if (request.acks !== -1) {
    next = advanceHighWatermark(next, key, out);
    if (request.acks === 1) out.push({ kind: 'send', to: request.from, message: produceOk(request, baseOffset) });
    return next;
  }
  const [timed, timerId] = nextTimer(next, 'produce');
  next = {
    ...timed,
    pendingProduces: {
      ...timed.pendingProduces,
      [timerId]: { to: request.from, correlationId: request.correlationId, topic: request.topic, partition: request.partition, baseOffset, lastOffset },
    },
  };
  out.push({ kind: 'timer', id: timerId, delayMs: request.timeoutMs, event: { type: 'produce.timeout', timerId } });
  // A single-member ISR (or a duplicate already below the HW) completes at once.
  return advanceHighWatermark(next, key, out);
}

/** The acks=all request timeout: REQUEST_TIMED_OUT, though the records stay in the log. */
export function onProduceTimeout(state: BrokerState, timerId: string, out: BrokerEffect[]): BrokerState {
  const produce = state.pendingProduces[timerId];
  if (produce === undefined) return state;
  const pendingProduces = { ...state.pendingProduces };
  delete pendingProduces[timerId];
  out.push(answerProduce(produce, 'REQUEST_TIMED_OUT'));
  return { ...state, pendingProduces };
}

function produceOk(request: ProduceRequest, baseOffset: number): ProduceResponse {
  return { type: 'produce.response', correlationId: request.correlationId, topic: request.topic, partition: request.partition, baseOffset };
}
