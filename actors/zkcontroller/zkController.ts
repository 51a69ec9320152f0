import type { ZkCall } from '../zookeeper/zkClient.ts';
import type { ZkResponse } from '../../src/protocol/zookeeperMessages.ts';
import type { AlterPartitionRequest, AlterPartitionResponse, PartitionState } from '../../src/protocol/messages.ts';
import type { ControlledShutdownRequest, ControlledShutdownResponse, LeaderAndIsrRequest, UpdateMetadataRequest } from '../../src/protocol/controlRequests.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import { decideAlterPartition } from './alterPartition.ts';
import { onBrokerFailure, partitionStatePath, partitionStateWrite, readPartitionStateZNode, stateChange, type ControllerPartition, type ControllerView, type PartitionStateChange } from './brokerFailure.ts';
import { BROKER_IDS_PATH, brokerPath } from './brokerRegistration.ts';
import { decideControlledShutdown, partitionsLedBy } from './controlledShutdown.ts';
import { decideCreatePartitions } from './createPartitions.ts';
import { autoRebalanceChanges, FIRST_REBALANCE_CHECK_MS, type AutoLeaderRebalance } from './autoLeaderRebalance.ts';
import { initialPartitionStates, partitionStateCreates, type NewPartition } from './newPartitions.ts';
import { leaderForOffline, type ZkLeaderAndIsr } from './partitionLeaderElection.ts';
import { addLeaderAndIsr, addUpdateMetadata, batchRequests, emptyRequestBatch, liveBrokerIds, type PartitionToSend, type RequestBatch } from './requestBatch.ts';

// The active controller of a ZooKeeper-mode cluster (Kafka 3.9 `KafkaController`), wired from the pure decisions of
// this folder: what it reads from ZooKeeper when it takes over, what it does when `/brokers/ids` changes and when a
// leader sends AlterPartition, and the requests it sends brokers. Kafka's controller runs one event at a time on its
// event thread and blocks on each ZooKeeper call; here its calls are asynchronous and tagged, and the requests a round
// of writes produces go out once every write of the round has been answered (`ControllerBrokerRequestBatch#
// sendRequestsToBrokers` after the state machines' `handleStateChanges`). Every write is conditional on the
// controller epoch's zkVersion: a controller that finds it moved resigns (`ControllerMovedException`).
//
// - Failover (`onControllerFailover` / `initializeControllerContext`): watch and read `/brokers/ids` (each broker's
//   znode for its epoch, the czxid) and `/brokers/topics` (each topic's assignment, each partition's state znode);
//   then UpdateMetadata to every live broker, LeaderAndIsr for every partition with a leader to its live replicas,
//   dead replicas out of the ISRs (`ReplicaStateMachine#startup`), and new and offline partitions elected
//   (`PartitionStateMachine#startup`).
// - Broker change (`processBrokerChange`): read the children and their epochs again; a broker gone, or back with
//   another epoch (bounced), fails (`onBrokerFailure`: offline elections, out of the ISRs); a broker new or back
//   starts (`onBrokerStartup`: UpdateMetadata to everyone, LeaderAndIsr for its partitions, then the offline
//   partitions elected).
// - AlterPartition (`processAlterPartition`): decided by alterPartition.ts, written, answered, and UpdateMetadata
//   sent to every live broker.
// - A topic's assignment changed (`processPartitionModifications`, the watch on `/brokers/topics/<topic>` set when it
//   was read): its new partitions are created (`onNewPartitionCreation`). CreatePartitions from an administrator
//   writes that assignment (createPartitions.ts).
// - ControlledShutdown (`processControlledShutdown`): decided by controlledShutdown.ts, written, and answered with the
//   partitions the broker still leads once the writes are done; the broker stays among the shutting-down brokers
//   (no candidate in elections, no ISR member in AlterPartitions) until it leaves `/brokers/ids`.
// A write that finds the partition's zkVersion moved (BADVERSION on the state znode) reads the state again and
// decides once more, as `ZkPartitionStateMachine#electLeaderForPartitions` retries with fresh states; a lost
// connection repeats the call (`retryRequestsUntilConnected`).

/** What an outstanding ZooKeeper call is for. */
type ControllerCall =
  | { readonly op: 'brokerIds' }
  | { readonly op: 'brokerEpoch'; readonly id: number }
  | { readonly op: 'topics' }
  | { readonly op: 'assignment'; readonly topic: string }
  | { readonly op: 'assignmentChanged'; readonly topic: string }
  | { readonly op: 'assignmentWrite'; readonly topic: string }
  | { readonly op: 'partitionState'; readonly topic: string; readonly partition: number; readonly replicas: readonly number[] }
  | { readonly op: 'write'; readonly change: PartitionStateChange; readonly alter?: { readonly from: string } }
  | { readonly op: 'reread'; readonly topic: string; readonly partition: number; readonly wanted: ZkLeaderAndIsr }
  | { readonly op: 'createParent' }
  | { readonly op: 'create'; readonly partition: NewPartition; readonly state: ZkLeaderAndIsr };

/** A re-read of `/brokers/ids` in progress: the children, and the epochs read so far. */
interface BrokerRead {
  readonly ids: readonly number[];
  readonly epochs: Readonly<Record<number, number>>;
}

/** The active controller's state. */
export interface ZkControllerState {
  readonly brokerId: number;
  readonly view: ControllerView;
  /** Reading the cluster at failover: nothing is decided until every read is answered. */
  readonly loading: boolean;
  readonly brokerRead: BrokerRead | null;
  /** Another broker change came while one was being read: read again once it is done. */
  readonly brokerChangeAgain: boolean;
  readonly pending: Readonly<Record<string, { readonly what: ControllerCall; readonly call: ZkCall }>>;
  readonly nextTag: number;
  /** The requests the current round of writes will send, and how many of its writes are unanswered. */
  readonly round: RequestBatch;
  readonly roundWrites: number;
  readonly nextCorrelationId: number;
  /** `unclean.leader.election.enable`, the broker's, for every topic (no per-topic overrides in ZooKeeper mode here). */
  readonly uncleanLeaderElectionEnable: boolean;
  /** auto.leader.rebalance.enable and its interval and threshold (autoLeaderRebalance.ts). */
  readonly autoLeaderRebalance: AutoLeaderRebalance;
  /**
   * Per live broker, the request on its way and those queued behind it (`ControllerChannelManager`: one
   * RequestSendThread per broker sends one request at a time and retries it until answered, reconnecting after a
   * broken connection; a broker that dies has its queue dropped).
   */
  readonly channels: Readonly<Record<number, ControllerChannel>>;
  /** `ControllerContext.shuttingDownBrokerIds`: registered brokers in controlled shutdown. */
  readonly shuttingDown: readonly number[];
  /** ControlledShutdownRequests not answered yet: waiting for the failover reads, or for their writes. */
  readonly shutdownRequests: readonly PendingShutdown[];
}

/** A ControlledShutdownRequest the controller holds: decided (its writes sent) or not yet. */
interface PendingShutdown {
  readonly from: string;
  readonly request: ControlledShutdownRequest;
  readonly decided: boolean;
}

/** A request to a broker as the controller's channel holds it. */
export type ControlRequest = LeaderAndIsrRequest | UpdateMetadataRequest;

/** One broker's channel. */
export interface ControllerChannel {
  readonly inFlight: ControlRequest | null;
  readonly queue: readonly ControlRequest[];
}

/** How long a RequestSendThread waits before it reconnects and sends again (`backoff()`, 100 ms). */
export const CONTROLLER_RESEND_BACKOFF_MS = 100;

/** What a controller step asks of its broker: ZooKeeper calls (tagged), messages to nodes, or to resign. */
export interface ControllerOutput {
  readonly calls: Array<{ readonly tag: string; readonly call: ZkCall }>;
  /**
   * When each channel's request goes again unless answered first: at the request timeout after it is sent
   * (`controller.socket.timeout.ms`: the connection is closed and the request resent), or after
   * CONTROLLER_RESEND_BACKOFF_MS when the connection broke. A channel whose request was answered clears its timer
   * (null).
   */
  readonly resendTimers: Array<{ readonly brokerId: number; readonly after: 'timeout' | 'backoff' | null }>;
  readonly sends: Array<{ readonly to: number | string; readonly message: LeaderAndIsrRequest | UpdateMetadataRequest | AlterPartitionResponse | ControlledShutdownResponse }>;
  resign: boolean;
  /** The next automatic leader-balance check, this long from now (null: none asked for). */
  rebalanceAfterMs: number | null;
}

/** An output with nothing in it yet. */
export function emptyControllerOutput(): ControllerOutput {
  return { calls: [], sends: [], resendTimers: [], resign: false, rebalanceAfterMs: null };
}

/** The tag prefix of the controller's ZooKeeper calls. */
export const CONTROLLER_TAG = 'ctl:';

/** A broker just elected: it starts reading the cluster (`onControllerFailover`). */
export function startController(
  brokerId: number,
  election: { readonly epoch: number; readonly epochZkVersion: number },
  options: { readonly uncleanLeaderElectionEnable: boolean; readonly autoLeaderRebalance: AutoLeaderRebalance },
  out: ControllerOutput,
): ZkControllerState {
  const state: ZkControllerState = {
    brokerId,
    view: { epoch: election.epoch, epochZkVersion: election.epochZkVersion, liveBrokers: {}, partitions: [], uncleanLeaderElection: {} },
    loading: true,
    brokerRead: null,
    brokerChangeAgain: false,
    pending: {},
    nextTag: 0,
    round: emptyRequestBatch(),
    roundWrites: 0,
    nextCorrelationId: 0,
    ...options,
    channels: {},
    shuttingDown: [],
    shutdownRequests: [],
  };
  const reading = ask(state, { op: 'brokerIds' }, { type: 'zk.getChildren.request', path: BROKER_IDS_PATH, watch: true }, out);
  return ask(reading, { op: 'topics' }, { type: 'zk.getChildren.request', path: '/brokers/topics', watch: true }, out);
}

/** The controller's answer to a leader's AlterPartition: the state now in force, or an error. */
export function alterPartitionAnswer(topic: string, partition: number, body: Pick<AlterPartitionResponse, 'errorCode' | 'state'>): AlterPartitionResponse {
  return { type: 'partition.alter.response', topic, partition, ...body };
}

/**
 * What a resigning controller still owes: NOT_CONTROLLER for every AlterPartition it was writing and every
 * ControlledShutdownRequest it holds (`ControllerMovedException`).
 */
export function resignController(state: ZkControllerState): Array<{ readonly to: string; readonly message: AlterPartitionResponse | ControlledShutdownResponse }> {
  const alters = Object.values(state.pending).flatMap(({ what }) =>
    what.op === 'write' && what.alter !== undefined
      ? [{ to: what.alter.from, message: alterPartitionAnswer(what.change.topic, what.change.partition, { errorCode: 'NOT_CONTROLLER' }) }]
      : [],
  );
  return [...alters, ...state.shutdownRequests.map(({ from, request }) => ({ to: from, message: controlledShutdownAnswer(request, { errorCode: 'NOT_CONTROLLER' }) }))];
}

/** A broker asks to shut down (`processControlledShutdown`): decided once the cluster is read, answered once written. */
export function onControlledShutdown(state: ZkControllerState, from: string, request: ControlledShutdownRequest, out: ControllerOutput): ZkControllerState {
  const held: ZkControllerState = { ...state, shutdownRequests: [...state.shutdownRequests, { from, request, decided: false }] };
  return answerShutdowns(decideShutdowns(held, out), out);
}

function controlledShutdownAnswer(request: ControlledShutdownRequest, body: Partial<Pick<ControlledShutdownResponse, 'errorCode' | 'remainingPartitions'>>): ControlledShutdownResponse {
  return { type: 'controlledShutdown.response', correlationId: request.correlationId, remainingPartitions: body.remainingPartitions ?? [], ...(body.errorCode === undefined ? {} : { errorCode: body.errorCode }) };
}

// The shutdown requests not decided yet, once the failover reads are done: refused, or their changes written.
function decideShutdowns(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  if (state.loading || state.shutdownRequests.every((r) => r.decided)) return state;
  let next = state;
  const kept: PendingShutdown[] = [];
  for (const pending of state.shutdownRequests) {
    if (pending.decided) {
      kept.push(pending);
      continue;
    }
    const { brokerId, brokerEpoch } = pending.request;
    const shuttingDown = new Set([...next.shuttingDown, brokerId]);
    const decision = decideControlledShutdown(next.view, brokerId, brokerEpoch, shuttingDown);
    if (decision.kind === 'refuse') {
      out.sends.push({ to: pending.from, message: controlledShutdownAnswer(pending.request, { errorCode: decision.errorCode }) });
      continue;
    }
    next = writeAll({ ...next, shuttingDown: [...shuttingDown].sort((a, b) => a - b) }, decision.changes, out);
    kept.push({ ...pending, decided: true });
  }
  return { ...next, shutdownRequests: kept };
}

// Once no write is unanswered, each decided shutdown request is answered with the partitions its broker still leads.
function answerShutdowns(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  if (state.loading || state.roundWrites > 0 || !state.shutdownRequests.some((r) => r.decided)) return state;
  for (const { from, request, decided } of state.shutdownRequests) {
    if (decided) out.sends.push({ to: from, message: controlledShutdownAnswer(request, { remainingPartitions: partitionsLedBy(state.view, request.brokerId) }) });
  }
  return { ...state, shutdownRequests: state.shutdownRequests.filter((r) => !r.decided) };
}


/** `/brokers/ids`' children changed (its watch fired): read them again, or once the read in progress is done. */
export function onBrokerChange(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  if (state.brokerRead !== null || Object.values(state.pending).some((p) => p.what.op === 'brokerIds')) return { ...state, brokerChangeAgain: true };
  return ask(state, { op: 'brokerIds' }, { type: 'zk.getChildren.request', path: BROKER_IDS_PATH, watch: true }, out);
}

/** The automatic leader-balance check (`processAutoPreferredReplicaLeaderElection`): its elections, and the next check. */
export function onAutoRebalance(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  out.rebalanceAfterMs = state.autoLeaderRebalance.intervalMs;
  if (state.loading) return state;
  const changes = autoRebalanceChanges(state.view, state.autoLeaderRebalance.imbalancePerBrokerPercentage, new Set(state.shuttingDown));
  return writeAll(state, changes, out);
}

/** `/brokers/topics/<topic>` changed (its watch fired): the assignment is read again, with a new watch. */
export function onTopicChange(state: ZkControllerState, topic: string, out: ControllerOutput): ZkControllerState {
  return ask(state, { op: 'assignmentChanged', topic }, { type: 'zk.getData.request', path: `/brokers/topics/${topic}`, watch: true }, out);
}

/**
 * An administrator's CreatePartitions, which Kafka serves only on the controller's broker: the topic's assignment,
 * with the new partitions placed, is written to ZooKeeper; its watch then creates them. While the controller is still
 * reading the cluster (failover) it is not served: the administrator's retries are not modelled.
 */
export function onCreatePartitions(state: ZkControllerState, topic: string, totalCount: number, out: ControllerOutput): ZkControllerState {
  if (state.loading) return state;
  const decision = decideCreatePartitions(state.view, topic, totalCount);
  if (decision.kind === 'refuse') return state;
  return ask(state, { op: 'assignmentWrite', topic }, { type: 'zk.setData.request', path: decision.path, data: decision.data, version: -1 }, out);
}

/** A leader's AlterPartition (`processAlterPartition`). */
export function onAlterPartition(state: ZkControllerState, from: string, request: AlterPartitionRequest, out: ControllerOutput): ZkControllerState {
  const decision = decideAlterPartition(state.view, request, !state.loading, new Set(state.shuttingDown));
  const answer = (body: Pick<AlterPartitionResponse, 'errorCode' | 'state'>) =>
    out.sends.push({ to: from, message: alterPartitionAnswer(request.topic, request.partition, body) });
  if (decision.kind === 'refuse') answer({ errorCode: decision.errorCode });
  else if (decision.kind === 'current') answer({ state: partitionStateOf(state.view, request.topic, request.partition, decision.state) });
  else return write(state, decision.change, out, { from });
  return state;
}

/** The answer to one of the controller's calls. */
export function onControllerResponse(state: ZkControllerState, tag: string, response: ZkResponse, out: ControllerOutput): ZkControllerState {
  const pending = state.pending[tag];
  if (pending === undefined) return state;
  const rest = { ...state.pending };
  delete rest[tag];
  let next: ZkControllerState = { ...state, pending: rest };
  if (response.errorCode === 'CONNECTIONLOSS') return ask(next, pending.what, pending.call, out);
  if (response.errorCode === 'SESSIONEXPIRED') {
    out.resign = true;
    return next;
  }
  next = onAnswer(next, pending.what, response, out);
  return out.resign ? next : settle(next, out);
}

function onAnswer(state: ZkControllerState, what: ControllerCall, response: ZkResponse, out: ControllerOutput): ZkControllerState {
  switch (what.op) {
    case 'brokerIds': {
      const ids = (response.children ?? []).map(Number).sort((a, b) => a - b);
      let next: ZkControllerState = { ...state, brokerRead: { ids, epochs: {} } };
      for (const id of ids) next = ask(next, { op: 'brokerEpoch', id }, { type: 'zk.getData.request', path: brokerPath(id), watch: false }, out);
      return next;
    }
    case 'brokerEpoch': {
      const read = state.brokerRead;
      if (read === null) return state;
      // Gone meanwhile: the next change notification reads it again.
      const epochs = response.errorCode === 'OK' && response.stat !== undefined ? { ...read.epochs, [what.id]: response.stat.czxid } : read.epochs;
      const ids = response.errorCode === 'OK' ? read.ids : read.ids.filter((id) => id !== what.id);
      return { ...state, brokerRead: { ids, epochs } };
    }
    case 'topics': {
      let next = state;
      for (const topic of [...(response.children ?? [])].sort()) {
        next = ask(next, { op: 'assignment', topic }, { type: 'zk.getData.request', path: `/brokers/topics/${topic}`, watch: true }, out);
      }
      return next;
    }
    case 'assignment': {
      const assignment = assignmentOf(response);
      const uncleanLeaderElection = { ...state.view.uncleanLeaderElection, [what.topic]: state.uncleanLeaderElectionEnable };
      let next: ZkControllerState = { ...state, view: { ...state.view, uncleanLeaderElection } };
      for (const [index, replicas] of Object.entries(assignment).sort(([a], [b]) => Number(a) - Number(b))) {
        const partition = Number(index);
        const p = { topic: what.topic, partition, replicas };
        next = ask(next, { op: 'partitionState', ...p }, { type: 'zk.getData.request', path: partitionStatePath(what.topic, partition), watch: false }, out);
      }
      return next;
    }
    case 'assignmentChanged': {
      // Partitions the controller does not know yet are new; they are created once nothing is being read.
      const known = new Set(state.view.partitions.filter((p) => p.topic === what.topic).map((p) => p.partition));
      let next = state;
      for (const [index, replicas] of Object.entries(assignmentOf(response)).sort(([a], [b]) => Number(a) - Number(b))) {
        if (!known.has(Number(index))) next = withPartition(next, { topic: what.topic, partition: Number(index), replicas, state: null });
      }
      return next.loading ? next : createNew(next, out);
    }
    case 'assignmentWrite':
      return state;
    case 'partitionState': {
      const stateRead = response.errorCode === 'OK' ? stateOf(response) : null;
      return withPartition(state, { topic: what.topic, partition: what.partition, replicas: what.replicas, state: stateRead });
    }
    case 'write':
      return onWriteAnswer(state, what.change, what.alter, response, out);
    case 'reread':
      return onReread(state, what, response, out);
    case 'createParent':
      if (response.results?.[0]?.errorCode === 'BADVERSION') out.resign = true;
      return state;
    case 'create': {
      if (response.results?.[0]?.errorCode === 'BADVERSION') {
        out.resign = true;
        return state;
      }
      const roundWrites = state.roundWrites - 1;
      if (response.errorCode !== 'OK') return { ...state, roundWrites };
      const created: PartitionToSend = { ...what.partition, state: what.state };
      const next = withPartition({ ...state, roundWrites }, { ...what.partition, state: what.state });
      return { ...next, round: addLeaderAndIsr(next.round, next.view, what.state.isr, created) };
    }
  }
}

// A write answered: the new state is the controller's, and its replicas are told (an AlterPartition is answered, and
// every live broker's metadata updated). BADVERSION on the epoch check: another controller was elected; on the state
// znode: the state moved under it (an AlterPartition is refused, anything else read and decided again).
function onWriteAnswer(state: ZkControllerState, change: PartitionStateChange, alter: { readonly from: string } | undefined, response: ZkResponse, out: ControllerOutput): ZkControllerState {
  const roundWrites = state.roundWrites - 1;
  if (response.results?.[0]?.errorCode === 'BADVERSION') {
    out.resign = true;
    return { ...state, roundWrites };
  }
  const answer = (body: Pick<AlterPartitionResponse, 'errorCode' | 'state'>) =>
    out.sends.push({ to: alter?.from as string, message: alterPartitionAnswer(change.topic, change.partition, body) });
  if (response.errorCode !== 'OK') {
    if (alter !== undefined) {
      answer({ errorCode: response.errorCode === 'BADVERSION' ? 'INVALID_UPDATE_VERSION' : 'UNKNOWN_SERVER_ERROR' });
      return { ...state, roundWrites };
    }
    const reread: ControllerCall = { op: 'reread', topic: change.topic, partition: change.partition, wanted: change.next };
    return ask({ ...state, roundWrites: roundWrites + 1 }, reread, { type: 'zk.getData.request', path: partitionStatePath(change.topic, change.partition), watch: false }, out);
  }
  const before = state.view.partitions.find((p) => p.topic === change.topic && p.partition === change.partition)?.state ?? null;
  const next = withPartition({ ...state, roundWrites }, { topic: change.topic, partition: change.partition, replicas: change.replicas, state: change.next });
  const toSend: PartitionToSend = { topic: change.topic, partition: change.partition, replicas: change.replicas, state: change.next };
  if (alter !== undefined) {
    answer({ state: partitionStateOf(next.view, change.topic, change.partition, change.next) });
    return { ...next, round: addUpdateMetadata(next.round, next.view, liveBrokerIds(next.view), [toSend]) };
  }
  // A broker in controlled shutdown taken out of the ISR (OfflineReplica) is not told: `ReplicaStateMachine` sends
  // the LeaderAndIsr to the other replicas, and Kafka sends the stopping one a StopReplica; here it keeps its old
  // epoch, which its leader fences. (A bounced broker does get it: its startup LeaderAndIsr must be the newest.)
  const stopping = (id: number) => state.shuttingDown.includes(id);
  const removed = change.reason === 'replicaOffline' && before !== null ? before.isr.filter((id) => !change.next.isr.includes(id) && stopping(id)) : [];
  return { ...next, round: addLeaderAndIsr(next.round, next.view, change.replicas.filter((id) => !removed.includes(id)), toSend) };
}

// The state read again after a conditional write lost: if it already is what was written (the write went through
// before a lost connection), the replicas are told; otherwise the controller decides again from what it read.
function onReread(state: ZkControllerState, what: Extract<ControllerCall, { op: 'reread' }>, response: ZkResponse, out: ControllerOutput): ZkControllerState {
  const roundWrites = state.roundWrites - 1;
  const current = response.errorCode === 'OK' ? stateOf(response) : null;
  const partition = state.view.partitions.find((p) => p.topic === what.topic && p.partition === what.partition);
  if (partition === undefined || current === null) return { ...state, roundWrites };
  const next = withPartition({ ...state, roundWrites }, { ...partition, state: current });
  const { wanted } = what;
  if (current.leader === wanted.leader && current.leaderEpoch === wanted.leaderEpoch && sameIds(current.isr, wanted.isr)) {
    return { ...next, round: addLeaderAndIsr(next.round, next.view, partition.replicas, { ...partition, state: current }) };
  }
  const only = { ...next.view, partitions: next.view.partitions.filter((p) => p.topic === what.topic && p.partition === what.partition) };
  return writeAll(next, reconcile(only, deadReplicas(only), new Set(next.shuttingDown)), out);
}

// Once nothing is being read: a finished failover or broker change is acted on; once no write of the round is
// unanswered, the round's requests go out.
function settle(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  let next = state;
  const reading = Object.values(next.pending).some((p) => p.what.op !== 'write' && p.what.op !== 'reread' && p.what.op !== 'create' && p.what.op !== 'createParent');
  if (!reading && next.brokerRead !== null) {
    const read = next.brokerRead;
    const liveBrokers: Record<number, number> = {};
    for (const id of read.ids) if (read.epochs[id] !== undefined) liveBrokers[id] = read.epochs[id] as number;
    if (next.loading) {
      next = failover({ ...next, brokerRead: null, loading: false, view: { ...next.view, liveBrokers } }, out);
    } else {
      next = brokerChange({ ...next, brokerRead: null }, liveBrokers, out);
    }
    if (next.brokerChangeAgain) next = onBrokerChange({ ...next, brokerChangeAgain: false }, out);
  }
  next = answerShutdowns(decideShutdowns(next, out), out);
  if (next.roundWrites > 0 || next.loading) return next;
  const { round } = next;
  if (Object.keys(round.leaderAndIsr).length === 0 && round.updateMetadataBrokers.length === 0) return next;
  const batch = batchRequests(round, next.view, next.brokerId, next.nextCorrelationId);
  let channels = next.channels;
  for (const { to, message } of batch.requests) {
    const channel = channels[to] ?? { inFlight: null, queue: [] };
    if (channel.inFlight === null) {
      out.sends.push({ to, message });
      out.resendTimers.push({ brokerId: to, after: 'timeout' });
    }
    channels = { ...channels, [to]: channel.inFlight === null ? { inFlight: message, queue: [] } : { ...channel, queue: [...channel.queue, message] } };
  }
  return { ...next, channels, round: emptyRequestBatch(), nextCorrelationId: batch.nextCorrelationId };
}

/** A broker answered the request on its channel: the next queued one goes. */
export function onControlResponse(state: ZkControllerState, brokerId: number, correlationId: number, out: ControllerOutput): ZkControllerState {
  const channel = state.channels[brokerId];
  if (channel?.inFlight?.correlationId !== correlationId) return state;
  const [next, ...queue] = channel.queue;
  if (next !== undefined) out.sends.push({ to: brokerId, message: next });
  out.resendTimers.push({ brokerId, after: next === undefined ? null : 'timeout' });
  return { ...state, channels: { ...state.channels, [brokerId]: { inFlight: next ?? null, queue } } };
}

/** The connection to a broker broke: the request on it goes again after the backoff. */
export function onControlChannelReset(state: ZkControllerState, brokerId: number, out: ControllerOutput): ZkControllerState {
  if (state.channels[brokerId]?.inFlight != null) out.resendTimers.push({ brokerId, after: 'backoff' });
  return state;
}

/** The request timed out or the backoff passed: the request still unanswered goes again to a broker still alive. */
export function onControlResend(state: ZkControllerState, brokerId: number, out: ControllerOutput): ZkControllerState {
  const inFlight = state.channels[brokerId]?.inFlight;
  if (inFlight == null || !Object.hasOwn(state.view.liveBrokers, brokerId)) return state;
  out.sends.push({ to: brokerId, message: inFlight });
  out.resendTimers.push({ brokerId, after: 'timeout' });
  return state;
}

// `onControllerFailover`, once the cluster is read.
function failover(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  const { view } = state;
  if (state.autoLeaderRebalance.enable) out.rebalanceAfterMs = FIRST_REBALANCE_CHECK_MS;
  let round = addUpdateMetadata(state.round, view, liveBrokerIds(view), []);
  for (const p of view.partitions) {
    if (p.state !== null && p.state.leader >= 0) round = addLeaderAndIsr(round, view, p.replicas, { ...p, state: p.state });
  }
  return createNew(writeAll({ ...state, round }, reconcile(view, deadReplicas(view), new Set(state.shuttingDown)), out), out);
}

// `processBrokerChange`: brokers gone or bounced fail, brokers new or bounced start.
function brokerChange(state: ZkControllerState, liveBrokers: Readonly<Record<number, number>>, out: ControllerOutput): ZkControllerState {
  const before = state.view.liveBrokers;
  const known = Object.keys(before).map(Number);
  const now = Object.keys(liveBrokers).map(Number);
  const bounced = now.filter((id) => before[id] !== undefined && before[id] !== liveBrokers[id]);
  const dead = [...known.filter((id) => liveBrokers[id] === undefined), ...bounced];
  const started = [...now.filter((id) => before[id] === undefined), ...bounced];
  if (dead.length === 0 && started.length === 0) return state;
  // `onBrokerFailure`: a dead broker is no longer shutting down.
  let next: ZkControllerState = { ...state, shuttingDown: state.shuttingDown.filter((id) => !dead.includes(id)) };
  if (dead.length > 0) {
    // `ControllerChannelManager#removeBroker`: what was queued for a dead broker is dropped.
    next = { ...next, channels: Object.fromEntries(Object.entries(next.channels).filter(([id]) => !dead.includes(Number(id)))) };
    // `onBrokerFailure` with the bounced brokers out of the live set, then `onBrokerStartup` with them back.
    const withoutDead = { ...next.view, liveBrokers: Object.fromEntries(Object.entries(liveBrokers).filter(([id]) => !dead.includes(Number(id)))) };
    next = { ...next, view: withoutDead, round: addUpdateMetadata(next.round, withoutDead, liveBrokerIds(withoutDead), []) };
    next = writeAll(next, reconcile(withoutDead, dead, new Set(next.shuttingDown)), out);
  }
  next = { ...next, view: { ...next.view, liveBrokers } };
  if (started.length === 0) return next;
  const { view } = next;
  const existing = liveBrokerIds(view).filter((id) => !started.includes(id));
  let round = addUpdateMetadata(next.round, view, existing, []);
  const withLeaders = view.partitions.filter((p) => p.state !== null && p.state.leader >= 0).map((p) => ({ ...p, state: p.state as ZkLeaderAndIsr }));
  round = addUpdateMetadata(round, view, started, withLeaders);
  for (const p of view.partitions) {
    if (p.state !== null && p.replicas.some((replica) => started.includes(replica))) {
      round = addLeaderAndIsr(round, view, p.replicas.filter((replica) => started.includes(replica)), { ...p, state: p.state });
    }
  }
  return createNew(writeAll({ ...next, round }, reconcile(view, [], new Set(next.shuttingDown)), out), out);
}

/**
 * The state changes a partition needs given who is alive: `onBrokerFailure`'s for the dead brokers, then the offline
 * election for a partition still (or already) without a live leader (`triggerOnlinePartitionStateChange`). A broker
 * shutting down still leads what it leads, but is elected nowhere.
 */
export function reconcile(view: ControllerView, dead: readonly number[], shuttingDown: ReadonlySet<number> = new Set()): PartitionStateChange[] {
  const failed = onBrokerFailure(view, dead, shuttingDown);
  const isOnline = (replica: number) => Object.hasOwn(view.liveBrokers, replica);
  const isCandidate = (replica: number) => isOnline(replica) && !shuttingDown.has(replica);
  const changes: PartitionStateChange[] = [];
  for (const p of view.partitions) {
    if (p.state === null) continue;
    const change = failed.find((c) => c.topic === p.topic && c.partition === p.partition);
    const current = change?.next ?? p.state;
    if (current.leader >= 0 && isOnline(current.leader)) {
      if (change !== undefined) changes.push(change);
      continue;
    }
    const options = { uncleanLeaderElectionEnabled: view.uncleanLeaderElection[p.topic] === true, isLeaderRecoverySupported: true };
    const elected = leaderForOffline(current, p.replicas, isCandidate, options).leaderAndIsr;
    if (elected === null) {
      if (change !== undefined) changes.push(change);
      continue;
    }
    changes.push(stateChange({ ...p, state: p.state }, { ...elected, leaderEpoch: p.state.leaderEpoch + 1 }, 'offlinePartitionElection'));
  }
  return changes;
}

// Every assigned replica that is not alive.
function deadReplicas(view: ControllerView): number[] {
  return [...new Set(view.partitions.flatMap((p) => p.replicas))].filter((replica) => !Object.hasOwn(view.liveBrokers, replica));
}

// New partitions (no state znode yet) with a live replica get their first state.
function createNew(state: ZkControllerState, out: ControllerOutput): ZkControllerState {
  const fresh = state.view.partitions.filter((p) => p.state === null);
  if (fresh.length === 0) return state;
  const { initialized } = initialPartitionStates(state.view, fresh);
  const calls = partitionStateCreates(state.view, initialized);
  let next = state;
  const parents = calls.length - initialized.length;
  calls.forEach((call, index) => {
    const p = initialized[index - parents];
    next = p === undefined ? ask(next, { op: 'createParent' }, call, out) : ask({ ...next, roundWrites: next.roundWrites + 1 }, { op: 'create', partition: p, state: p.state }, call, out);
  });
  return next;
}

function writeAll(state: ZkControllerState, changes: readonly PartitionStateChange[], out: ControllerOutput): ZkControllerState {
  let next = state;
  for (const change of changes) next = write(next, change, out);
  return next;
}

function write(state: ZkControllerState, change: PartitionStateChange, out: ControllerOutput, alter?: { readonly from: string }): ZkControllerState {
  const what: ControllerCall = alter === undefined ? { op: 'write', change } : { op: 'write', change, alter };
  return ask({ ...state, roundWrites: state.roundWrites + 1 }, what, partitionStateWrite(state.view, change), out);
}

function ask(state: ZkControllerState, what: ControllerCall, call: ZkCall, out: ControllerOutput): ZkControllerState {
  const tag = `${CONTROLLER_TAG}${state.nextTag}`;
  out.calls.push({ tag, call });
  return { ...state, nextTag: state.nextTag + 1, pending: { ...state.pending, [tag]: { what, call } } };
}

function withPartition(state: ZkControllerState, partition: ControllerPartition): ZkControllerState {
  const key = topicPartitionKey(partition.topic, partition.partition);
  const others = state.view.partitions.filter((p) => topicPartitionKey(p.topic, p.partition) !== key);
  const partitions = [...others, partition].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  return { ...state, view: { ...state.view, partitions } };
}

// A topic znode's assignment as a getData answered it.
function assignmentOf(response: ZkResponse): Record<string, number[]> {
  return ((response.data as { partitions?: Record<string, number[]> } | undefined)?.partitions ?? {}) as Record<string, number[]>;
}

// A state znode as a getData answered it.
function stateOf(response: ZkResponse): ZkLeaderAndIsr | null {
  return response.stat === undefined ? null : readPartitionStateZNode(response.data, response.stat.version);
}

function partitionStateOf(view: ControllerView, topic: string, partition: number, state: ZkLeaderAndIsr): PartitionState {
  const replicas = view.partitions.find((p) => p.topic === topic && p.partition === partition)?.replicas ?? [];
  return { topic, partition, replicas: [...replicas], isr: [...state.isr], leader: state.leader, leaderEpoch: state.leaderEpoch, partitionEpoch: state.partitionEpoch };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
