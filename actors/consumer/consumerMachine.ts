import { emptyMetadata } from '../client/metadata.ts';
import type { ConnectionResetMessage } from '../../src/kernel/Bus.ts';
import { enqueueActions, setup } from 'xstate';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type { ApiVersionsResponse, FetchResponse, KafkaMessage, ListOffsetsResponse, MetadataResponse, OffsetsForLeaderEpochResponse } from '../../src/protocol/messages.ts';
import { enqueueRoleEffect } from '../roleEffects.ts';
import type { FindCoordinatorResponse, GroupMessage, GroupResponseMessage } from '../../src/protocol/groupMessages.ts';
import { resolveConsumerConfig, type ConsumerSettings } from './consumerDefaults.ts';
import {
  consumerClientDefaults,
  NO_FIND_BACKOFF,
  type ConsumerClientSettings,
  type ConsumerEffect,
  type ConsumerState,
  type ConsumerTimerEvent,
  type ConsumerWeakenings,
} from './ConsumerState.ts';
import {
  close,
  onFetchAnswer,
  onFindCoordinatorResponse,
  onFindCoordinatorTick,
  onGroupAnswer,
  onHeartbeatTick,
  answeredBy,
  continuePoll,
  onPollEnd,
  onResetOffset,
  onMetadataResponse,
  onOffsetsForLeaderEpochAnswer,
  onMetadataTick,
  onPollTimeoutTick,
  onRecordProcessed,
  onDeadline,
  onApiVersionsAnswer,
  armDeadline,
  onConnectionReset,
  poll,
  subscribe,
} from './groupConsumer.ts';
import { initialMembership } from './membership.ts';
import { emptyOffsetTracking } from './offsetTracking.ts';
import { idleProcessing } from './processing.ts';
import { emptyFetcher } from '../client/fetcher.ts';
import { createNetworkClient } from '../client/networkClient.ts';
import { emptyPositionValidation } from '../client/positionValidation.ts';

// Kafka's group consumer (KafkaConsumer.subscribe with the classic protocol) as a World node: the application's
// poll loop, the heartbeat thread and the network, all in one flat machine whose timers are delayed events with
// ids. Every rule is in groupConsumer.ts; this file only routes events to them and carries out their effects.
// The application talks to it with `client.subscribe` and `client.close`; a consumer that was subscribed when it
// crashed subscribes again when it restarts (its disk remembers the subscription, as a service's config would).

/** The consumer's input: the host's fields, its group, its topics and its settings. */
export interface ConsumerInput extends NodeInput {
  bootstrapBrokers: readonly number[];
  groupId: string;
  topics: readonly string[];
  settings?: Partial<ConsumerSettings & ConsumerClientSettings>;
  weakenings?: Partial<ConsumerWeakenings>;
  /**
   * The application's plan: subscribe at `startMs` and close at `stopMs` (virtual ms). A consumer that boots
   * (or restarts after a crash) inside that window subscribes at once; before it, it waits; after it, it stays idle.
   */
  schedule?: { startMs: number; stopMs?: number };
}

interface ConsumerContext {
  state: ConsumerState;
  now: () => number;
  /** The disk says the consumer was subscribed when it went down: it subscribes again as it boots. */
  wasSubscribed: boolean;
  schedule: ConsumerInput['schedule'];
}

type ConsumerEvent =
  | ((KafkaMessage | GroupMessage | ConnectionResetMessage) & { from: string })
  | ConsumerTimerEvent
  | { type: 'client.subscribe'; from: string }
  | { type: 'client.close'; from: string }
  | { type: 'consumer.start' }
  | { type: 'consumer.stop' };

type Rule = (state: ConsumerState, event: ConsumerEvent, nowMs: number, out: ConsumerEffect[]) => ConsumerState;

function step(rule: Rule) {
  return enqueueActions<ConsumerContext, ConsumerEvent, undefined, ConsumerEvent, never, never, never, never, HostEmitted>(
    ({ context, event, enqueue }) => {
      const out: ConsumerEffect[] = [];
      const nowMs = context.now();
      // A broker's answer shows its connection works: the next failure backs off from the start.
      const state = 'from' in event && event.type.endsWith('.response') ? answeredBy(context.state, event.from) : context.state;
      // Every step ends with the request-deadline timer set for the earliest deadline (armDeadline).
      const next = armDeadline(rule(state, event, nowMs, out), nowMs, out);
      if (next !== context.state) enqueue.assign({ state: next });
      for (const effect of out) {
        if (effect.kind === 'persist') enqueue.emit({ type: 'persist', data: effect.data, fsync: true });
        else enqueueRoleEffect(enqueue, effect);
      }
    },
  );
}

const clientSettingNames = Object.keys(consumerClientDefaults) as (keyof ConsumerClientSettings)[];

/** A consumer's state at boot, before it subscribes (exported for the rules' tests). */
export function bootState(input: ConsumerInput): ConsumerState {
  const settings = input.settings ?? {};
  const client: Record<string, number> = { ...consumerClientDefaults };
  const groupSettings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(settings)) {
    if ((clientSettingNames as string[]).includes(name)) client[name] = value as number;
    else groupSettings[name] = value;
  }
  const config = resolveConsumerConfig(groupSettings as Partial<ConsumerSettings>);
  const nowMs = input.now();
  return {
    clientId: input.nodeId,
    groupId: input.groupId,
    bootstrapBrokers: [...input.bootstrapBrokers],
    config,
    client: client as unknown as ConsumerClientSettings,
    weakenings: { commitBeforeProcessing: false, trustStaleOwnedPartitions: false, cooperativeMovesInOneRebalance: false, eagerRejoinWithoutRevoking: false, ...input.weakenings },
    status: 'idle',
    membership: initialMembership({ groupId: input.groupId, clientId: input.nodeId, topics: input.topics, nowMs, keepsOwnedOnJoin: input.weakenings?.eagerRejoinWithoutRevoking === true }),
    offsets: emptyOffsetTracking(nowMs, config),
    processing: idleProcessing,
    metadata: emptyMetadata([...input.bootstrapBrokers], input.topics),
    partitionCounts: {},
    nodeRotation: 0,
    metadataInFlight: null,
    assignedCounts: null,
    coordinator: null,
    findInFlight: null,
    findBackoff: NO_FIND_BACKOFF,
    lastHeartbeatOkMs: nowMs,
    network: createNetworkClient(),
    deadlineTimerAtMs: null,
    joinCorrelationId: null,
    syncCorrelationId: null,
    phase: 'waiting',
    poll: null,
    pollEndTimerAtMs: null,
    pollTimeoutTimerAtMs: null,
    fetcher: emptyFetcher(),
    validation: emptyPositionValidation(),
    resets: {},
    queued: [],
    blockingCommit: null,
    staleClaim: null,
    owned: { partitions: [], memberId: '', generationId: -1 },
    nextOperationId: 0,
  };
}

const as = <E>(event: ConsumerEvent) => event as unknown as E & { from: string };

/** Kafka's group consumer as a World node; see the file header. */
export const consumerMachine = setup({
  types: {
    input: {} as ConsumerInput,
    context: {} as ConsumerContext,
    events: {} as ConsumerEvent,
    emitted: {} as HostEmitted,
  },
  guards: {
    wasSubscribed: ({ context }) => context.wasSubscribed,
  },
  actions: {
    subscribe: step((state, _event, nowMs, out) => subscribe(state, nowMs, out)),
    close: step((state, _event, nowMs, out) => close(state, nowMs, out)),
    poll: step((state, _event, nowMs, out) => poll(state, nowMs, out)),
    onApiVersionsResponse: step((state, event, nowMs, out) => onApiVersionsAnswer(state, as<ApiVersionsResponse>(event), nowMs, out)),
    onPollEnd: step((state, _event, nowMs, out) => onPollEnd(state, nowMs, out)),
    onProcessed: step((state, _event, nowMs, out) => onRecordProcessed(state, nowMs, out)),
    onHeartbeatTick: step((state, _event, nowMs, out) => onHeartbeatTick(state, nowMs, out)),
    onPollTimeoutTick: step((state, _event, nowMs, out) => onPollTimeoutTick(state, nowMs, out)),
    onMetadataTick: step((state, _event, nowMs, out) => onMetadataTick(state, nowMs, out)),
    onFindCoordinatorTick: step((state, _event, nowMs, out) => onFindCoordinatorTick(state, nowMs, out)),
    // Answers and timeouts wake an open poll(), as every response wakes Java's poll thread (continuePoll).
    onDeadline: step((state, _event, nowMs, out) => onDeadline(state, nowMs, out)),
    onConnectionReset: step((state, event, nowMs, out) => onConnectionReset(state, (event as { from: string }).from, nowMs, out)),
    onMetadataResponse: step((state, event, nowMs, out) => continuePoll(onMetadataResponse(state, as<MetadataResponse>(event), nowMs, out), nowMs, out)),
    onFindCoordinatorResponse: step((state, event, nowMs, out) => continuePoll(onFindCoordinatorResponse(state, as<FindCoordinatorResponse>(event), nowMs, out), nowMs, out)),
    onFetchResponse: step((state, event, nowMs, out) => onFetchAnswer(state, as<FetchResponse>(event), nowMs, out)),
    onListOffsetsResponse: step((state, event, nowMs, out) => onResetOffset(state, as<ListOffsetsResponse>(event), nowMs, out)),
    onOffsetsForLeaderEpochResponse: step((state, event, nowMs, out) => onOffsetsForLeaderEpochAnswer(state, as<OffsetsForLeaderEpochResponse>(event), nowMs, out)),
    onGroupAnswer: step((state, event, nowMs, out) => continuePoll(onGroupAnswer(state, as<GroupResponseMessage>(event), nowMs, out), nowMs, out)),
  },
}).createMachine({
  id: 'consumer',
  context: ({ input }) => ({
    state: bootState(input),
    now: input.now,
    wasSubscribed: (input.disk as { subscribed?: boolean } | undefined)?.subscribed === true,
    schedule: input.schedule,
  }),
  entry: enqueueActions(({ context, check, enqueue }) => {
    const nowMs = context.now();
    const { schedule } = context;
    const stopped = schedule?.stopMs !== undefined && nowMs >= schedule.stopMs;
    if (schedule !== undefined && !stopped && nowMs < schedule.startMs) {
      enqueue.raise({ type: 'consumer.start' }, { id: 'consumer.start', delay: schedule.startMs - nowMs });
    } else if ((schedule !== undefined && !stopped) || check('wasSubscribed')) {
      enqueue('subscribe');
    }
    if (schedule?.stopMs !== undefined && !stopped) enqueue.raise({ type: 'consumer.stop' }, { id: 'consumer.stop', delay: schedule.stopMs - nowMs });
  }),
  on: {
    'client.subscribe': { actions: 'subscribe' },
    'client.close': { actions: 'close' },
    'consumer.start': { actions: 'subscribe' },
    'consumer.stop': { actions: 'close' },
    'consumer.poll': { actions: 'poll' },
    'consumer.pollEnd': { actions: 'onPollEnd' },
    'consumer.processed': { actions: 'onProcessed' },
    'consumer.heartbeat': { actions: 'onHeartbeatTick' },
    'consumer.pollTimeout': { actions: 'onPollTimeoutTick' },
    'consumer.metadata': { actions: 'onMetadataTick' },
    'consumer.findCoordinator': { actions: 'onFindCoordinatorTick' },
    'consumer.deadline': { actions: 'onDeadline' },
    'apiVersions.response': { actions: 'onApiVersionsResponse' },
    'connection.reset': { actions: 'onConnectionReset' },
    'metadata.response': { actions: 'onMetadataResponse' },
    'findCoordinator.response': { actions: 'onFindCoordinatorResponse' },
    'fetch.response': { actions: 'onFetchResponse' },
    'listOffsets.response': { actions: 'onListOffsetsResponse' },
    'offsetsForLeaderEpoch.response': { actions: 'onOffsetsForLeaderEpochResponse' },
    'joinGroup.response': { actions: 'onGroupAnswer' },
    'syncGroup.response': { actions: 'onGroupAnswer' },
    'heartbeat.response': { actions: 'onGroupAnswer' },
    'leaveGroup.response': { actions: 'onGroupAnswer' },
    'offsetCommit.response': { actions: 'onGroupAnswer' },
    'offsetFetch.response': { actions: 'onGroupAnswer' },
  },
});
