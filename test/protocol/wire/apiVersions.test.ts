import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeApiVersionsRequest } from '../../../src/protocol/wire/apiVersionsRequest.ts';
import { encodeApiVersionsResponse, type ApiVersionsResponse } from '../../../src/protocol/wire/apiVersionsResponse.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { KafkajsDecoder, KafkajsEncoder, kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';

const response: ApiVersionsResponse = {
  errorCode: 0,
  apiKeys: [
    { apiKey: 0, minVersion: 3, maxVersion: 7 },
    { apiKey: 3, minVersion: 0, maxVersion: 6 },
    { apiKey: 18, minVersion: 0, maxVersion: 3 },
  ],
  throttleTimeMs: 250,
};

// What kafkajs's decoders return, by the names kafkajs gives the fields.
const kafkajsApiVersions = response.apiKeys;

function onlyFrame(received: Buffer): Buffer {
  const { frames, rest } = readFrames(received);
  expect(rest.length).toBe(0);
  expect(frames).toHaveLength(1);
  return frames[0] as Buffer;
}

// kafkajs 2.2.4 has no ApiVersions v3, so the v3 request is assembled from kafkajs's primitives by the schema:
// request header v2 (key, version, correlation id, client id with a 2-byte length, tag buffer), then the body.
function apiVersionsV3Request(bodyTaggedFields = '00'): Buffer {
  const message = new KafkajsEncoder()
    .writeInt16(18)
    .writeInt16(3)
    .writeInt32(31)
    .writeString('java-client')
    .writeUVarInt(0)
    .writeUVarIntString('apache-kafka-java')
    .writeUVarIntString('3.9.0').buffer;
  const tagged = Buffer.from(bodyTaggedFields, 'hex');
  return new KafkajsEncoder().writeInt32(message.length + tagged.length).writeBuffer(Buffer.concat([message, tagged])).buffer;
}

describe('ApiVersions request', () => {
  for (const version of [0, 1, 2]) {
    it(`decodes kafkajs's v${version} request: the header, and a body with no fields`, async () => {
      const received = await kafkajsRequestFrame(kafkajsProtocol('ApiVersions', version), { correlationId: 11 + version });
      const { header, body } = decodeRequestFrame(onlyFrame(received));
      expect(header).toEqual({ requestApiKey: 18, requestApiVersion: version, correlationId: 11 + version, clientId: 'kafkajs-client' });
      expect(decodeApiVersionsRequest(body, version)).toEqual({ clientSoftwareName: null, clientSoftwareVersion: null });
    });
  }

  it('decodes a v3 request: header v2, then the client software name and version as compact strings', () => {
    const { header, body } = decodeRequestFrame(onlyFrame(apiVersionsV3Request()));
    expect(header).toEqual({ requestApiKey: 18, requestApiVersion: 3, correlationId: 31, clientId: 'java-client' });
    expect(decodeApiVersionsRequest(body, 3)).toEqual({ clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '3.9.0' });
  });

  it('skips tagged fields it does not know at the end of a v3 body', () => {
    const { body } = decodeRequestFrame(onlyFrame(apiVersionsV3Request('01 05 02 aabb'.replaceAll(' ', ''))));
    expect(decodeApiVersionsRequest(body, 3).clientSoftwareVersion).toBe('3.9.0');
  });

  it('rejects a body with bytes after its last field', () => {
    const body = new ByteReader(Buffer.from([0]));
    expect(() => decodeApiVersionsRequest(body, 2)).toThrow('cannot read ApiVersionsRequest at offset 0: 1 bytes left over');
  });

  it('names the field of a v3 body cut short', () => {
    const frame = onlyFrame(apiVersionsV3Request());
    const { body } = decodeRequestFrame(frame.subarray(0, frame.length - 3));
    expect(() => decodeApiVersionsRequest(body, 3)).toThrow(/clientSoftwareVersion \(compact string\) at offset \d+: truncated/);
  });

  it('refuses versions outside 0-3, which the broker must answer with UNSUPPORTED_VERSION before decoding', () => {
    expect(() => decodeApiVersionsRequest(new ByteReader(Buffer.alloc(0)), 4)).toThrow(ArgumentError);
  });
});

describe('ApiVersions response', () => {
  it("encodes v0 so that kafkajs's decoder reads the error code and API versions, and no throttle time", async () => {
    const frame = encodeResponseFrame({ apiKey: 18, apiVersion: 0, correlationId: 5 }, encodeApiVersionsResponse(response, 0));
    const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('ApiVersions', 0), frame);
    expect(size).toBe(frame.length - 4);
    expect(correlationId).toBe(5);
    expect(decoded).toEqual({ errorCode: 0, apiVersions: kafkajsApiVersions });
    expect(parsed).toEqual(decoded);
    // Header (4) + error code (2) + array length (4) + three entries of three int16s: no throttle time in v0.
    expect(size).toBe(4 + 2 + 4 + 3 * 6);
  });

  it("encodes v1 with throttle_time_ms after the array, as kafkajs's decoder reads it", async () => {
    const frame = encodeResponseFrame({ apiKey: 18, apiVersion: 1, correlationId: 6 }, encodeApiVersionsResponse(response, 1));
    const { correlationId, decoded } = await kafkajsReadResponse(kafkajsProtocol('ApiVersions', 1), frame);
    expect(correlationId).toBe(6);
    expect(decoded).toEqual({ errorCode: 0, apiVersions: kafkajsApiVersions, throttleTime: 250 });
  });

  it('encodes v2, whose throttle time kafkajs reads as client-side throttling (KIP-219)', async () => {
    const frame = encodeResponseFrame({ apiKey: 18, apiVersion: 2, correlationId: 7 }, encodeApiVersionsResponse(response, 2));
    const { decoded } = await kafkajsReadResponse(kafkajsProtocol('ApiVersions', 2), frame);
    expect(decoded).toEqual({ errorCode: 0, apiVersions: kafkajsApiVersions, throttleTime: 0, clientSideThrottleTime: 250 });
  });

  it('makes kafkajs fail with UNSUPPORTED_VERSION on error code 35, which is how it falls back to a lower version', async () => {
    const unsupported = { ...response, errorCode: 35 };
    const frame = encodeResponseFrame({ apiKey: 18, apiVersion: 0, correlationId: 8 }, encodeApiVersionsResponse(unsupported, 0));
    await expect(kafkajsReadResponse(kafkajsProtocol('ApiVersions', 2), frame)).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('encodes v3 with a compact array and tag buffers, under response header v0', () => {
    const frame = encodeResponseFrame({ apiKey: 18, apiVersion: 3, correlationId: 9 }, encodeApiVersionsResponse(response, 3));
    const decoder = new KafkajsDecoder(frame);
    expect(decoder.readInt32()).toBe(frame.length - 4);
    expect(decoder.readInt32()).toBe(9); // no tag buffer follows: header v0
    expect(decoder.readInt16()).toBe(0);
    const apiKeys = decoder.readUVarIntArray((d) => {
      const key = { apiKey: d.readInt16(), minVersion: d.readInt16(), maxVersion: d.readInt16() };
      d.readTaggedFields();
      return key;
    });
    expect(apiKeys).toEqual(response.apiKeys);
    expect(decoder.readInt32()).toBe(250);
    expect(decoder.readTaggedFields()).toBeNull(); // kafkajs's way of saying "no tagged fields"
    expect(decoder.offset).toBe(frame.length);
  });

  it('encodes v3 byte for byte as the schema lays it out', () => {
    const body = encodeApiVersionsResponse({ errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 }, 3);
    expect(body.toString('hex')).toBe('0000' + '02' + '0012' + '0000' + '0003' + '00' + '00000000' + '00');
  });

  it('refuses versions outside 0-3', () => {
    expect(() => encodeApiVersionsResponse(response, 4)).toThrow('encodeApiVersionsResponse: apiVersion must be an integer from 0 to 3, got 4');
  });
});
