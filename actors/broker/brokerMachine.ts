import { enqueueActions, raise, setup } from 'xstate';
import type { ConnectionResetMessage } from '../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type {
  AlterPartitionResponse,
  ApiVersionsRequest,
  BrokerHeartbeatResponse,
  BrokerRegisterResponse,
  FetchRequest,
  FetchResponse,
  InitProducerIdRequest,
  KafkaMessage,
  ListOffsetsRequest,
  MetadataRecordsPush,
  MetadataRequest,
  ProduceRequest,
} from '../../src/protocol/messages.ts';
import { brokerIdOf, CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import { enqueueRoleEffect } from '../roleEffects.ts';
import type { FindCoordinatorRequest, GroupMessage, GroupRequestMessage } from '../coordinator/groupMessages.ts';
import { applyMetadataRecords } from './applyMetadata.ts';
import { brokerConfigDefaults, type BrokerConfig, type BrokerWeakenings } from './brokerConfig.ts';
import { bootBrokerState, brokerDisk, type BrokerDisk, type BrokerEffect, type BrokerState, type BrokerTimerEvent } from './BrokerState.ts';
import { onFollowerConnectionReset, onFollowerFetchBackoff, onFollowerFetchResponse, onFollowerFetchTimeout } from './followerFetcher.ts';
import { onAlterPartitionResponse, onAlterPartitionTimeout, shrinkLaggingIsrs } from './isrChanges.ts';
import {
  onCoordinatorAppended,
  onCoordinatorDeadline,
  onCoordinatorLoaded,
  serveFindCoordinator,
  serveGroupRequest,
  syncCoordinatorShards,
} from './groupCoordinatorHost.ts';
import { flush } from './partitionLog.ts';
import { serveApiVersions, serveInitProducerId, serveListOffsets, serveMetadata } from './serveClientRequests.ts';
import { onParkedFetchTimeout, serveFetch } from './serveFetch.ts';
import { onProduceTimeout, serveProduce } from './serveProduce.ts';

// A Kafka broker in KRaft mode as an XState machine: it registers with the controller, then heartbeats every
// broker.heartbeat.interval.ms, replaying the metadata records each answer carries; two periodic tasks, the ISR
// shrink check and the page cache reaching the disk, run on delayed events of their own. Requests are
// handled in any state by the pure rules of this folder; each returns the next state and a list of effects,
// which `step` turns into emitted sends, persists and notes, and into delayed events with ids.

/** The broker's config, beside the host's `nodeId`, `disk`, `rng` and `now`. */
export interface BrokerInput extends NodeInput {
  brokerId: number;
  config?: Partial<Omit<BrokerConfig, 'weakenings'>> & { weakenings?: Partial<BrokerWeakenings> };
}

interface BrokerContext {
  state: BrokerState;
  now: () => number;
}

type BrokerEvent =
  | ((KafkaMessage | GroupMessage | ConnectionResetMessage) & { from: string })
  | BrokerTimerEvent
  | { type: 'broker.isrCheck' }
  | { type: 'broker.writeback' };

type Rule = (state: BrokerState, event: BrokerEvent, nowMs: number, out: BrokerEffect[]) => BrokerState;

// Runs a rule and carries out its effects (actors/roleEffects.ts; a persist writes the broker's logs).
function step(rule: Rule) {
  return enqueueActions<BrokerContext, BrokerEvent, undefined, BrokerEvent, never, never, never, never, HostEmitted>(
    ({ context, event, enqueue }) => {
      const out: BrokerEffect[] = [];
      const next = rule(context.state, event, context.now(), out);
      if (next !== context.state) enqueue.assign({ state: next });
      for (const effect of out) {
        if (effect.kind === 'persist') enqueue.emit({ type: 'persist', data: brokerDisk(next), fsync: effect.fsync });
        else enqueueRoleEffect(enqueue, effect);
      }
    },
  );
}

const as = <E>(event: BrokerEvent) => event as unknown as E & { from: string };

// A request rule behind the broker's listeners: before the initial catch-up the connection is refused instead.
function serve(rule: Rule): Rule {
  return (state, event, nowMs, out) => {
    if (state.caughtUp) return rule(state, event, nowMs, out);
    out.push({ kind: 'disconnect', to: (event as { from: string }).from });
    return state;
  };
}

export const brokerMachine = setup({
  types: {
    input: {} as BrokerInput,
    context: {} as BrokerContext,
    events: {} as BrokerEvent,
    emitted: {} as HostEmitted,
  },
  delays: {
    registrationRetry: ({ context }) => context.state.config.registrationRetryMs,
    heartbeatInterval: ({ context }) => context.state.config.brokerHeartbeatIntervalMs,
  },
  guards: {
    isAcceptedRegistration: ({ context, event }) => {
      const response = as<BrokerRegisterResponse>(event);
      return response.errorCode === undefined && response.incarnationId === context.state.incarnationId;
    },
    isStaleEpoch: ({ event }) => as<BrokerHeartbeatResponse>(event).errorCode === 'STALE_BROKER_EPOCH',
  },
  actions: {
    sendRegistration: step((state, _event, _now, out) => {
      out.push({ kind: 'send', to: CONTROLLER_NODE_ID, message: { type: 'broker.register', brokerId: state.brokerId, incarnationId: state.incarnationId } });
      return state;
    }),
    acceptRegistration: step((state, event) => ({ ...state, brokerEpoch: as<BrokerRegisterResponse>(event).brokerEpoch, isFenced: true })),
    sendHeartbeat: step((state, _event, _now, out) => {
      out.push({
        kind: 'send',
        to: CONTROLLER_NODE_ID,
        message: { type: 'broker.heartbeat', brokerId: state.brokerId, brokerEpoch: state.brokerEpoch, currentMetadataOffset: state.image.offset, wantFence: false },
      });
      return state;
    }),
    onHeartbeatResponse: step((state, event, nowMs, out) => {
      const response = as<BrokerHeartbeatResponse>(event);
      if (response.brokerEpoch !== state.brokerEpoch) return state;
      const next = applyMetadataRecords(state, response.fromOffset, response.records, nowMs, out);
      return syncCoordinatorShards({ ...next, isFenced: response.isFenced, caughtUp: true }, out);
    }),
    forgetEpoch: step((state) => ({ ...state, brokerEpoch: -1, isFenced: true })),
    onMetadataRecords: step((state, event, nowMs, out) => {
      const push = as<MetadataRecordsPush>(event);
      return syncCoordinatorShards(applyMetadataRecords(state, push.fromOffset, push.records, nowMs, out), out);
    }),
    onFindCoordinator: step(serve((state, event, _now, out) => serveFindCoordinator(state, as<FindCoordinatorRequest>(event), out))),
    onGroupRequest: step(serve((state, event, nowMs, out) => serveGroupRequest(state, as<GroupRequestMessage>(event), nowMs, out))),
    onProduce: step(serve((state, event, _now, out) => serveProduce(state, as<ProduceRequest>(event), out))),
    onFetch: step(serve((state, event, nowMs, out) => serveFetch(state, as<FetchRequest>(event), nowMs, out))),
    onFetchResponse: step((state, event, _now, out) => onFollowerFetchResponse(state, as<FetchResponse>(event), out)),
    onConnectionReset: step((state, event, _now, out) => {
      const leaderId = brokerIdOf((event as { from: string }).from);
      return leaderId === undefined ? state : onFollowerConnectionReset(state, leaderId, out);
    }),
    onMetadataRequest: step(serve((state, event, _now, out) => serveMetadata(state, as<MetadataRequest>(event), out))),
    onApiVersions: step(serve((state, event, _now, out) => serveApiVersions(state, as<ApiVersionsRequest>(event), out))),
    onInitProducerId: step(serve((state, event, _now, out) => serveInitProducerId(state, as<InitProducerIdRequest>(event), out))),
    onListOffsets: step(serve((state, event, _now, out) => serveListOffsets(state, as<ListOffsetsRequest>(event), out))),
    onAlterPartitionResponse: step((state, event, _now, out) => onAlterPartitionResponse(state, as<AlterPartitionResponse>(event), out)),
    onTimer: step((state, event, nowMs, out) => {
      const timer = event as BrokerTimerEvent;
      switch (timer.type) {
        case 'produce.timeout':
          return onProduceTimeout(state, timer.timerId, out);
        case 'fetch.parkedTimeout':
          return onParkedFetchTimeout(state, timer.timerId, out);
        case 'follower.fetchTimeout':
          return onFollowerFetchTimeout(state, timer.key, timer.correlationId, out);
        case 'follower.fetchBackoff':
          return onFollowerFetchBackoff(state, timer.key, out);
        case 'alterPartition.timeout':
          return onAlterPartitionTimeout(state, timer.key, timer.partitionEpoch, out);
        case 'coordinator.loaded':
          return onCoordinatorLoaded(state, timer.partition, timer.leaderEpoch, nowMs, out);
        case 'coordinator.deadline':
          return onCoordinatorDeadline(state, timer.partition, nowMs, out);
        case 'coordinator.appended':
          return onCoordinatorAppended(state, timer.appendId, timer.errorCode, out);
      }
    }),
    checkIsr: step((state, _event, nowMs, out) => shrinkLaggingIsrs(state, nowMs, out)),
    // Kafka runs isr-expiration every replica.lag.time.max.ms / 2.
    scheduleIsrCheck: raise({ type: 'broker.isrCheck' }, { id: 'broker.isrCheck', delay: ({ context }) => context.state.config.replicaLagTimeMaxMs / 2 }),
    scheduleWriteback: raise({ type: 'broker.writeback' }, { id: 'broker.writeback', delay: ({ context }) => context.state.config.flushIntervalMs }),
    // The OS writes the page cache back: everything appended so far survives a power loss from now on.
    flushLogs: step((state, _event, _now, out) => {
      const partitions = Object.fromEntries(Object.entries(state.partitions).map(([key, replica]) => [key, { ...replica, log: flush(replica.log) }]));
      out.push({ kind: 'persist', fsync: true });
      return { ...state, partitions };
    }),
  },
}).createMachine({
  id: 'broker',
  context: ({ input }) => ({
    state: bootBrokerState(
      input.brokerId,
      input.rng.nanoid(22)(),
      {
        ...brokerConfigDefaults,
        ...input.config,
        weakenings: { ...brokerConfigDefaults.weakenings, ...input.config?.weakenings },
      },
      input.disk as BrokerDisk | undefined,
    ),
    now: input.now,
  }),
  // The periodic tasks run on delayed events of their own rather than in parallel regions: every event a broker
  // takes would otherwise walk all the regions, and brokers take most of a run's events.
  entry: ['scheduleIsrCheck', 'scheduleWriteback'],
  on: {
    'metadata.records': { actions: 'onMetadataRecords' },
    'produce.request': { actions: 'onProduce' },
    'fetch.request': { actions: 'onFetch' },
    'fetch.response': { actions: 'onFetchResponse' },
    'connection.reset': { actions: 'onConnectionReset' },
    'metadata.request': { actions: 'onMetadataRequest' },
    'apiVersions.request': { actions: 'onApiVersions' },
    'initProducerId.request': { actions: 'onInitProducerId' },
    'listOffsets.request': { actions: 'onListOffsets' },
    'partition.alter.response': { actions: 'onAlterPartitionResponse' },
    'produce.timeout': { actions: 'onTimer' },
    'fetch.parkedTimeout': { actions: 'onTimer' },
    'follower.fetchTimeout': { actions: 'onTimer' },
    'follower.fetchBackoff': { actions: 'onTimer' },
    'alterPartition.timeout': { actions: 'onTimer' },
    'coordinator.loaded': { actions: 'onTimer' },
    'coordinator.deadline': { actions: 'onTimer' },
    'coordinator.appended': { actions: 'onTimer' },
    'findCoordinator.request': { actions: 'onFindCoordinator' },
    'joinGroup.request': { actions: 'onGroupRequest' },
    'syncGroup.request': { actions: 'onGroupRequest' },
    'heartbeat.request': { actions: 'onGroupRequest' },
    'leaveGroup.request': { actions: 'onGroupRequest' },
    'offsetCommit.request': { actions: 'onGroupRequest' },
    'offsetFetch.request': { actions: 'onGroupRequest' },
    'broker.isrCheck': { actions: ['checkIsr', 'scheduleIsrCheck'] },
    'broker.writeback': { actions: ['flushLogs', 'scheduleWriteback'] },
  },
  initial: 'registering',
  states: {
    registering: {
      entry: 'sendRegistration',
      after: { registrationRetry: { target: 'registering', reenter: true } },
      on: {
        'broker.register.response': { guard: 'isAcceptedRegistration', target: 'registered', actions: 'acceptRegistration' },
      },
    },
    registered: {
      entry: 'sendHeartbeat',
      after: { heartbeatInterval: { target: 'registered', reenter: true } },
      on: {
        'broker.heartbeat.response': [
          { guard: 'isStaleEpoch', target: 'registering', actions: 'forgetEpoch' },
          { actions: 'onHeartbeatResponse' },
        ],
      },
    },
  },
});
