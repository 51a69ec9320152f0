import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { LeaderAndIsrRequest, LeaderAndIsrResponse } from '../../src/protocol/controlRequests.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import { applyPartition } from './applyMetadata.ts';
import type { BrokerEffect, BrokerState } from './BrokerState.ts';

// A ZooKeeper-mode broker takes its partitions' leadership from the controller's LeaderAndIsrRequest (Kafka 3.9
// `KafkaApis#handleLeaderAndIsrRequest` and `ReplicaManager#becomeLeaderOrFollower`), not from a metadata log:
// - a request for an earlier registration of this broker (its broker epoch below the current one; -1 means unknown)
//   is refused whole with STALE_BROKER_EPOCH (KIP-380): a broker that restarted fast must not obey its past;
// - a request from a controller whose epoch is below the latest one this broker accepted is refused whole with
//   STALE_CONTROLLER_EPOCH: this is what fences a zombie controller, one that lost its ZooKeeper session and still
//   acts while another has been elected;
// - otherwise the controller epoch is remembered, and each partition whose leader epoch is newer than the broker's
//   makes it leader or follower (the same transitions as a KRaft broker's, applyMetadata.ts); a partition in an
//   older or the same leader epoch is left alone, answered STALE_CONTROLLER_EPOCH (ZooKeeper mode changes the ISR
//   alone through AlterPartition's answer, never through LeaderAndIsr); one not assigned to this broker is answered
//   UNKNOWN_TOPIC_OR_PARTITION.

/** What a ZooKeeper-mode broker keeps about its controllers (`ReplicaManager.controllerEpoch`). */
export interface ControllerFencing {
  /** The epoch of the latest controller whose LeaderAndIsr this broker accepted; 0 before any (KafkaController's initial epoch). */
  readonly controllerEpoch: number;
}

/** The outcome: the broker, its fencing record, and the response for the controller. */
export interface LeaderAndIsrOutcome {
  readonly state: BrokerState;
  readonly fencing: ControllerFencing;
  readonly response: LeaderAndIsrResponse;
}

/** A broker that has accepted no controller yet. */
export const initialControllerFencing: ControllerFencing = { controllerEpoch: 0 };

/** Handles a LeaderAndIsrRequest. */
export function onLeaderAndIsr(state: BrokerState, fencing: ControllerFencing, request: LeaderAndIsrRequest, nowMs: number, out: BrokerEffect[]): LeaderAndIsrOutcome {
  const refuse = (errorCode: KafkaErrorType): LeaderAndIsrOutcome => ({
    state,
    fencing,
    response: {
      type: 'leaderAndIsr.response',
      correlationId: request.correlationId,
      errorCode,
      partitionErrors: request.partitionStates.map((p) => ({ topic: p.topic, partition: p.partition, errorCode })),
    },
  });
  if (request.brokerEpoch !== -1 && request.brokerEpoch < state.brokerEpoch) return refuse('STALE_BROKER_EPOCH');
  if (request.controllerEpoch < fencing.controllerEpoch) return refuse('STALE_CONTROLLER_EPOCH');
  let next = state;
  const partitionErrors: LeaderAndIsrResponse['partitionErrors'] = [];
  for (const partitionState of request.partitionStates) {
    const { topic, partition } = partitionState;
    const current = next.partitions[topicPartitionKey(topic, partition)];
    const currentLeaderEpoch = current?.leaderEpoch ?? -1;
    if (partitionState.leaderEpoch <= currentLeaderEpoch) {
      partitionErrors.push({ topic, partition, errorCode: 'STALE_CONTROLLER_EPOCH' });
    } else if (!partitionState.replicas.includes(state.brokerId)) {
      partitionErrors.push({ topic, partition, errorCode: 'UNKNOWN_TOPIC_OR_PARTITION' });
    } else {
      const { replicas, isr, leader, leaderEpoch, partitionEpoch } = partitionState;
      next = applyPartition(next, topic, partition, { replicas, isr, leader, leaderEpoch, partitionEpoch }, nowMs, out);
      partitionErrors.push({ topic, partition });
    }
  }
  return {
    state: next,
    fencing: { controllerEpoch: request.controllerEpoch },
    response: { type: 'leaderAndIsr.response', correlationId: request.correlationId, partitionErrors },
  };
}
