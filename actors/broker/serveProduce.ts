import type { ProduceRequest } from '../../src/protocol/messages.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { completeOrDelayProduce, produceResponse } from './delayedProduce.ts';
import { appendRecords } from './leaderAppend.ts';

// Produce on the leader (KafkaApis.handleProduceRequest): the request's batches go through the one leader-append
// path (leaderAppend.ts), then the response follows the request's acks (delayedProduce.ts). acks=0 is never
// answered: on any partition's error Kafka closes the connection instead, which is how an acks=0 producer learns to
// refresh its metadata; acks=1 is answered after the local appends; acks=all once every partition is decided.

/** Serves a ProduceRequest with a batch for each of its partitions. */
export function serveProduce(state: BrokerState, request: ProduceRequest & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const { state: next, results } = appendRecords(state, request.partitions, { requiredAcks: request.acks, origin: 'client', nowMs }, out);
  if (request.acks === 0) {
    if (results.some((r) => r.errorCode !== 'NONE')) out.push({ kind: 'disconnect', to: request.from });
    return next;
  }
  if (request.acks !== -1) {
    out.push({ kind: 'send', to: request.from, message: produceResponse(request.correlationId, results) });
    return next;
  }
  const requester = { kind: 'client', to: request.from, correlationId: request.correlationId } as const;
  return completeOrDelayProduce(next, results, { requester, requiredAcks: request.acks, timeoutMs: request.timeoutMs, nowMs }, out);
}
