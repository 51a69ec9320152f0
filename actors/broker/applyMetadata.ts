import { allPartitions, replayAll } from '../controller/metadataImage.ts';
import type { MetadataRecord, PartitionRegistration } from '../../src/protocol/metadataRecords.ts';
import type { BrokerEffect, BrokerState, FollowerState, PartitionReplica } from './BrokerState.ts';
import { newReplica, withReplica } from './BrokerState.ts';
import { sendFollowerFetch, truncateOnBecomingFollower } from './followerFetcher.ts';
import { advanceHighWatermark } from './highWatermarkAdvance.ts';
import { resetFetchState, unknownFollowerFetchState } from './isrMembership.ts';
import { assignEpochStartOffset } from './partitionLog.ts';
import { emptyReplicaLog } from './ReplicaLog.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';

// A broker replays the metadata log (KRaft's MetadataLoader / BrokerMetadataPublisher) and applies each
// partition change to its replicas (ReplicaManager.applyDelta): a new leader epoch naming this broker makes it
// leader (Partition.makeLeader), naming another makes it a follower of that broker (Partition.makeFollower);
// an ISR change alone updates the leader's view. Records arrive pushed by the controller or in heartbeat
// answers; a batch that does not continue the replayed prefix is skipped, and the next heartbeat fills the gap.

/** Replays the records that continue this broker's metadata log, then applies what changed. */
export function applyMetadataRecords(
  state: BrokerState,
  fromOffset: number,
  records: readonly MetadataRecord[],
  nowMs: number,
  out: BrokerEffect[],
): BrokerState {
  const skip = state.image.offset + 1 - fromOffset;
  if (skip < 0 || skip >= records.length) return state;
  const image = replayAll(state.image, records.slice(skip));
  let next: BrokerState = { ...state, image };
  const registration = image.brokers[state.brokerId];
  if (registration !== undefined && registration.epoch === state.brokerEpoch) next = { ...next, isFenced: registration.fenced };
  for (const { topic, partition, registration: partitionRegistration } of allPartitions(image)) {
    if (!partitionRegistration.replicas.includes(state.brokerId)) continue;
    next = applyPartition(next, topic, partition, partitionRegistration, nowMs, out);
  }
  return next;
}

/**
 * Applies one partition's state naming this broker as a replica: a new leader epoch makes it leader or follower, the
 * same epoch with a higher partition epoch changes the ISR alone. KRaft brokers reach it by replaying the metadata
 * log; ZooKeeper-mode brokers from a LeaderAndIsrRequest (leaderAndIsr.ts).
 */
export function applyPartition(
  state: BrokerState,
  topic: string,
  partition: number,
  registration: PartitionRegistration,
  nowMs: number,
  out: BrokerEffect[],
): BrokerState {
  const key = topicPartitionKey(topic, partition);
  const created = state.partitions[key] === undefined;
  const current = state.partitions[key] ?? newReplica(topic, partition, emptyReplicaLog());
  if (!created && registration.partitionEpoch <= current.partitionEpoch) return state;
  const view = {
    replicas: registration.replicas,
    isr: registration.isr,
    leader: registration.leader,
    leaderEpoch: registration.leaderEpoch,
    partitionEpoch: registration.partitionEpoch,
  };
  if (created) out.push({ kind: 'persist', fsync: false });
  if (!created && registration.leaderEpoch === current.leaderEpoch) {
    // An ISR change in the same epoch: the leader adopts it (its own AlterPartition, or the controller fencing a
    // follower) and re-evaluates the HW.
    const replica: PartitionReplica = { ...current, ...view, pendingIsr: null };
    return advanceHighWatermark(withReplica(state, replica), key, out, nowMs);
  }
  if (registration.leader === state.brokerId) return becomeLeader(state, current, view, nowMs, out);
  return becomeFollower(state, current, view, nowMs, out);
}

// Partition.makeLeader: the new epoch starts at the LEO, followers' positions are forgotten (those in the ISR
// count as caught up now), and the HW is re-evaluated against the new ISR. A new leader also forgets the broker
// epochs followers fetched with (Replica.resetReplicaState), so none is ISR-eligible before it fetches again.
function becomeLeader(
  state: BrokerState,
  current: PartitionReplica,
  view: Pick<PartitionReplica, 'replicas' | 'isr' | 'leader' | 'leaderEpoch' | 'partitionEpoch'>,
  nowMs: number,
  out: BrokerEffect[],
): BrokerState {
  const key = topicPartitionKey(current.topic, current.partition);
  const log = assignEpochStartOffset(current.log, view.leaderEpoch);
  const isNewLeader = current.leader !== state.brokerId;
  const followers: Record<number, FollowerState> = {};
  for (const replicaId of view.replicas) {
    if (replicaId === state.brokerId) continue;
    const previous = current.followers[replicaId] ?? { ...unknownFollowerFetchState, brokerEpoch: null };
    const reset = resetFetchState(previous, { nowMs, leaderLeo: log.logEndOffset, isNewLeader, isFollowerInIsr: view.isr.includes(replicaId) });
    followers[replicaId] = { ...reset, brokerEpoch: isNewLeader ? null : previous.brokerEpoch };
  }
  out.push({ kind: 'note', data: { invariant: 'leader', topic: current.topic, partition: current.partition, leaderEpoch: view.leaderEpoch, broker: state.brokerId } });
  const replica: PartitionReplica = {
    ...current,
    ...view,
    log,
    followers,
    leaderEpochStartOffset: log.logEndOffset,
    pendingIsr: null,
  };
  out.push({ kind: 'persist', fsync: false });
  return advanceHighWatermark(withReplica(state, replica), key, out, nowMs);
}

// Partition.makeFollower: the delayed operations on the partition complete (produces with NOT_LEADER_OR_FOLLOWER,
// fetches with what the follower now has), and the partition joins the fetcher for its new leader (none while the
// partition has no leader).
function becomeFollower(
  state: BrokerState,
  current: PartitionReplica,
  view: Pick<PartitionReplica, 'replicas' | 'isr' | 'leader' | 'leaderEpoch' | 'partitionEpoch'>,
  nowMs: number,
  out: BrokerEffect[],
): BrokerState {
  const key = topicPartitionKey(current.topic, current.partition);
  const replica = truncateOnBecomingFollower(state, { ...current, ...view, followers: {}, pendingIsr: null, leaderEpochStartOffset: -1 });
  if (replica.log !== current.log) out.push({ kind: 'persist', fsync: false });
  const next = advanceHighWatermark(withReplica(state, replica), key, out, nowMs);
  return sendFollowerFetch(next, view.leader, nowMs, out);
}
