// ApiVersionsResponse (API key 18), schema clients/src/main/resources/common/message/ApiVersionsResponse.json.
// v1 adds throttle_time_ms; v2 only changes when throttling happens (KIP-219); v3 is flexible (compact array,
// tag buffers). The v3 tagged fields (SupportedFeatures, FinalizedFeatures*, ZkMigrationReady) are left out, which
// the schema allows: all are tagged, so absent means their defaults. Whatever the version, the response goes out
// under response header v0 (headerVersions.ts).
import { ByteWriter } from './ByteWriter.ts';
import { apiVersionsVersions } from './apiVersionsRequest.ts';
import { requireVersionIn } from './versionRange.ts';

/** One API the broker supports, with its version range, inclusive. */
export interface ApiVersionsResponseKey {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** An ApiVersionsResponse to encode. */
export interface ApiVersionsResponse {
  /** Kafka's numeric error code (src/protocol/errors.ts); 35 (UNSUPPORTED_VERSION) makes clients retry lower. */
  errorCode: number;
  apiKeys: ApiVersionsResponseKey[];
  /** Sent from v1; dropped in v0, as Kafka drops this ignorable field. */
  throttleTimeMs: number;
}

/** Encodes an ApiVersionsResponse body (without header) for `apiVersion`. */
export function encodeApiVersionsResponse(response: ApiVersionsResponse, apiVersion: number): Buffer {
  requireVersionIn('encodeApiVersionsResponse', apiVersionsVersions, apiVersion);
  const isFlexible = apiVersion >= 3;
  const writer = new ByteWriter();
  writer.writeInt16(response.errorCode);
  if (isFlexible) writer.writeCompactArray(response.apiKeys, writeFlexibleApiKey);
  else writer.writeArray(response.apiKeys, writeApiKey);
  if (apiVersion >= 1) writer.writeInt32(response.throttleTimeMs);
  if (isFlexible) writer.writeTaggedFields();
  return writer.toBuffer();
}

function writeApiKey(writer: ByteWriter, { apiKey, minVersion, maxVersion }: ApiVersionsResponseKey): void {
  writer.writeInt16(apiKey);
  writer.writeInt16(minVersion);
  writer.writeInt16(maxVersion);
}

function writeFlexibleApiKey(writer: ByteWriter, key: ApiVersionsResponseKey): void {
  writeApiKey(writer, key);
  writer.writeTaggedFields();
}
