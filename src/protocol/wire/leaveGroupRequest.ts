// LeaveGroupRequest (API key 13), schema clients/src/main/resources/common/message/LeaveGroupRequest.json, v0-v3
// (kafkajs 2.2.x's range). v1 and v2 are v0 again; v3 replaces the single member_id with a batch of members, each
// with its group_instance_id (KIP-345). Flexible versions start at v4.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The LeaveGroup versions this codec reads and writes. */
export const leaveGroupVersions: VersionRange = { minVersion: 0, maxVersion: 3 };

/** One member leaving (the schema's MemberIdentity). */
export interface LeaveGroupRequestMember {
  memberId: string;
  /** group.instance.id of a static member, or null. */
  groupInstanceId: string | null;
}

/** A decoded LeaveGroupRequest. */
export interface LeaveGroupRequest {
  groupId: string;
  /** The members leaving: before v3 always the one member_id, with a null group_instance_id. */
  members: LeaveGroupRequestMember[];
}

/** Reads a LeaveGroupRequest body; the whole body must be consumed. */
export function decodeLeaveGroupRequest(body: ByteReader, apiVersion: number): LeaveGroupRequest {
  requireVersionIn('decodeLeaveGroupRequest', leaveGroupVersions, apiVersion);
  const groupId = body.readString('groupId');
  // A v0-v2 request names one member; it is decoded as a batch of one, as Kafka's LeaveGroupRequest#members() does,
  // so that the coordinator handles every version alike.
  const members =
    apiVersion >= 3 ? body.readArray('members', readMember) : [{ memberId: body.readString('memberId'), groupInstanceId: null }];
  body.requireEnd('LeaveGroupRequest');
  return { groupId, members };
}

function readMember(reader: ByteReader): LeaveGroupRequestMember {
  return {
    memberId: reader.readString('members[].memberId'),
    groupInstanceId: reader.readNullableString('members[].groupInstanceId'),
  };
}
