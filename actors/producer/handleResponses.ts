import type { ApiVersionsResponse, InitProducerIdResponse, MetadataResponse, ProduceResponse } from '../../src/protocol/messages.ts';
import { brokerIdOf } from '../../src/protocol/nodeIds.ts';
import { appendWaitingSends } from './acceptSend.ts';
import { requestCompleted } from './completeBatch.ts';
import { setProducerIdAndEpoch } from './idempotentSequences.ts';
import { answeredBy as networkAnsweredBy, connectionReset, onHandshakeResponse, takeResponse, type ClientRequest } from '../client/networkClient.ts';
import { networkOut } from './producerContext.ts';
import type { Outbox, ProducerContext, ProducerRequest } from './producerContext.ts';
import { requestMetadataUpdate, updateMetadata } from '../client/metadata.ts';
import { closeConnection, requestFailed, requestsFailed } from './sender.ts';
import { settleBatch } from './settleBatch.ts';
import { invariant } from './invariant.ts';
import { ownValue } from './recordAccumulator.ts';

// The producer's handling of broker responses (`Sender#handleProduceResponse`, `DefaultMetadataUpdater#
// handleSuccessfulResponse`, the idempotent `TransactionManager`'s InitProducerId handler). A response is matched to
// its request by correlation id and sender; one that matches nothing (a duplicate delivery, or an answer on a
// connection the producer already closed after a timeout) is ignored, as Kafka drops it with the connection.
//
// Kafka's connection is TCP and a broker answers one request per connection at a time, so responses come back in
// request order with no gaps. `NetworkClient#correlate` relies on it: a response for any request but the oldest on
// the connection throws, and the connection is closed. The simulated network can lose one message and deliver the
// next; the producer then does what Kafka would: it closes the connection and every request on it fails unanswered.
// Without this, a lost response followed by acknowledged later batches leaves the lost one outside the broker's
// five-batch duplicate window, to be retried into OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout.

/** An apiVersions.response: the handshake is done, and the connection takes requests (refused: it is closed). */
export function onApiVersionsResponse(ctx: ProducerContext, response: ApiVersionsResponse & { from: string }, out: Outbox): ProducerContext {
  const answered = onHandshakeResponse(ctx.network, response, ctx.now(), networkOut(out));
  if (answered === undefined) return ctx;
  return requestsFailed({ ...ctx, network: answered.nc }, answered.failed, out);
}

/**
 * A produce.response: each partition's batch is settled from its own outcome (ok, retry or give up), in the order
 * the request carried them (`Sender#handleProduceResponse`).
 */
export function onProduceResponse(ctx: ProducerContext, response: ProduceResponse & { from: string }, out: Outbox): ProducerContext {
  const taken = matchRequest(ctx, response, 'produce');
  if (taken === undefined) return ctx;
  const { request, data } = taken;
  if (taken.outOfOrder) return closeConnection(ctx, request.node, out);
  let next: ProducerContext = { ...ctx, network: taken.nc, acc: requestCompleted(ctx.acc, request.node) };
  for (const batchId of data.batchIds) {
    const batch = ownValue(next.acc.inFlight, batchId);
    // A batch that expired while the request was out is done already.
    if (batch === undefined) continue;
    const answer = response.partitions.find((p) => p.topic === batch.topic && p.partition === batch.partition);
    invariant(answer !== undefined, `produce.response ${response.correlationId} from ${response.from} leaves out ${batch.topic}-${batch.partition}`);
    next = settleBatch(next, batchId, answer.errorCode ?? 'NONE', answer.baseOffset, out);
  }
  return next;
}

/** A metadata.response: update the cache, then append the sends that waited for their topic. */
export function onMetadataResponse(ctx: ProducerContext, response: MetadataResponse & { from: string }, out: Outbox): ProducerContext {
  const taken = matchRequest(ctx, response, 'metadata');
  if (taken === undefined) return ctx;
  if (taken.outOfOrder) return closeConnection(ctx, taken.request.node, out);
  const next = { ...ctx, network: taken.nc };
  return appendWaitingSends({ ...next, metadata: updateMetadata(next.metadata, response, next.now()) }, out);
}

/**
 * An initProducerId.response: the id and epoch to stamp batches with. Any error is retried after the backoff on
 * another broker; Kafka retries the retriable ones (COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, ...) and treats
 * the rest as fatal, which brokers under simulation do not answer.
 */
export function onInitProducerIdResponse(ctx: ProducerContext, response: InitProducerIdResponse & { from: string }, out: Outbox): ProducerContext {
  const taken = matchRequest(ctx, response, 'initProducerId');
  if (taken === undefined) return ctx;
  if (taken.outOfOrder) return closeConnection(ctx, taken.request.node, out);
  const next = { ...ctx, network: taken.nc };
  if (response.errorCode !== undefined && response.errorCode !== 'NONE') return requestFailed(next, taken.request, out);
  const acc = setProducerIdAndEpoch(next.acc, { producerId: response.producerId, epoch: response.producerEpoch });
  return { ...next, acc, initProducerId: { failedAttempts: 0, retryAtMs: null } };
}

/**
 * The network reset a connection to a broker (a message on it was lost): `NetworkClient` fails every request on it
 * with a disconnect, as when the producer closes it after a timeout. The batches are retried in sequence order on
 * the new connection.
 */
export function onConnectionReset(ctx: ProducerContext, event: { from: string }, out: Outbox): ProducerContext {
  const node = brokerIdOf(event.from);
  if (node === undefined) return ctx;
  // `DefaultMetadataUpdater#handleServerDisconnect`: a disconnect may mean stale metadata, so ask for an update.
  const reset = connectionReset(ctx.network, node, ctx.now());
  const next = requestsFailed({ ...ctx, network: reset.nc }, reset.failed, out);
  return { ...next, metadata: requestMetadataUpdate(next.metadata) };
}

// The response's request, when it is one of `kind` from the broker it went to; the network client without it.
function matchRequest<K extends ProducerRequest['kind']>(ctx: ProducerContext, response: { correlationId: number; from: string }, kind: K) {
  const taken = takeResponse(ctx.network, response);
  if (taken === undefined || taken.request.data?.kind !== kind) return undefined;
  return { ...taken, data: taken.request.data as Extract<ProducerRequest, { kind: K }>, request: taken.request as ClientRequest<ProducerRequest> };
}

/** An answer from a broker: the producer's connection to it works. */
export function answeredBy(ctx: ProducerContext, from: string): ProducerContext {
  const network = networkAnsweredBy(ctx.network, brokerIdOf(from));
  return network === ctx.network ? ctx : { ...ctx, network };
}
