import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeLeaveGroupRequest } from '../../../src/protocol/wire/leaveGroupRequest.ts';
import { encodeLeaveGroupResponse, type LeaveGroupResponse } from '../../../src/protocol/wire/leaveGroupResponse.ts';
import { KafkajsEncoder, kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3];

// kafkajs leaves one member at a time; its v3 request wraps it in a batch of one.
interface KafkajsLeaveGroupArgs {
  groupId: string;
  memberId: string;
  groupInstanceId?: string | null;
}

const everyField: KafkajsLeaveGroupArgs = { groupId: 'payments-consumers', memberId: 'consumer-1-4f2a', groupInstanceId: 'pod-3' };

async function decodeKafkajsRequest(version: number, args: KafkajsLeaveGroupArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('LeaveGroup', version, args), { correlationId: 130 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeLeaveGroupRequest(body, version) };
}

const response: LeaveGroupResponse = {
  throttleTimeMs: 65,
  errorCode: 0,
  members: [
    { memberId: 'consumer-1-4f2a', groupInstanceId: 'pod-3', errorCode: 0 },
    { memberId: 'consumer-2-9b1c', groupInstanceId: null, errorCode: 0 },
  ],
};

function frameOf(answer: LeaveGroupResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 13, apiVersion: version, correlationId }, encodeLeaveGroupResponse(answer, version));
}

/** What kafkajs's LeaveGroup decoder of `version` returns for `answer`. */
function asKafkajsDecodes(version: number, answer: LeaveGroupResponse): Record<string, unknown> {
  const throttle = version >= 2 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 1 ? { throttleTime: answer.throttleTimeMs } : {};
  return { ...throttle, errorCode: answer.errorCode, ...(version >= 3 ? { members: answer.members } : {}) };
}

describe('LeaveGroup request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request as a batch of one member`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 13, requestApiVersion: version, correlationId: 130 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual({
        groupId: 'payments-consumers',
        members: [{ memberId: 'consumer-1-4f2a', groupInstanceId: version >= 3 ? 'pod-3' : null }],
      });
    });
  }

  it('decodes a v3 batch of several members, static and dynamic, built by the schema', () => {
    const member = (memberId: string, groupInstanceId: string | null) => new KafkajsEncoder().writeString(memberId).writeString(groupInstanceId);
    const body = new KafkajsEncoder().writeString('g').writeArray([member('m-1', 'pod-1'), member('m-2', null)]).buffer;
    expect(decodeLeaveGroupRequest(new ByteReader(body), 3)).toEqual({
      groupId: 'g',
      members: [
        { memberId: 'm-1', groupInstanceId: 'pod-1' },
        { memberId: 'm-2', groupInstanceId: null },
      ],
    });
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(3, everyField);
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeLeaveGroupRequest(cut, 3));
    expect([error.field, error.offset]).toEqual(['members[].groupInstanceId (string)', frame.length - 7]);
    const v0 = (await decodeKafkajsRequest(0, everyField)).frame;
    const { body: cutV0 } = decodeRequestFrame(v0.subarray(0, v0.length - 1));
    expect(wireErrorOf(() => decodeLeaveGroupRequest(cutV0, 0)).field).toBe('memberId (string)');
    const { body: padded } = decodeRequestFrame(Buffer.concat([v0, Buffer.from([0])]));
    expect(() => decodeLeaveGroupRequest(padded, 0)).toThrow(`cannot read LeaveGroupRequest at offset ${v0.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-3', () => {
    expect(() => decodeLeaveGroupRequest(new ByteReader(Buffer.alloc(0)), 4)).toThrow(ArgumentError);
  });
});

describe('LeaveGroup response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 1300 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('LeaveGroup', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(1300 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes v1 and v2 alike, drops members below v3, and writes them byte for byte in v3', () => {
    const small: LeaveGroupResponse = { throttleTimeMs: 1, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 25 }] };
    const bodies = versions.map((version) => encodeLeaveGroupResponse(small, version).toString('hex'));
    expect(bodies).toEqual(['0000', '000000010000', '000000010000', '000000010000' + '00000001' + '00016d' + 'ffff' + '0019']);
  });

  it("throws a member's error code from kafkajs's v3 parser, FENCED_INSTANCE_ID on 82, though the top error code is 0", async () => {
    const protocol = kafkajsProtocol('LeaveGroup', 3, everyField);
    const fenced = { ...response, members: [{ memberId: 'consumer-1-4f2a', groupInstanceId: 'pod-3', errorCode: 82 }] };
    const frame = frameOf(fenced, 3);
    expect(await protocol.response.decode(frame.subarray(8))).toEqual(asKafkajsDecodes(3, fenced));
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'FENCED_INSTANCE_ID' });
  });

  it('hands kafkajs a top error code 25, which its parser throws as UNKNOWN_MEMBER_ID, and 35 fails its decoder', async () => {
    const protocol = kafkajsProtocol('LeaveGroup', 1, everyField);
    await expect(kafkajsReadResponse(protocol, frameOf({ ...response, errorCode: 25 }, 1))).rejects.toMatchObject({ type: 'UNKNOWN_MEMBER_ID' });
    await expect(protocol.response.decode(frameOf({ ...response, errorCode: 35 }, 1).subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('refuses versions outside 0-3', () => {
    expect(() => encodeLeaveGroupResponse(response, 4)).toThrow('encodeLeaveGroupResponse: apiVersion must be an integer from 0 to 3, got 4');
  });
});
