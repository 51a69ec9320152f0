import type { ControllerResult } from './ControllerResult.ts';
import { allPartitions, isActiveBroker, replayAll } from './metadataImage.ts';
import type { MetadataImage, PartitionChangeRecord, PartitionRegistration } from './metadataImage.ts';
import { elrFor, partitionChange, type BrokerChangeOptions } from './partitionChange.ts';

/** The most preferred-leader elections one balancing pass makes (QuorumController's maxElectionsPerImbalance). */
export const MAX_ELECTIONS_PER_IMBALANCE = 1_000;

/**
 * Whether the partition has a leader other than its preferred replica, the first of its replicas
 * (ReplicationControlManager's `imbalancedPartitions`: a leaderless partition is not counted).
 */
export function isImbalanced(registration: PartitionRegistration): boolean {
  return registration.leader >= 0 && registration.leader !== registration.replicas[0];
}

/** Whether some partition is imbalanced (`arePartitionLeadersImbalanced`). */
export function arePartitionLeadersImbalanced(image: MetadataImage): boolean {
  return allPartitions(image).some(({ registration }) => isImbalanced(registration));
}

/**
 * One pass of automatic leader balancing (`ReplicationControlManager#maybeBalancePartitionLeaders`, run by the
 * KRaft controller every `leader.imbalance.check.interval.seconds` while partitions are imbalanced, when
 * `auto.leader.rebalance.enable`): a preferred election for each imbalanced partition, which moves the leadership
 * back to the preferred replica when it is in the ISR and active, and changes nothing otherwise. At most
 * MAX_ELECTIONS_PER_IMBALANCE changes; the response says whether the pass stopped there (then the next pass runs
 * at once). KRaft ignores `leader.imbalance.per.broker.percentage`: any imbalanced partition counts.
 */
export function balancePartitionLeaders(image: MetadataImage, options: BrokerChangeOptions): ControllerResult<boolean> {
  const records: PartitionChangeRecord[] = [];
  for (const { topic, partition, registration } of allPartitions(image)) {
    if (records.length >= MAX_ELECTIONS_PER_IMBALANCE) break;
    if (!isImbalanced(registration)) continue;
    const change = partitionChange({ topic, partition }, registration, {
      election: 'preferred',
      isAcceptableLeader: (broker) => isActiveBroker(image, broker),
      ...elrFor(options, topic, registration),
    });
    if (change !== null) records.push(change);
  }
  return { image: replayAll(image, records), records, response: records.length >= MAX_ELECTIONS_PER_IMBALANCE };
}
