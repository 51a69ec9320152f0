import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeHeartbeatRequest } from '../../../src/protocol/wire/heartbeatRequest.ts';
import { encodeHeartbeatResponse, type HeartbeatResponse } from '../../../src/protocol/wire/heartbeatResponse.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3];

interface KafkajsHeartbeatArgs {
  groupId: string;
  groupGenerationId: number;
  memberId: string;
  groupInstanceId?: string | null;
}

const everyField: KafkajsHeartbeatArgs = {
  groupId: 'payments-consumers',
  groupGenerationId: 7,
  memberId: 'consumer-1-4f2a',
  groupInstanceId: 'pod-3',
};

async function decodeKafkajsRequest(version: number, args: KafkajsHeartbeatArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('Heartbeat', version, args), { correlationId: 80 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeHeartbeatRequest(body, version) };
}

const response: HeartbeatResponse = { throttleTimeMs: 30, errorCode: 0 };

function frameOf(answer: HeartbeatResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 12, apiVersion: version, correlationId }, encodeHeartbeatResponse(answer, version));
}

/** What kafkajs's Heartbeat decoder of `version` returns for `answer`. */
function asKafkajsDecodes(version: number, answer: HeartbeatResponse): Record<string, unknown> {
  const throttle = version >= 2 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 1 ? { throttleTime: answer.throttleTimeMs } : {};
  return { ...throttle, errorCode: answer.errorCode };
}

describe('Heartbeat request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: every field of that version`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 12, requestApiVersion: version, correlationId: 80 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual({
        groupId: 'payments-consumers',
        generationId: 7,
        memberId: 'consumer-1-4f2a',
        groupInstanceId: version >= 3 ? 'pod-3' : null,
      });
    });
  }

  it("decodes a dynamic member's null group_instance_id from kafkajs's v3 request", async () => {
    const { frame, request } = await decodeKafkajsRequest(3, { ...everyField, groupInstanceId: null });
    expect(request.groupInstanceId).toBeNull();
    expect(frame.subarray(-2).toString('hex')).toBe('ffff');
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(3, everyField);
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeHeartbeatRequest(cut, 3));
    expect([error.field, error.offset]).toEqual(['groupInstanceId (string)', frame.length - 7]);
    const v2 = (await decodeKafkajsRequest(2, everyField)).frame;
    const { body: padded } = decodeRequestFrame(Buffer.concat([v2, Buffer.from([0])]));
    expect(() => decodeHeartbeatRequest(padded, 2)).toThrow(`cannot read HeartbeatRequest at offset ${v2.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-3', () => {
    expect(() => decodeHeartbeatRequest(new ByteReader(Buffer.alloc(0)), 4)).toThrow(ArgumentError);
  });
});

describe('Heartbeat response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 800 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('Heartbeat', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(800 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes v1, v2 and v3 alike, and v0 without the throttle time, byte for byte', () => {
    const bodies = versions.map((version) => encodeHeartbeatResponse({ throttleTimeMs: 30, errorCode: 27 }, version).toString('hex'));
    expect(bodies).toEqual(['001b', '0000001e001b', '0000001e001b', '0000001e001b']);
  });

  it('hands kafkajs 27, which its decoder keeps and its parser throws as REBALANCE_IN_PROGRESS', async () => {
    const protocol = kafkajsProtocol('Heartbeat', 3, everyField);
    const frame = frameOf({ ...response, errorCode: 27 }, 3);
    expect(await protocol.response.decode(frame.subarray(8))).toEqual({ throttleTime: 0, clientSideThrottleTime: 30, errorCode: 27 });
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
  });

  it('makes kafkajs fail in its decoder on 35 UNSUPPORTED_VERSION', async () => {
    const protocol = kafkajsProtocol('Heartbeat', 0, everyField);
    await expect(protocol.response.decode(frameOf({ ...response, errorCode: 35 }, 0).subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('refuses versions outside 0-3', () => {
    expect(() => encodeHeartbeatResponse(response, 4)).toThrow('encodeHeartbeatResponse: apiVersion must be an integer from 0 to 3, got 4');
  });
});
