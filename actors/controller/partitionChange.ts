import { electLeader } from './electLeader.ts';
import type { Election } from './electLeader.ts';
import { allPartitions, isActiveBroker } from './metadataImage.ts';
import type { MetadataImage, PartitionChangeRecord, PartitionRegistration } from './metadataImage.ts';

/** What a partition change aims at: an ISR (default: the current one), the election kind, who may lead. */
export interface PartitionChangeOptions {
  readonly targetIsr?: readonly number[];
  readonly election: Election;
  readonly isAcceptableLeader: (brokerId: number) => boolean;
}

/** Which partition the change is for. */
export interface PartitionId {
  readonly topic: string;
  readonly partition: number;
}

/**
 * The PartitionChange record that moves `current` towards the target ISR, or null when nothing would change
 * (`PartitionChangeBuilder#build` without reassignment or ELR):
 * - elect a leader against the target ISR; a new leader (including -1) is written, which bumps the leader epoch;
 * - an unclean election sets the ISR to the new leader alone;
 * - otherwise the target ISR is written when it differs, but never an empty one: without ELR the last ISR member
 *   stays in the ISR while it is away (leader -1), so it can come back as leader with all acknowledged data;
 * - the leader epoch is not bumped by an ISR shrink alone (metadata version 3.6+, KAFKA-15021).
 * Replaying the record bumps the partition epoch.
 */
export function partitionChange(
  id: PartitionId,
  current: PartitionRegistration,
  options: PartitionChangeOptions,
): PartitionChangeRecord | null {
  const targetIsr = options.targetIsr ?? current.isr;
  const election = electLeader({
    replicas: current.replicas,
    targetIsr,
    currentLeader: current.leader,
    election: options.election,
    isAcceptableLeader: options.isAcceptableLeader,
  });
  let leader: number | undefined;
  let isr: readonly number[] | undefined;
  if (election.leader !== current.leader) {
    leader = election.leader;
    // An unclean leader may miss acknowledged records; it becomes the whole ISR (data loss is possible).
    if (election.unclean) isr = [election.leader];
  }
  if (isr === undefined && targetIsr.length > 0 && !sameBrokers(targetIsr, current.isr)) isr = [...targetIsr];
  if (leader === undefined && isr === undefined) return null;
  return {
    type: 'PartitionChange',
    topic: id.topic,
    partition: id.partition,
    ...(isr === undefined ? {} : { isr }),
    ...(leader === undefined ? {} : { leader }),
  };
}

/** How the controller elects when a broker's state changes. */
export interface BrokerChangeOptions {
  readonly uncleanLeaderElectionEnable: boolean;
}

/**
 * The changes for a broker being fenced (`ReplicationControlManager#handleBrokerFenced`): every partition with the
 * broker in its ISR drops it from the target ISR and re-elects with the broker unacceptable as leader. Partitions
 * come in a stable order (topic name, partition id).
 */
export function fencedBrokerChanges(image: MetadataImage, brokerId: number, options: BrokerChangeOptions): PartitionChangeRecord[] {
  const isAcceptableLeader = (replica: number): boolean => replica !== brokerId && isActiveBroker(image, replica);
  return allPartitions(image).flatMap(({ topic, partition, registration }) => {
    if (!registration.isr.includes(brokerId)) return [];
    const change = partitionChange({ topic, partition }, registration, {
      targetIsr: registration.isr.filter((replica) => replica !== brokerId),
      election: electionFor(options),
      isAcceptableLeader,
    });
    return change === null ? [] : [change];
  });
}

/**
 * The changes for a broker being unfenced (`ReplicationControlManager#handleBrokerUnfenced`): every partition
 * without a leader tries an election in which the returning broker counts as acceptable even though the image
 * still shows it fenced (its BrokerUnfenced record is written in the same batch).
 */
export function unfencedBrokerChanges(image: MetadataImage, brokerId: number, options: BrokerChangeOptions): PartitionChangeRecord[] {
  const isAcceptableLeader = (replica: number): boolean => replica === brokerId || isActiveBroker(image, replica);
  return allPartitions(image).flatMap(({ topic, partition, registration }) => {
    if (registration.leader >= 0) return [];
    const change = partitionChange({ topic, partition }, registration, { election: electionFor(options), isAcceptableLeader });
    return change === null ? [] : [change];
  });
}

/** The election a topic gets: unclean only when `unclean.leader.election.enable` is on. */
export function electionFor(options: BrokerChangeOptions): Election {
  return options.uncleanLeaderElectionEnable ? 'unclean' : 'online';
}

// Kafka compares ISR lists in order (`targetIsr.equals(...)`), so a reordered ISR counts as a change.
function sameBrokers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((broker, i) => broker === b[i]);
}
