// JoinGroupResponse (API key 11), schema clients/src/main/resources/common/message/JoinGroupResponse.json, v0-v5.
// v1 is v0 again; v2 adds throttle_time_ms; v3 only changes when throttling happens (KIP-219); v4 is v3 again (its
// change is MEMBER_ID_REQUIRED, KIP-394); v5 adds each member's group_instance_id (KIP-345). protocol_name becomes
// nullable only in v7, so a response without a chosen protocol writes an empty string here.
import { ByteWriter } from './ByteWriter.ts';
import { joinGroupVersions } from './joinGroupRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** One member as the leader sees it (the schema's JoinGroupResponseMember); only the leader's response lists any. */
export interface JoinGroupResponseMember {
  memberId: string;
  /** v5+. */
  groupInstanceId: string | null;
  /** The metadata of the protocol the coordinator chose, as the member sent it; opaque at this layer. */
  metadata: Buffer;
}

/** A JoinGroupResponse to encode. */
export interface JoinGroupResponse {
  /** v2+. */
  throttleTimeMs: number;
  /** Kafka's numeric error code, 0 for none (e.g. 79 MEMBER_ID_REQUIRED, 25 UNKNOWN_MEMBER_ID). */
  errorCode: number;
  /** -1 with an error, the schema's default. */
  generationId: number;
  /** The protocol the coordinator chose, e.g. "RoundRobinAssigner"; empty with an error. */
  protocolName: string;
  /** The leader's member id. */
  leader: string;
  /** The member id of the member answered; with MEMBER_ID_REQUIRED, the id to rejoin with. */
  memberId: string;
  members: JoinGroupResponseMember[];
}

/** Encodes a JoinGroupResponse body (without header) for `apiVersion`. */
export function encodeJoinGroupResponse(response: JoinGroupResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeJoinGroupResponse', joinGroupVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 2) writer.writeInt32(response.throttleTimeMs);
  writer.writeInt16(response.errorCode);
  writer.writeInt32(response.generationId);
  writer.writeString(response.protocolName);
  writer.writeString(response.leader);
  writer.writeString(response.memberId);
  writer.writeArray(response.members, (w, member) => writeMember(w, member, apiVersion));
  return writer.toBuffer();
}

function writeMember(writer: ByteWriter, member: JoinGroupResponseMember, apiVersion: number): void {
  writer.writeString(member.memberId);
  if (apiVersion >= 5) writer.writeNullableString(member.groupInstanceId);
  writer.writeBytes(member.metadata);
}
