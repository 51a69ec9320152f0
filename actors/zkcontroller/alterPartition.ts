import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { AlterPartitionRequest } from '../../src/protocol/messages.ts';
import type { ControllerView, PartitionStateChange } from './brokerFailure.ts';
import type { ZkLeaderAndIsr } from './partitionLeaderElection.ts';

// The ZooKeeper-mode controller's answer to a leader's AlterPartition (Kafka 3.9 `KafkaController#
// tryProcessAlterPartition`, KIP-497), in Kafka's order of checks: only the active controller answers
// (NOT_CONTROLLER); the leader must be a live broker with the broker epoch it registered with (STALE_BROKER_EPOCH);
// the partition must exist (UNKNOWN_TOPIC_OR_PARTITION); a request in a newer leader or partition epoch than this
// controller knows means another controller is active (NOT_CONTROLLER), one in an older leader epoch comes from a
// deposed leader (FENCED_LEADER_EPOCH); a request for the state already written is answered with it (before the
// partition-epoch check, so a retry is idempotent); one on an older partition epoch lost a race (INVALID_UPDATE_VERSION);
// an ISR naming a broker that is not alive is refused (INELIGIBLE_REPLICA, KIP-841). Anything else is written to
// ZooKeeper on the partition epoch the leader saw, and answered once written. Unlike the KRaft controller, the
// ZooKeeper one reads only the ids of the proposed ISR, not the broker epochs each member fetched with (KIP-903's
// check is KRaft's alone): a replica that restarted with an empty log can be taken back into the ISR on a fetch
// from before its restart, which is the R10 scenario of the bug catalogue.

/** What the controller does with one AlterPartition. */
export type AlterPartitionDecision =
  | { readonly kind: 'refuse'; readonly errorCode: KafkaErrorType }
  /** The partition is already in the state asked for: answer with it. */
  | { readonly kind: 'current'; readonly state: ZkLeaderAndIsr }
  /** Write the new state (partitionStateWrite), then answer with it. */
  | { readonly kind: 'write'; readonly change: PartitionStateChange };

/**
 * Decides an AlterPartition; `isActive` is whether this broker is the elected controller. Brokers in controlled
 * shutdown are registered (their epochs check) but no ISR member (`ControllerContext#liveBrokerIds` leaves them out).
 */
export function decideAlterPartition(view: ControllerView, request: AlterPartitionRequest, isActive: boolean, shuttingDown: ReadonlySet<number> = new Set()): AlterPartitionDecision {
  const refuse = (errorCode: KafkaErrorType): AlterPartitionDecision => ({ kind: 'refuse', errorCode });
  if (!isActive) return refuse('NOT_CONTROLLER');
  if (view.liveBrokers[request.brokerId] !== request.brokerEpoch) return refuse('STALE_BROKER_EPOCH');
  const partition = view.partitions.find((p) => p.topic === request.topic && p.partition === request.partition);
  const current = partition?.state ?? null;
  if (partition === undefined || current === null) return refuse('UNKNOWN_TOPIC_OR_PARTITION');
  if (request.partitionEpoch > current.partitionEpoch || request.leaderEpoch > current.leaderEpoch) return refuse('NOT_CONTROLLER');
  if (request.leaderEpoch < current.leaderEpoch) return refuse('FENCED_LEADER_EPOCH');
  const isr = request.newIsr.map((member) => member.brokerId);
  // `LeaderAndIsr#equalsAllowStalePartitionEpoch`: the same leader, leader epoch and ISR (in order).
  if (request.brokerId === current.leader && isr.length === current.isr.length && isr.every((id, i) => id === current.isr[i])) return { kind: 'current', state: current };
  if (request.partitionEpoch < current.partitionEpoch) return refuse('INVALID_UPDATE_VERSION');
  if (isr.some((id) => !Object.hasOwn(view.liveBrokers, id) || shuttingDown.has(id))) return refuse('INELIGIBLE_REPLICA');
  const next: ZkLeaderAndIsr = { ...current, leader: request.brokerId, leaderEpoch: request.leaderEpoch, isr, partitionEpoch: request.partitionEpoch + 1 };
  return {
    kind: 'write',
    change: { topic: request.topic, partition: request.partition, replicas: partition.replicas, expectedZkVersion: request.partitionEpoch, next, reason: 'alterPartition' },
  };
}
