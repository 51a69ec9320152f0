// The request header, schema clients/src/main/resources/common/message/RequestHeader.json (versions 0-2,
// flexible from v2). The client id keeps the old two-byte length even in the flexible v2 header, so that a broker
// can read the header of an ApiVersions request newer than any version it knows.
import { apiByKey } from './apiKeys.ts';
import type { ByteReader } from './ByteReader.ts';
import { requestHeaderVersion, type RequestHeaderVersion } from './headerVersions.ts';
import { WireFormatError } from './WireFormatError.ts';

/** The header in front of every request; `clientId` is null in header v0, which has none. */
export interface RequestHeader {
  requestApiKey: number;
  requestApiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Reads a request header. Without `headerVersion` it reads the API key and version first and picks the header
 * version they call for (headerVersions.ts), as Kafka's `RequestHeader#parse` does; an API key outside the table
 * in apiKeys.ts then throws a WireFormatError.
 */
export function readRequestHeader(reader: ByteReader, headerVersion?: RequestHeaderVersion): RequestHeader {
  const start = reader.offset;
  const requestApiKey = reader.readInt16('requestApiKey');
  const requestApiVersion = reader.readInt16('requestApiVersion');
  const version = headerVersion ?? headerVersionFor(requestApiKey, requestApiVersion, start);
  const correlationId = reader.readInt32('correlationId');
  const clientId = version >= 1 ? reader.readNullableString('clientId') : null;
  // Header v2 defines no tagged fields yet; any a newer client sends are skipped.
  if (version >= 2) reader.readTaggedFields('request header');
  return { requestApiKey, requestApiVersion, correlationId, clientId };
}

function headerVersionFor(apiKey: number, apiVersion: number, start: number): RequestHeaderVersion {
  const api = apiByKey(apiKey);
  if (api === undefined) throw new WireFormatError('requestApiKey (int16)', start, `unknown API key ${apiKey}`);
  return requestHeaderVersion(api, apiVersion);
}
