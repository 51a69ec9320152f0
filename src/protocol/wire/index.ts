// Kafka's wire protocol, broker side: read request frames, write response frames, for the APIs and versions
// kafkajs 2.2.x uses. Message fields keep Kafka's schema names in camelCase.
export { ByteReader } from './ByteReader.ts';
export type { ReadItem, TaggedFields } from './ByteReader.ts';
export { ByteWriter } from './ByteWriter.ts';
export type { WriteItem } from './ByteWriter.ts';
export { WireFormatError } from './WireFormatError.ts';
export { apiKeys, apiByKey, isFlexibleVersion } from './apiKeys.ts';
export type { ApiSpec } from './apiKeys.ts';
export { requestHeaderVersion, responseHeaderVersion } from './headerVersions.ts';
export type { RequestHeaderVersion, ResponseHeaderVersion } from './headerVersions.ts';
export { readRequestHeader } from './requestHeader.ts';
export type { RequestHeader } from './requestHeader.ts';
export { writeResponseHeader } from './responseHeader.ts';
export type { ResponseHeader } from './responseHeader.ts';
export { readFrames, decodeRequestFrame, encodeResponseFrame } from './framing.ts';
export type { ReadFramesConstraints, RequestFrame, ResponseFrameHeader } from './framing.ts';
export type { VersionRange } from './versionRange.ts';
export { apiVersionsVersions, decodeApiVersionsRequest } from './apiVersionsRequest.ts';
export type { ApiVersionsRequest } from './apiVersionsRequest.ts';
export { encodeApiVersionsResponse } from './apiVersionsResponse.ts';
export type { ApiVersionsResponse, ApiVersionsResponseKey } from './apiVersionsResponse.ts';
export { metadataVersions, decodeMetadataRequest } from './metadataRequest.ts';
export type { MetadataRequest, MetadataRequestTopic } from './metadataRequest.ts';
export { encodeMetadataResponse } from './metadataResponse.ts';
export type {
  MetadataResponse,
  MetadataResponseBroker,
  MetadataResponsePartition,
  MetadataResponseTopic,
} from './metadataResponse.ts';
export type { DefaultRecord, RecordHeader } from './defaultRecord.ts';
export type { CompressionType, RecordBatchAttributes, TimestampType } from './recordBatchAttributes.ts';
export { decodeRecordBatches, encodeRecordBatches } from './recordBatch.ts';
export type { RecordBatch } from './recordBatch.ts';
export { produceVersions, decodeProduceRequest } from './produceRequest.ts';
export type { ProduceRequest, ProduceRequestPartition, ProduceRequestTopic } from './produceRequest.ts';
export { encodeProduceResponse } from './produceResponse.ts';
export type { ProduceResponse, ProduceResponsePartition, ProduceResponseTopic } from './produceResponse.ts';
export { fetchVersions, decodeFetchRequest } from './fetchRequest.ts';
export type { FetchRequest, FetchRequestForgottenTopic, FetchRequestPartition, FetchRequestTopic } from './fetchRequest.ts';
export { encodeFetchResponse } from './fetchResponse.ts';
export type {
  FetchResponse,
  FetchResponseAbortedTransaction,
  FetchResponsePartition,
  FetchResponseTopic,
} from './fetchResponse.ts';
export { listOffsetsVersions, decodeListOffsetsRequest } from './listOffsetsRequest.ts';
export type { ListOffsetsRequest, ListOffsetsRequestPartition, ListOffsetsRequestTopic } from './listOffsetsRequest.ts';
export { encodeListOffsetsResponse } from './listOffsetsResponse.ts';
export type {
  ListOffsetsResponse,
  ListOffsetsResponsePartition,
  ListOffsetsResponseTopic,
} from './listOffsetsResponse.ts';
export { findCoordinatorVersions, decodeFindCoordinatorRequest } from './findCoordinatorRequest.ts';
export type { FindCoordinatorRequest } from './findCoordinatorRequest.ts';
export { encodeFindCoordinatorResponse } from './findCoordinatorResponse.ts';
export type { FindCoordinatorResponse } from './findCoordinatorResponse.ts';
export { heartbeatVersions, decodeHeartbeatRequest } from './heartbeatRequest.ts';
export type { HeartbeatRequest } from './heartbeatRequest.ts';
export { encodeHeartbeatResponse } from './heartbeatResponse.ts';
export type { HeartbeatResponse } from './heartbeatResponse.ts';
export { joinGroupVersions, decodeJoinGroupRequest } from './joinGroupRequest.ts';
export type { JoinGroupRequest, JoinGroupRequestProtocol } from './joinGroupRequest.ts';
export { encodeJoinGroupResponse } from './joinGroupResponse.ts';
export type { JoinGroupResponse, JoinGroupResponseMember } from './joinGroupResponse.ts';
export { syncGroupVersions, decodeSyncGroupRequest } from './syncGroupRequest.ts';
export type { SyncGroupRequest, SyncGroupRequestAssignment } from './syncGroupRequest.ts';
export { encodeSyncGroupResponse } from './syncGroupResponse.ts';
export type { SyncGroupResponse } from './syncGroupResponse.ts';
export { leaveGroupVersions, decodeLeaveGroupRequest } from './leaveGroupRequest.ts';
export type { LeaveGroupRequest, LeaveGroupRequestMember } from './leaveGroupRequest.ts';
export { encodeLeaveGroupResponse } from './leaveGroupResponse.ts';
export type { LeaveGroupResponse, LeaveGroupResponseMember } from './leaveGroupResponse.ts';
export { offsetCommitVersions, decodeOffsetCommitRequest } from './offsetCommitRequest.ts';
export type { OffsetCommitRequest, OffsetCommitRequestPartition, OffsetCommitRequestTopic } from './offsetCommitRequest.ts';
export { encodeOffsetCommitResponse } from './offsetCommitResponse.ts';
export type {
  OffsetCommitResponse,
  OffsetCommitResponsePartition,
  OffsetCommitResponseTopic,
} from './offsetCommitResponse.ts';
export { offsetFetchVersions, decodeOffsetFetchRequest } from './offsetFetchRequest.ts';
export type { OffsetFetchRequest, OffsetFetchRequestTopic } from './offsetFetchRequest.ts';
export { encodeOffsetFetchResponse } from './offsetFetchResponse.ts';
export type { OffsetFetchResponse, OffsetFetchResponsePartition, OffsetFetchResponseTopic } from './offsetFetchResponse.ts';
export { initProducerIdVersions, decodeInitProducerIdRequest } from './initProducerIdRequest.ts';
export type { InitProducerIdRequest } from './initProducerIdRequest.ts';
export { encodeInitProducerIdResponse } from './initProducerIdResponse.ts';
export type { InitProducerIdResponse } from './initProducerIdResponse.ts';
export { createTopicsVersions, decodeCreateTopicsRequest } from './createTopicsRequest.ts';
export type {
  CreateTopicsRequest,
  CreateTopicsRequestAssignment,
  CreateTopicsRequestConfig,
  CreateTopicsRequestTopic,
} from './createTopicsRequest.ts';
export { encodeCreateTopicsResponse } from './createTopicsResponse.ts';
export type { CreateTopicsResponse, CreateTopicsResponseTopic } from './createTopicsResponse.ts';
