// HeartbeatResponse (API key 12), schema clients/src/main/resources/common/message/HeartbeatResponse.json, v0-v3.
// v1 adds throttle_time_ms; v2 only changes when throttling happens (KIP-219); v3 is v2 again.
import { ByteWriter } from './ByteWriter.ts';
import { heartbeatVersions } from './heartbeatRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** A HeartbeatResponse to encode. */
export interface HeartbeatResponse {
  /** v1+. */
  throttleTimeMs: number;
  /** Kafka's numeric error code, 0 for none (e.g. 27 REBALANCE_IN_PROGRESS, 22 ILLEGAL_GENERATION). */
  errorCode: number;
}

/** Encodes a HeartbeatResponse body (without header) for `apiVersion`. */
export function encodeHeartbeatResponse(response: HeartbeatResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeHeartbeatResponse', heartbeatVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 1) writer.writeInt32(response.throttleTimeMs);
  writer.writeInt16(response.errorCode);
  return writer.toBuffer();
}
