import { electLeader } from './electLeader.ts';
import type { Election } from './electLeader.ts';
import { allPartitions, isActiveBroker, NO_LEADER } from './metadataImage.ts';
import type { MetadataImage, PartitionChangeRecord, PartitionRegistration } from './metadataImage.ts';

/** Eligible Leader Replicas (KIP-966), on when the `eligible.leader.replicas.version` feature is 1. */
export interface ElrOptions {
  /** The topic's min.insync.replicas (Kafka caps it at the replication factor: getTopicEffectiveMinIsr). */
  readonly minInsyncReplicasOf: (topic: string) => number;
}

/** What a partition change aims at: an ISR (default: the current one), the election kind, who may lead. */
export interface PartitionChangeOptions {
  readonly targetIsr?: readonly number[];
  readonly election: Election;
  readonly isAcceptableLeader: (brokerId: number) => boolean;
  /** ELR on (with the topic's min ISR); absent: off, as Kafka 3.9 ships it. */
  readonly elr?: { readonly minIsr: number };
  /** Brokers that came back from an unclean shutdown: they leave the ELR too (setUncleanShutdownReplicas). */
  readonly uncleanShutdownReplicas?: readonly number[];
}

/** Which partition the change is for. */
export interface PartitionId {
  readonly topic: string;
  readonly partition: number;
}

/**
 * The PartitionChange record that moves `current` towards the target ISR, or null when nothing would change
 * (`PartitionChangeBuilder#build`, without reassignment), in Kafka's order:
 * - with ELR, the ELR is computed first (`maybePopulateTargetElr`): cleared while the target ISR has at least min
 *   ISR members, else the current ISR and ELR minus the target ISR and minus unclean-shutdown replicas;
 * - a leader is elected (`electLeader`); one taken from the ELR becomes the whole target ISR; a new leader
 *   (including -1) is written, which bumps the leader epoch; an unclean election (or the last known leader) sets
 *   the ISR to the new leader alone and clears the ELR;
 * - the target ISR is written when it differs; without ELR never an empty one, so the last ISR member stays in
 *   the ISR while it is away (leader -1) and can come back as leader with all acknowledged data; with ELR the ISR
 *   may empty, and the leader it had is kept as the last known leader (`maybeUpdateLastKnownLeader`);
 * - the leader epoch is not bumped by an ISR shrink alone (metadata version 3.6+, KAFKA-15021).
 * Replaying the record bumps the partition epoch.
 */
export function partitionChange(
  id: PartitionId,
  current: PartitionRegistration,
  options: PartitionChangeOptions,
): PartitionChangeRecord | null {
  const elrOn = options.elr !== undefined;
  const currentElr = current.elr ?? [];
  const currentLastKnownElr = current.lastKnownElr ?? [];
  let targetIsr = options.targetIsr ?? current.isr;
  let targetElr = elrOn ? populateTargetElr(current, targetIsr, options.elr.minIsr, options.uncleanShutdownReplicas ?? []) : currentElr;

  // canElectLastKnownLeader: only the existing registration's LastKnownElr counts, and only when it is one broker.
  const [lastKnown] = currentLastKnownElr;
  const lastKnownLeader = elrOn && targetIsr.length === 0 && targetElr.length === 0 && currentLastKnownElr.length === 1 &&
    lastKnown !== undefined && options.isAcceptableLeader(lastKnown) ? lastKnown : NO_LEADER;
  const election = electLeader({
    replicas: current.replicas,
    targetIsr,
    targetElr,
    currentLeader: current.leader,
    election: options.election,
    isAcceptableLeader: options.isAcceptableLeader,
    lastKnownLeader,
  });
  let leader: number | undefined;
  let isr: readonly number[] | undefined;
  let recovering = false;
  if (election.leader !== current.leader) {
    if (targetElr.includes(election.leader)) {
      targetIsr = [election.leader];
      targetElr = targetElr.filter((replica) => replica !== election.leader);
    }
    leader = election.leader;
    // An unclean leader may miss acknowledged records; it becomes the whole ISR (data loss is possible), and the
    // record says so (PartitionChangeBuilder sets LeaderRecoveryState.RECOVERING).
    if (election.unclean) {
      isr = [election.leader];
      recovering = true;
    }
  }
  // maybeUpdateRecordElr: an unclean election, or ELR off, clears the ELR.
  if (isr !== undefined || !elrOn) targetElr = [];
  const elr = sameBrokers(targetElr, currentElr) ? undefined : targetElr;
  if (isr === undefined && (targetIsr.length > 0 || elrOn) && !sameBrokers(targetIsr, current.isr)) isr = [...targetIsr];
  const lastKnownElr = elrOn ? lastKnownLeaderChange(current, isr, leader) : undefined;
  if (leader === undefined && isr === undefined && elr === undefined && lastKnownElr === undefined) return null;
  return {
    type: 'PartitionChange',
    topic: id.topic,
    partition: id.partition,
    ...(isr === undefined ? {} : { isr }),
    ...(leader === undefined ? {} : { leader }),
    ...(elr === undefined ? {} : { elr }),
    ...(lastKnownElr === undefined ? {} : { lastKnownElr }),
    ...(recovering ? { leaderRecoveryState: 'RECOVERING' as const } : {}),
  };
}

// PartitionChangeBuilder#maybePopulateTargetElr: the replicas that leave an ISR below min ISR keep every committed
// record (the HW does not move below min ISR), so they stay eligible to lead; the order is ascending broker id, as
// Kafka's HashSet of small integers iterates.
function populateTargetElr(
  current: PartitionRegistration,
  targetIsr: readonly number[],
  minIsr: number,
  uncleanShutdownReplicas: readonly number[],
): number[] {
  if (targetIsr.length >= minIsr) return [];
  const candidates = new Set([...(current.elr ?? []), ...current.isr]);
  return [...candidates]
    .filter((replica) => !targetIsr.includes(replica) && !uncleanShutdownReplicas.includes(replica))
    .sort((a, b) => a - b);
}

// PartitionChangeBuilder#maybeUpdateLastKnownLeader: remember the leader the first time the ISR empties; forget it
// once the partition has (or keeps) a leader.
function lastKnownLeaderChange(
  current: PartitionRegistration,
  isr: readonly number[] | undefined,
  leader: number | undefined,
): readonly number[] | undefined {
  const currentLastKnownElr = current.lastKnownElr ?? [];
  if (isr !== undefined && isr.length === 0) {
    const remembered = currentLastKnownElr.length === 1 && currentLastKnownElr[0] === current.leader;
    return remembered ? undefined : [current.leader];
  }
  const hasLeader = (leader !== undefined && leader >= 0) || (current.leader !== NO_LEADER && leader !== NO_LEADER);
  return hasLeader && currentLastKnownElr.length > 0 ? [] : undefined;
}

/** How the controller elects when a broker's state changes. */
export interface BrokerChangeOptions {
  readonly uncleanLeaderElectionEnable: boolean;
  /** Eligible Leader Replicas (KIP-966); absent: off, as Kafka 3.9 ships it. */
  readonly elr?: ElrOptions;
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
      ...elrFor(options, topic, registration),
    });
    return change === null ? [] : [change];
  });
}

/**
 * The changes for a broker that registers again after an unclean shutdown (`handleBrokerUncleanShutdown`): with
 * ELR on, every partition with the broker in its ISR or its ELR drops it from both (its log may have lost its
 * unflushed tail) and re-elects without it; with ELR off Kafka does nothing here, which is the 3.9 window of data
 * loss KIP-966 closed ("last replica standing").
 */
export function uncleanShutdownChanges(image: MetadataImage, brokerId: number, options: BrokerChangeOptions): PartitionChangeRecord[] {
  if (options.elr === undefined) return [];
  const isAcceptableLeader = (replica: number): boolean => replica !== brokerId && isActiveBroker(image, replica);
  const changeFor = (topic: string, partition: number, registration: PartitionRegistration): PartitionChangeRecord[] => {
    const change = partitionChange({ topic, partition }, registration, {
      targetIsr: registration.isr.filter((replica) => replica !== brokerId),
      election: electionFor(options),
      isAcceptableLeader,
      uncleanShutdownReplicas: [brokerId],
      ...elrFor(options, topic, registration),
    });
    return change === null ? [] : [change];
  };
  // Kafka walks the partitions with the broker in the ISR, then those with it in the ELR (never both at once),
  // each change computed from the registration as it stands before any of them.
  const partitions = allPartitions(image);
  const inIsr = partitions.filter(({ registration }) => registration.isr.includes(brokerId));
  const inElr = partitions.filter(({ registration }) => (registration.elr ?? []).includes(brokerId));
  return [...inIsr, ...inElr].flatMap(({ topic, partition, registration }) => changeFor(topic, partition, registration));
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
    const change = partitionChange({ topic, partition }, registration, {
      election: electionFor(options),
      isAcceptableLeader,
      ...elrFor(options, topic, registration),
    });
    return change === null ? [] : [change];
  });
}

/** The election a topic gets: unclean only when `unclean.leader.election.enable` is on. */
export function electionFor(options: BrokerChangeOptions): Election {
  return options.uncleanLeaderElectionEnable ? 'unclean' : 'online';
}

/** The ELR part of a partition change's options for `topic`: its effective min ISR, or nothing with ELR off. */
export function elrFor(options: BrokerChangeOptions, topic: string, registration: PartitionRegistration): Pick<PartitionChangeOptions, 'elr'> {
  if (options.elr === undefined) return {};
  return { elr: { minIsr: Math.min(options.elr.minInsyncReplicasOf(topic), registration.replicas.length) } };
}

// Kafka compares ISR lists in order (`targetIsr.equals(...)`), so a reordered ISR counts as a change.
function sameBrokers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((broker, i) => broker === b[i]);
}
