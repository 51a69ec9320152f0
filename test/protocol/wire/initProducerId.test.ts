import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeInitProducerIdRequest } from '../../../src/protocol/wire/initProducerIdRequest.ts';
import { encodeInitProducerIdResponse, type InitProducerIdResponse } from '../../../src/protocol/wire/initProducerIdResponse.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1];

interface KafkajsInitProducerIdArgs {
  transactionalId?: string;
  transactionTimeout?: number;
}

const everyField: KafkajsInitProducerIdArgs = { transactionalId: 'payments-tx-1', transactionTimeout: 60_000 };

async function decodeKafkajsRequest(version: number, args: KafkajsInitProducerIdArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('InitProducerId', version, args), { correlationId: 220 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeInitProducerIdRequest(body, version) };
}

const response: InitProducerIdResponse = { throttleTimeMs: 45, errorCode: 0, producerId: 9_007_199_254_740_993n, producerEpoch: 3 };

function frameOf(answer: InitProducerIdResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 22, apiVersion: version, correlationId }, encodeInitProducerIdResponse(answer, version));
}

/** What kafkajs's InitProducerId decoder of `version` returns for `answer`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, answer: InitProducerIdResponse): Record<string, unknown> {
  const throttle = version >= 1 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : { throttleTime: answer.throttleTimeMs };
  return { ...throttle, errorCode: answer.errorCode, producerId: answer.producerId.toString(), producerEpoch: answer.producerEpoch };
}

describe('InitProducerId request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request of a transactional producer: id and timeout`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 22, requestApiVersion: version, correlationId: 220 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual({ transactionalId: 'payments-tx-1', transactionTimeoutMs: 60_000 });
    });
  }

  it("decodes an idempotent producer's request: a null transactional id, kafkajs's default timeout of 5000 ms", async () => {
    const { request } = await decodeKafkajsRequest(1, {});
    expect(request).toEqual({ transactionalId: null, transactionTimeoutMs: 5000 });
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(1, everyField);
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeInitProducerIdRequest(cut, 1));
    expect([error.field, error.offset]).toEqual(['transactionTimeoutMs (int32)', frame.length - 4]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeInitProducerIdRequest(padded, 1)).toThrow(`cannot read InitProducerIdRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-1', () => {
    expect(() => decodeInitProducerIdRequest(new ByteReader(Buffer.alloc(0)), 2)).toThrow(ArgumentError);
  });
});

describe('InitProducerId response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field, a producer id past 2^53`, async () => {
      const frame = frameOf(response, version, 2200 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('InitProducerId', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(2200 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes v0 and v1 identically, byte for byte as the schema lays them out', () => {
    const body = encodeInitProducerIdResponse({ throttleTimeMs: 5, errorCode: 0, producerId: 1000n, producerEpoch: 0 }, 0);
    expect(body.toString('hex')).toBe('00000005' + '0000' + '00000000000003e8' + '0000');
    expect(encodeInitProducerIdResponse({ throttleTimeMs: 5, errorCode: 0, producerId: 1000n, producerEpoch: 0 }, 1)).toEqual(body);
  });

  it('makes kafkajs throw CONCURRENT_TRANSACTIONS on 51, and fail in its decoder on 35 UNSUPPORTED_VERSION', async () => {
    const protocol = kafkajsProtocol('InitProducerId', 1, everyField);
    const busy = { ...response, errorCode: 51, producerId: -1n, producerEpoch: -1 };
    expect(await protocol.response.decode(frameOf(busy, 1).subarray(8))).toEqual(asKafkajsDecodes(1, busy));
    await expect(kafkajsReadResponse(protocol, frameOf(busy, 1))).rejects.toMatchObject({ type: 'CONCURRENT_TRANSACTIONS', retriable: true });
    await expect(protocol.response.decode(frameOf({ ...busy, errorCode: 35 }, 1).subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('refuses versions outside 0-1', () => {
    expect(() => encodeInitProducerIdResponse(response, 2)).toThrow('encodeInitProducerIdResponse: apiVersion must be an integer from 0 to 1, got 2');
  });
});
