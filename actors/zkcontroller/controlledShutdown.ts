import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import { stateChange, type ControllerView, type PartitionStateChange } from './brokerFailure.ts';
import { leaderForControlledShutdown, type ZkLeaderAndIsr } from './partitionLeaderElection.ts';

// A ZooKeeper-mode broker asked to stop sends the controller a ControlledShutdownRequest, and the controller moves
// its work away before it goes (Kafka 3.9 `KafkaController#doControlledShutdown`): a request from an earlier
// registration of the broker is refused (STALE_BROKER_EPOCH, KIP-380), one from a broker that is not registered too
// (BROKER_NOT_AVAILABLE); otherwise the broker joins the shutting-down brokers, and of the partitions it holds with
// more than one replica, those it leads get a new leader by the controlled-shutdown election (the first live ISR
// member in assignment order that is not shutting down; the ISR loses the shutting-down brokers), and those it
// follows lose it from their ISR (OfflineReplica, `doRemoveReplicasFromIsr`: a new leader epoch, the leader kept).
// The answer, once every write is done, names the partitions it still leads: none when every leadership moved, and
// the broker asks again later for the rest. While it shuts down the broker counts as offline for elections and for
// ISR additions (`ControllerContext#liveBrokerIds` leaves it out), but still gets the controller's requests.

/** What the controller does with a ControlledShutdownRequest: refuse it, or write these changes and then answer. */
export type ControlledShutdownDecision = { readonly kind: 'refuse'; readonly errorCode: KafkaErrorType } | { readonly kind: 'move'; readonly changes: PartitionStateChange[] };

/** Decides a broker's ControlledShutdownRequest; `shuttingDown` includes the broker itself. */
export function decideControlledShutdown(view: ControllerView, brokerId: number, brokerEpoch: number, shuttingDown: ReadonlySet<number>): ControlledShutdownDecision {
  const registeredEpoch = view.liveBrokers[brokerId];
  // An unknown epoch (-1) is taken, as a pre-KIP-380 broker's request is.
  if (registeredEpoch !== undefined && brokerEpoch !== -1 && brokerEpoch < registeredEpoch) return { kind: 'refuse', errorCode: 'STALE_BROKER_EPOCH' };
  if (registeredEpoch === undefined) return { kind: 'refuse', errorCode: 'BROKER_NOT_AVAILABLE' };
  const isOnlineOrShuttingDown = (replica: number) => Object.hasOwn(view.liveBrokers, replica);
  const changes: PartitionStateChange[] = [];
  for (const p of view.partitions) {
    const state = p.state;
    if (state === null || p.replicas.length <= 1 || !p.replicas.includes(brokerId)) continue;
    let next: ZkLeaderAndIsr | null = null;
    if (state.leader === brokerId) {
      next = leaderForControlledShutdown(state, p.replicas, isOnlineOrShuttingDown, shuttingDown).leaderAndIsr;
    } else if (state.isr.includes(brokerId)) {
      const isr = state.isr.length === 1 ? state.isr : state.isr.filter((id) => id !== brokerId);
      next = { ...state, isr, leaderEpoch: state.leaderEpoch + 1 };
    }
    if (next === null) continue;
    const reason = state.leader === brokerId ? 'controlledShutdownElection' : 'replicaOffline';
    changes.push(stateChange({ ...p, state }, next, reason));
  }
  return { kind: 'move', changes };
}

/** The partitions a broker still leads, as the controlled-shutdown answer names them (`partitionLeadersOnBroker`). */
export function partitionsLedBy(view: ControllerView, brokerId: number): Array<{ topic: string; partition: number }> {
  return view.partitions.filter((p) => p.state?.leader === brokerId).map((p) => ({ topic: p.topic, partition: p.partition }));
}
