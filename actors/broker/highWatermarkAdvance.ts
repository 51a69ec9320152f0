import type { FetchResponse } from '../../src/protocol/messages.ts';
import { errorField } from '../../src/protocol/messages.ts';
import { minInsyncReplicasFor } from './brokerConfig.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { BrokerEffect, BrokerState, PartitionReplica, PendingProduce } from './BrokerState.ts';
import { replicaOf, withReplica } from './BrokerState.ts';
import { nextHighWatermark } from './highWatermark.ts';
import { updateHighWatermark } from './partitionLog.ts';
import { checkAcksAllComplete } from './produceChecks.ts';

// What follows on a leader when its log, its ISR or a follower's position changes: the high watermark moves
// (Partition.maybeIncrementLeaderHW) and the acks=all produces it unblocks are answered (DelayedProduce). Kafka
// re-evaluates both after appends, follower fetches and ISR changes; so do the callers here.

/** The ISR the leader's HW waits for: the committed ISR plus the members of an AlterPartition in flight. */
export function maximalIsr(replica: PartitionReplica): readonly number[] {
  if (replica.pendingIsr === null) return replica.isr;
  return [...new Set([...replica.isr, ...replica.pendingIsr])];
}

/** Moves the leader's HW as far as the maximal ISR allows, then answers the produces it completed. */
export function advanceHighWatermark(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined || replica.leader !== state.brokerId) return state;
  const replicaLeos: Record<number, number> = {};
  for (const [id, follower] of Object.entries(replica.followers)) replicaLeos[Number(id)] = follower.leo;
  const highWatermark = nextHighWatermark({
    current: replica.log.highWatermark,
    leaderId: state.brokerId,
    leaderLeo: replica.log.logEndOffset,
    isr: replica.isr,
    maximalIsr: maximalIsr(replica),
    replicaLeos,
    // A min ISR of 1 never freezes: the pre-3.7 rule.
    minInsyncReplicas: state.config.freezeHighWatermarkBelowMinIsr ? minInsyncReplicasFor(state.config, replica.topic) : 1,
    replicationFactor: replica.replicas.length,
  });
  let next = state;
  if (highWatermark !== replica.log.highWatermark) {
    next = withReplica(state, { ...replica, log: updateHighWatermark(replica.log, highWatermark) });
  }
  return completeProduces(next, key, out);
}

/** Answers every acks=all produce of the partition whose outcome is now known. */
export function completeProduces(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const replica = state.partitions[key];
  if (replica === undefined) return state;
  let pending = state.pendingProduces;
  for (const [timerId, produce] of Object.entries(state.pendingProduces)) {
    if (`${produce.topic}-${produce.partition}` !== key) continue;
    const outcome = checkAcksAllComplete({
      highWatermark: replica.log.highWatermark,
      lastOffset: produce.lastOffset,
      isrSize: maximalIsr(replica).length,
      minInsyncReplicas: minInsyncReplicasFor(state.config, replica.topic),
      replicationFactor: replica.replicas.length,
    });
    if (outcome === 'wait') continue;
    if (pending === state.pendingProduces) pending = { ...pending };
    delete (pending as Record<string, unknown>)[timerId];
    out.push({ kind: 'cancel', id: timerId });
    out.push(answerProduce(produce, outcome === 'done' ? 'NONE' : outcome));
  }
  return pending === state.pendingProduces ? state : { ...state, pendingProduces: pending };
}

/** Fails every produce waiting on a partition this broker no longer leads (NOT_LEADER_OR_FOLLOWER). */
export function failProduces(state: BrokerState, key: string, out: BrokerEffect[]): BrokerState {
  const pending: Record<string, PendingProduce> = {};
  for (const [timerId, produce] of Object.entries(state.pendingProduces)) {
    if (`${produce.topic}-${produce.partition}` !== key) {
      pending[timerId] = produce;
      continue;
    }
    out.push({ kind: 'cancel', id: timerId });
    out.push(answerProduce(produce, 'NOT_LEADER_OR_FOLLOWER'));
  }
  return { ...state, pendingProduces: pending };
}

/**
 * The answer to a waiting produce: its base offset on success, the error otherwise. The group coordinator's own
 * appends are answered to the coordinator, as an event, instead of to a client.
 */
export function answerProduce(produce: PendingProduce, errorCode: KafkaErrorType): BrokerEffect {
  if (produce.appendId !== undefined) {
    const { appendId } = produce;
    return { kind: 'timer', id: `coordinator.appended:${appendId}`, delayMs: 0, event: { type: 'coordinator.appended', appendId, errorCode } };
  }
  return {
    kind: 'send',
    to: produce.to,
    message: {
      type: 'produce.response',
      correlationId: produce.correlationId,
      topic: produce.topic,
      partition: produce.partition,
      baseOffset: errorCode === 'NONE' ? produce.baseOffset : -1,
      ...errorField(errorCode),
    },
  };
}

/** A fetch response for `topic-partition` from this broker's replica (empty batches unless given). */
export function fetchResponse(
  state: BrokerState,
  request: { correlationId: number; topic: string; partition: number },
  fields: Partial<Pick<FetchResponse, 'batches' | 'divergingEpoch' | 'errorCode'>> = {},
): FetchResponse {
  const replica = replicaOf(state, request.topic, request.partition);
  return {
    type: 'fetch.response',
    correlationId: request.correlationId,
    topic: request.topic,
    partition: request.partition,
    highWatermark: replica?.log.highWatermark ?? -1,
    logStartOffset: 0,
    batches: fields.batches ?? [],
    ...(fields.divergingEpoch === undefined ? {} : { divergingEpoch: fields.divergingEpoch }),
    ...(fields.errorCode === undefined ? {} : { errorCode: fields.errorCode }),
  };
}
