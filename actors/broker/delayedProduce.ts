import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { ProducePartitionResponse, ProduceResponse } from '../../src/protocol/messages.ts';
import { errorField, topicPartitionKey } from '../../src/protocol/messages.ts';
import { minInsyncReplicasFor } from './brokerConfig.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { nextTimer, replicaOf } from './BrokerState.ts';
import { maximalIsr } from './highWatermark.ts';
import type { PartitionAppendResult } from './leaderAppend.ts';
import { checkAcksAllComplete } from './produceChecks.ts';
import { operationOf, unwatch, updateOperation, type DelayedProduce, type ProducePartitionStatus, type ProduceRequester } from './purgatory.ts';
import { park } from './purgatoryTimer.ts';

// What follows a local append (ReplicaManager.appendRecords' second half, DelayedProduce): acks 0 and 1 and
// produces where no partition was appended are answered at once; an acks=all produce waits in the purgatory until
// every appended partition's HW passes its last offset (or the partition fails: the leader moved, or the ISR fell
// below min.insync.replicas after the append), and then answers every partition together. One builder makes every
// produce.response.

/** Answers a produce now or puts it in the purgatory, after its local append. */
export function completeOrDelayProduce(
  state: BrokerState,
  results: readonly PartitionAppendResult[],
  options: { readonly requester: ProduceRequester; readonly requiredAcks: number; readonly timeoutMs: number; readonly nowMs: number },
  out: BrokerEffect[],
): BrokerState {
  const { requester, requiredAcks } = options;
  const partitions: ProducePartitionStatus[] = results.map((r) => ({
    topic: r.topic,
    partition: r.partition,
    baseOffset: r.baseOffset,
    lastOffset: r.lastOffset,
    // Only acks=all waits; a failed append is decided already (ReplicaManager.delayedProduceRequestRequired).
    errorCode: requiredAcks === -1 && r.errorCode === 'NONE' ? null : r.errorCode,
  }));
  const operation: DelayedProduce = { kind: 'produce', requester, partitions, expiresAtMs: options.nowMs + options.timeoutMs };
  if (partitions.every((p) => p.errorCode !== null)) {
    answerProduce(operation, out);
    return state;
  }
  const [timed, id] = nextTimer(state, 'produce');
  // tryCompleteElseWatch: a duplicate already below the HW, or an ISR of one, completes at once.
  return tryCompleteProduce(park(timed, id, operation, options.nowMs, out), id, out);
}

/**
 * DelayedProduce.tryComplete: decides the partitions whose outcome is now known; answers once all are. A partition's
 * outcome depends on nothing but its own HW, ISR and leadership, so when `changed` names the partition whose change
 * woke the check, only that one is looked at.
 */
export function tryCompleteProduce(state: BrokerState, id: string, out: BrokerEffect[], changed?: string): BrokerState {
  const operation = operationOf(state.purgatory, id);
  if (operation?.kind !== 'produce') return state;
  let partitions: ProducePartitionStatus[] | undefined;
  let pending = 0;
  operation.partitions.forEach((status, i) => {
    if (status.errorCode !== null) return;
    const errorCode = changed === undefined || topicPartitionKey(status.topic, status.partition) === changed ? acksOutcome(state, status) : null;
    if (errorCode === null) {
      pending++;
      return;
    }
    (partitions ??= [...operation.partitions])[i] = { ...status, errorCode };
  });
  if (partitions === undefined) return state;
  if (pending > 0) {
    const updated: DelayedProduce = { ...operation, partitions };
    return { ...state, purgatory: updateOperation(state.purgatory, id, updated) };
  }
  answerProduce({ ...operation, partitions }, out);
  return { ...state, purgatory: unwatch(state.purgatory, id) };
}

/** DelayedProduce.onExpiration: the partitions still waiting get REQUEST_TIMED_OUT (their records stay in the log). */
export function expireProduce(state: BrokerState, id: string, out: BrokerEffect[]): BrokerState {
  const operation = operationOf(state.purgatory, id);
  if (operation?.kind !== 'produce') return state;
  const partitions = operation.partitions.map((p) => (p.errorCode === null ? { ...p, errorCode: 'REQUEST_TIMED_OUT' as const } : p));
  answerProduce({ ...operation, partitions }, out);
  return { ...state, purgatory: unwatch(state.purgatory, id) };
}

/** The produce.response for a request's partition outcomes (the one place that builds it). */
export function produceResponse(correlationId: number, partitions: readonly Pick<ProducePartitionStatus, 'topic' | 'partition' | 'baseOffset' | 'errorCode'>[]): ProduceResponse {
  return {
    type: 'produce.response',
    correlationId,
    partitions: partitions.map((p): ProducePartitionResponse => {
      const errorCode = p.errorCode ?? 'NONE';
      return { topic: p.topic, partition: p.partition, baseOffset: errorCode === 'NONE' ? p.baseOffset : -1, ...errorField(errorCode) };
    }),
  };
}

// Partition.checkEnoughReplicasReachOffset: null while the HW is below the batch's end; NOT_LEADER_OR_FOLLOWER when
// this broker no longer leads the partition.
function acksOutcome(state: BrokerState, status: ProducePartitionStatus): KafkaErrorType | null {
  const replica = replicaOf(state, status.topic, status.partition);
  if (replica === undefined || replica.leader !== state.brokerId) return 'NOT_LEADER_OR_FOLLOWER';
  const outcome = checkAcksAllComplete({
    highWatermark: replica.log.highWatermark,
    lastOffset: status.lastOffset,
    isrSize: maximalIsr(replica).length,
    minInsyncReplicas: minInsyncReplicasFor(state.config, replica.topic),
    replicationFactor: replica.replicas.length,
  });
  if (outcome === 'wait') return null;
  return outcome === 'done' ? 'NONE' : outcome;
}

// The answer goes to the client, or back to the group coordinator as an event (its outcome is the first error, if
// any: the coordinator writes one partition).
function answerProduce(operation: DelayedProduce, out: BrokerEffect[]): void {
  const { requester } = operation;
  if (requester.kind === 'coordinator') {
    const errorCode = operation.partitions.find((p) => p.errorCode !== 'NONE')?.errorCode ?? 'NONE';
    const { appendId } = requester;
    out.push({ kind: 'timer', id: `coordinator.appended:${appendId}`, delayMs: 0, event: { type: 'coordinator.appended', appendId, errorCode } });
    return;
  }
  out.push({ kind: 'send', to: requester.to, message: produceResponse(requester.correlationId, operation.partitions) });
}
