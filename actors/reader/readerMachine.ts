// Kafka's reader client: a consumer in assign mode (KafkaConsumer.assign, no group, no commits) that starts at
// offset 0 (auto.offset.reset=earliest) and polls its partitions' leaders. Two parallel regions: `metadata`
// keeps the leader cache fresh (on start, on errors that say it is stale, every metadata.max.age.ms, at most one
// request in flight and one per retry.backoff.ms), and `poll` runs one poll at a time, every pollIntervalMs.
// The protocol rules are pure functions in this folder; the machine only wires them to events and timers.
// Longer than most files because the two regions share one context and one setup(); every rule is elsewhere.
import { assign, enqueueActions, setup } from 'xstate';
import type { ConnectionResetMessage, Message } from '../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type { ClientReadToEnd } from '../../src/protocol/clientCommands.ts';
import type { FetchResponse, KafkaMessage, ListOffsetsResponse, MetadataRequest, MetadataResponse } from '../../src/protocol/messages.ts';
import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import { positionsAtBeginning } from './fetchPositions.ts';
import { invariant } from './invariant.ts';
import { knownLeader, updatePartitionLeaders, type PartitionLeaders } from './partitionLeaders.ts';
import {
  applyFetchResponse,
  applyListOffsetsResponse,
  failRequestsTo,
  isRoundCaughtUp,
  isRoundComplete,
  pendingFor,
  planPoll,
  roundRecords,
  type AnswerOutcome,
  type ConsumptionState,
  type PollRound,
} from './pollRound.ts';
import { metadataTopics, resolveAssignment } from './readerAssignment.ts';
import { resolveReaderConfig, type ReaderConfig, type ReaderOptions } from './readerConfig.ts';
import type { ReaderPartition } from './ReaderPartition.ts';
import { assignNotes, pollInvokeNote, pollOkNote, readToEndDoneNote } from './readerNotes.ts';
import { beginReadToEnd, isReadToEndDone, type ReadToEnd } from './readToEnd.ts';

/** The reader's input: the host's `nodeId`, `disk` (unused: the reader keeps nothing) and `rng`, plus its options. */
export interface ReaderInput extends NodeInput, ReaderOptions {}

/** The reader's volatile state; a restart begins again from offset 0. */
export interface ReaderContext {
  config: ReaderConfig;
  nextCorrelationId: number;
  /** Per-boot id of the next history operation. */
  nextOperationId: number;
  leaders: PartitionLeaders;
  /** Brokers the last metadata listed (the bootstrap brokers until then): where metadata requests go. */
  knownBrokers: readonly number[];
  metadataAttempts: number;
  /** Correlation id of the metadata request in flight, and the broker it went to. */
  metadataRequest: number | undefined;
  metadataBroker: string | undefined;
  metadataRefreshWanted: boolean;
  /** Metadata responses applied since boot. */
  metadataUpdates: number;
  /** Undefined until metadata has named the partitions to read. */
  consumption: ConsumptionState | undefined;
  round: PollRound | undefined;
  readToEnd: ReadToEnd;
  /** Partitions metadata showed were added to the reader's topics, assigned at the next poll. */
  addedPartitions: readonly ReaderPartition[];
}

/** What the reader receives: broker answers, and the application's commands from 'world'. */
export type ReaderEvent =
  | (MetadataResponse & { from: string })
  | (FetchResponse & { from: string })
  | (ListOffsetsResponse & { from: string })
  | (ClientReadToEnd & { from: string })
  | (ConnectionResetMessage & { from: string });

// Kafka's messages are interfaces, which TypeScript does not widen to the bus's indexed Message type by itself.
function sendEvent(to: string, message: KafkaMessage): HostEmitted {
  return { type: 'send', to, message: message as KafkaMessage & Message };
}

/** Kafka's reader client (assign mode, earliest reset) as a World node; see the file header. */
export const readerMachine = setup({
  types: {
    input: {} as ReaderInput,
    context: {} as ReaderContext,
    events: {} as ReaderEvent,
    emitted: {} as HostEmitted,
  },
  delays: {
    pollInterval: ({ context }) => context.config.pollIntervalMs,
    requestTimeout: ({ context }) => context.config.requestTimeoutMs,
    retryBackoff: ({ context }) => context.config.retryBackoffMs,
    // Counted from the last response; the backoff before `fresh` is part of it.
    metadataMaxAge: ({ context }) => Math.max(0, context.config.metadataMaxAgeMs - context.config.retryBackoffMs),
  },
  guards: {
    isAssigned: ({ context }) => context.consumption !== undefined,
    isMetadataRefreshWanted: ({ context }) => context.metadataRefreshWanted,
    isAwaitedMetadataResponse: ({ context, event }) =>
      event.type === 'metadata.response' && event.correlationId === context.metadataRequest,
    isAwaitedAnswer: ({ context, event }) =>
      (event.type === 'fetch.response' || event.type === 'listOffsets.response') &&
      context.round !== undefined &&
      pendingFor(context.round, event) !== undefined,
    isRoundComplete: ({ context }) => context.round !== undefined && isRoundComplete(context.round),
    isMetadataBrokerReset: ({ context, event }) => event.type === 'connection.reset' && event.from === context.metadataBroker,
  },
  actions: {
    sendMetadataRequest: enqueueActions(({ context, enqueue }) => {
      const brokers = context.knownBrokers;
      // Java sends to the least loaded node; the reader goes round the brokers, so a dead one is skipped next time.
      const broker = brokers[context.metadataAttempts % brokers.length] as number;
      const correlationId = context.nextCorrelationId;
      const message: MetadataRequest = { type: 'metadata.request', correlationId, topics: metadataTopics(context.config) };
      enqueue.assign({
        nextCorrelationId: correlationId + 1,
        metadataAttempts: context.metadataAttempts + 1,
        metadataRequest: correlationId,
        metadataBroker: brokerNodeId(broker),
        metadataRefreshWanted: false,
      });
      enqueue.emit(sendEvent(brokerNodeId(broker), message));
    }),
    abandonMetadataRequest: assign({ metadataRequest: undefined, metadataBroker: undefined, metadataRefreshWanted: true }),
    // A reset connection answers nothing more: the poll gives up on what it asked that broker.
    failRequestsToBroker: assign(({ context, event }) => {
      if (context.round === undefined || event.type !== 'connection.reset') return {};
      const { round, failed } = failRequestsTo(context.round, event.from);
      return failed === 0 ? {} : { round, metadataRefreshWanted: true };
    }),
    applyMetadata: enqueueActions(({ context, event, enqueue }) => {
      invariant(event.type === 'metadata.response', `applyMetadata on ${event.type}`);
      const leaders = updatePartitionLeaders(context.leaders, event.partitions);
      let { consumption, nextOperationId, readToEnd } = context;
      let { addedPartitions } = context;
      const metadataUpdates = context.metadataUpdates + 1;
      if (consumption === undefined) {
        const assignment = resolveAssignment(context.config, event);
        if (assignment !== undefined) {
          const keys = assignment.map((p) => p.key);
          consumption = { assignment, positions: positionsAtBeginning(keys), awaitingReset: [] };
          for (const note of assignNotes(nextOperationId, keys)) enqueue.emit(note);
          nextOperationId++;
          // The first assignment already starts at offset 0: a read-to-end asked before it needs no seek.
          if (readToEnd.phase === 'requested') readToEnd = beginReadToEnd(metadataUpdates, false);
        }
      } else {
        // Partitions added to a topic it reads (CreatePartitions): the reader assigns itself those too, from
        // offset 0, at its next poll (assign() is called between polls), as an application would.
        const known = new Set([...consumption.assignment, ...context.addedPartitions].map((p) => p.key));
        const added = (resolveAssignment(context.config, event) ?? []).filter((p) => !known.has(p.key));
        if (added.length > 0) addedPartitions = [...addedPartitions, ...added];
      }
      // Until every assigned partition has a leader, keep asking (each retry.backoff.ms): polls skip leaderless ones.
      const complete = consumption !== undefined && consumption.assignment.every((p) => knownLeader(leaders, p.key));
      enqueue.assign({
        leaders,
        knownBrokers: event.brokers.length > 0 ? event.brokers : context.knownBrokers,
        metadataRequest: undefined,
        metadataBroker: undefined,
        metadataUpdates,
        // A refresh asked while this request was in flight still happens (Java's Metadata#requestVersion).
        metadataRefreshWanted: context.metadataRefreshWanted || !complete,
        addedPartitions,
        consumption,
        nextOperationId,
        readToEnd,
      });
    }),
    startPoll: enqueueActions(({ context, enqueue }) => {
      let { consumption, nextOperationId, readToEnd, metadataRefreshWanted } = context;
      invariant(consumption !== undefined, 'poll before the assignment');
      invariant(context.round === undefined, 'poll while another poll is running');
      if (context.addedPartitions.length > 0) {
        const assignment = [...consumption.assignment, ...context.addedPartitions];
        const positions = { ...consumption.positions, ...positionsAtBeginning(context.addedPartitions.map((p) => p.key)) };
        consumption = { ...consumption, assignment, positions };
        for (const note of assignNotes(nextOperationId, assignment.map((p) => p.key))) enqueue.emit(note);
        nextOperationId++;
      }
      if (readToEnd.phase === 'requested') {
        // seekToBeginning on every partition: a new assignment for the checkers (the position moves back).
        const keys = consumption.assignment.map((p) => p.key);
        consumption = { ...consumption, positions: positionsAtBeginning(keys), awaitingReset: [] };
        for (const note of assignNotes(nextOperationId, keys)) enqueue.emit(note);
        nextOperationId++;
        readToEnd = beginReadToEnd(context.metadataUpdates, context.metadataRequest !== undefined);
        metadataRefreshWanted = true;
      }
      const plan = planPoll({
        state: consumption,
        leaders: context.leaders,
        operationId: nextOperationId,
        nextCorrelationId: context.nextCorrelationId,
        maxRecords: context.config.maxPollRecords,
      });
      enqueue.emit(pollInvokeNote(nextOperationId));
      for (const { to, message } of plan.requests) enqueue.emit(sendEvent(to, message));
      enqueue.assign({
        consumption,
        addedPartitions: [],
        round: plan.round,
        nextOperationId: nextOperationId + 1,
        nextCorrelationId: plan.nextCorrelationId,
        readToEnd,
        metadataRefreshWanted,
      });
    }),
    applyAnswer: assign(({ context, event }) => {
      const { consumption, round } = context;
      invariant(consumption !== undefined && round !== undefined, `${event.type} applied outside a poll`);
      const input = { state: consumption, round, leaders: context.leaders, maxRecords: context.config.maxPollRecords };
      let outcome: AnswerOutcome;
      if (event.type === 'fetch.response') outcome = applyFetchResponse(input, event);
      else if (event.type === 'listOffsets.response') outcome = applyListOffsetsResponse(input, event);
      else throw new Error(`reader invariant broken: applyAnswer on ${event.type}`);
      return {
        consumption: outcome.state,
        round: outcome.round,
        metadataRefreshWanted: context.metadataRefreshWanted || outcome.refreshMetadata,
      };
    }),
    finishPoll: enqueueActions(({ context, enqueue }) => {
      const { consumption, round } = context;
      invariant(consumption !== undefined && round !== undefined, 'finishPoll outside a poll');
      enqueue.emit(pollOkNote(round.operationId, roundRecords(round, consumption.assignment)));
      const caughtUp = isRoundCaughtUp(round, consumption.assignment) && context.addedPartitions.length === 0;
      const done = isReadToEndDone(context.readToEnd, caughtUp, context.metadataUpdates);
      if (done) enqueue.emit(readToEndDoneNote(consumption.positions));
      enqueue.assign({ round: undefined, readToEnd: done ? { phase: 'idle' } : context.readToEnd });
    }),
    requestReadToEnd: assign({ readToEnd: { phase: 'requested' } }),
  },
}).createMachine({
  id: 'reader',
  context: ({ input }) => {
    const config = resolveReaderConfig(input);
    return {
      config,
      nextCorrelationId: 0,
      nextOperationId: 0,
      leaders: {},
      knownBrokers: config.bootstrapBrokers,
      metadataAttempts: 0,
      metadataRequest: undefined,
      metadataBroker: undefined,
      metadataRefreshWanted: false,
      metadataUpdates: 0,
      consumption: undefined,
      round: undefined,
      readToEnd: { phase: 'idle' },
      addedPartitions: [],
    };
  },
  type: 'parallel',
  on: {
    'client.readToEnd': { actions: 'requestReadToEnd' },
  },
  states: {
    metadata: {
      initial: 'requesting',
      states: {
        requesting: {
          entry: 'sendMetadataRequest',
          on: {
            'metadata.response': { guard: 'isAwaitedMetadataResponse', target: 'coolingDown', actions: 'applyMetadata' },
            'connection.reset': { guard: 'isMetadataBrokerReset', target: 'coolingDown', actions: 'abandonMetadataRequest' },
          },
          after: { requestTimeout: { target: 'coolingDown', actions: 'abandonMetadataRequest' } },
        },
        // retry.backoff.ms between metadata requests, whatever asked for them.
        coolingDown: { after: { retryBackoff: 'fresh' } },
        fresh: {
          always: { guard: 'isMetadataRefreshWanted', target: 'requesting' },
          after: { metadataMaxAge: 'requesting' },
        },
      },
    },
    poll: {
      initial: 'unassigned',
      states: {
        unassigned: { always: { guard: 'isAssigned', target: 'polling' } },
        polling: {
          entry: 'startPoll',
          always: { guard: 'isRoundComplete', target: 'pausing', actions: 'finishPoll' },
          // The poll's fetch timeout: unanswered partitions give no records this time.
          after: { requestTimeout: { target: 'pausing', actions: 'finishPoll' } },
          on: {
            'fetch.response': { guard: 'isAwaitedAnswer', actions: 'applyAnswer' },
            'listOffsets.response': { guard: 'isAwaitedAnswer', actions: 'applyAnswer' },
            'connection.reset': { actions: 'failRequestsToBroker' },
          },
        },
        pausing: { after: { pollInterval: 'polling' } },
      },
    },
  },
});
