// LeaveGroupResponse (API key 13), schema clients/src/main/resources/common/message/LeaveGroupResponse.json, v0-v3.
// v1 adds throttle_time_ms; v2 only changes when throttling happens (KIP-219); v3 adds a result per member leaving
// (KIP-345). Below v3 members is dropped, so error_code must carry the result for the one member a v0-v2 request
// names, as Kafka's LeaveGroupResponse constructor folds the member errors into error_code for those versions.
import { ByteWriter } from './ByteWriter.ts';
import { leaveGroupVersions } from './leaveGroupRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** The result for one member leaving (the schema's MemberResponse). */
export interface LeaveGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  /** Kafka's numeric error code, 0 for none (e.g. 25 UNKNOWN_MEMBER_ID, 82 FENCED_INSTANCE_ID). */
  errorCode: number;
}

/** A LeaveGroupResponse to encode. */
export interface LeaveGroupResponse {
  /** v1+. */
  throttleTimeMs: number;
  /** Kafka's numeric error code for the whole request, 0 for none (e.g. 16 NOT_COORDINATOR). */
  errorCode: number;
  /** v3+. */
  members: LeaveGroupResponseMember[];
}

/** Encodes a LeaveGroupResponse body (without header) for `apiVersion`. */
export function encodeLeaveGroupResponse(response: LeaveGroupResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeLeaveGroupResponse', leaveGroupVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 1) writer.writeInt32(response.throttleTimeMs);
  writer.writeInt16(response.errorCode);
  if (apiVersion >= 3) writer.writeArray(response.members, writeMember);
  return writer.toBuffer();
}

function writeMember(writer: ByteWriter, member: LeaveGroupResponseMember): void {
  writer.writeString(member.memberId);
  writer.writeNullableString(member.groupInstanceId);
  writer.writeInt16(member.errorCode);
}
