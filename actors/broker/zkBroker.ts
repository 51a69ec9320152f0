import type { ControlledShutdownRequest, LeaderAndIsrRequest, UpdateMetadataRequest } from '../../src/protocol/controlRequests.ts';
import type { AlterPartitionRequest } from '../../src/protocol/messages.ts';
import { brokerIdOf, brokerNodeId, CONTROLLER_NODE_ID } from '../../src/protocol/nodeIds.ts';
import { ZOOKEEPER_NODE_ID, type ZkConnectResponse, type ZkResponse, type ZkWatchEvent } from '../../src/protocol/zookeeperMessages.ts';
import type { BrokerRegistration as ImageBroker, MetadataImage, PartitionRegistration } from '../controller/metadataImage.ts';
import { call, connectionLost, nextTickMs, onConnectResponse, onResponse, onWatchEvent, startClient, tick, type ZkCall, type ZkClientState, type ZkClientStep } from '../zookeeper/zkClient.ts';
import { onRegistrationResponse, startBrokerRegistration, type BrokerRegistration } from '../zkcontroller/brokerRegistration.ts';
import { CONTROLLER_PATH, onElectionResponse, startControllerElection, type ControllerElection } from '../zkcontroller/controllerElection.ts';
import {
  alterPartitionAnswer,
  CONTROLLER_TAG,
  emptyControllerOutput,
  onAlterPartition,
  onBrokerChange,
  onControlChannelReset,
  onControllerResponse,
  onControlResend,
  onControlResponse,
  onControlledShutdown,
  onCreatePartitions,
  onAutoRebalance,
  onTopicChange,
  CONTROLLER_RESEND_BACKOFF_MS,
  resignController,
  startController,
  type ControllerOutput,
  type ZkControllerState,
} from '../zkcontroller/zkController.ts';
import { BROKER_IDS_PATH } from '../zkcontroller/brokerRegistration.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';
import { syncCoordinatorShards } from './groupCoordinatorHost.ts';
import { initialControllerFencing, onLeaderAndIsr, type ControllerFencing } from './leaderAndIsr.ts';

// A broker of a ZooKeeper-mode cluster (Kafka 3.9's `KafkaServer` with its `KafkaController`): it holds a ZooKeeper
// session (zkClient.ts), registers `/brokers/ids/N` on it (its broker epoch is the znode's czxid), and takes part in
// the controller election; the broker that wins runs the controller (zkController.ts) beside its broker duties. Its
// partitions' leadership comes from the controller's LeaderAndIsr, its metadata cache from UpdateMetadata (the
// image clients' metadata requests are answered from), and its ISR changes go as AlterPartition to the broker named
// by `/controller`. A new session (the old one expired) registers again, with a new epoch, and a controller resigns
// (`KafkaController#processExpire`, then `RegisterBrokerAndReelect`).

/** What a ZooKeeper-mode broker keeps beside its KRaft-mode state. */
export interface ZkBrokerSide {
  readonly client: ZkClientState;
  /** When the client's tick timer is set to fire. */
  readonly tickAtMs: number | null;
  readonly registration: BrokerRegistration | null;
  readonly registrationCall: ZkCall | null;
  /** The session of the last registration that succeeded; -1 before any. */
  readonly registeredSessionId: number;
  readonly election: ControllerElection | null;
  /** `/controller` changed while an election was under way: it runs again once this one is decided. */
  readonly electAgain: boolean;
  /** The broker `/controller` names as this broker last read it; -1 when unknown. */
  readonly controllerId: number;
  readonly fencing: ControllerFencing;
  /** The controller this broker runs while elected; null otherwise. */
  readonly controller: ZkControllerState | null;
}

const REGISTRATION_TAG = 'reg';
const TOPICS_PREFIX = '/brokers/topics/';
const REBALANCE_TIMER_ID = 'broker.zkRebalance';
const ELECTION_TAG = 'elect';
const TICK_TIMER_ID = 'broker.zkTick';

/** The ZooKeeper side at boot: the session is opened (answered by zk.connect.response). */
export function startZooKeeperSide(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const opened = startClient(state.config.zookeeperSessionTimeoutMs, nowMs);
  const zk: ZkBrokerSide = {
    client: opened.state,
    tickAtMs: null,
    registration: null,
    registrationCall: null,
    registeredSessionId: -1,
    election: null,
    electAgain: false,
    controllerId: -1,
    fencing: initialControllerFencing,
    controller: null,
  };
  return clientStep({ ...state, zk }, opened, nowMs, out);
}

/**
 * The node a broker sends AlterPartition to: the KRaft controller, or in ZooKeeper mode the broker it last read in
 * `/controller` (none before it has).
 */
export function controllerNodeOf(state: BrokerState): string | null {
  if (state.zk === null) return CONTROLLER_NODE_ID;
  return state.zk.controllerId >= 0 ? brokerNodeId(state.zk.controllerId) : null;
}

/** A message from the ZooKeeper server. */
export function onZooKeeperMessage(state: BrokerState, message: ZkConnectResponse | ZkResponse | ZkWatchEvent, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  if (message.type === 'zk.connect.response') return clientStep(state, onConnectResponse(zk.client, message, nowMs), nowMs, out);
  if (message.type === 'zk.response') return clientStep(state, onResponse(zk.client, message, nowMs), nowMs, out);
  return clientStep(state, onWatchEvent(zk.client, message, nowMs), nowMs, out);
}

/** The client's timer: a ping, or a reconnect after silence. */
export function onZooKeeperTick(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  // Due at the time it was set for, even if the clock, adding a float delay, sits one ulp short of it.
  const dueMs = Math.max(nowMs, zk.tickAtMs ?? nowMs);
  return clientStep({ ...state, zk: { ...zk, tickAtMs: null } }, tick(zk.client, dueMs), nowMs, out);
}

/** The connection to ZooKeeper broke: the client reconnects with its session. */
export function onZooKeeperConnectionReset(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  return clientStep(state, connectionLost(zk.client, nowMs), nowMs, out);
}

/**
 * A clean shutdown closes the session (`KafkaServer#shutdown` closes its ZooKeeper client), which deletes the
 * broker's ephemeral znodes at once: the controller hears of the broker's departure without waiting for the session
 * to expire. Before it, the broker asks the controller to move its leaderships (zkControlledShutdown.ts).
 */
export function closeZooKeeperSession(state: BrokerState, out: BrokerEffect[]): void {
  const zk = state.zk;
  if (zk === null || zk.client.sessionId === null || zk.client.connection !== 'connected') return;
  out.push({ kind: 'send', to: ZOOKEEPER_NODE_ID, message: { type: 'zk.close.request', sessionId: zk.client.sessionId, xid: zk.client.nextXid } });
}

/**
 * LeaderAndIsr from a controller: applied under the controller- and broker-epoch checks (leaderAndIsr.ts), answered,
 * and the group coordinator follows the `__consumer_offsets` leaderships (`onLeadershipChange`).
 */
export function serveLeaderAndIsr(state: BrokerState, request: LeaderAndIsrRequest & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  const outcome = onLeaderAndIsr(state, zk.fencing, request, nowMs, out);
  out.push({ kind: 'send', to: request.from, message: outcome.response });
  if (outcome.response.errorCode === 'STALE_CONTROLLER_EPOCH') noteFenced(state, 'LeaderAndIsr', request.controllerEpoch, out);
  const accepted = outcome.response.errorCode === undefined;
  const next = accepted ? { ...outcome.state, zk: { ...(outcome.state.zk as ZkBrokerSide), fencing: laterFencing(zk.fencing, outcome.fencing) } } : outcome.state;
  return syncCoordinatorShards(next, out);
}

/**
 * UpdateMetadata (`KafkaApis#handleUpdateMetadataRequest`, `ZkMetadataCache#updateMetadata`): refused for an earlier
 * registration of this broker or from a controller older than the last one accepted; otherwise the live brokers are
 * replaced and the partitions' states merged into the metadata image. The image has no broker epochs (the request
 * carries none): a ZooKeeper-mode leader takes any live broker into the ISR (`Partition#isReplicaIsrEligible`).
 */
export function serveUpdateMetadata(state: BrokerState, request: UpdateMetadataRequest & { from: string }, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  const answer = { type: 'updateMetadata.response', correlationId: request.correlationId } as const;
  const stale =
    request.brokerEpoch !== -1 && request.brokerEpoch < state.brokerEpoch
      ? 'STALE_BROKER_EPOCH'
      : request.controllerEpoch < zk.fencing.controllerEpoch
        ? 'STALE_CONTROLLER_EPOCH'
        : undefined;
  if (stale !== undefined) {
    out.push({ kind: 'send', to: request.from, message: { ...answer, errorCode: stale } });
    if (stale === 'STALE_CONTROLLER_EPOCH') noteFenced(state, 'UpdateMetadata', request.controllerEpoch, out);
    return state;
  }
  out.push({ kind: 'send', to: request.from, message: answer });
  const fencing = laterFencing(zk.fencing, { controllerEpoch: request.controllerEpoch });
  return syncCoordinatorShards({ ...state, image: imageWith(state.image, request), zk: { ...zk, fencing } }, out);
}

/** AlterPartition reaches the controller's broker: its controller decides, or NOT_CONTROLLER when it is not one. */
export function serveAlterPartition(state: BrokerState, request: AlterPartitionRequest & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk;
  if (zk === null || zk.controller === null) {
    out.push({ kind: 'send', to: request.from, message: alterPartitionAnswer(request.topic, request.partition, { errorCode: 'NOT_CONTROLLER' }) });
    return state;
  }
  const output = emptyControllerOutput();
  const controller = onAlterPartition(zk.controller, request.from, request, output);
  return controllerOutput({ ...state, zk: { ...zk, controller } }, output, nowMs, out);
}

/** A broker asks to shut down: this broker's controller moves its work, or NOT_CONTROLLER when it is not one. */
export function serveControlledShutdown(state: BrokerState, request: ControlledShutdownRequest & { from: string }, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk;
  if (zk === null || zk.controller === null) {
    out.push({ kind: 'send', to: request.from, message: { type: 'controlledShutdown.response', correlationId: request.correlationId, errorCode: 'NOT_CONTROLLER', remainingPartitions: [] } });
    return state;
  }
  const output = emptyControllerOutput();
  const controller = onControlledShutdown(zk.controller, request.from, request, output);
  return controllerOutput({ ...state, zk: { ...zk, controller } }, output, nowMs, out);
}

/**
 * An administrator's CreatePartitions (the runner sends it to the elected controller, as Kafka's admin client finds
 * it): the controller writes the new assignment; a broker that does not control ignores it (NOT_CONTROLLER).
 */
export function serveCreatePartitions(state: BrokerState, request: { topic: string; totalCount: number }, nowMs: number, out: BrokerEffect[]): BrokerState {
  return withController(state, nowMs, out, (controller, output) => onCreatePartitions(controller, request.topic, request.totalCount, output));
}

/** A broker's answer to the controller's LeaderAndIsr or UpdateMetadata: its channel sends the next request. */
export function onControlRequestAnswered(state: BrokerState, from: string, correlationId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  return withController(state, nowMs, out, (controller, output) => {
    const brokerId = brokerIdOf(from);
    return brokerId === undefined ? controller : onControlResponse(controller, brokerId, correlationId, output);
  });
}

/** The connection to a broker broke: the controller's channel to it sends its request again after a backoff. */
export function onControlConnectionReset(state: BrokerState, brokerId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  return withController(state, nowMs, out, (controller, output) => onControlChannelReset(controller, brokerId, output));
}

/** The controller's automatic leader-balance check is due. */
export function onAutoRebalanceTimer(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  return withController(state, nowMs, out, (controller, output) => onAutoRebalance(controller, output));
}

/** The backoff of the controller's channel to a broker passed. */
export function onControlResendTimer(state: BrokerState, brokerId: number, nowMs: number, out: BrokerEffect[]): BrokerState {
  return withController(state, nowMs, out, (controller, output) => onControlResend(controller, brokerId, output));
}

function withController(state: BrokerState, nowMs: number, out: BrokerEffect[], act: (controller: ZkControllerState, output: ControllerOutput) => ZkControllerState): BrokerState {
  const zk = state.zk;
  if (zk === null || zk.controller === null) return state;
  const output = emptyControllerOutput();
  const controller = act(zk.controller, output);
  return controllerOutput({ ...state, zk: { ...zk, controller } }, output, nowMs, out);
}

// A request from a controller older than the one this broker follows was refused: the zombie fenced.
function noteFenced(state: BrokerState, request: string, controllerEpoch: number, out: BrokerEffect[]): void {
  const followsEpoch = (state.zk as ZkBrokerSide).fencing.controllerEpoch;
  out.push({ kind: 'note', data: { zookeeper: 'fenced', broker: state.brokerId, request, controllerEpoch, followsEpoch } });
}

function laterFencing(a: ControllerFencing, b: ControllerFencing): ControllerFencing {
  return b.controllerEpoch > a.controllerEpoch ? b : a;
}

// The metadata image after an UpdateMetadata: its live brokers, and its partition states over the ones known.
function imageWith(image: MetadataImage, request: UpdateMetadataRequest): MetadataImage {
  const brokers: Record<number, ImageBroker> = {};
  for (const id of request.liveBrokers) brokers[id] = { id, incarnationId: '', epoch: -1, fenced: false, lastHeartbeatMs: null };
  const topics: Record<string, { partitions: PartitionRegistration[] }> = {};
  for (const [topic, { partitions }] of Object.entries(image.topics)) topics[topic] = { partitions: [...partitions] };
  for (const p of request.partitionStates) {
    const partitions = (topics[p.topic] ??= { partitions: [] }).partitions;
    // A partition not told yet (no leader when this broker joined) reads as leaderless until it is.
    while (partitions.length < p.partition) partitions.push({ replicas: [], isr: [], leader: -1, leaderEpoch: -1, partitionEpoch: -1 });
    partitions[p.partition] = { replicas: p.replicas, isr: p.isr, leader: p.leader, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch };
  }
  return { offset: image.offset + 1, brokers, topics };
}

// Carries out a client step: its sends go to ZooKeeper, its answers to whoever asked, and the tick timer follows the
// client's next deadline.
function clientStep(state: BrokerState, step: ZkClientStep, nowMs: number, out: BrokerEffect[]): BrokerState {
  let next: BrokerState = { ...state, zk: { ...(state.zk as ZkBrokerSide), client: step.state } };
  for (const effect of step.effects) {
    switch (effect.kind) {
      case 'send':
        out.push({ kind: 'send', to: ZOOKEEPER_NODE_ID, message: effect.message as never });
        break;
      case 'connected':
        if (effect.newSession) next = onNewSession(next, nowMs, out);
        break;
      case 'reply':
        next = onReply(next, effect.tag, effect.response, nowMs, out);
        break;
      case 'watch':
        next = onWatch(next, effect.event, nowMs, out);
        break;
    }
  }
  const zk = next.zk as ZkBrokerSide;
  const atMs = nextTickMs(zk.client);
  if (atMs === zk.tickAtMs) return next;
  out.push({ kind: 'timer', id: TICK_TIMER_ID, delayMs: Math.max(0, atMs - nowMs), event: { type: 'zk.tick' } });
  return { ...next, zk: { ...zk, tickAtMs: atMs } };
}

// A call on the session, tagged for its answer.
function zkCall(state: BrokerState, tag: string, request: ZkCall, nowMs: number, out: BrokerEffect[]): BrokerState {
  return clientStep(state, call((state.zk as ZkBrokerSide).client, tag, request, nowMs), nowMs, out);
}

// A new session: the ephemeral znodes of the old one are gone. A controller resigns; the broker registers again,
// then runs the election (`RegisterBrokerAndReelect`).
function onNewSession(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const resigned = resign(state, out);
  const zk = resigned.zk as ZkBrokerSide;
  const started = startBrokerRegistration();
  const next: BrokerState = { ...resigned, zk: { ...zk, registration: started.registration, registrationCall: started.call, election: null, electAgain: false, controllerId: -1 } };
  return started.call === null ? next : zkCall(next, REGISTRATION_TAG, started.call, nowMs, out);
}

function onReply(state: BrokerState, tag: string, response: ZkResponse, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  if (tag === REGISTRATION_TAG) return onRegistrationReply(state, response, nowMs, out);
  if (tag === ELECTION_TAG && zk.election !== null) {
    const step = onElectionResponse(zk.election, response, state.brokerId, nowMs);
    const next: BrokerState = { ...state, zk: { ...zk, election: step.election } };
    if (step.call !== null) return zkCall(next, ELECTION_TAG, step.call, nowMs, out);
    return onElectionDecided(next, nowMs, out);
  }
  if (tag.startsWith(CONTROLLER_TAG) && zk.controller !== null) {
    const output = emptyControllerOutput();
    const controller = onControllerResponse(zk.controller, tag, response, output);
    return controllerOutput({ ...state, zk: { ...zk, controller } }, output, nowMs, out);
  }
  return state;
}

// The registration's next call; once registered, the broker epoch is the znode's czxid, the broker opens its
// listeners and the election runs. A refused registration (another session still holds `/brokers/ids/N`, as after a
// restart within the old session's timeout) is tried again after registrationRetryMs: Kafka's broker exits there,
// and its service manager starts it again.
function onRegistrationReply(state: BrokerState, response: ZkResponse, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  const sessionId = zk.client.sessionId;
  if (zk.registration === null || sessionId === null) return state;
  const context = { brokerId: state.brokerId, sessionId, registeredSessionId: zk.registeredSessionId, nowMs };
  const step = onRegistrationResponse(zk.registration, zk.registrationCall, response, context);
  const next: BrokerState = { ...state, zk: { ...zk, registration: step.registration, registrationCall: step.call } };
  if (step.call !== null) return zkCall(next, REGISTRATION_TAG, step.call, nowMs, out);
  if (step.registration.step === 'failed') {
    out.push({ kind: 'timer', id: 'broker.zkRegister', delayMs: state.config.registrationRetryMs, event: { type: 'zk.register' } });
    return next;
  }
  if (step.registration.step !== 'registered') return next;
  const registered: BrokerState = {
    ...next,
    brokerEpoch: step.registration.brokerEpoch,
    isFenced: false,
    caughtUp: true,
    zk: { ...(next.zk as ZkBrokerSide), registeredSessionId: sessionId },
  };
  return startElection(registered, nowMs, out);
}

/** The retry of a refused registration. */
export function onZooKeeperRegisterRetry(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  if (zk.registration?.step !== 'failed') return state;
  const started = startBrokerRegistration();
  const next: BrokerState = { ...state, zk: { ...zk, registration: started.registration, registrationCall: started.call } };
  return started.call === null ? next : zkCall(next, REGISTRATION_TAG, started.call, nowMs, out);
}

/** The registration stands: the election runs (`KafkaController#elect`). */
function startElection(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  const started = startControllerElection();
  const next: BrokerState = { ...state, zk: { ...zk, election: started.election } };
  return started.call === null ? next : zkCall(next, ELECTION_TAG, started.call, nowMs, out);
}

// Kafka's controller runs one event at a time: a change of `/controller` that comes while an election is under way
// is taken once it is decided.
function onElectionDecided(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const decided = onElectionResult(state, nowMs, out);
  const zk = decided.zk as ZkBrokerSide;
  if (!zk.electAgain) return decided;
  return startElection({ ...decided, zk: { ...zk, electAgain: false } }, nowMs, out);
}

function onElectionResult(state: BrokerState, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  const election = zk.election;
  if (election?.step === 'elected') {
    if (zk.controller !== null) return state;
    const output = emptyControllerOutput();
    const { config } = state;
    const autoLeaderRebalance = { enable: config.autoLeaderRebalanceEnable, intervalMs: config.leaderImbalanceCheckIntervalMs, imbalancePerBrokerPercentage: config.leaderImbalancePerBrokerPercentage };
    const controller = startController(state.brokerId, election, { uncleanLeaderElectionEnable: config.uncleanLeaderElectionEnable, autoLeaderRebalance }, output);
    out.push({ kind: 'note', data: { zookeeper: 'controller', broker: state.brokerId, controllerEpoch: election.epoch } });
    return controllerOutput({ ...state, zk: { ...zk, controllerId: state.brokerId, controller } }, output, nowMs, out);
  }
  if (election?.step === 'notElected') {
    // Another broker holds `/controller`: a controller that was active resigns (`maybeResign`).
    const next = election.controllerId === state.brokerId ? state : resign(state, out);
    return { ...next, zk: { ...(next.zk as ZkBrokerSide), controllerId: election.controllerId } };
  }
  return state;
}

// A watch fired: `/controller` changed (the election runs again), or `/brokers/ids`' children did (the controller
// reads them).
function onWatch(state: BrokerState, event: ZkWatchEvent, nowMs: number, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  if (event.path === CONTROLLER_PATH) {
    if (zk.registration?.step !== 'registered') return state;
    const deciding = zk.election !== null && zk.election.step !== 'elected' && zk.election.step !== 'notElected';
    if (deciding) return { ...state, zk: { ...zk, electAgain: true } };
    return startElection(state, nowMs, out);
  }
  if (event.path === BROKER_IDS_PATH && zk.controller !== null) {
    const output = emptyControllerOutput();
    const controller = onBrokerChange(zk.controller, output);
    return controllerOutput({ ...state, zk: { ...zk, controller } }, output, nowMs, out);
  }
  const topic = event.path.startsWith(TOPICS_PREFIX) ? event.path.slice(TOPICS_PREFIX.length) : '';
  if (topic !== '' && !topic.includes('/')) return withController(state, nowMs, out, (controller, output) => onTopicChange(controller, topic, output));
  return state;
}

// What the controller asked for: its ZooKeeper calls, its requests to brokers, or its resignation.
function controllerOutput(state: BrokerState, output: ControllerOutput, nowMs: number, out: BrokerEffect[]): BrokerState {
  for (const { to, message } of output.sends) out.push({ kind: 'send', to: typeof to === 'number' ? brokerNodeId(to) : to, message });
  for (const { brokerId, after } of output.resendTimers) {
    const id = `broker.controlResend:${brokerId}`;
    // controller.socket.timeout.ms is the broker's alterPartitionTimeoutMs setting (the same Kafka config).
    const delayMs = after === 'timeout' ? state.config.alterPartitionTimeoutMs : CONTROLLER_RESEND_BACKOFF_MS;
    out.push(after === null ? { kind: 'cancel', id } : { kind: 'timer', id, delayMs, event: { type: 'zk.controlResend', brokerId } });
  }
  if (output.rebalanceAfterMs !== null) out.push({ kind: 'timer', id: REBALANCE_TIMER_ID, delayMs: output.rebalanceAfterMs, event: { type: 'zk.autoRebalance' } });
  let next = state;
  for (const { tag, call: request } of output.calls) next = zkCall(next, tag, request, nowMs, out);
  if (!output.resign) return next;
  // `ControllerMovedException`: another controller was elected; this one resigns and looks again.
  return startElection(resign(next, out), nowMs, out);
}

// `onControllerResignation`: the controller's state is dropped; the AlterPartitions it was writing are answered
// NOT_CONTROLLER, so their leaders send them to the new controller.
function resign(state: BrokerState, out: BrokerEffect[]): BrokerState {
  const zk = state.zk as ZkBrokerSide;
  if (zk.controller === null) return state;
  for (const { to, message } of resignController(zk.controller)) out.push({ kind: 'send', to, message });
  out.push({ kind: 'note', data: { zookeeper: 'resigned', broker: state.brokerId, controllerEpoch: zk.controller.view.epoch } });
  // The controller's scheduler stops with it (`onControllerResignation`).
  out.push({ kind: 'cancel', id: REBALANCE_TIMER_ID });
  return { ...state, zk: { ...zk, controller: null, controllerId: -1 } };
}
