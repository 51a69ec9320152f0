import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeFindCoordinatorRequest } from '../../../src/protocol/wire/findCoordinatorRequest.ts';
import { encodeFindCoordinatorResponse, type FindCoordinatorResponse } from '../../../src/protocol/wire/findCoordinatorResponse.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2];

// kafkajs names the API GroupCoordinator and takes the key as groupId whatever its type.
async function decodeKafkajsRequest(version: number, args: { groupId: string; coordinatorType?: number }) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('GroupCoordinator', version, args), { correlationId: 60 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeFindCoordinatorRequest(body, version) };
}

const response: FindCoordinatorResponse = {
  throttleTimeMs: 75,
  errorCode: 0,
  errorMessage: null,
  nodeId: 2,
  host: 'broker-2',
  port: 9093,
};

/** What kafkajs's FindCoordinator decoder of `version` returns for `answer`. */
function asKafkajsDecodes(version: number, answer: FindCoordinatorResponse): Record<string, unknown> {
  const throttle = version >= 2 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 1 ? { throttleTime: answer.throttleTimeMs } : {};
  return {
    ...throttle,
    errorCode: answer.errorCode,
    ...(version >= 1 ? { errorMessage: answer.errorMessage } : {}),
    coordinator: { nodeId: answer.nodeId, host: answer.host, port: answer.port },
  };
}

function frameOf(answer: FindCoordinatorResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 10, apiVersion: version, correlationId }, encodeFindCoordinatorResponse(answer, version));
}

describe('FindCoordinator request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request for a group coordinator`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, { groupId: 'payments-consumers' });
      expect(header).toEqual({ requestApiKey: 10, requestApiVersion: version, correlationId: 60 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual({ key: 'payments-consumers', keyType: 0 });
    });
  }

  for (const version of [1, 2]) {
    it(`decodes key_type 1 (TRANSACTION) from kafkajs's v${version} request`, async () => {
      const { request } = await decodeKafkajsRequest(version, { groupId: 'tx-producer', coordinatorType: 1 });
      expect(request).toEqual({ key: 'tx-producer', keyType: 1 });
    });
  }

  it('reads no key_type from v0, where kafkajs writes none even when asked for a transaction coordinator', async () => {
    const { frame, request } = await decodeKafkajsRequest(0, { groupId: 'tx-producer', coordinatorType: 1 });
    expect(request.keyType).toBe(0);
    const v1 = (await decodeKafkajsRequest(1, { groupId: 'tx-producer', coordinatorType: 1 })).frame;
    expect(v1.length - frame.length).toBe(1);
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(1, { groupId: 'g' });
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeFindCoordinatorRequest(cut, 1));
    expect([error.field, error.offset]).toEqual(['keyType (int8)', frame.length - 1]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeFindCoordinatorRequest(padded, 1)).toThrow(`cannot read FindCoordinatorRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-2', () => {
    expect(() => decodeFindCoordinatorRequest(new ByteReader(Buffer.alloc(0)), 3)).toThrow(ArgumentError);
  });
});

describe('FindCoordinator response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 700 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('GroupCoordinator', version, { groupId: 'g' }), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(700 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes v2 as v1, and v0 without throttle time and error message', () => {
    const [v0, v1, v2] = versions.map((version) => encodeFindCoordinatorResponse(response, version).toString('hex'));
    expect(v2).toBe(v1);
    expect(v1).toBe('0000004b' + '0000' + 'ffff' + v0!.slice(4));
  });

  it('encodes v0 byte for byte as the schema lays it out', () => {
    const body = encodeFindCoordinatorResponse({ ...response, host: 'b' }, 0);
    expect(body.toString('hex')).toBe('0000' + '00000002' + '000162' + '00002385');
  });

  it("hands kafkajs the error code and message, and its parser throws kafkajs's old name GROUP_COORDINATOR_NOT_AVAILABLE on 15", async () => {
    const protocol = kafkajsProtocol('GroupCoordinator', 2, { groupId: 'g' });
    const unavailable = { ...response, errorCode: 15, errorMessage: 'loading', nodeId: -1, host: '', port: -1 };
    const frame = frameOf(unavailable, 2);
    expect(await protocol.response.decode(frame.subarray(8))).toEqual(asKafkajsDecodes(2, unavailable));
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE', retriable: true });
  });

  it('makes kafkajs fail in its decoder, before reading the coordinator, on 35 UNSUPPORTED_VERSION', async () => {
    const protocol = kafkajsProtocol('GroupCoordinator', 1, { groupId: 'g' });
    await expect(protocol.response.decode(frameOf({ ...response, errorCode: 35 }, 1).subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('refuses versions outside 0-2', () => {
    expect(() => encodeFindCoordinatorResponse(response, 3)).toThrow('encodeFindCoordinatorResponse: apiVersion must be an integer from 0 to 2, got 3');
  });
});
