// kafkajs 2.2.4's client-side protocol code, the oracle for the broker-side codecs: its request encoders (with
// its framing, src/protocol/request.js) produce the bytes our decoders must read, and its response decoders read
// the bytes our encoders produce. kafkajs is CommonJS without types, so the parts used are typed here.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** kafkajs's growable buffer (src/protocol/encoder.js); every write returns the encoder. */
export interface KafkajsEncoder {
  buffer: Buffer;
  writeInt8(value: number): KafkajsEncoder;
  writeInt16(value: number): KafkajsEncoder;
  writeInt32(value: number): KafkajsEncoder;
  writeInt64(value: bigint): KafkajsEncoder;
  writeBoolean(value: boolean): KafkajsEncoder;
  writeString(value: string | null): KafkajsEncoder;
  writeBytes(value: Buffer | null): KafkajsEncoder;
  writeVarInt(value: number): KafkajsEncoder;
  writeUVarInt(value: number): KafkajsEncoder;
  writeVarLong(value: bigint): KafkajsEncoder;
  writeUVarIntString(value: string | null): KafkajsEncoder;
  writeArray(items: unknown[], type?: 'int32' | 'string' | 'object'): KafkajsEncoder;
  writeNullableArray(items: unknown[], type?: 'int32' | 'string' | 'object'): KafkajsEncoder;
  writeUVarIntArray(items: unknown[] | null, type?: 'object'): KafkajsEncoder;
  writeEncoder(value: KafkajsEncoder): KafkajsEncoder;
  writeBuffer(value: Buffer): KafkajsEncoder;
}

/** kafkajs's cursor (src/protocol/decoder.js). */
export interface KafkajsDecoder {
  offset: number;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readBoolean(): boolean;
  readString(): string | null;
  readBytes(): Buffer | null;
  readVarInt(): number;
  readUVarInt(): number;
  readVarLong(): { value: bigint };
  readUVarIntString(): string | null;
  readArray<T>(reader: (decoder: KafkajsDecoder) => T): T[];
  readUVarIntArray<T>(reader: (decoder: KafkajsDecoder) => T): T[] | null;
  readTaggedFields(): unknown;
}

/** One request version as kafkajs defines it (src/protocol/requests/<api>/v<N>/request.js and response.js). */
export interface KafkajsProtocol {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<KafkajsEncoder> };
  response: { decode(payload: Buffer): Promise<any>; parse(decoded: any): Promise<any> };
}

interface KafkajsRequestDefinitions {
  versions: string[];
  protocol(options: { version: number }): (args?: any) => KafkajsProtocol;
}

/** kafkajs's request definitions by API name (src/protocol/requests/index.js). */
export const kafkajsRequests = (
  require('kafkajs/src/protocol/requests') as { requests: Record<string, KafkajsRequestDefinitions> }
).requests;

/** kafkajs's API key table (src/protocol/requests/apiKeys.js). */
export const kafkajsApiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;

/** kafkajs's Encoder and Decoder classes. */
export const KafkajsEncoder = require('kafkajs/src/protocol/encoder') as new () => KafkajsEncoder;
export const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkajsDecoder;

const createRequest = require('kafkajs/src/protocol/request') as (options: {
  correlationId: number;
  clientId: string | null;
  request: KafkajsProtocol['request'];
}) => Promise<KafkajsEncoder>;

/** The protocol of one API version, built with the arguments its request takes (e.g. `{ topics }`). */
export function kafkajsProtocol(apiName: string, version: number, args?: unknown): KafkajsProtocol {
  const definitions = kafkajsRequests[apiName];
  if (definitions === undefined) throw new Error(`kafkajs has no request named ${apiName}`);
  return definitions.protocol({ version })(args);
}

/** A whole request frame as kafkajs sends it: size prefix, request header, body. */
export async function kafkajsRequestFrame(
  protocol: KafkajsProtocol,
  { correlationId = 7, clientId = 'kafkajs-client' as string | null } = {},
): Promise<Buffer> {
  const encoder = await createRequest({ correlationId, clientId, request: protocol.request });
  return encoder.buffer;
}

/**
 * Reads a response frame as kafkajs's Connection does (src/network/connection.js): the size prefix, the
 * correlation id of response header v0, then the rest goes to the version's `decode` and `parse`.
 */
export async function kafkajsReadResponse(
  protocol: KafkajsProtocol,
  frame: Buffer,
): Promise<{ size: number; correlationId: number; decoded: any; parsed: any }> {
  const size = frame.readInt32BE(0);
  const correlationId = frame.readInt32BE(4);
  const decoded = await protocol.response.decode(frame.subarray(8));
  const parsed = await protocol.response.parse(decoded);
  return { size, correlationId, decoded, parsed };
}
