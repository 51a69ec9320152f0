// Which header version frames which API version: Kafka's rule, generated into `ApiMessageType#requestHeaderVersion`
// and `#responseHeaderVersion` (generator/src/main/java/org/apache/kafka/message/ApiMessageTypeGenerator.java).
// Flexible API versions use the flexible headers (request v2, response v1), the others request v1 and response v0,
// with two exceptions: ControlledShutdown v0 has request header v0 (no client id), and ApiVersions always answers
// with response header v0, because a client reads that response before it knows which versions the broker speaks
// (KIP-511).
import { apiKeys, isFlexibleVersion, type ApiSpec } from './apiKeys.ts';

/** Request header v0: key, version, correlation id; v1 adds the client id; v2 adds tagged fields. */
export type RequestHeaderVersion = 0 | 1 | 2;

/** Response header v0: the correlation id; v1 adds tagged fields. */
export type ResponseHeaderVersion = 0 | 1;

/** The request header version that precedes this API version's request body. */
export function requestHeaderVersion(api: ApiSpec, apiVersion: number): RequestHeaderVersion {
  if (api.apiKey === apiKeys.ControlledShutdown.apiKey && apiVersion === 0) return 0;
  return isFlexibleVersion(api, apiVersion) ? 2 : 1;
}

/** The response header version that precedes this API version's response body. */
export function responseHeaderVersion(api: ApiSpec, apiVersion: number): ResponseHeaderVersion {
  if (api.apiKey === apiKeys.ApiVersions.apiKey) return 0;
  return isFlexibleVersion(api, apiVersion) ? 1 : 0;
}
