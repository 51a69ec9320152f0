import type { ControllerErrorType } from './ControllerErrorType.ts';
import type { ControllerResult } from './ControllerResult.ts';
import { brokerOf, isActiveBroker, partitionOf, replayAll } from './metadataImage.ts';
import type { MetadataImage, PartitionRegistration } from './metadataImage.ts';
import { electionFor, elrFor, partitionChange } from './partitionChange.ts';
import type { BrokerChangeOptions } from './partitionChange.ts';

/** A proposed ISR member with the broker epoch the leader last saw it with (-1: do not check the epoch). */
export interface IsrMember {
  readonly brokerId: number;
  readonly brokerEpoch: number;
}

/**
 * AlterPartition from a partition leader (one partition per request here; Kafka batches them). `leaderEpoch` and
 * `partitionEpoch` are the leader's view; the partition epoch makes the request a compare-and-set.
 */
export interface AlterPartitionRequest {
  readonly brokerId: number;
  readonly brokerEpoch: number;
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly newIsr: readonly IsrMember[];
}

/** AlterPartition response: the partition's state after the change, or the error that refused it. */
export type AlterPartitionResponse =
  | ({ readonly errorCode: 'NONE' } & PartitionRegistration)
  | { readonly errorCode: Exclude<ControllerErrorType, 'NONE'> };

/**
 * Applies an ISR change proposed by the leader, answering as `ReplicationControlManager#alterPartition` does, in
 * its order: STALE_BROKER_EPOCH for a sender whose broker epoch is not the registered one; UNKNOWN_TOPIC_OR_PARTITION;
 * NOT_CONTROLLER when the request knows newer epochs than this controller; FENCED_LEADER_EPOCH for an older leader
 * epoch; INVALID_REQUEST when the sender is not the leader; INVALID_UPDATE_VERSION when the partition epoch is stale
 * (the compare-and-set failed: another change landed since the leader's view); INVALID_REQUEST for an ISR with
 * duplicates, non-replicas or without the leader; INELIGIBLE_REPLICA when a proposed member is unregistered,
 * fenced, in controlled shutdown, or on another broker epoch. An accepted change writes a PartitionChange record (none when the ISR is
 * unchanged) and answers with the new state.
 */
export function alterPartition(
  image: MetadataImage,
  request: AlterPartitionRequest,
  options: BrokerChangeOptions,
): ControllerResult<AlterPartitionResponse> {
  const refuse = (errorCode: Exclude<ControllerErrorType, 'NONE'>): ControllerResult<AlterPartitionResponse> => ({
    image,
    records: [],
    response: { errorCode },
  });
  if (brokerOf(image, request.brokerId)?.epoch !== request.brokerEpoch) return refuse('STALE_BROKER_EPOCH');
  const current = partitionOf(image, request.topic, request.partition);
  if (current === undefined) return refuse('UNKNOWN_TOPIC_OR_PARTITION');
  const error = validate(image, request, current);
  if (error !== null) return refuse(error);

  const change = partitionChange({ topic: request.topic, partition: request.partition }, current, {
    targetIsr: request.newIsr.map((member) => member.brokerId),
    election: electionFor(options),
    isAcceptableLeader: (broker) => isActiveBroker(image, broker),
    ...elrFor(options, request.topic, current),
  });
  const records = change === null ? [] : [change];
  const next = replayAll(image, records);
  const state = partitionOf(next, request.topic, request.partition) ?? current;
  // Only a reassignment can move the leader here; Kafka still writes the change and tells the old leader.
  if (change?.leader !== undefined && change.leader !== request.brokerId) {
    return { image: next, records, response: { errorCode: 'NEW_LEADER_ELECTED' } };
  }
  return { image: next, records, response: { errorCode: 'NONE', ...state } };
}

function validate(
  image: MetadataImage,
  request: AlterPartitionRequest,
  current: PartitionRegistration,
): Exclude<ControllerErrorType, 'NONE'> | null {
  // Epochs newer than ours mean this controller is behind (no longer active): let the leader find the new one.
  if (request.leaderEpoch > current.leaderEpoch || request.partitionEpoch > current.partitionEpoch) return 'NOT_CONTROLLER';
  if (request.leaderEpoch < current.leaderEpoch) return 'FENCED_LEADER_EPOCH';
  if (request.brokerId !== current.leader) return 'INVALID_REQUEST';
  if (request.partitionEpoch < current.partitionEpoch) return 'INVALID_UPDATE_VERSION';
  const newIsr = request.newIsr.map((member) => member.brokerId);
  if (!isValidIsr(current.replicas, newIsr) || !newIsr.includes(current.leader)) return 'INVALID_REQUEST';
  const ineligible = request.newIsr.some((member) => {
    const broker = brokerOf(image, member.brokerId);
    // ClusterControlManager#isActive plus the broker epoch (KIP-903): fenced or shutting-down brokers cannot join.
    return !isActiveBroker(image, member.brokerId) || broker === undefined || (member.brokerEpoch !== -1 && member.brokerEpoch !== broker.epoch);
  });
  return ineligible ? 'INELIGIBLE_REPLICA' : null;
}

// Replicas#validateIsr: distinct members, each one a replica.
function isValidIsr(replicas: readonly number[], isr: readonly number[]): boolean {
  return new Set(isr).size === isr.length && isr.every((broker) => replicas.includes(broker));
}
