// How messages sit on a connection: each is a 4-byte big-endian size, then that many bytes of header and body
// (https://kafka.apache.org/protocol#protocol_common). The broker side reads request frames and writes
// response frames; which header version goes with which API version is in headerVersions.ts.
import { ArgumentError } from '../../kernel/argumentError.ts';
import { apiByKey } from './apiKeys.ts';
import { ByteReader } from './ByteReader.ts';
import { ByteWriter } from './ByteWriter.ts';
import { responseHeaderVersion } from './headerVersions.ts';
import { readRequestHeader, type RequestHeader } from './requestHeader.ts';
import { writeResponseHeader } from './responseHeader.ts';
import { WireFormatError } from './WireFormatError.ts';

const sizePrefixBytes = 4;

/** Options of readFrames. */
export interface ReadFramesConstraints {
  /** The largest frame accepted; a bigger size prefix is malformed input. */
  maxFrameBytes?: number;
}

/**
 * Splits bytes received on a connection into whole frames (without their size prefix) and the incomplete rest,
 * which waits for more bytes. A negative size or one above `maxFrameBytes` throws a WireFormatError, as Kafka's
 * `NetworkReceive` throws `InvalidReceiveException`.
 */
export function readFrames(
  received: Buffer,
  { maxFrameBytes = 104_857_600 }: ReadFramesConstraints = {}, // socket.request.max.bytes
): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let offset = 0;
  while (received.length - offset >= sizePrefixBytes) {
    const size = received.readInt32BE(offset);
    if (size < 0 || size > maxFrameBytes) {
      throw new WireFormatError('frame size (int32)', offset, `size ${size} is outside 0..${maxFrameBytes}`);
    }
    if (received.length - offset - sizePrefixBytes < size) break;
    frames.push(received.subarray(offset + sizePrefixBytes, offset + sizePrefixBytes + size));
    offset += sizePrefixBytes + size;
  }
  return { frames, rest: received.subarray(offset) };
}

/** A request frame read up to its body: the header, and a reader positioned at the first byte of the body. */
export interface RequestFrame {
  header: RequestHeader;
  body: ByteReader;
}

/** Reads the header of one request frame (as readFrames returns it, without the size prefix). */
export function decodeRequestFrame(frame: Buffer): RequestFrame {
  const body = new ByteReader(frame);
  const header = readRequestHeader(body);
  return { header, body };
}

/** Which request a response answers: the header version follows from the API and version (headerVersions.ts). */
export interface ResponseFrameHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
}

/** A whole response frame: size prefix, the response header this API version calls for, then the body. */
export function encodeResponseFrame({ apiKey, apiVersion, correlationId }: ResponseFrameHeader, body: Buffer): Buffer {
  const api = apiByKey(apiKey);
  if (api === undefined) {
    throw new ArgumentError('encodeResponseFrame', 'apiKey', apiKey, 'a key from the table in wire/apiKeys.ts');
  }
  const headerVersion = responseHeaderVersion(api, apiVersion);
  // The correlation id, and in header v1 the empty tag buffer (one byte).
  const headerBytes = headerVersion === 0 ? 4 : 5;
  const frame = new ByteWriter(sizePrefixBytes + headerBytes + body.length);
  frame.writeInt32(headerBytes + body.length);
  writeResponseHeader(frame, { correlationId }, headerVersion);
  frame.writeRaw(body);
  if (frame.length !== sizePrefixBytes + headerBytes + body.length) {
    throw new Error(`encodeResponseFrame: wrote ${frame.length} bytes, the size prefix promised ${headerBytes + body.length} + 4`);
  }
  return frame.toBuffer();
}
