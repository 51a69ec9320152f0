import { ArgumentError } from '../../src/kernel/argumentError.ts';
import type { ControllerErrorType } from './ControllerErrorType.ts';
import type { ControllerResult } from './ControllerResult.ts';
import { invariant } from './invariant.ts';
import { brokerOf, replayAll } from './metadataImage.ts';
import type { BrokerRegistration, MetadataImage, MetadataRecord } from './metadataImage.ts';
import { fencedBrokerChanges, unfencedBrokerChanges } from './partitionChange.ts';
import type { BrokerChangeOptions } from './partitionChange.ts';

// Broker registration, heartbeats and session fencing on the active KRaft controller
// (`ClusterControlManager#registerBroker`, `BrokerHeartbeatManager#calculateNextBrokerState`,
// `ReplicationControlManager#processBrokerHeartbeat` / `maybeFenceOneStaleBroker`).

/** BrokerRegistration request: the broker id and the incarnation (a fresh id per process start). */
export interface BrokerRegistrationRequest {
  readonly brokerId: number;
  readonly incarnationId: string;
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

/**
 * Handles a heartbeat. A stale or unknown broker epoch gets STALE_BROKER_EPOCH and changes nothing. A fenced broker
 * that does not want to be fenced is unfenced once `currentMetadataOffset` has reached its RegisterBroker record's
 * offset (its epoch), and leaderless partitions re-elect with it. An unfenced broker that asks to be fenced or to
 * shut down is fenced (simplified: Kafka first moves its leaderships in a controlled shutdown, then lets it go).
 * Every accepted heartbeat restarts the broker's session.
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
  let records: MetadataRecord[] = [];
  if (broker.fenced && !request.wantShutDown && !request.wantFence && isCaughtUp) {
    records = [
      { type: 'BrokerUnfenced', brokerId: broker.id, brokerEpoch: broker.epoch },
      ...unfencedBrokerChanges(image, broker.id, options),
    ];
  } else if (!broker.fenced && (request.wantFence || request.wantShutDown)) {
    records = fenceRecords(image, broker, options);
  }
  const next = touch(replayAll(image, records), broker.id, options.nowMs);
  const isFenced = brokerOf(next, broker.id)?.fenced ?? true;
  const shouldShutDown = request.wantShutDown && isFenced;
  return { image: next, records, response: { errorCode: 'NONE', isCaughtUp, isFenced, shouldShutDown } };
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

function touch(image: MetadataImage, brokerId: number, nowMs: number): MetadataImage {
  const broker = brokerOf(image, brokerId);
  invariant(broker !== undefined, `touch of unregistered broker ${brokerId}`);
  return { ...image, brokers: { ...image.brokers, [brokerId]: { ...broker, lastHeartbeatMs: nowMs } } };
}
