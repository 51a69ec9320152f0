import { enqueueActions, setup } from 'xstate';
import type { ConnectionResetMessage } from '../../src/kernel/Bus.ts';
import type { HostEmitted } from '../../src/kernel/NodeHost.ts';
import type { ClientSend } from '../../src/protocol/clientCommands.ts';
import type { ApiVersionsResponse, InitProducerIdResponse, MetadataResponse, ProduceResponse } from '../../src/protocol/messages.ts';
import { acceptSend } from './acceptSend.ts';
import { answeredBy, onApiVersionsResponse, onConnectionReset, onInitProducerIdResponse, onMetadataResponse, onProduceResponse } from './handleResponses.ts';
import { createProducerContext } from './producerContext.ts';
import type { Outbox, ProducerContext, ProducerInput } from './producerContext.ts';
import { nextWakeupMs, runOnce, wakeupDelayMs } from './sender.ts';

export type { ProducerContext, ProducerInput } from './producerContext.ts';

/** What the producer reacts to: the application's sends, broker responses, connection resets and its wake-up timer. */
export type ProducerEvent =
  | (ClientSend & { from: string })
  | (MetadataResponse & { from: string })
  | (ApiVersionsResponse & { from: string })
  | (InitProducerIdResponse & { from: string })
  | (ProduceResponse & { from: string })
  | (ConnectionResetMessage & { from: string })
  | { type: 'sender.wakeup' };

// The one delayed event the producer schedules; cancelled and set again whenever the next deadline moves.
const WAKEUP_ID = 'sender.wakeup';

/**
 * A Kafka producer client (the Java KafkaProducer, 3.9) under the machine contract. Every event runs one pure step:
 * the event's own handling (acceptSend.ts, handleResponses.ts), then one pass of the Sender (sender.ts: timeouts,
 * delivery expiry, drain, metadata, InitProducerId). The step's sends and history notes are emitted in order, and
 * one wake-up timer is set for the earliest deadline the Sender reported (linger, backoff, request and delivery
 * timeouts, metadata age), the way the Sender thread sleeps in `NetworkClient#poll(timeout)`. As in Kafka, a send that only
 * joins an open batch does not wake the Sender (acceptSend.ts): that step skips the pass.
 *
 * States only show progress: `awaitingProducerId` until an idempotent producer has its id (it drains nothing
 * before), then `sending`. The producer keeps nothing on disk: a restarted producer is a new client with a new
 * producer id, and the scenario runner completes a crashed client's open sends as `info`.
 */
export const producerMachine = setup({
  types: {
    input: {} as ProducerInput,
    context: {} as ProducerContext,
    events: {} as ProducerEvent,
    emitted: {} as HostEmitted,
  },
  guards: {
    hasProducerId: ({ context }) => !context.config.enableIdempotence || context.acc.producerIdAndEpoch !== null,
  },
  actions: {
    step: enqueueActions(({ context, event, enqueue }) => {
      const out: Outbox = [];
      let handled: ProducerContext;
      if (event.type === 'client.send') {
        const accepted = acceptSend(context, event, out);
        if (!accepted.wakesSender && context.now() < (context.wakeupAtMs ?? Infinity)) {
          // The Sender sleeps on: no deadline is due before its wake-up, and the append changed nothing it reads.
          enqueue.assign(() => accepted.ctx);
          for (const emitted of out) enqueue.emit(emitted);
          return;
        }
        handled = accepted.ctx;
      } else {
        handled = handleEvent(event.type === 'sender.wakeup' ? { ...context, wakeupAtMs: null } : context, event, out);
      }
      const next = runOnce(handled, out);
      const dueMs = nextWakeupMs(next);
      // A timer already set to fire no later than needed stays: when it fires, the pass finds what is due then and
      // sets the next one. So a producer whose earliest deadline moves with every request (each new request's
      // timeout) does not set its timer again on every event.
      const keep = handled.wakeupAtMs !== null && (dueMs === null || handled.wakeupAtMs <= dueMs);
      const wakeupAtMs = keep ? handled.wakeupAtMs : dueMs;
      enqueue.assign(() => ({ ...next, wakeupAtMs }));
      for (const emitted of out) enqueue.emit(emitted);
      if (keep || wakeupAtMs === null) return;
      if (handled.wakeupAtMs !== null) enqueue.cancel(WAKEUP_ID);
      enqueue.raise({ type: 'sender.wakeup' }, { id: WAKEUP_ID, delay: wakeupDelayMs(wakeupAtMs, next.now()) });
    }),
  },
}).createMachine({
  id: 'producer',
  context: ({ input }) => createProducerContext(input),
  entry: 'step',
  on: {
    'client.send': { actions: 'step' },
    'metadata.response': { actions: 'step' },
    'apiVersions.response': { actions: 'step' },
    'initProducerId.response': { actions: 'step' },
    'produce.response': { actions: 'step' },
    'connection.reset': { actions: 'step' },
    'sender.wakeup': { actions: 'step' },
  },
  initial: 'awaitingProducerId',
  states: {
    awaitingProducerId: {
      always: { guard: 'hasProducerId', target: 'sending' },
    },
    sending: {},
  },
});

function handleEvent(ctx: ProducerContext, event: Exclude<ProducerEvent, { type: 'client.send' }> | { type: 'xstate.init' }, out: Outbox): ProducerContext {
  switch (event.type) {
    case 'metadata.response':
      return onMetadataResponse(answeredBy(ctx, event.from), event, out);
    case 'apiVersions.response':
      return onApiVersionsResponse(answeredBy(ctx, event.from), event, out);
    case 'initProducerId.response':
      return onInitProducerIdResponse(answeredBy(ctx, event.from), event, out);
    case 'produce.response':
      return onProduceResponse(answeredBy(ctx, event.from), event, out);
    case 'connection.reset':
      return onConnectionReset(ctx, event, out);
    default:
      // Boot and the wake-up timer: the Sender pass alone.
      return ctx;
  }
}
