// The group protocol on the wire: FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and
// OffsetFetch, between group consumers and the broker that coordinates their group. This file holds every request
// and response body, the messages that wrap them, and the error answers built from them; group consumers and the
// coordinator's rules both take them from here. Each request carries the group id and a correlation id beside the
// request body the coordinator's rules take; each response echoes the correlation id. Errors the broker answers
// before the rules run (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE) come in the
// response body's error fields, as Kafka's do. Kafka carries a protocol's metadata as opaque bytes; the simulator
// only runs the consumer protocol, so its messages carry the decoded `ConsumerProtocolSubscription`.
import type { KafkaErrorType } from './errors.ts';
import type { TopicPartition } from './topicPartition.ts';

/** The consumer protocol's subscription (`ConsumerProtocolSubscription`), the metadata a member joins with. */
export interface ConsumerProtocolSubscription {
  readonly topics: readonly string[];
  /** Partitions the member owned in `generation` (v1+, for the sticky and cooperative assignors). */
  readonly ownedPartitions?: readonly TopicPartition[];
  /** The generation `ownedPartitions` belong to (v2+); absent means -1. */
  readonly generation?: number;
}

/** One protocol a member supports (an assignor name for consumers) with its subscription, in preference order. */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: ConsumerProtocolSubscription;
}

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

/** JoinGroup request. `memberId` is '' for a member that has none yet. */
export interface JoinGroupRequest {
  readonly memberId: string;
  readonly groupInstanceId?: string;
  readonly clientId: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  /** v4+ (KIP-394): a new dynamic member is first given an id with MEMBER_ID_REQUIRED. Default true. */
  readonly requireKnownMemberId?: boolean;
  /** v9+ (KIP-814): a static leader rejoining a Stable group is told it leads but must skip assigning. Default false. */
  readonly supportSkippingAssignment?: boolean;
}

/** One member as the leader's JoinGroup response lists it: its id and its subscription for the chosen protocol. */
export interface JoinGroupResponseMember {
  readonly memberId: string;
  readonly groupInstanceId?: string;
  readonly metadata: ConsumerProtocolSubscription;
}

/** JoinGroup response (`JoinGroupResult`). Errors carry generation -1, no protocol and no members. */
export interface JoinGroupResponse {
  readonly errorCode: KafkaErrorType;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  /** The leader's member id; '' when there is none (an error). */
  readonly leaderId: string;
  /** The member id to use from now on: the one sent, or a new one (MEMBER_ID_REQUIRED, static replacement). */
  readonly memberId: string;
  /** Every member's subscription, for the leader only; empty for followers. */
  readonly members: readonly JoinGroupResponseMember[];
  /** A static member rejoining a Stable group must not assign, even if it is the leader (KIP-814). */
  readonly skipAssignment: boolean;
}

/** SyncGroup request. Only the leader sends `assignments` (member id -> partitions); followers send none. */
export interface SyncGroupRequest {
  readonly memberId: string;
  readonly groupInstanceId?: string;
  readonly generationId: number;
  /** Checked against the group's when present (v5+). */
  readonly protocolType?: string;
  readonly protocolName?: string;
  readonly assignments: Readonly<Record<string, readonly TopicPartition[]>>;
}

/** SyncGroup response (`SyncGroupResult`): this member's assignment in the current generation. */
export interface SyncGroupResponse {
  readonly errorCode: KafkaErrorType;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: readonly TopicPartition[];
}

/** Heartbeat request. */
export interface HeartbeatRequest {
  readonly memberId: string;
  readonly groupInstanceId?: string;
  readonly generationId: number;
}

/** Heartbeat response. */
export interface HeartbeatResponse {
  readonly errorCode: KafkaErrorType;
}

/** One member leaving: by member id, or by instance id alone with member id '' (admin removal). */
export interface MemberIdentity {
  readonly memberId: string;
  readonly groupInstanceId?: string;
}

/** LeaveGroup request (v3+ carries several members). */
export interface LeaveGroupRequest {
  readonly members: readonly MemberIdentity[];
}

/** LeaveGroup response: a group-level error, and one error per leaving member. */
export interface LeaveGroupResponse {
  readonly errorCode: KafkaErrorType;
  readonly members: readonly (MemberIdentity & { readonly errorCode: KafkaErrorType })[];
}

/** One offset to commit: the next offset to read, and the client's free-form string. */
export interface OffsetCommitPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata?: string;
}

/** OffsetCommit request. `generationId` -1 and `memberId` '' for a consumer outside group management. */
export interface OffsetCommitRequest {
  readonly memberId: string;
  readonly groupInstanceId?: string;
  readonly generationId: number;
  readonly offsets: readonly OffsetCommitPartition[];
}

/** OffsetCommit response: one error per partition (Kafka has no top-level error here). */
export interface OffsetCommitResponse {
  readonly partitions: readonly { readonly topic: string; readonly partition: number; readonly errorCode: KafkaErrorType }[];
}

/** OffsetFetch request: the partitions wanted, or every committed partition when absent. */
export interface OffsetFetchRequest {
  readonly partitions?: readonly { readonly topic: string; readonly partition: number }[];
}

/** One partition's committed offset; -1 (`INVALID_OFFSET`) and metadata '' when nothing is committed. */
export interface OffsetFetchPartition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string;
}

/** OffsetFetch response. */
export interface OffsetFetchResponse {
  readonly errorCode: 'NONE';
  readonly partitions: readonly OffsetFetchPartition[];
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
