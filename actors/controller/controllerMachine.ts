import { enqueueActions, setup } from 'xstate';
import type { HostEmitted, NodeInput } from '../../src/kernel/NodeHost.ts';
import type {
  AlterPartitionRequest,
  BrokerHeartbeatRequest,
  BrokerRegisterRequest,
  KafkaMessage,
} from '../../src/protocol/messages.ts';
import { errorField, partitionState } from '../../src/protocol/messages.ts';
import { brokerNodeId } from '../../src/protocol/nodeIds.ts';
import { send } from '../../src/protocol/send.ts';
import { controllerDefaults, type ControllerConfig } from './controllerDefaults.ts';
import type { CreateTopicRequest } from './createTopic.ts';
import { activateController, brokerHeartbeat, brokersToFence, fenceBroker, registerIncarnation } from './brokerRegistration.ts';
import { electionOptions } from './electionOptions.ts';
import { alterPartition } from './alterPartition.ts';
import { arePartitionLeadersImbalanced, balancePartitionLeaders } from './balancePartitionLeaders.ts';
import { createPartitions } from './createPartitions.ts';
import { createTopic } from './createTopic.ts';
import { emptyMetadataImage, isActiveBroker, replayAll, topicOf, type MetadataImage, type MetadataRecord } from './metadataImage.ts';

// The KRaft controller as an XState machine: the active controller of a one-node quorum. Its state is the
// metadata log (`__cluster_metadata`), persisted with fsync on every append as a Raft commit would be, and the
// image replayed from it; heartbeat times are soft state that a restart starts afresh (activateController).
// Every rule is a pure function in this folder; the machine routes requests to them, appends the records they
// return, pushes the new records to every registered broker and answers the sender.

/** The controller's config, beside the host's `nodeId`, `disk`, `rng` and `now`. */
export interface ControllerInput extends NodeInput {
  config?: Partial<ControllerConfig>;
  /** The brokers the cluster is built from: topics are created once all of them are registered and unfenced. */
  brokerIds: readonly number[];
  /** Topics to create at startup (an admin's CreateTopics), in order. */
  topics?: readonly CreateTopicRequest[];
  /** How often the controller looks for expired broker sessions and topics still to create. */
  tickIntervalMs?: number;
}

/** What the controller keeps on disk: the metadata log. */
export interface ControllerDisk {
  log: MetadataRecord[];
}

interface ControllerContext {
  config: ControllerConfig;
  brokerIds: readonly number[];
  topicsToCreate: readonly CreateTopicRequest[];
  tickIntervalMs: number;
  log: MetadataRecord[];
  image: MetadataImage;
  now: () => number;
  draw: { next(): number };
  /**
   * Automatic leader balancing (QuorumController's `imbalancedScheduled`): whether a pass is scheduled, and
   * whether the next one runs at once (the last stopped at its election limit) or a check interval later.
   */
  balance: { scheduled: boolean; immediately: boolean };
  /** When the stale-broker check is scheduled (the earliest session expiry), or null when none is. */
  fenceCheckAtMs: number | null;
}

type ControllerEvent =
  | (KafkaMessage & { from: string })
  | { type: 'controller.tick' }
  | { type: 'controller.balanceLeaders' }
  | { type: 'controller.fenceStaleBrokers' }
  | (AdminCreatePartitions & { from: string });

/** An administrator's CreatePartitions (kafka-topics.sh --alter --partitions), sent to the controller by the application. */
export interface AdminCreatePartitions {
  type: 'admin.createPartitions';
  topic: string;
  totalCount: number;
}

/** The result of a rule: the records it wrote and the image they produce. */
interface Written {
  image: MetadataImage;
  records: readonly MetadataRecord[];
}

export const controllerMachine = setup({
  types: {
    input: {} as ControllerInput,
    context: {} as ControllerContext,
    events: {} as ControllerEvent,
    emitted: {} as HostEmitted,
  },
  delays: {
    tickInterval: ({ context }) => context.tickIntervalMs,
  },
  actions: {
    onRegister: enqueueActions(({ context: before, event, enqueue }) => {
      const context = fenceExpiredSessions(before, enqueue);
      const request = event as BrokerRegisterRequest & { from: string };
      const result = registerIncarnation(context.image, request, {
        nowMs: context.now(),
        brokerSessionTimeoutMs: context.config.brokerSessionTimeoutMs,
        ...electionOptions(context.config),
      });
      commit(context, result, enqueue);
      enqueue.emit(send(request.from, {
        type: 'broker.register.response',
        incarnationId: request.incarnationId,
        brokerEpoch: result.response.brokerEpoch,
        ...errorField(result.response.errorCode),
      }));
      scheduleFenceCheck(context, result.image, enqueue);
    }),
    onHeartbeat: enqueueActions(({ context: before, event, enqueue }) => {
      const context = fenceExpiredSessions(before, enqueue);
      const request = event as BrokerHeartbeatRequest & { from: string };
      const result = brokerHeartbeat(
        context.image,
        { ...request, wantShutDown: request.wantShutDown === true },
        { nowMs: context.now(), ...electionOptions(context.config) },
      );
      const log = commit(context, result, enqueue);
      // The records the broker has not replayed yet: a broker that missed pushes (partitioned, restarted) catches
      // up here, as a KRaft broker's metadata fetch would.
      const fromOffset = Math.max(0, request.currentMetadataOffset + 1);
      enqueue.emit(send(request.from, {
        type: 'broker.heartbeat.response',
        brokerEpoch: request.brokerEpoch,
        isFenced: result.response.isFenced,
        ...(result.response.shouldShutDown ? { shouldShutDown: true } : {}),
        records: log.slice(fromOffset),
        fromOffset,
        ...errorField(result.response.errorCode),
      }));
      scheduleFenceCheck(context, result.image, enqueue);
    }),
    onFenceStaleBrokers: enqueueActions(({ context: before, enqueue }) => {
      const context = fenceExpiredSessions({ ...before, fenceCheckAtMs: null }, enqueue);
      enqueue.assign({ fenceCheckAtMs: null });
      scheduleFenceCheck({ ...context, fenceCheckAtMs: null }, context.image, enqueue);
    }),
    // A refused request (unknown topic, not more partitions) changes nothing; the scenario checks it beforehand.
    onCreatePartitions: enqueueActions(({ context, event, enqueue }) => {
      const request = event as AdminCreatePartitions;
      const result = createPartitions(context.image, request, { replicaPlacer: context.config.replicaPlacer, draw: context.draw });
      commit(context, result, enqueue);
    }),
    onAlterPartition: enqueueActions(({ context: before, event, enqueue }) => {
      const context = fenceExpiredSessions(before, enqueue);
      const request = event as AlterPartitionRequest & { from: string };
      const result = alterPartition(context.image, request, electionOptions(context.config));
      commit(context, result, enqueue);
      const { response } = result;
      enqueue.emit(send(request.from, {
        type: 'partition.alter.response',
        topic: request.topic,
        partition: request.partition,
        ...(response.errorCode === 'NONE'
          ? { state: partitionState(request.topic, request.partition, response) }
          : { errorCode: response.errorCode }),
      }));
    }),
    onTick: enqueueActions(({ context, enqueue }) => {
      let image = context.image;
      const records: MetadataRecord[] = [];
      const write = (result: Written): void => {
        image = result.image;
        records.push(...result.records);
      };
      // Kafka fences one stale broker per controller event so each fencing sees the previous one's elections;
      // the loop does the same within one tick.
      const options = electionOptions(context.config);
      for (;;) {
        const [stale] = brokersToFence(image, context.now(), context.config.brokerSessionTimeoutMs);
        if (stale === undefined) break;
        write(fenceBroker(image, stale, options));
      }
      if (context.brokerIds.every((id) => isActiveBroker(image, id))) {
        for (const topic of context.topicsToCreate) {
          if (topicOf(image, topic.name) !== undefined) continue;
          const result = createTopic(image, topic, {
            numPartitions: context.config.numPartitions,
            defaultReplicationFactor: context.config.defaultReplicationFactor,
            replicaPlacer: context.config.replicaPlacer,
            draw: context.draw,
          });
          if (result.response.errorCode === 'NONE') write(result);
        }
      }
      commit(context, { image, records }, enqueue);
    }),
    onBalanceLeaders: enqueueActions(({ context, enqueue }) => {
      const result = balancePartitionLeaders(context.image, electionOptions(context.config));
      const balance = { scheduled: false, immediately: result.response };
      enqueue.assign({ balance });
      commit({ ...context, balance }, result, enqueue);
      if (result.records.length === 0) scheduleBalance({ ...context, balance }, result.image, enqueue);
    }),
    scheduleBalanceAtStart: enqueueActions(({ context, enqueue }) => scheduleBalance(context, context.image, enqueue)),
    scheduleFenceCheckAtStart: enqueueActions(({ context, enqueue }) => scheduleFenceCheck(context, context.image, enqueue)),
  },
}).createMachine({
  id: 'controller',
  context: ({ input }) => {
    const log = (input.disk as ControllerDisk | undefined)?.log ?? [];
    const nowMs = input.now();
    return {
      config: { ...controllerDefaults, ...input.config },
      brokerIds: input.brokerIds,
      topicsToCreate: input.topics ?? [],
      tickIntervalMs: input.tickIntervalMs ?? 1_000,
      log,
      // A newly active controller starts every broker's session now: heartbeat times are not in the log.
      image: activateController(replayAll(emptyMetadataImage(), log), nowMs),
      now: input.now,
      draw: input.rng,
      balance: { scheduled: false, immediately: false },
      fenceCheckAtMs: null,
    };
  },
  entry: ['scheduleBalanceAtStart', 'scheduleFenceCheckAtStart'],
  initial: 'active',
  states: {
    active: {
      after: {
        tickInterval: { target: 'active', reenter: true, actions: 'onTick' },
      },
      on: {
        'broker.register': { actions: 'onRegister' },
        'broker.heartbeat': { actions: 'onHeartbeat' },
        'partition.alter': { actions: 'onAlterPartition' },
        'admin.createPartitions': { actions: 'onCreatePartitions' },
        'controller.balanceLeaders': { actions: 'onBalanceLeaders' },
        'controller.fenceStaleBrokers': { actions: 'onFenceStaleBrokers' },
      },
    },
  },
});

/** What commit enqueues: a context update, emitted events, and the delayed balancing pass. */
interface Enqueue {
  assign(values: Partial<ControllerContext>): void;
  emit(event: HostEmitted): void;
  raise(event: ControllerEvent, options: { id: string; delay: number }): void;
  cancel(id: string): void;
}

// QuorumController fences a broker the moment its session expires: a deferred event at the earliest expiry
// (`rescheduleMaybeFenceStaleBrokers`), which runs before any later request. Every request here first fences what
// has expired (one broker at a time, so each fencing sees the elections of the one before), so a registration or
// heartbeat that arrives after a session expired finds it fenced, as in Kafka.
function fenceExpiredSessions(context: ControllerContext, enqueue: Enqueue): ControllerContext {
  let image = context.image;
  const records: MetadataRecord[] = [];
  const options = electionOptions(context.config);
  for (;;) {
    const [stale] = brokersToFence(image, context.now(), context.config.brokerSessionTimeoutMs);
    if (stale === undefined) break;
    const fenced = fenceBroker(image, stale, options);
    image = fenced.image;
    records.push(...fenced.records);
  }
  if (records.length === 0) return context;
  const log = commit(context, { image, records }, enqueue);
  return { ...context, image, log };
}

// Schedules the stale-broker check at the earliest session expiry of an unfenced broker (just past it: a session
// is valid up to its last instant), unless it is already scheduled then.
function scheduleFenceCheck(context: ControllerContext, image: MetadataImage, enqueue: Enqueue): void {
  const nowMs = context.now();
  let earliest = Number.POSITIVE_INFINITY;
  for (const broker of Object.values(image.brokers)) {
    if (!broker.fenced && broker.lastHeartbeatMs !== null) earliest = Math.min(earliest, broker.lastHeartbeatMs + context.config.brokerSessionTimeoutMs);
  }
  const atMs = earliest === Number.POSITIVE_INFINITY ? null : earliest + STALE_CHECK_SLACK_MS;
  if (atMs === context.fenceCheckAtMs) return;
  enqueue.cancel('controller.fenceStaleBrokers');
  if (atMs !== null) enqueue.raise({ type: 'controller.fenceStaleBrokers' }, { id: 'controller.fenceStaleBrokers', delay: Math.max(0, atMs - nowMs) });
  enqueue.assign({ fenceCheckAtMs: atMs });
}

/** How long after a session's last valid instant the check runs (Kafka's nanosecond; a microsecond here). */
const STALE_CHECK_SLACK_MS = 0.001;

// QuorumController#maybeScheduleNextBalancePartitionLeaders, after every write: while partitions are imbalanced
// and no pass is scheduled, the next one runs a check interval from now (10 ms if the last hit its limit).
function scheduleBalance(context: ControllerContext, image: MetadataImage, enqueue: Enqueue): void {
  if (!context.config.autoLeaderRebalanceEnable || context.balance.scheduled || !arePartitionLeadersImbalanced(image)) return;
  const delay = context.balance.immediately ? 10 : context.config.leaderImbalanceCheckIntervalMs;
  enqueue.raise({ type: 'controller.balanceLeaders' }, { id: 'controller.balanceLeaders', delay });
  enqueue.assign({ balance: { ...context.balance, scheduled: true } });
}

// Appends the records a rule wrote: the log is persisted (fsync: a Raft commit is durable), the image updated,
// and the records pushed to every registered broker. Returns the log after the append.
function commit(context: ControllerContext, result: Written, enqueue: Enqueue): MetadataRecord[] {
  if (result.records.length === 0) {
    if (result.image !== context.image) enqueue.assign({ image: result.image });
    return context.log;
  }
  const fromOffset = context.log.length;
  const log = context.log.concat(result.records);
  enqueue.assign({ log, image: result.image });
  scheduleBalance(context, result.image, enqueue);
  enqueue.emit({ type: 'persist', data: { log } satisfies ControllerDisk });
  const records = [...result.records];
  for (const brokerId of Object.keys(result.image.brokers).map(Number)) {
    enqueue.emit(send(brokerNodeId(brokerId), { type: 'metadata.records', fromOffset, records }));
  }
  return log;
}
