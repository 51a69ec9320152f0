// SyncGroupResponse (API key 14), schema clients/src/main/resources/common/message/SyncGroupResponse.json, v0-v3.
// v1 adds throttle_time_ms; v2 only changes when throttling happens (KIP-219); v3 is v2 again.
import { ByteWriter } from './ByteWriter.ts';
import { syncGroupVersions } from './syncGroupRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** A SyncGroupResponse to encode. */
export interface SyncGroupResponse {
  /** v1+. */
  throttleTimeMs: number;
  /** Kafka's numeric error code, 0 for none (e.g. 27 REBALANCE_IN_PROGRESS, 22 ILLEGAL_GENERATION). */
  errorCode: number;
  /** The member's assignment as the leader sent it, opaque at this layer; empty with an error. */
  assignment: Buffer;
}

/** Encodes a SyncGroupResponse body (without header) for `apiVersion`. */
export function encodeSyncGroupResponse(response: SyncGroupResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeSyncGroupResponse', syncGroupVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 1) writer.writeInt32(response.throttleTimeMs);
  writer.writeInt16(response.errorCode);
  writer.writeBytes(response.assignment);
  return writer.toBuffer();
}
