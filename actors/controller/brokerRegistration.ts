import { ArgumentError } from '../../src/kernel/argumentError.ts';
import type { ControllerErrorType } from './ControllerErrorType.ts';
import type { ControllerResult } from './ControllerResult.ts';
import { invariant } from './invariant.ts';
import { brokerOf, isActiveBroker, replayAll } from './metadataImage.ts';
import type { BrokerRegistration, MetadataImage, MetadataRecord } from './metadataImage.ts';
import { fencedBrokerChanges, uncleanShutdownChanges, unfencedBrokerChanges } from './partitionChange.ts';
import type { BrokerChangeOptions } from './partitionChange.ts';

// Broker registration, heartbeats and session fencing on the active KRaft controller
// (`ClusterControlManager#registerBroker`, `BrokerHeartbeatManager#calculateNextBrokerState`,
// `ReplicationControlManager#processBrokerHeartbeat` / `maybeFenceOneStaleBroker`).

/**
 * BrokerRegistration request: the broker id, the incarnation (a fresh id per process start), and the broker epoch
 * it had before a clean shutdown (PreviousBrokerEpoch, -1 or absent after a crash).
 */
export interface BrokerRegistrationRequest {
  readonly brokerId: number;
  readonly incarnationId: string;
  readonly previousBrokerEpoch?: number;
}

/** BrokerRegistration response: the broker epoch to put in every later heartbeat and AlterPartition. */
export interface BrokerRegistrationResponse {
  readonly errorCode: ControllerErrorType;
  readonly brokerEpoch: number;
}

/** The time and session length a registration is judged with. */
export interface RegistrationOptions {
  readonly nowMs: number;
  readonly brokerSessionTimeoutMs: number;
}

/**
 * Registers a broker. Every accepted registration appends a RegisterBroker record, and the broker's new epoch is
 * that record's offset; the broker starts fenced and is unfenced by a heartbeat once it has caught up. Kafka does
 * not reuse an epoch for a re-registering incarnation (it writes a new record each time); a different incarnation
 * is refused with DUPLICATE_BROKER_REGISTRATION while the registered one still has a live session. Registration
 * does not touch partitions: a broker that restarts faster than its session keeps its leaderships in the image.
 */
export function registerBroker(
  image: MetadataImage,
  request: BrokerRegistrationRequest,
  options: RegistrationOptions,
): ControllerResult<BrokerRegistrationResponse> {
  const existing = brokerOf(image, request.brokerId);
  if (existing !== undefined && existing.incarnationId !== request.incarnationId && hasValidSession(existing, options)) {
    return { image, records: [], response: { errorCode: 'DUPLICATE_BROKER_REGISTRATION', brokerEpoch: -1 } };
  }
  const brokerEpoch = image.offset + 1;
  const records: MetadataRecord[] = [
    { type: 'RegisterBroker', brokerId: request.brokerId, incarnationId: request.incarnationId, brokerEpoch, fenced: true },
  ];
  const next = touch(replayAll(image, records), request.brokerId, options.nowMs);
  return { image: next, records, response: { errorCode: 'NONE', brokerEpoch } };
}

/**
 * Registers a broker as `ClusterControlManager#registerBroker` does, unclean shutdowns included: a new
 * incarnation that did not shut down cleanly (its PreviousBrokerEpoch is not the registered epoch) first gets the
 * records of `handleBrokerUncleanShutdown`. With ELR on, the broker leaves every ISR and ELR and gives up its
 * leaderships, since its log may have lost its unflushed tail; with ELR off (Kafka 3.9) that handler writes
 * nothing, so a broker that was still in an ISR (the last member, or one whose session expired just before it
 * re-registered) stays there as a clean candidate whatever it lost.
 */
export function registerIncarnation(
  image: MetadataImage,
  request: BrokerRegistrationRequest,
  options: RegistrationOptions & BrokerChangeOptions,
): ControllerResult<BrokerRegistrationResponse> {
  const plain = registerBroker(image, request, options);
  const previous = brokerOf(image, request.brokerId);
  if (plain.response.errorCode !== 'NONE' || previous?.incarnationId === request.incarnationId) return plain;
  if (previous !== undefined && request.previousBrokerEpoch === previous.epoch) return plain;
  const leaving = uncleanShutdownChanges(image, request.brokerId, options);
  if (leaving.length === 0) return plain;
  const registered = registerBroker(replayAll(image, leaving), request, options);
  return { ...registered, records: [...leaving, ...registered.records] };
}

/** BrokerHeartbeat request: who, with which epoch, how far it has replayed the log, and what it wants. */
export interface BrokerHeartbeatRequest {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly currentMetadataOffset: number;
  readonly wantFence: boolean;
  readonly wantShutDown: boolean;
}

/** BrokerHeartbeat response (`BrokerHeartbeatReply`). */
export interface BrokerHeartbeatResponse {
  readonly errorCode: ControllerErrorType;
  readonly isCaughtUp: boolean;
  readonly isFenced: boolean;
  readonly shouldShutDown: boolean;
}

/** The time a heartbeat arrives and how elections run. */
export interface HeartbeatOptions extends BrokerChangeOptions {
  readonly nowMs: number;
}

/** The broker's state on the active controller (`BrokerControlState`). */
export type BrokerControlState = 'fenced' | 'unfenced' | 'controlledShutdown' | 'shutdownNow';

/**
 * Handles a heartbeat (`ReplicationControlManager#processBrokerHeartbeat`). A stale or unknown broker epoch gets
 * STALE_BROKER_EPOCH and changes nothing. Otherwise the broker's next state follows
 * `BrokerHeartbeatManager#calculateNextBrokerState`, and a change of state writes its records:
 * - fenced -> unfenced once `currentMetadataOffset` has reached its RegisterBroker record's offset (its epoch):
 *   the BrokerUnfenced record, and leaderless partitions re-elect with it (`handleBrokerUnfenced`);
 * - unfenced and asking to shut down with leaderships -> controlled shutdown: the BrokerInControlledShutdown
 *   record, then it leaves every ISR and its leaderships move (`handleBrokerInControlledShutdown`); it stays
 *   there until it leads nothing and every active broker has replayed the log past the offset those records
 *   reached (`lowestActiveOffset`), and is then fenced and told to shut down;
 * - asking to shut down with no leaderships (or while fenced) -> shut down now: fenced (`handleBrokerFenced`);
 * - asking to be fenced -> fenced.
 * Every accepted heartbeat restarts the broker's session and records how far it has replayed the log.
 */
export function brokerHeartbeat(
  image: MetadataImage,
  request: BrokerHeartbeatRequest,
  options: HeartbeatOptions,
): ControllerResult<BrokerHeartbeatResponse> {
  const broker = brokerOf(image, request.brokerId);
  if (broker === undefined || broker.epoch !== request.brokerEpoch) {
    const response = { errorCode: 'STALE_BROKER_EPOCH', isCaughtUp: false, isFenced: true, shouldShutDown: false } as const;
    return { image, records: [], response };
  }
  const isCaughtUp = request.currentMetadataOffset >= broker.epoch;
  const current = controlStateOf(broker);
  const next = nextBrokerState(image, broker, request);
  let records: MetadataRecord[] = [];
  if (next !== current) {
    if (next === 'unfenced') {
      records = [{ type: 'BrokerUnfenced', brokerId: broker.id, brokerEpoch: broker.epoch }, ...unfencedBrokerChanges(image, broker.id, options)];
    } else if (next === 'controlledShutdown') {
      records = [{ type: 'BrokerInControlledShutdown', brokerId: broker.id, brokerEpoch: broker.epoch }, ...fencedBrokerChanges(image, broker.id, options)];
    } else {
      records = fenceRecords(image, broker, options);
    }
  }
  const replayed = replayAll(image, records);
  // The controlled shutdown offset is set once, when the broker enters controlled shutdown: the log's end then.
  const startsShutdown = next === 'controlledShutdown' && broker.controlledShutdownOffset === undefined;
  const touched = touch(replayed, broker.id, options.nowMs, {
    metadataOffset: request.currentMetadataOffset,
    ...(startsShutdown ? { controlledShutdownOffset: replayed.offset } : {}),
  });
  const isFenced = next === 'fenced' || next === 'shutdownNow';
  return { image: touched, records, response: { errorCode: 'NONE', isCaughtUp, isFenced, shouldShutDown: next === 'shutdownNow' } };
}

function controlStateOf(broker: BrokerRegistration): BrokerControlState {
  if (broker.fenced) return 'fenced';
  return broker.inControlledShutdown === true ? 'controlledShutdown' : 'unfenced';
}

// BrokerHeartbeatManager#calculateNextBrokerState.
function nextBrokerState(image: MetadataImage, broker: BrokerRegistration, request: BrokerHeartbeatRequest): BrokerControlState {
  switch (controlStateOf(broker)) {
    case 'fenced':
      if (request.wantShutDown) return 'shutdownNow';
      return !request.wantFence && request.currentMetadataOffset >= broker.epoch ? 'unfenced' : 'fenced';
    case 'unfenced':
      if (request.wantFence) return request.wantShutDown ? 'shutdownNow' : 'fenced';
      if (request.wantShutDown) return hasLeaderships(image, broker.id) ? 'controlledShutdown' : 'shutdownNow';
      return 'unfenced';
    default: {
      if (hasLeaderships(image, broker.id)) return 'controlledShutdown';
      const offset = broker.controlledShutdownOffset ?? Number.POSITIVE_INFINITY;
      return offset <= lowestActiveOffset(image) ? 'shutdownNow' : 'controlledShutdown';
    }
  }
}

// BrokersToIsrs#hasLeaderships: the broker leads some partition.
function hasLeaderships(image: MetadataImage, brokerId: number): boolean {
  return Object.values(image.topics).some((topic) => topic.partitions.some((partition) => partition.leader === brokerId));
}

// BrokerHeartbeatManager#lowestActiveOffset: the least metadata offset an active broker (unfenced, not shutting
// down) last reported; one not heard from since this controller became active counts as -1.
function lowestActiveOffset(image: MetadataImage): number {
  const active = Object.values(image.brokers).filter((broker) => isActiveBroker(image, broker.id));
  return active.reduce((lowest, broker) => Math.min(lowest, broker.metadataOffset ?? -1), Number.POSITIVE_INFINITY);
}


/**
 * The unfenced brokers whose session has expired (no heartbeat for more than `brokerSessionTimeoutMs`), oldest
 * contact first. Kafka fences one stale broker per controller event so each fencing is visible before the next;
 * callers fence them one by one in this order with `fenceBroker`.
 */
export function brokersToFence(image: MetadataImage, nowMs: number, brokerSessionTimeoutMs: number): number[] {
  const stale = Object.values(image.brokers).filter((broker) => {
    if (broker.fenced) return false;
    if (broker.lastHeartbeatMs === null) {
      const allowed = 'an image whose sessions were started with activateController';
      throw new ArgumentError('brokersToFence', 'image', `broker ${broker.id} without a session`, allowed);
    }
    return nowMs - broker.lastHeartbeatMs > brokerSessionTimeoutMs;
  });
  return stale
    .sort((a, b) => (a.lastHeartbeatMs ?? 0) - (b.lastHeartbeatMs ?? 0) || a.id - b.id)
    .map((broker) => broker.id);
}

/**
 * Fences a registered, unfenced broker (session expiry): partition changes that drop it from every ISR and
 * re-elect, then its BrokerFenced record (`ReplicationControlManager#handleBrokerFenced`).
 */
export function fenceBroker(image: MetadataImage, brokerId: number, options: BrokerChangeOptions): ControllerResult<null> {
  const broker = brokerOf(image, brokerId);
  if (broker === undefined || broker.fenced) {
    throw new ArgumentError('fenceBroker', 'brokerId', brokerId, 'a registered, unfenced broker');
  }
  const records = fenceRecords(image, broker, options);
  return { image: replayAll(image, records), records, response: null };
}

/**
 * Starts a fresh session for every registered broker, as a newly active controller does (heartbeat times are soft
 * state that a failover loses, so fencing is slower after a controller restart).
 */
export function activateController(image: MetadataImage, nowMs: number): MetadataImage {
  const brokers = Object.fromEntries(
    Object.values(image.brokers).map((broker) => [broker.id, { ...broker, lastHeartbeatMs: nowMs }]),
  );
  return { ...image, brokers };
}

function fenceRecords(image: MetadataImage, broker: BrokerRegistration, options: BrokerChangeOptions): MetadataRecord[] {
  return [
    ...fencedBrokerChanges(image, broker.id, options),
    { type: 'BrokerFenced', brokerId: broker.id, brokerEpoch: broker.epoch },
  ];
}

// BrokerHeartbeatManager#hasValidSession: unfenced and heard from within the session timeout.
function hasValidSession(broker: BrokerRegistration, options: RegistrationOptions): boolean {
  return !broker.fenced && broker.lastHeartbeatMs !== null && options.nowMs - broker.lastHeartbeatMs <= options.brokerSessionTimeoutMs;
}

function touch(image: MetadataImage, brokerId: number, nowMs: number, soft: Pick<BrokerRegistration, 'metadataOffset' | 'controlledShutdownOffset'> = {}): MetadataImage {
  const broker = brokerOf(image, brokerId);
  invariant(broker !== undefined, `touch of unregistered broker ${brokerId}`);
  return { ...image, brokers: { ...image.brokers, [brokerId]: { ...broker, ...soft, lastHeartbeatMs: nowMs } } };
}
