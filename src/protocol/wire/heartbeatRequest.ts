// HeartbeatRequest (API key 12), schema clients/src/main/resources/common/message/HeartbeatRequest.json, v0-v3
// (kafkajs 2.2.x's range). v1 and v2 are v0 again; v3 adds group_instance_id (static membership, KIP-345).
// Flexible versions start at v4.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The Heartbeat versions this codec reads and writes. */
export const heartbeatVersions: VersionRange = { minVersion: 0, maxVersion: 3 };

/** A decoded HeartbeatRequest. */
export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** group.instance.id of a static member, or null (v3+; null before). */
  groupInstanceId: string | null;
}

/** Reads a HeartbeatRequest body; the whole body must be consumed. */
export function decodeHeartbeatRequest(body: ByteReader, apiVersion: number): HeartbeatRequest {
  requireVersionIn('decodeHeartbeatRequest', heartbeatVersions, apiVersion);
  const groupId = body.readString('groupId');
  const generationId = body.readInt32('generationId');
  const memberId = body.readString('memberId');
  // Before v3 the field is absent and takes the schema's default, null: the member is dynamic.
  const groupInstanceId = apiVersion >= 3 ? body.readNullableString('groupInstanceId') : null;
  body.requireEnd('HeartbeatRequest');
  return { groupId, generationId, memberId, groupInstanceId };
}
