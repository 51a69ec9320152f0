import type { LeaderAndIsrPartitionState, LeaderAndIsrRequest, UpdateMetadataPartitionState, UpdateMetadataRequest } from '../../src/protocol/controlRequests.ts';
import { topicPartitionKey } from '../../src/protocol/messages.ts';
import type { ControllerView } from './brokerFailure.ts';
import type { ZkLeaderAndIsr } from './partitionLeaderElection.ts';

// The requests a ZooKeeper-mode controller sends after a round of state changes (Kafka 3.9
// `AbstractControllerBrokerRequestBatch`): each partition's new state goes in a LeaderAndIsrRequest to the replicas
// that must act on it, one request per broker with all its partitions (the latest state of each); every partition
// so told also goes in an UpdateMetadataRequest to every live broker, with its replicas on dead brokers listed as
// offline. LeaderAndIsr requests go first, then UpdateMetadata (`sendRequestsToBrokers`). Only live brokers get
// anything, each with the broker epoch the controller knows for it.

/** A partition state to send: its topic, index, replicas and the state written. */
export interface PartitionToSend {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly state: ZkLeaderAndIsr;
}

/** The requests being gathered. */
export interface RequestBatch {
  /** Per broker, per partition key, the LeaderAndIsr state to send it. */
  readonly leaderAndIsr: Readonly<Record<number, Readonly<Record<string, LeaderAndIsrPartitionState>>>>;
  readonly updateMetadataBrokers: readonly number[];
  readonly updateMetadataPartitions: Readonly<Record<string, UpdateMetadataPartitionState>>;
}

/** A batch with nothing in it. */
export function emptyRequestBatch(): RequestBatch {
  return { leaderAndIsr: {}, updateMetadataBrokers: [], updateMetadataPartitions: {} };
}

/** `addLeaderAndIsrRequestForBrokers`: the partition's state for each recipient, and for every live broker's metadata. */
export function addLeaderAndIsr(batch: RequestBatch, view: Pick<ControllerView, 'epoch' | 'liveBrokers'>, recipients: readonly number[], p: PartitionToSend): RequestBatch {
  const key = topicPartitionKey(p.topic, p.partition);
  const partitionState = leaderAndIsrPartitionState(view, p);
  const leaderAndIsr: Record<number, Readonly<Record<string, LeaderAndIsrPartitionState>>> = { ...batch.leaderAndIsr };
  for (const brokerId of recipients) if (brokerId >= 0) leaderAndIsr[brokerId] = { ...leaderAndIsr[brokerId], [key]: partitionState };
  return addUpdateMetadata({ ...batch, leaderAndIsr }, view, liveBrokerIds(view), [p]);
}

/** `addUpdateMetadataRequestForBrokers`: these brokers get an UpdateMetadata, with these partitions' states. */
export function addUpdateMetadata(batch: RequestBatch, view: Pick<ControllerView, 'epoch' | 'liveBrokers'>, brokers: readonly number[], partitions: readonly PartitionToSend[]): RequestBatch {
  const updateMetadataPartitions: Record<string, UpdateMetadataPartitionState> = { ...batch.updateMetadataPartitions };
  for (const p of partitions) {
    updateMetadataPartitions[topicPartitionKey(p.topic, p.partition)] = {
      ...leaderAndIsrPartitionState(view, p),
      offlineReplicas: p.replicas.filter((replica) => !Object.hasOwn(view.liveBrokers, replica)),
    };
  }
  const updateMetadataBrokers = [...new Set([...batch.updateMetadataBrokers, ...brokers.filter((id) => id >= 0)])].sort((a, b) => a - b);
  return { ...batch, updateMetadataBrokers, updateMetadataPartitions };
}

/**
 * The batch as requests, LeaderAndIsr first, in broker order, to live brokers only, numbered from
 * `nextCorrelationId`; and the next free correlation id.
 */
export function batchRequests(
  batch: RequestBatch,
  view: Pick<ControllerView, 'epoch' | 'liveBrokers'>,
  controllerId: number,
  nextCorrelationId: number,
): { readonly requests: ReadonlyArray<{ readonly to: number; readonly message: LeaderAndIsrRequest | UpdateMetadataRequest }>; readonly nextCorrelationId: number } {
  const requests: Array<{ to: number; message: LeaderAndIsrRequest | UpdateMetadataRequest }> = [];
  let correlationId = nextCorrelationId;
  const brokerEpoch = (id: number) => view.liveBrokers[id] as number;
  const isLive = (id: number) => Object.hasOwn(view.liveBrokers, id);
  for (const to of Object.keys(batch.leaderAndIsr).map(Number).sort((a, b) => a - b)) {
    if (!isLive(to)) continue;
    const partitionStates = Object.values(batch.leaderAndIsr[to] ?? {});
    requests.push({ to, message: { type: 'leaderAndIsr.request', correlationId: correlationId++, controllerId, controllerEpoch: view.epoch, brokerEpoch: brokerEpoch(to), partitionStates } });
  }
  const partitionStates = Object.values(batch.updateMetadataPartitions);
  for (const to of batch.updateMetadataBrokers) {
    if (!isLive(to)) continue;
    requests.push({ to, message: { type: 'updateMetadata.request', correlationId: correlationId++, controllerId, controllerEpoch: view.epoch, brokerEpoch: brokerEpoch(to), partitionStates, liveBrokers: liveBrokerIds(view) } });
  }
  return { requests, nextCorrelationId: correlationId };
}

// A partition's state as both requests carry it.
function leaderAndIsrPartitionState(view: Pick<ControllerView, 'epoch'>, p: PartitionToSend): LeaderAndIsrPartitionState {
  const { leader, leaderEpoch, isr, partitionEpoch } = p.state;
  return { topic: p.topic, partition: p.partition, controllerEpoch: view.epoch, leader, leaderEpoch, isr: [...isr], partitionEpoch, replicas: [...p.replicas] };
}

/** The live brokers' ids, in order. */
export function liveBrokerIds(view: Pick<ControllerView, 'liveBrokers'>): number[] {
  return Object.keys(view.liveBrokers).map(Number).sort((a, b) => a - b);
}
