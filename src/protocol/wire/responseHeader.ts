// The response header, schema clients/src/main/resources/common/message/ResponseHeader.json (versions 0-1,
// flexible from v1).
import type { ByteWriter } from './ByteWriter.ts';
import type { ResponseHeaderVersion } from './headerVersions.ts';

/** The header in front of every response: the correlation id of the request it answers. */
export interface ResponseHeader {
  correlationId: number;
}

/** Writes a response header; v1 adds an empty tag buffer, as header v1 defines no tagged fields yet. */
export function writeResponseHeader(
  writer: ByteWriter,
  header: ResponseHeader,
  headerVersion: ResponseHeaderVersion,
): void {
  writer.writeInt32(header.correlationId);
  if (headerVersion >= 1) writer.writeTaggedFields();
}
