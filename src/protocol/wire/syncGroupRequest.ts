// SyncGroupRequest (API key 14), schema clients/src/main/resources/common/message/SyncGroupRequest.json, v0-v3
// (kafkajs 2.2.x's range). v1 and v2 are v0 again; v3 adds group_instance_id (static membership, KIP-345).
// Flexible versions start at v4; protocol_type and protocol_name arrive in v5 (KIP-559).
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The SyncGroup versions this codec reads and writes. */
export const syncGroupVersions: VersionRange = { minVersion: 0, maxVersion: 3 };

/** The leader's assignment for one member (the schema's SyncGroupRequestAssignment). */
export interface SyncGroupRequestAssignment {
  memberId: string;
  /** Opaque to the coordinator (a consumer's partitions); a view into the request frame, not a copy. */
  assignment: Buffer;
}

/** A decoded SyncGroupRequest. */
export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** group.instance.id of a static member, or null (v3+; null before). */
  groupInstanceId: string | null;
  /** Every member's assignment from the leader; empty from the other members. */
  assignments: SyncGroupRequestAssignment[];
}

/** Reads a SyncGroupRequest body; the whole body must be consumed. */
export function decodeSyncGroupRequest(body: ByteReader, apiVersion: number): SyncGroupRequest {
  requireVersionIn('decodeSyncGroupRequest', syncGroupVersions, apiVersion);
  const groupId = body.readString('groupId');
  const generationId = body.readInt32('generationId');
  const memberId = body.readString('memberId');
  // Before v3 the field is absent and takes the schema's default, null: the member is dynamic.
  const groupInstanceId = apiVersion >= 3 ? body.readNullableString('groupInstanceId') : null;
  const assignments = body.readArray('assignments', readAssignment);
  body.requireEnd('SyncGroupRequest');
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

function readAssignment(reader: ByteReader): SyncGroupRequestAssignment {
  return {
    memberId: reader.readString('assignments[].memberId'),
    assignment: reader.readBytes('assignments[].assignment'),
  };
}
