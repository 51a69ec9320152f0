// JoinGroupRequest (API key 11), schema clients/src/main/resources/common/message/JoinGroupRequest.json, v0-v5
// (kafkajs 2.2.x's range). v1 adds rebalance_timeout_ms; v2 and v3 are v1 again; v4 only changes the protocol
// (a new member must join twice, the first time to learn its member id, KIP-394); v5 adds group_instance_id
// (static membership, KIP-345). Flexible versions start at v6.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The JoinGroup versions this codec reads and writes. */
export const joinGroupVersions: VersionRange = { minVersion: 0, maxVersion: 5 };

/** One protocol the member supports (the schema's JoinGroupRequestProtocol), e.g. an assignor for consumers. */
export interface JoinGroupRequestProtocol {
  name: string;
  /** Opaque to the coordinator (a consumer's subscription); a view into the request frame, not a copy. */
  metadata: Buffer;
}

/** A decoded JoinGroupRequest. */
export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** How long the coordinator waits for members to rejoin; sessionTimeoutMs before v1. */
  rebalanceTimeoutMs: number;
  /** Empty for a member joining for the first time. */
  memberId: string;
  /** group.instance.id of a static member, or null (v5+; null before). */
  groupInstanceId: string | null;
  /** "consumer" for consumer groups. */
  protocolType: string;
  protocols: JoinGroupRequestProtocol[];
}

/** Reads a JoinGroupRequest body; the whole body must be consumed. */
export function decodeJoinGroupRequest(body: ByteReader, apiVersion: number): JoinGroupRequest {
  requireVersionIn('decodeJoinGroupRequest', joinGroupVersions, apiVersion);
  const groupId = body.readString('groupId');
  const sessionTimeoutMs = body.readInt32('sessionTimeoutMs');
  // The schema's default of -1 is a placeholder: v0 has no rebalance timeout, so the session timeout stands in, as
  // Kafka's JoinGroupRequest#maybeOverrideRebalanceTimeout does.
  const rebalanceTimeoutMs = apiVersion >= 1 ? body.readInt32('rebalanceTimeoutMs') : sessionTimeoutMs;
  const memberId = body.readString('memberId');
  const groupInstanceId = apiVersion >= 5 ? body.readNullableString('groupInstanceId') : null;
  const protocolType = body.readString('protocolType');
  const protocols = body.readArray('protocols', readProtocol);
  body.requireEnd('JoinGroupRequest');
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
}

function readProtocol(reader: ByteReader): JoinGroupRequestProtocol {
  return {
    name: reader.readString('protocols[].name'),
    metadata: reader.readBytes('protocols[].metadata'),
  };
}
