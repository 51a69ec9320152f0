// ApiVersionsRequest (API key 18), schema clients/src/main/resources/common/message/ApiVersionsRequest.json.
// v0-v2 have no fields; v3 is the first flexible version and adds the client's software name and version
// (KIP-511). kafkajs 2.2.x sends v0-v2. A request above v3 never reaches this codec: Kafka answers an
// ApiVersions version it does not know with a v0 response carrying UNSUPPORTED_VERSION and the versions it does
// know (`RequestContext#isUnsupportedApiVersionsRequest`), without parsing the body.
import type { ByteReader } from './ByteReader.ts';
import { requireVersionIn, type VersionRange } from './versionRange.ts';

/** The ApiVersions versions this codec reads and writes. */
export const apiVersionsVersions: VersionRange = { minVersion: 0, maxVersion: 3 };

/** A decoded ApiVersionsRequest; both fields are null in v0-v2, which do not carry them. */
export interface ApiVersionsRequest {
  /** The client library's name, e.g. `apache-kafka-java` (v3+). */
  clientSoftwareName: string | null;
  /** The client library's version, e.g. `3.9.0` (v3+). */
  clientSoftwareVersion: string | null;
}

/** Reads an ApiVersionsRequest body; the whole body must be consumed. */
export function decodeApiVersionsRequest(body: ByteReader, apiVersion: number): ApiVersionsRequest {
  requireVersionIn('decodeApiVersionsRequest', apiVersionsVersions, apiVersion);
  const request: ApiVersionsRequest = { clientSoftwareName: null, clientSoftwareVersion: null };
  if (apiVersion >= 3) {
    request.clientSoftwareName = body.readCompactString('clientSoftwareName');
    request.clientSoftwareVersion = body.readCompactString('clientSoftwareVersion');
    body.readTaggedFields('ApiVersionsRequest');
  }
  body.requireEnd('ApiVersionsRequest');
  return request;
}
