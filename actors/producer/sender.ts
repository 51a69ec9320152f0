import type { InitProducerIdRequest, MetadataRequest, ProduceRequest } from '../../src/protocol/messages.ts';
import { expireWaitingSends, nextWaitingSendExpiryMs } from './acceptSend.ts';
import { completeBatch, requestCompleted } from './completeBatch.ts';
import { bumpIdempotentEpochIfNeeded, maybeResolveSequences } from './idempotentSequences.ts';
import { invariant } from './invariant.ts';
import type { ProducerBatch } from './ProducerBatch.ts';
import {
  closeConnection as closeNetworkConnection,
  connect as connectNetwork,
  disconnect as disconnectNetwork,
  hasRequest,
  isReady,
  nextNetworkDeadlineMs,
  send,
  sendWithoutResponse,
  timedOutNodes,
  type ClientRequest,
  type FailedRequest,
} from '../client/networkClient.ts';
import { brokerAvailableAtMs, networkOut, pickBroker } from './producerContext.ts';
import type { Outbox, ProducerContext, ProducerRequest } from './producerContext.ts';
import { leaderOf, metadataRequestFailed, nextMetadataUpdateMs, requestMetadataUpdate } from '../client/metadata.ts';
import { drain, ready } from './recordAccumulator.ts';
import type { SendOptions } from './recordAccumulator.ts';
import { exponentialBackoffMs } from './retryPolicy.ts';
import { batchOutcomeNotes } from './sendHistory.ts';
import { expireDeliveryTimeouts, nextDeliveryTimeoutMs, settleBatch } from './settleBatch.ts';

// The producer's I/O loop (Kafka's `Sender#runOnce` with the `NetworkClient#poll` it drives): time out requests,
// expire batches, drain the accumulator into Produce requests, and keep metadata and the producer id fresh. The
// machine runs it after every event and sets one timer for `nextWakeupMs`, as the Sender thread sleeps in poll().

/** One pass of the Sender at the current virtual time. */
export function runOnce(ctx: ProducerContext, out: Outbox): ProducerContext {
  let next = timeOutRequests(ctx, out);
  next = expireDeliveryTimeouts(next, out);
  next = expireWaitingSends(next, out);
  next = settleSequences(next);
  next = sendProduceRequests(next, out);
  next = maybeSendMetadataRequest(next, out);
  return maybeSendInitProducerId(next, out);
}

/** When the Sender must look again (its poll timeout), or null when only a message can give it work. */
export function nextWakeupMs(ctx: ProducerContext): number | null {
  const nowMs = ctx.now();
  const times: Array<number | null> = [nextDeliveryTimeoutMs(ctx), nextWaitingSendExpiryMs(ctx)];
  const readyCheckDelayMs = ready(ctx.acc, sendOptions(ctx)).nextReadyCheckDelayMs;
  if (readyCheckDelayMs !== null) times.push(nowMs + readyCheckDelayMs);
  times.push(nextNetworkDeadlineMs(ctx.network, nowMs));
  // Metadata and InitProducerId wait, besides their own backoff, for a broker out of reconnect backoff.
  // A broker still connecting (null) is waited for by its handshake's answer or deadline, not by a time of its own.
  const brokerAtMs = brokerAvailableAtMs(ctx);
  const metadataDueMs = nextMetadataUpdateMs(ctx.metadata, ctx.config, nowMs);
  if (!hasRequest(ctx.network, isMetadata) && metadataDueMs !== null) {
    if (brokerAtMs !== null) times.push(Math.max(metadataDueMs, brokerAtMs));
    else if (metadataDueMs > nowMs) times.push(metadataDueMs);
  }
  if (needsProducerId(ctx) && !hasRequest(ctx.network, isInitProducerId)) {
    const retryAtMs = ctx.initProducerId.retryAtMs;
    if (brokerAtMs === null) {
      if (retryAtMs !== null && retryAtMs > nowMs) times.push(retryAtMs);
    } else if (retryAtMs !== null || brokerAtMs > nowMs) times.push(Math.max(retryAtMs ?? nowMs, brokerAtMs));
  }
  let wakeupMs = Infinity;
  for (const time of times) if (time !== null && time < wakeupMs) wakeupMs = time;
  if (wakeupMs === Infinity) return null;
  // Deadlines already due were handled in this pass; only a ready-check delay can round to `now` (see wakeupDelayMs).
  invariant(wakeupMs >= nowMs, `the sender left work due at ${wakeupMs} undone at ${nowMs}`);
  return wakeupMs;
}

/**
 * The delay to set the wake-up timer with. Virtual times are fractional (network latencies are), so `nowMs + (wakeupMs
 * - nowMs)` can land an ulp before `wakeupMs`, and a tiny ready-check delay can vanish in `nowMs + delay`; the rules
 * compare with `>=` and would find nothing due. A microsecond of slack in those cases makes the timer fire on or after
 * the time it was set for, so every wake-up does the work it was set for.
 */
export function wakeupDelayMs(wakeupMs: number, nowMs: number): number {
  const delayMs = wakeupMs - nowMs;
  return delayMs <= 0 || nowMs + delayMs < wakeupMs ? delayMs + TIMER_SLACK_MS : delayMs;
}

const TIMER_SLACK_MS = 0.000_001;

/**
 * `NetworkClient#handleTimedOutRequests`: a request past `request.timeout.ms` closes its connection, and every
 * request on that connection fails with it. Kafka reports REQUEST_TIMED_OUT for the expired request and
 * NETWORK_EXCEPTION for the others; both are retriable and may have been appended, so both are treated as a lost
 * response (NETWORK_EXCEPTION, which also asks for fresh metadata). Answers that arrive later are ignored.
 */
function timeOutRequests(ctx: ProducerContext, out: Outbox): ProducerContext {
  let next = ctx;
  for (const node of timedOutNodes(ctx.network, ctx.now())) next = closeConnection(next, node, out);
  return next;
}

/**
 * The producer closes its connection to a broker (a request timed out, or a response skipped an older request): the
 * broker forgets what waited on it, every request on it fails, and the broker is kept off for reconnect.backoff.ms.
 */
export function closeConnection(ctx: ProducerContext, node: number, out: Outbox): ProducerContext {
  const closed = closeNetworkConnection(ctx.network, node, ctx.now(), networkOut(out));
  return requestsFailed({ ...ctx, network: closed.nc }, closed.failed, out);
}

/** Closes the connection to a broker: every request on it fails as unanswered, in the order it was sent. */
export function disconnect(ctx: ProducerContext, node: number, out: Outbox): ProducerContext {
  const gone = disconnectNetwork(ctx.network, node);
  return requestsFailed({ ...ctx, network: gone.nc }, gone.failed, out);
}

/** Requests that ended unanswered, in the order they were sent. */
export function requestsFailed(ctx: ProducerContext, failed: readonly FailedRequest<ProducerRequest>[], out: Outbox): ProducerContext {
  let next = ctx;
  for (const { request } of failed) next = requestFailed(next, request, out);
  return next;
}

/** A request that got no answer: the batch is retried or settled, metadata and InitProducerId try another broker. */
export function requestFailed(ctx: ProducerContext, request: ClientRequest<ProducerRequest>, out: Outbox): ProducerContext {
  const nowMs = ctx.now();
  const { data } = request;
  // The handshake went unanswered: metadata and InitProducerId try the next broker.
  if (data === null) return { ...ctx, nodeRotation: ctx.nodeRotation + 1 };
  switch (data.kind) {
    case 'produce': {
      let next: ProducerContext = { ...ctx, acc: requestCompleted(ctx.acc, request.node) };
      for (const batchId of data.batchIds) next = settleBatch(next, batchId, 'NETWORK_EXCEPTION', -1, out);
      return next;
    }
    case 'metadata':
      return { ...ctx, metadata: metadataRequestFailed(ctx.metadata, nowMs), nodeRotation: ctx.nodeRotation + 1 };
    case 'initProducerId': {
      const failedAttempts = ctx.initProducerId.failedAttempts + 1;
      const retryAtMs = nowMs + exponentialBackoffMs(failedAttempts - 1, ctx.config, ctx.draw);
      return { ...ctx, initProducerId: { failedAttempts, retryAtMs }, nodeRotation: ctx.nodeRotation + 1 };
    }
  }
}

/**
 * `Sender#runOnce`'s first steps for an idempotent producer, before it drains: unresolved sequences whose partition
 * has nothing pending are settled (`TransactionManager#maybeResolveSequences`), then the epoch bump asked for since
 * the last pass is made (`#bumpIdempotentEpochAndResetIdIfNeeded`). Kafka runs them at the top of its loop, before
 * it expires batches; here they follow this pass's expiries, so an expired batch with nothing else pending is
 * settled in the pass that expired it rather than the next one.
 */
function settleSequences(ctx: ProducerContext): ProducerContext {
  if (!ctx.config.enableIdempotence || ctx.acc.producerIdAndEpoch === null) return ctx;
  const acc = bumpIdempotentEpochIfNeeded(maybeResolveSequences(ctx.acc));
  return acc === ctx.acc ? ctx : { ...ctx, acc };
}

/**
 * Drains every sendable batch: one ProduceRequest per ready leader, carrying a batch for each of its partitions the
 * drain took (`Sender#sendProduceRequests`). Each request counts once against the leader's
 * `max.in.flight.requests.per.connection`.
 */
function sendProduceRequests(ctx: ProducerContext, out: Outbox): ProducerContext {
  const options = sendOptions(ctx);
  let next = ctx;
  const readiness = ready(next.acc, options);
  if (readiness.unknownLeaderTopics.length > 0) next = { ...next, metadata: requestMetadataUpdate(next.metadata) };
  // `NetworkClient#ready` opens a connection to a leader with something to send; its batches wait for the handshake.
  for (const node of readiness.readyNodes) if (!isReady(next.network, node)) next = connect(next, node, out);
  const drained = drain(next.acc, { ...options, isConnected: (node) => isReady(next.network, node) });
  next = { ...next, acc: drained.acc };
  for (const request of drained.requests) next = sendProduceRequest(next, request.node, request.batches, out);
  return next;
}

function sendProduceRequest(ctx: ProducerContext, node: number, batches: readonly ProducerBatch[], out: Outbox): ProducerContext {
  invariant(batches.length > 0, 'a produce request carries at least one batch');
  const { config, acc } = ctx;
  const message = (correlationId: number): ProduceRequest => ({
    type: 'produce.request',
    correlationId,
    acks: config.acks,
    // Java sends request.timeout.ms as the Produce timeout: how long the leader may wait for acks=all.
    timeoutMs: config.requestTimeoutMs,
    partitions: batches.map((batch) => ({
      topic: batch.topic,
      partition: batch.partition,
      batch: {
        baseOffset: -1,
        leaderEpoch: -1,
        producerId: batch.baseSequence === null ? -1 : (acc.producerIdAndEpoch?.producerId ?? -1),
        producerEpoch: batch.producerEpoch ?? -1,
        baseSequence: batch.baseSequence ?? -1,
        sizeInBytes: batch.sizeBytes,
        records: batch.records.map((record) => ({ key: record.key, value: record.value ?? '' })),
      },
    })),
  });
  if (config.acks === 0) {
    // acks=0: no response will come; Kafka completes the batches once they are written to the socket, offsets unknown.
    const network = sendWithoutResponse(ctx.network, node, message, networkOut(out));
    let completed = requestCompleted(acc, node);
    for (const batch of batches) {
      out.push(...batchOutcomeNotes(batch, 'info'));
      completed = completeBatch(completed, batch.batchId);
    }
    return { ...ctx, network, acc: completed };
  }
  const batchIds = batches.map((batch) => batch.batchId);
  const [, network] = send(ctx.network, node, message, { kind: 'produce', batchIds }, { nowMs: ctx.now(), timeoutMs: config.requestTimeoutMs }, networkOut(out));
  return { ...ctx, network };
}

function maybeSendMetadataRequest(ctx: ProducerContext, out: Outbox): ProducerContext {
  if (hasRequest(ctx.network, isMetadata)) return ctx;
  const dueMs = nextMetadataUpdateMs(ctx.metadata, ctx.config, ctx.now());
  if (dueMs === null || dueMs > ctx.now()) return ctx;
  const node = pickBroker(ctx);
  if (node === undefined) return ctx;
  if (!isReady(ctx.network, node)) return connect(ctx, node, out);
  const message = (correlationId: number): MetadataRequest => ({ type: 'metadata.request', correlationId, topics: [...ctx.metadata.topics] });
  const [, network] = send(ctx.network, node, message, { kind: 'metadata' }, { nowMs: ctx.now(), timeoutMs: ctx.config.requestTimeoutMs }, networkOut(out));
  return { ...ctx, network };
}

/** An idempotent producer gets its id before it drains anything (`Sender#maybeSendAndPollTransactionalRequest`). */
function maybeSendInitProducerId(ctx: ProducerContext, out: Outbox): ProducerContext {
  if (!needsProducerId(ctx) || hasRequest(ctx.network, isInitProducerId)) return ctx;
  const retryAtMs = ctx.initProducerId.retryAtMs;
  if (retryAtMs !== null && retryAtMs > ctx.now()) return ctx;
  const node = pickBroker(ctx);
  if (node === undefined) return ctx;
  if (!isReady(ctx.network, node)) return connect(ctx, node, out);
  const message = (correlationId: number): InitProducerIdRequest => ({ type: 'initProducerId.request', correlationId });
  const [, network] = send(ctx.network, node, message, { kind: 'initProducerId' }, { nowMs: ctx.now(), timeoutMs: ctx.config.requestTimeoutMs }, networkOut(out));
  return { ...ctx, network };
}

// `NetworkClient#ready` opens a connection (the ApiVersions handshake) unless one is open, opening or backing off.
function connect(ctx: ProducerContext, node: number, out: Outbox): ProducerContext {
  const network = connectNetwork(ctx.network, node, ctx.now(), networkOut(out));
  return network === ctx.network ? ctx : { ...ctx, network };
}

const isMetadata = (data: ProducerRequest) => data.kind === 'metadata';
const isInitProducerId = (data: ProducerRequest) => data.kind === 'initProducerId';

function needsProducerId(ctx: ProducerContext): boolean {
  return ctx.config.enableIdempotence && ctx.acc.producerIdAndEpoch === null;
}

function sendOptions(ctx: ProducerContext): SendOptions {
  const { config, metadata } = ctx;
  return {
    nowMs: ctx.now(),
    leaderOf: (topic, partition) => leaderOf(metadata, topic, partition),
    lingerMs: config.lingerMs,
    maxInFlightRequestsPerConnection: config.maxInFlightRequestsPerConnection,
    maxRequestSize: config.maxRequestSize,
    enableIdempotence: config.enableIdempotence,
    isConnected: (node) => isReady(ctx.network, node),
  };
}
