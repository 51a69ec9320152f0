// The ZooKeeper-mode controller's requests to brokers (Kafka 3.9's LeaderAndIsrRequest, v7 fields the simulator
// uses): the controller tells each replica of a partition who leads it, in which leader epoch, with which ISR, and
// the partition's zkVersion (the schema's PartitionEpoch). Every request carries the controller's epoch, which
// fences a zombie controller, and the broker epoch the controller knows for the receiver, which fences requests
// meant for the broker's previous registration. KRaft clusters do not use them.
import type { KafkaErrorType } from './errors.ts';

/** One partition's state in a LeaderAndIsrRequest (LeaderAndIsrPartitionState). */
export interface LeaderAndIsrPartitionState {
  topic: string;
  partition: number;
  /** The epoch of the controller that made this leadership decision. */
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** The partition state znode's zkVersion. */
  partitionEpoch: number;
  replicas: number[];
}

/** LeaderAndIsrRequest. */
export interface LeaderAndIsrRequest {
  type: 'leaderAndIsr.request';
  correlationId: number;
  controllerId: number;
  controllerEpoch: number;
  /** The receiver's broker epoch as the controller knows it; -1 when unknown. */
  brokerEpoch: number;
  partitionStates: LeaderAndIsrPartitionState[];
}

/** LeaderAndIsrResponse: a top-level error for the whole request, or one per partition. */
export interface LeaderAndIsrResponse {
  type: 'leaderAndIsr.response';
  correlationId: number;
  errorCode?: KafkaErrorType;
  partitionErrors: Array<{ topic: string; partition: number; errorCode?: KafkaErrorType }>;
}

/** One partition's state in an UpdateMetadataRequest (UpdateMetadataPartitionState): LeaderAndIsr's, and more. */
export interface UpdateMetadataPartitionState extends LeaderAndIsrPartitionState {
  /** Assigned replicas on brokers that are not alive. */
  offlineReplicas: number[];
}

/**
 * UpdateMetadataRequest: the controller tells every live broker the live brokers and the partitions' states, which
 * the broker answers clients' MetadataRequests from (its metadata cache).
 */
export interface UpdateMetadataRequest {
  type: 'updateMetadata.request';
  correlationId: number;
  controllerId: number;
  controllerEpoch: number;
  brokerEpoch: number;
  partitionStates: UpdateMetadataPartitionState[];
  liveBrokers: number[];
}

/** UpdateMetadataResponse. */
export interface UpdateMetadataResponse {
  type: 'updateMetadata.response';
  correlationId: number;
  errorCode?: KafkaErrorType;
}

/**
 * ControlledShutdownRequest: a broker asked to stop asks the controller to move its leaderships away first
 * (`KafkaServer#controlledShutdown`). The answer names the partitions it still leads.
 */
export interface ControlledShutdownRequest {
  type: 'controlledShutdown.request';
  correlationId: number;
  brokerId: number;
  brokerEpoch: number;
}

/** ControlledShutdownResponse. */
export interface ControlledShutdownResponse {
  type: 'controlledShutdown.response';
  correlationId: number;
  errorCode?: KafkaErrorType;
  remainingPartitions: Array<{ topic: string; partition: number }>;
}

/** Every message between a ZooKeeper-mode controller and its brokers. */
export type ControlMessage =
  | LeaderAndIsrRequest
  | LeaderAndIsrResponse
  | UpdateMetadataRequest
  | UpdateMetadataResponse
  | ControlledShutdownRequest
  | ControlledShutdownResponse;
