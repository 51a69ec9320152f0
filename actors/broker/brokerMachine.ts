import { enqueueActions, raise, setup } from 'xstate';
import type { ConnectionResetMessage } from '../../src/kernel/Bus.ts';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type {
  AlterPartitionResponse,
  BrokerHeartbeatResponse,
  BrokerRegisterResponse,
  FetchResponse,
  KafkaMessage,
  MetadataRecordsPush,
} from '../../src/protocol/messages.ts';
import { brokerIdOf, CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import { enqueueRoleEffect } from '../roleEffects.ts';
import type { GroupMessage } from '../../src/protocol/groupMessages.ts';
import { applyMetadataRecords } from './applyMetadata.ts';
import { brokerConfigDefaults, type BrokerConfig, type BrokerWeakenings } from './brokerConfig.ts';
import { bootBrokerState, brokerDisk, inBrokerStep, type BrokerDisk, type BrokerEffect, type BrokerRequest, type BrokerState, type BrokerTimerEvent } from './BrokerState.ts';
import { answeredChannels, channelKey, closeChannels, enqueueRequest, finishRequest, isChannelBusy, startRequest } from './requestChannels.ts';
import { onFollowerConnectionReset, onFollowerFetchBackoff, onFollowerFetchResponse, onFollowerFetchTimeout } from './followerFetcher.ts';
import { controllerAnswered, onAlterPartitionResponse, onAlterPartitionTimeout, onControllerConnectionReset, shrinkLaggingIsrs } from './isrChanges.ts';
import {
  onCoordinatorAppended,
  onCoordinatorDeadline,
  onCoordinatorLoaded,
  serveFindCoordinator,
  serveGroupRequest,
  syncCoordinatorShards,
} from './groupCoordinatorHost.ts';
import { flush } from './partitionLog.ts';
import { beginControlledShutdown, heartbeatRequest, onShutdownHeartbeatResponse, onShutdownHeartbeatTimer, onShutdownTimeout, registrationRequest } from './brokerLifecycle.ts';
import { serveApiVersions, serveInitProducerId, serveListOffsets, serveMetadata, serveOffsetsForLeaderEpoch } from './serveClientRequests.ts';
import { onPurgatoryExpiry } from './purgatoryTimer.ts';
import { serveFetch } from './delayedFetch.ts';
import { serveProduce } from './serveProduce.ts';
import {
  onControlConnectionReset,
  onControlRequestAnswered,
  onControlResendTimer,
  onZooKeeperConnectionReset,
  onZooKeeperMessage,
  onZooKeeperRegisterRetry,
  onZooKeeperTick,
  serveAlterPartition,
  serveControlledShutdown,
  serveCreatePartitions,
  onAutoRebalanceTimer,
  serveLeaderAndIsr,
  serveUpdateMetadata,
  startZooKeeperSide,
  controllerNodeOf,
} from './zkBroker.ts';
import { ZOOKEEPER_NODE_ID, type ZkConnectResponse, type ZkResponse, type ZkWatchEvent } from '../../src/protocol/zookeeperMessages.ts';
import type { ControlledShutdownResponse, ControlMessage } from '../../src/protocol/controlRequests.ts';
import { beginZkControlledShutdown, onControlledShutdownConnectionReset, onControlledShutdownResponse, onControlledShutdownRetry, onControlledShutdownTimeout } from './zkControlledShutdown.ts';

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
  | ((KafkaMessage | GroupMessage | ControlMessage | ConnectionResetMessage | ZkConnectResponse | ZkResponse | ZkWatchEvent) & { from: string })
  | BrokerTimerEvent
  | { type: 'broker.isrCheck' }
  | { type: 'broker.writeback' }
  /** The operator stops the broker (a `shutdown` fault): a controlled shutdown begins. */
  | { type: 'node.shutdown' };

type Rule = (state: BrokerState, event: BrokerEvent, nowMs: number, out: BrokerEffect[]) => BrokerState;

// Runs a rule and carries out its effects (actors/roleEffects.ts; a persist writes the broker's logs). Every
// response the rule sent frees its client's connection, and the request waiting there is served next
// (requestChannels.ts), in the same step.
function step(rule: Rule) {
  return enqueueActions<BrokerContext, BrokerEvent, undefined, BrokerEvent, never, never, never, never, HostEmitted>(
    ({ context, event, enqueue }) => {
      const out: BrokerEffect[] = [];
      const nowMs = context.now();
      const next = inBrokerStep(() => serveWaiting(rule(context.state, event, nowMs, out), nowMs, out));
      if (next !== context.state) enqueue.assign({ state: next });
      // The disk holds the step's last state: one persist for the step (fsync if any of its writes asked for it),
      // written where the first was asked for, so a crash right after it keeps everything the step wrote.
      let persisted = false;
      const fsync = out.some((effect) => effect.kind === 'persist' && effect.fsync);
      for (const effect of out) {
        if (effect.kind === 'exit') enqueue.emit({ type: 'exit' });
        else if (effect.kind !== 'persist') enqueueRoleEffect(enqueue, effect);
        else if (!persisted) {
          persisted = true;
          enqueue.emit({ type: 'persist', data: brokerDisk(next), fsync });
        }
      }
    },
  );
}

const as = <E>(event: BrokerEvent) => event as unknown as E & { from: string };

// The requests that waited behind those the effects answered; each may answer more.
function serveWaiting(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  let next = state;
  let index = 0;
  while (index < out.length) {
    const answered = answeredChannels(out, index);
    index = out.length;
    for (const { key, closed } of answered) {
      if (closed) {
        next = { ...next, channels: closeChannels(next.channels, key) };
        continue;
      }
      const finished = finishRequest(next.channels, key);
      if (finished.channels === next.channels) continue;
      next = { ...next, channels: finished.channels };
      if (finished.next !== undefined) next = serveRequest(next, finished.next, nowMs, out);
    }
  }
  return next;
}

// A client's request: served now if its connection has nothing in progress, else it waits its turn.
function onRequest(state: BrokerState, event: BrokerEvent, nowMs: number, out: BrokerEffect[]): BrokerState {
  const request = event as BrokerRequest;
  const key = channelKey(request.from, request.type);
  if (isChannelBusy(state.channels, key)) return { ...state, channels: enqueueRequest(state.channels, key, request) };
  return serveRequest({ ...state, channels: startRequest(state.channels, key) }, request, nowMs, out);
}

// Serves a request whose channel is now busy with it. A broker that has not caught up with the metadata log keeps
// its listeners closed: the connection is refused instead. An acks=0 Produce gets no response: its channel frees
// at once.
function serveRequest(state: BrokerState, request: BrokerRequest, nowMs: number, out: BrokerEffect[]): BrokerState {
  if (!state.caughtUp) {
    out.push({ kind: 'disconnect', to: request.from });
    return state;
  }
  const next = dispatch(state, request, nowMs, out);
  if (request.type !== 'produce.request' || request.acks !== 0) return next;
  const finished = finishRequest(next.channels, channelKey(request.from, request.type));
  const freed = { ...next, channels: finished.channels };
  return finished.next === undefined ? freed : serveRequest(freed, finished.next, nowMs, out);
}

function dispatch(state: BrokerState, request: BrokerRequest, nowMs: number, out: BrokerEffect[]): BrokerState {
  switch (request.type) {
    case 'produce.request':
      return serveProduce(state, request, nowMs, out);
    case 'fetch.request':
      return serveFetch(state, request, nowMs, out);
    case 'metadata.request':
      return serveMetadata(state, request, out);
    case 'apiVersions.request':
      return serveApiVersions(state, request, out);
    case 'initProducerId.request':
      return serveInitProducerId(state, request, out);
    case 'listOffsets.request':
      return serveListOffsets(state, request, out);
    case 'offsetsForLeaderEpoch.request':
      return serveOffsetsForLeaderEpoch(state, request, out);
    case 'findCoordinator.request':
      return serveFindCoordinator(state, request, out);
    case 'joinGroup.request':
    case 'syncGroup.request':
    case 'heartbeat.request':
    case 'leaveGroup.request':
    case 'offsetCommit.request':
    case 'offsetFetch.request':
      return serveGroupRequest(state, request, nowMs, out);
    case 'leaderAndIsr.request':
      return serveLeaderAndIsr(state, request, nowMs, out);
    case 'updateMetadata.request':
      return serveUpdateMetadata(state, request, out);
    case 'partition.alter':
      return serveAlterPartition(state, request, nowMs, out);
    case 'controlledShutdown.request':
      return serveControlledShutdown(state, request, nowMs, out);
    default:
      throw new Error(`broker ${state.brokerId}: no rule serves ${request.type}`);
  }
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
    isZooKeeperMode: ({ context }) => context.state.config.metadataMode === 'zookeeper',
  },
  actions: {
    sendRegistration: step((state, _event, _now, out) => {
      out.push({ kind: 'send', to: CONTROLLER_NODE_ID, message: registrationRequest(state) });
      return state;
    }),
    acceptRegistration: step((state, event) => ({ ...state, brokerEpoch: as<BrokerRegisterResponse>(event).brokerEpoch, isFenced: true })),
    sendHeartbeat: step((state, _event, _now, out) => {
      out.push({ kind: 'send', to: CONTROLLER_NODE_ID, message: heartbeatRequest(state) });
      return state;
    }),
    beginControlledShutdown: step((state, _event, _now, out) => (state.zk === null ? beginControlledShutdown(state, out) : beginZkControlledShutdown(state, out))),
    onCreatePartitions: step((state, event, nowMs, out) => serveCreatePartitions(state, as<{ topic: string; totalCount: number }>(event), nowMs, out)),
    onControlledShutdownResponse: step((state, event, _now, out) => onControlledShutdownResponse(state, as<ControlledShutdownResponse>(event), out)),
    // The clean-shutdown file is read at boot and deleted (LogManager): a crash of this incarnation is unclean.
    clearCleanShutdownFile: step((state, _event, _now, out) => {
      if (state.previousBrokerEpoch >= 0) out.push({ kind: 'persist', fsync: true });
      return state;
    }),
    onHeartbeatResponse: step((state, event, nowMs, out) => {
      const response = as<BrokerHeartbeatResponse>(event);
      if (response.brokerEpoch !== state.brokerEpoch) return state;
      const next = applyMetadataRecords(controllerAnswered(state), response.fromOffset, response.records, nowMs, out);
      const synced = syncCoordinatorShards({ ...next, isFenced: response.isFenced, caughtUp: true }, out);
      return onShutdownHeartbeatResponse(synced, response, out);
    }),
    forgetEpoch: step((state) => ({ ...state, brokerEpoch: -1, isFenced: true })),
    startZooKeeperSide: step((state, _event, nowMs, out) => startZooKeeperSide(state, nowMs, out)),
    onControlResponse: step((state, event, nowMs, out) => {
      const { from, correlationId } = event as { from: string; correlationId: number };
      return onControlRequestAnswered(state, from, correlationId, nowMs, out);
    }),
    onZooKeeperMessage: step((state, event, nowMs, out) => onZooKeeperMessage(state, event as ZkConnectResponse | ZkResponse | ZkWatchEvent, nowMs, out)),
    onMetadataRecords: step((state, event, nowMs, out) => {
      const push = as<MetadataRecordsPush>(event);
      return syncCoordinatorShards(applyMetadataRecords(state, push.fromOffset, push.records, nowMs, out), out);
    }),
    onFetchResponse: step((state, event, nowMs, out) => onFollowerFetchResponse(state, as<FetchResponse>(event), nowMs, out)),
    onRequest: step(onRequest),
    onConnectionReset: step((state, event, nowMs, out) => {
      // The connection closed: what the peer had waiting here is gone with it, and a fetcher's fetch failed.
      const { from } = event as { from: string };
      if (from === ZOOKEEPER_NODE_ID) return onZooKeeperConnectionReset(state, nowMs, out);
      // The controller's connection carried AlterPartition (in ZooKeeper mode the controller is a broker, whose
      // connection also carried fetches).
      const controllerReset = from === controllerNodeOf(state) ? onControlledShutdownConnectionReset(onControllerConnectionReset(state, nowMs, out), out) : state;
      const leaderId = brokerIdOf(from);
      // The controller's channel to that broker, if this broker controls.
      const channelReset = leaderId === undefined ? controllerReset : onControlConnectionReset(controllerReset, leaderId, nowMs, out);
      const next = { ...channelReset, channels: closeChannels(channelReset.channels, from) };
      return leaderId === undefined ? next : onFollowerConnectionReset(next, leaderId, nowMs, out);
    }),
    onAlterPartitionResponse: step((state, event, nowMs, out) => onAlterPartitionResponse(state, as<AlterPartitionResponse>(event), out, nowMs)),
    onTimer: step((state, event, nowMs, out) => {
      const timer = event as BrokerTimerEvent;
      switch (timer.type) {
        case 'purgatory.expire':
          return onPurgatoryExpiry(state, nowMs, out);
        case 'follower.fetchTimeout':
          return onFollowerFetchTimeout(state, timer.leaderId, nowMs, out);
        case 'follower.fetchBackoff':
          return onFollowerFetchBackoff(state, timer.leaderId, nowMs, out);
        case 'alterPartition.timeout':
          return onAlterPartitionTimeout(state, timer.key, timer.partitionEpoch, out);
        case 'coordinator.loaded':
          return onCoordinatorLoaded(state, timer.partition, timer.leaderEpoch, nowMs, out);
        case 'coordinator.deadline':
          return onCoordinatorDeadline(state, timer.partition, nowMs, out);
        case 'coordinator.appended':
          return onCoordinatorAppended(state, timer.appendId, timer.errorCode, nowMs, out);
        case 'shutdown.heartbeat':
          return onShutdownHeartbeatTimer(state, out);
        case 'shutdown.timeout':
          return onShutdownTimeout(state, out);
        case 'zk.tick':
          return onZooKeeperTick(state, nowMs, out);
        case 'zk.register':
          return onZooKeeperRegisterRetry(state, nowMs, out);
        case 'zk.controlResend':
          return onControlResendTimer(state, timer.brokerId, nowMs, out);
        case 'zk.shutdownTimeout':
          return onControlledShutdownTimeout(state, timer.correlationId, out);
        case 'zk.shutdownRetry':
          return onControlledShutdownRetry(state, out);
        case 'zk.autoRebalance':
          return onAutoRebalanceTimer(state, nowMs, out);
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
  entry: ['clearCleanShutdownFile', 'scheduleIsrCheck', 'scheduleWriteback'],
  on: {
    'metadata.records': { actions: 'onMetadataRecords' },
    'produce.request': { actions: 'onRequest' },
    'fetch.request': { actions: 'onRequest' },
    'fetch.response': { actions: 'onFetchResponse' },
    'connection.reset': { actions: 'onConnectionReset' },
    'metadata.request': { actions: 'onRequest' },
    'apiVersions.request': { actions: 'onRequest' },
    'initProducerId.request': { actions: 'onRequest' },
    'listOffsets.request': { actions: 'onRequest' },
    'offsetsForLeaderEpoch.request': { actions: 'onRequest' },
    'partition.alter.response': { actions: 'onAlterPartitionResponse' },
    'purgatory.expire': { actions: 'onTimer' },
    'follower.fetchTimeout': { actions: 'onTimer' },
    'follower.fetchBackoff': { actions: 'onTimer' },
    'alterPartition.timeout': { actions: 'onTimer' },
    'coordinator.loaded': { actions: 'onTimer' },
    'coordinator.deadline': { actions: 'onTimer' },
    'coordinator.appended': { actions: 'onTimer' },
    'shutdown.heartbeat': { actions: 'onTimer' },
    'shutdown.timeout': { actions: 'onTimer' },
    'node.shutdown': { actions: 'beginControlledShutdown' },
    'findCoordinator.request': { actions: 'onRequest' },
    'joinGroup.request': { actions: 'onRequest' },
    'syncGroup.request': { actions: 'onRequest' },
    'heartbeat.request': { actions: 'onRequest' },
    'leaveGroup.request': { actions: 'onRequest' },
    'offsetCommit.request': { actions: 'onRequest' },
    'offsetFetch.request': { actions: 'onRequest' },
    'broker.isrCheck': { actions: ['checkIsr', 'scheduleIsrCheck'] },
    'broker.writeback': { actions: ['flushLogs', 'scheduleWriteback'] },
  },
  initial: 'booting',
  states: {
    // KRaft mode registers with the controller quorum; ZooKeeper mode opens a session (zkBroker.ts) and stays.
    booting: {
      always: [{ guard: 'isZooKeeperMode', target: 'zookeeper' }, { target: 'registering' }],
    },
    zookeeper: {
      entry: 'startZooKeeperSide',
      on: {
        'zk.connect.response': { actions: 'onZooKeeperMessage' },
        'zk.response': { actions: 'onZooKeeperMessage' },
        'zk.watch.event': { actions: 'onZooKeeperMessage' },
        'zk.tick': { actions: 'onTimer' },
        'zk.register': { actions: 'onTimer' },
        'zk.controlResend': { actions: 'onTimer' },
        'leaderAndIsr.response': { actions: 'onControlResponse' },
        'updateMetadata.response': { actions: 'onControlResponse' },
        'leaderAndIsr.request': { actions: 'onRequest' },
        'updateMetadata.request': { actions: 'onRequest' },
        'partition.alter': { actions: 'onRequest' },
        'controlledShutdown.request': { actions: 'onRequest' },
        'admin.createPartitions': { actions: 'onCreatePartitions' },
        'controlledShutdown.response': { actions: 'onControlledShutdownResponse' },
        'zk.shutdownTimeout': { actions: 'onTimer' },
        'zk.shutdownRetry': { actions: 'onTimer' },
        'zk.autoRebalance': { actions: 'onTimer' },
      },
    },
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
