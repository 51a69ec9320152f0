// FindCoordinatorResponse (API key 10), schema clients/src/main/resources/common/message/FindCoordinatorResponse.json,
// v0-v2. v1 adds throttle_time_ms and error_message; v2 only changes when throttling happens (KIP-219). Both added
// fields are ignorable in the schema, so v0 drops them, as Kafka's generated writers do.
import { ByteWriter } from './ByteWriter.ts';
import { findCoordinatorVersions } from './findCoordinatorRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** A FindCoordinatorResponse to encode. */
export interface FindCoordinatorResponse {
  /** v1+. */
  throttleTimeMs: number;
  /** Kafka's numeric error code, 0 for none (e.g. 15 COORDINATOR_NOT_AVAILABLE). */
  errorCode: number;
  /** A message to go with the error code, or null (v1+). */
  errorMessage: string | null;
  /** The coordinator's broker id; -1 with an error, as Kafka answers. */
  nodeId: number;
  host: string;
  port: number;
}

/** Encodes a FindCoordinatorResponse body (without header) for `apiVersion`. */
export function encodeFindCoordinatorResponse(response: FindCoordinatorResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeFindCoordinatorResponse', findCoordinatorVersions, apiVersion);
  const writer = new ByteWriter();
  if (apiVersion >= 1) writer.writeInt32(response.throttleTimeMs);
  writer.writeInt16(response.errorCode);
  if (apiVersion >= 1) writer.writeNullableString(response.errorMessage);
  writer.writeInt32(response.nodeId);
  writer.writeString(response.host);
  writer.writeInt32(response.port);
  return writer.toBuffer();
}
