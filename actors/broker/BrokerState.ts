import type { MetadataImage } from '../controller/metadataImage.ts';
import { emptyMetadataImage } from '../controller/metadataImage.ts';
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { parseTopicPartitionKey, type KafkaMessage } from '../../src/protocol/messages.ts';
import type { GroupMessage } from '../../src/protocol/groupMessages.ts';
import { emptyCoordinatorHost, type CoordinatorHostState } from './CoordinatorHostState.ts';
import type { BrokerConfig } from './brokerConfig.ts';
import type { FollowerFetchState } from './isrMembership.ts';
import { emptyPurgatory, type Purgatory } from './purgatory.ts';
import type { RequestChannels } from './requestChannels.ts';
import type { ReconnectBackoff } from '../client/reconnectBackoff.ts';
import type { ProducerStates } from './producerState.ts';
import { rebuildProducerState } from './producerState.ts';
import type { ReplicaLog } from './ReplicaLog.ts';
import { trimToLogEnd } from './partitionLog.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import type { ControlMessage } from '../../src/protocol/controlRequests.ts';
import type { ZkConnectRequest, ZkRequest } from '../../src/protocol/zookeeperMessages.ts';
import type { ZkBrokerSide } from './zkBroker.ts';

// The broker machine's state as plain data, and the effects its rules ask for. The rules in this folder take a
// state and return the next one, pushing effects (messages, persists, timers) onto an array that the machine
// turns into emitted and delayed events: the rules never touch the bus, the clock or the disk themselves.

/** What the leader knows of a follower: its fetch state, and the broker epoch it last fetched with (KIP-903). */
export interface FollowerState extends FollowerFetchState {
  /** null until the follower fetches in this leader's tenure (Kafka's None): it is not ISR-eligible until then. */
  readonly brokerEpoch: number | null;
}

/** One partition replica hosted on this broker: its log, and the partition's state as this broker knows it. */
export interface PartitionReplica {
  readonly topic: string;
  readonly partition: number;
  readonly log: ReplicaLog;
  /** Idempotent producers' last batches, rebuilt from the log (Kafka snapshots it; the content is the same). */
  readonly producerStates: ProducerStates;
  // The partition's registration as the metadata log last told this broker (or an AlterPartition answer).
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  // Leader side.
  readonly followers: Readonly<Record<number, FollowerState>>;
  /** The LEO when this broker became leader of the current epoch (Partition.leaderEpochStartOffsetOpt). */
  readonly leaderEpochStartOffset: number;
  /** The ISR proposed by the AlterPartition in flight, or null (one at a time, as AlterPartitionManager). */
  readonly pendingIsr: readonly number[] | null;
}

/** One partition of a follower fetch in flight: what it asked, so a stale answer can be told apart (bug R13). */
export interface FetchedPartition {
  readonly key: string;
  readonly fetchOffset: number;
  readonly leaderEpoch: number;
}

/**
 * The follower's fetcher for one leader (Kafka's ReplicaFetcherThread per source broker): one Fetch in flight at a
 * time covering every partition this broker follows there, partitions held back after an error until a time,
 * and the whole fetcher held back after a failed request.
 */
export interface FetcherState {
  readonly inFlight: { readonly correlationId: number; readonly deadlineMs: number; readonly partitions: readonly FetchedPartition[] } | null;
  /**
   * When the fetcher's request-timeout timer fires, or null when none is set. It is set when a fetch goes out with
   * none pending and set again for the fetch then in flight when it fires early, so a fetcher answered every few
   * hundred milliseconds does not set and cancel a timer per fetch.
   */
  readonly timeoutTimerAtMs: number | null;
  readonly backoffUntilMs: number;
  /** Partitions delayed by replica.fetch.backoff.ms after a partition error, until when. */
  readonly delayedUntilMs: Readonly<Record<string, number>>;
}

/** The broker's whole state. */
export interface BrokerState {
  readonly brokerId: number;
  readonly config: BrokerConfig;
  readonly incarnationId: string;
  /** -1 until the controller accepts the registration. */
  readonly brokerEpoch: number;
  readonly isFenced: boolean;
  /**
   * Whether the broker has caught up with the metadata log since it booted (its first heartbeat answer after
   * registering). Until then its listeners are closed, as `BrokerServer` enables request processing only after the
   * initial catch-up: every request is refused with a connection reset.
   */
  readonly caughtUp: boolean;
  readonly image: MetadataImage;
  /** Partitions with a replica here, by `topic-partition`. */
  readonly partitions: Readonly<Record<string, PartitionReplica>>;
  /** Producer ids handed out in this incarnation (serveInitProducerId). */
  readonly nextProducerIdSequence: number;
  readonly nextCorrelationId: number;
  /** Delayed produces and fetches, by the id of their timeout timer. */
  readonly purgatory: Purgatory;
  /** The follower's fetchers, by the id of the leader they fetch from. */
  readonly fetchers: Readonly<Record<number, FetcherState>>;
  /** The connection to the controller when it broke: reconnect.backoff.ms before AlterPartition goes again. */
  readonly controllerBackoff: ReconnectBackoff;
  /** Clients' connections: the request in progress on each, and those waiting behind it (requestChannels.ts). */
  readonly channels: RequestChannels<BrokerRequest>;
  readonly nextTimerId: number;
  /** The group coordinator hosted for the `__consumer_offsets` partitions this broker leads. */
  readonly coordinator: CoordinatorHostState;
  /** A controlled shutdown under way, or done (brokerLifecycle.ts); null while the broker runs. */
  readonly shutdown: ControlledShutdown | null;
  /** The broker epoch of the incarnation before, when it shut down cleanly (its clean-shutdown file); else -1. */
  readonly previousBrokerEpoch: number;
  /** A ZooKeeper-mode broker's session, registration, election and controller (zkBroker.ts); null in KRaft mode. */
  readonly zk: ZkBrokerSide | null;
}

/**
 * A controlled shutdown (BrokerLifecycleManager's PENDING_CONTROLLED_SHUTDOWN): heartbeats ask the controller to
 * move the broker's leaderships (`gotResponse` once it has answered one), until it says the broker may go; `done`
 * once the broker has flushed its logs and exits. A ZooKeeper-mode broker is `asking` instead: it sends the
 * controller ControlledShutdownRequests, at most controlled.shutdown.max.retries of them (`correlationId` is the one
 * awaiting its answer, null between attempts; zkControlledShutdown.ts).
 */
export type ControlledShutdown =
  | { readonly phase: 'pending'; readonly gotResponse: boolean }
  | { readonly phase: 'asking'; readonly remainingRetries: number; readonly correlationId: number | null }
  | { readonly phase: 'done' };

/** A request a client (or a follower) sent this broker, as the machine receives it. */
export type BrokerRequest = (KafkaMessage | GroupMessage | ControlMessage) & { readonly from: string };

/** The timers the rules set; each fires back into the machine as this event. */
export type BrokerTimerEvent =
  | { type: 'purgatory.expire' }
  | { type: 'follower.fetchTimeout'; leaderId: number }
  | { type: 'follower.fetchBackoff'; leaderId: number }
  | { type: 'alterPartition.timeout'; key: string; partitionEpoch: number }
  | { type: 'coordinator.loaded'; partition: number; leaderEpoch: number }
  | { type: 'coordinator.deadline'; partition: number }
  | { type: 'coordinator.appended'; appendId: string; errorCode: KafkaErrorType }
  | { type: 'shutdown.heartbeat' }
  | { type: 'shutdown.timeout' }
  | { type: 'zk.tick' }
  | { type: 'zk.register' }
  | { type: 'zk.controlResend'; brokerId: number }
  | { type: 'zk.shutdownTimeout'; correlationId: number }
  | { type: 'zk.shutdownRetry' }
  | { type: 'zk.autoRebalance' };

/** What a rule asks the machine to do. */
export type BrokerEffect =
  | { kind: 'send'; to: string; message: KafkaMessage | GroupMessage | ControlMessage | ZkConnectRequest | ZkRequest }
  | { kind: 'persist'; fsync: boolean }
  | { kind: 'timer'; id: string; delayMs: number; event: BrokerTimerEvent }
  | { kind: 'cancel'; id: string }
  | { kind: 'note'; data: unknown }
  | { kind: 'disconnect'; to: string }
  /** The process exits (the end of a controlled shutdown): the machine stops after this step. */
  | { kind: 'exit' };

/** What the broker keeps on disk: its replica logs, and the clean-shutdown file after a clean exit. */
export interface BrokerDisk {
  logs: Record<string, ReplicaLog>;
  /** The broker epoch the broker had when it shut down cleanly (KIP-966's clean shutdown file). */
  cleanShutdownBrokerEpoch?: number;
}

/** A broker as it boots: logs from disk, no metadata yet (it replays the whole log after registering). */
export function bootBrokerState(brokerId: number, incarnationId: string, config: BrokerConfig, disk: BrokerDisk | undefined): BrokerState {
  const partitions: Record<string, PartitionReplica> = {};
  for (const [key, log] of Object.entries(disk?.logs ?? {})) {
    const { topic, partition } = parseTopicPartitionKey(key);
    // A log saved at a writeback may share its batch array with later appends (reuseBatches): cut it to its end.
    const replica = newReplica(topic, partition, trimToLogEnd(log));
    // Kafka rebuilds the producer state from its snapshot and the log (ProducerStateManager#truncateAndReload);
    // the producer-state-lost-on-restart weakening starts empty.
    partitions[key] = config.weakenings.producerStateLostOnRestart ? { ...replica, producerStates: {} } : replica;
  }
  return {
    brokerId,
    config,
    incarnationId,
    brokerEpoch: -1,
    isFenced: true,
    caughtUp: false,
    image: emptyMetadataImage(),
    partitions,
    nextProducerIdSequence: 0,
    nextCorrelationId: 0,
    purgatory: emptyPurgatory(),
    fetchers: {},
    controllerBackoff: {},
    channels: {},
    nextTimerId: 0,
    coordinator: emptyCoordinatorHost(),
    shutdown: null,
    previousBrokerEpoch: disk?.cleanShutdownBrokerEpoch ?? -1,
    zk: null,
  };
}

/** A replica of a partition this broker has just learned about (or found on disk), with no role yet. */
export function newReplica(topic: string, partition: number, log: ReplicaLog): PartitionReplica {
  return {
    topic,
    partition,
    log,
    producerStates: rebuildProducerState(log.batches),
    replicas: [],
    isr: [],
    leader: -1,
    leaderEpoch: -1,
    partitionEpoch: -1,
    followers: {},
    leaderEpochStartOffset: -1,
    pendingIsr: null,
  };
}

/** The disk image of a state: references to the logs (the host copies them when the node goes down). */
export function brokerDisk(state: BrokerState): BrokerDisk {
  const logs: Record<string, ReplicaLog> = {};
  for (const [key, replica] of Object.entries(state.partitions)) logs[key] = replica.log;
  return state.shutdown?.phase === 'done' ? { logs, cleanShutdownBrokerEpoch: state.brokerEpoch } : { logs };
}

// The partitions records made during the current machine step. A step that updates many partitions (a follower
// fetch covering a thousand of them, a metadata change) copies the record once, on its first update, and writes the
// rest into that copy, which nothing outside the step has seen yet; a record from an earlier step (in a snapshot, a
// report) is never written. Without this, such a step copies the whole record once per partition: quadratic.
// Outside a step (a rule called directly, as tests do) every update copies.
let currentStep = 0;
let lastStep = 0;
const madeInStep = new WeakMap<object, number>();

/** Runs `body` as one machine step: records made before it are copied before they are written again. */
export function inBrokerStep<T>(body: () => T): T {
  const outer = currentStep;
  currentStep = ++lastStep;
  try {
    return body();
  } finally {
    currentStep = outer;
  }
}

/** The state with one replica replaced. */
export function withReplica(state: BrokerState, replica: PartitionReplica): BrokerState {
  const key = topicPartitionKey(replica.topic, replica.partition);
  if (currentStep !== 0 && madeInStep.get(state.partitions) === currentStep) {
    (state.partitions as Record<string, PartitionReplica>)[key] = replica;
    return { ...state };
  }
  const partitions = { ...state.partitions, [key]: replica };
  if (currentStep !== 0) madeInStep.set(partitions, currentStep);
  return { ...state, partitions };
}

/** The replica of `topic-partition` hosted here, or undefined. */
export function replicaOf(state: BrokerState, topic: string, partition: number): PartitionReplica | undefined {
  const key = topicPartitionKey(topic, partition);
  return Object.hasOwn(state.partitions, key) ? state.partitions[key] : undefined;
}

/** A fresh timer id and the state that handed it out. */
export function nextTimer(state: BrokerState, prefix: string): [BrokerState, string] {
  return [{ ...state, nextTimerId: state.nextTimerId + 1 }, `${prefix}:${state.nextTimerId}`];
}

/** A fresh correlation id and the state that handed it out. */
export function nextCorrelation(state: BrokerState): [BrokerState, number] {
  return [{ ...state, nextCorrelationId: state.nextCorrelationId + 1 }, state.nextCorrelationId];
}
