// The KRaft controller's rules as pure functions: the metadata image and its log, broker registration and
// fencing, leader election, ISR changes, topic creation. The controller machine calls these from `assign`.
export { controllerDefaults } from './controllerDefaults.ts';
export type { ControllerConfig, ReplicaPlacer } from './controllerDefaults.ts';
export type { ControllerErrorType } from './ControllerErrorType.ts';
export type { ControllerResult } from './ControllerResult.ts';
export type { Draw } from './Draw.ts';
export {
  NO_LEADER,
  allPartitions,
  brokerOf,
  emptyMetadataImage,
  isActiveBroker,
  partitionOf,
  replay,
  replayAll,
  topicOf,
  withoutSoftState,
} from './metadataImage.ts';
export type {
  BrokerFencedRecord,
  BrokerRegistration,
  BrokerUnfencedRecord,
  MetadataImage,
  MetadataRecord,
  PartitionChangeRecord,
  PartitionRecord,
  PartitionRegistration,
  RegisterBrokerRecord,
  TopicImage,
  TopicRecord,
} from './metadataImage.ts';
export { activateController, brokerHeartbeat, brokersToFence, fenceBroker, registerBroker } from './brokerRegistration.ts';
export type {
  BrokerHeartbeatRequest,
  BrokerHeartbeatResponse,
  BrokerRegistrationRequest,
  BrokerRegistrationResponse,
  HeartbeatOptions,
  RegistrationOptions,
} from './brokerRegistration.ts';
export { electLeader } from './electLeader.ts';
export type { Election, ElectionResult, ElectLeaderInput } from './electLeader.ts';
export { electionFor, fencedBrokerChanges, partitionChange, unfencedBrokerChanges } from './partitionChange.ts';
export type { BrokerChangeOptions, PartitionChangeOptions, PartitionId } from './partitionChange.ts';
export { alterPartition } from './alterPartition.ts';
export type { AlterPartitionRequest, AlterPartitionResponse, IsrMember } from './alterPartition.ts';
export { createTopic } from './createTopic.ts';
export type { CreateTopicOptions, CreateTopicRequest, CreateTopicResponse } from './createTopic.ts';
export { stripedReplicaPlacer } from './stripedReplicaPlacer.ts';
export type { PlacementResult, UsableBroker } from './stripedReplicaPlacer.ts';
export { assignReplicasToBrokers } from './assignReplicasToBrokers.ts';
