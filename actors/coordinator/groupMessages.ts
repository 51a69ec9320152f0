// The group protocol on the wire: FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and
// OffsetFetch, between group consumers and the broker that coordinates their group. Each request carries the
// group id and a correlation id beside the request body the coordinator's rules take; each response echoes the
// correlation id. Errors the broker answers before the rules run (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
// COORDINATOR_NOT_AVAILABLE) come in the response body's error fields, as Kafka's do.
import type { KafkaErrorType } from '../../src/protocol/errors.ts';
import type { JoinGroupResponse, SyncGroupResponse } from './CoordinatorResult.ts';
import type { HeartbeatRequest, HeartbeatResponse } from './heartbeat.ts';
import type { JoinGroupRequest } from './joinGroup.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from './leaveGroup.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from './offsetCommit.ts';
import type { OffsetFetchRequest, OffsetFetchResponse } from './offsetFetch.ts';
import type { SyncGroupRequest } from './syncGroup.ts';

/** FindCoordinatorRequest (key type GROUP): any broker answers from its metadata. */
export interface FindCoordinatorRequest {
  type: 'findCoordinator.request';
  correlationId: number;
  groupId: string;
}

/** FindCoordinatorResponse: the broker leading the group's `__consumer_offsets` partition, or -1 and an error. */
export interface FindCoordinatorResponse {
  type: 'findCoordinator.response';
  correlationId: number;
  nodeId: number;
  errorCode?: KafkaErrorType;
}

/** A request to the group's coordinator: the group, a correlation id, and the body its rule takes. */
interface GroupRequestOf<T extends string, B> {
  type: T;
  correlationId: number;
  groupId: string;
  body: B;
}

/** The coordinator's answer to a group request. */
interface GroupResponseOf<T extends string, B> {
  type: T;
  correlationId: number;
  body: B;
}

export type JoinGroupRequestMessage = GroupRequestOf<'joinGroup.request', JoinGroupRequest>;
export type JoinGroupResponseMessage = GroupResponseOf<'joinGroup.response', JoinGroupResponse>;
export type SyncGroupRequestMessage = GroupRequestOf<'syncGroup.request', SyncGroupRequest>;
export type SyncGroupResponseMessage = GroupResponseOf<'syncGroup.response', SyncGroupResponse>;
export type HeartbeatRequestMessage = GroupRequestOf<'heartbeat.request', HeartbeatRequest>;
export type HeartbeatResponseMessage = GroupResponseOf<'heartbeat.response', HeartbeatResponse>;
export type LeaveGroupRequestMessage = GroupRequestOf<'leaveGroup.request', LeaveGroupRequest>;
export type LeaveGroupResponseMessage = GroupResponseOf<'leaveGroup.response', LeaveGroupResponse>;
export type OffsetCommitRequestMessage = GroupRequestOf<'offsetCommit.request', OffsetCommitRequest>;
export type OffsetCommitResponseMessage = GroupResponseOf<'offsetCommit.response', OffsetCommitResponse>;
export type OffsetFetchRequestMessage = GroupRequestOf<'offsetFetch.request', OffsetFetchRequest>;
/** OffsetFetch's answer; `errorCode` is a group-level error (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS). */
export type OffsetFetchResponseMessage = GroupResponseOf<'offsetFetch.response', OffsetFetchResponse | { errorCode: Exclude<KafkaErrorType, 'NONE'>; partitions: [] }>;

/** Every request a group coordinator serves. */
export type GroupRequestMessage =
  | JoinGroupRequestMessage
  | SyncGroupRequestMessage
  | HeartbeatRequestMessage
  | LeaveGroupRequestMessage
  | OffsetCommitRequestMessage
  | OffsetFetchRequestMessage;

/** Every answer a group coordinator sends. */
export type GroupResponseMessage =
  | JoinGroupResponseMessage
  | SyncGroupResponseMessage
  | HeartbeatResponseMessage
  | LeaveGroupResponseMessage
  | OffsetCommitResponseMessage
  | OffsetFetchResponseMessage;

/** Every message of the group protocol. */
export type GroupMessage = FindCoordinatorRequest | FindCoordinatorResponse | GroupRequestMessage | GroupResponseMessage;

/** The name of the internal topic that stores group metadata and committed offsets. */
export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

/** The group APIs a coordinator serves, by the prefix of their message types. */
export type GroupApi = 'joinGroup' | 'syncGroup' | 'heartbeat' | 'leaveGroup' | 'offsetCommit' | 'offsetFetch';

/**
 * An error answer for `api`, in the shape its response body takes: JoinGroup keeps the member id it was sent
 * with, OffsetCommit repeats the error for each partition.
 */
export function groupErrorAnswer(
  api: GroupApi,
  correlationId: number,
  errorCode: Exclude<KafkaErrorType, 'NONE'>,
  context: { memberId?: string; partitions?: readonly { topic: string; partition: number }[] } = {},
): GroupResponseMessage {
  switch (api) {
    case 'joinGroup': {
      const memberId = context.memberId ?? '';
      const body = { errorCode, generationId: -1, protocolType: null, protocolName: null, leaderId: '', memberId, members: [], skipAssignment: false };
      return { type: 'joinGroup.response', correlationId, body };
    }
    case 'syncGroup':
      return { type: 'syncGroup.response', correlationId, body: { errorCode, protocolType: null, protocolName: null, assignment: [] } };
    case 'heartbeat':
      return { type: 'heartbeat.response', correlationId, body: { errorCode } };
    case 'leaveGroup':
      return { type: 'leaveGroup.response', correlationId, body: { errorCode, members: [] } };
    case 'offsetCommit': {
      const partitions = (context.partitions ?? []).map(({ topic, partition }) => ({ topic, partition, errorCode }));
      return { type: 'offsetCommit.response', correlationId, body: { partitions } };
    }
    case 'offsetFetch':
      return { type: 'offsetFetch.response', correlationId, body: { errorCode, partitions: [] } };
  }
}

/** The answer to a request the coordinator cannot serve (not the coordinator, still loading, no such topic). */
export function groupErrorResponse(request: GroupRequestMessage, errorCode: Exclude<KafkaErrorType, 'NONE'>): GroupResponseMessage {
  const api = request.type.slice(0, request.type.indexOf('.')) as GroupApi;
  const memberId = request.type === 'joinGroup.request' ? request.body.memberId : '';
  const partitions = request.type === 'offsetCommit.request' ? request.body.offsets : [];
  return groupErrorAnswer(api, request.correlationId, errorCode, { memberId, partitions });
}
