// Kafka's reader client: a consumer in assign mode (KafkaConsumer.assign, no group, no commits) that starts at
// offset 0 (auto.offset.reset=earliest), as a World node. Every rule is in readerRules.ts (metadata, the
// application's poll loop, the fetcher and offset resets); this file routes events to them and carries out their
// effects, the way the broker and the group consumer machines do. States show progress only: `unassigned` until
// metadata has named the partitions, then `reading`.
import { enqueueActions, setup } from 'xstate';
import type { ConnectionResetMessage } from '../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type { ClientReadToEnd } from '../../src/protocol/clientCommands.ts';
import type { ApiVersionsResponse, FetchResponse, ListOffsetsResponse, MetadataResponse, OffsetsForLeaderEpochResponse } from '../../src/protocol/messages.ts';
import { enqueueRoleEffect } from '../roleEffects.ts';
import { resolveReaderConfig, type ReaderOptions } from './readerConfig.ts';
import {
  bootReader,
  maybeRequestMetadata,
  onDeadline,
  onListOffsetsResponse,
  onMetadataResponse,
  onMetadataTimer,
  onPollTimeout,
  onReaderApiVersionsResponse,
  onReaderConnectionReset,
  onReaderFetchResponse,
  onReaderOffsetsForLeaderEpochResponse,
  requestReadToEnd,
  type ReaderEffect,
  type ReaderState,
  type ReaderTimerEvent,
} from './readerRules.ts';

/** The reader's input: the host's `nodeId`, `disk` (unused: the reader keeps nothing) and `rng`, plus its options. */
export interface ReaderInput extends NodeInput, ReaderOptions {}

/** The reader machine's context: its state and the host's clock. */
export interface ReaderContext {
  state: ReaderState;
  now: () => number;
}

/** What the reader receives: broker answers, the application's calls, connection resets, its timers. */
export type ReaderEvent =
  | (MetadataResponse & { from: string })
  | (ApiVersionsResponse & { from: string })
  | (FetchResponse & { from: string })
  | (ListOffsetsResponse & { from: string })
  | (OffsetsForLeaderEpochResponse & { from: string })
  | (ClientReadToEnd & { from: string })
  | (ConnectionResetMessage & { from: string })
  | ReaderTimerEvent;

type Rule = (state: ReaderState, event: ReaderEvent, nowMs: number, out: ReaderEffect[]) => ReaderState;

function step(rule: Rule) {
  return enqueueActions<ReaderContext, ReaderEvent, undefined, ReaderEvent, never, never, never, never, HostEmitted>(({ context, event, enqueue }) => {
    const out: ReaderEffect[] = [];
    const next = rule(context.state, event, context.now(), out);
    if (next !== context.state) enqueue.assign({ state: next });
    for (const effect of out) enqueueRoleEffect(enqueue, effect);
  });
}

const as = <E>(event: ReaderEvent) => event as unknown as E & { from: string };

/** Kafka's reader client (assign mode, earliest reset) as a World node; see the file header. */
export const readerMachine = setup({
  types: {
    input: {} as ReaderInput,
    context: {} as ReaderContext,
    events: {} as ReaderEvent,
    emitted: {} as HostEmitted,
  },
  guards: {
    isAssigned: ({ context }) => context.state.assignment !== undefined,
  },
  actions: {
    boot: step((state, _event, nowMs, out) => maybeRequestMetadata(state, nowMs, out)),
    onMetadataResponse: step((state, event, nowMs, out) => onMetadataResponse(state, as<MetadataResponse>(event), nowMs, out)),
    onApiVersionsResponse: step((state, event, nowMs, out) => onReaderApiVersionsResponse(state, as<ApiVersionsResponse>(event), nowMs, out)),
    onFetchResponse: step((state, event, nowMs, out) => onReaderFetchResponse(state, as<FetchResponse>(event), nowMs, out)),
    onListOffsetsResponse: step((state, event, nowMs, out) => onListOffsetsResponse(state, as<ListOffsetsResponse>(event), nowMs, out)),
    onOffsetsForLeaderEpochResponse: step((state, event, nowMs, out) => onReaderOffsetsForLeaderEpochResponse(state, as<OffsetsForLeaderEpochResponse>(event), nowMs, out)),
    onConnectionReset: step((state, event, nowMs, out) => onReaderConnectionReset(state, as<ConnectionResetMessage>(event).from, nowMs, out)),
    onReadToEnd: step((state, _event, nowMs, out) => requestReadToEnd(state, nowMs, out)),
    onMetadataTimer: step((state, _event, nowMs, out) => onMetadataTimer(state, nowMs, out)),
    onPollTimeout: step((state, _event, nowMs, out) => onPollTimeout(state, nowMs, out)),
    onDeadline: step((state, _event, nowMs, out) => onDeadline(state, nowMs, out)),
  },
}).createMachine({
  id: 'reader',
  context: ({ input }) => ({ state: bootReader(resolveReaderConfig(input)), now: input.now }),
  entry: 'boot',
  on: {
    'apiVersions.response': { actions: 'onApiVersionsResponse' },
    'fetch.response': { actions: 'onFetchResponse' },
    'listOffsets.response': { actions: 'onListOffsetsResponse' },
    'offsetsForLeaderEpoch.response': { actions: 'onOffsetsForLeaderEpochResponse' },
    'connection.reset': { actions: 'onConnectionReset' },
    'client.readToEnd': { actions: 'onReadToEnd' },
    'reader.metadata': { actions: 'onMetadataTimer' },
    'reader.pollTimeout': { actions: 'onPollTimeout' },
    'reader.deadline': { actions: 'onDeadline' },
  },
  initial: 'unassigned',
  states: {
    // The eventless check runs only while unassigned (a few events at boot), never on the reading path.
    unassigned: {
      always: { guard: 'isAssigned', target: 'reading' },
      on: { 'metadata.response': { actions: 'onMetadataResponse' } },
    },
    reading: {
      on: { 'metadata.response': { actions: 'onMetadataResponse' } },
    },
  },
});
