import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeJoinGroupRequest, type JoinGroupRequest } from '../../../src/protocol/wire/joinGroupRequest.ts';
import { encodeJoinGroupResponse, type JoinGroupResponse } from '../../../src/protocol/wire/joinGroupResponse.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3, 4, 5];

interface KafkajsJoinGroupArgs {
  groupId: string;
  sessionTimeout: number;
  rebalanceTimeout: number;
  memberId: string;
  groupInstanceId?: string | null;
  protocolType: string;
  groupProtocols: { name: string; metadata?: Buffer }[];
}

const everyField: KafkajsJoinGroupArgs = {
  groupId: 'payments-consumers',
  sessionTimeout: 30_000,
  rebalanceTimeout: 60_000,
  memberId: 'consumer-1-4f2a',
  groupInstanceId: 'pod-3',
  protocolType: 'consumer',
  groupProtocols: [
    { name: 'RoundRobinAssigner', metadata: Buffer.from('00010000000100066f7264657273', 'hex') },
    { name: 'sticky', metadata: Buffer.from([0xca, 0xfe]) },
  ],
};

async function decodeKafkajsRequest(version: number, args: KafkajsJoinGroupArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('JoinGroup', version, args), { correlationId: 90 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeJoinGroupRequest(body, version) };
}

/** What decodeJoinGroupRequest of `version` reads from kafkajs's request built with `args`. */
function asDecodedRequest(version: number, args: KafkajsJoinGroupArgs): JoinGroupRequest {
  return {
    groupId: args.groupId,
    sessionTimeoutMs: args.sessionTimeout,
    rebalanceTimeoutMs: version >= 1 ? args.rebalanceTimeout : args.sessionTimeout,
    memberId: args.memberId,
    groupInstanceId: version >= 5 ? (args.groupInstanceId ?? null) : null,
    protocolType: args.protocolType,
    protocols: args.groupProtocols.map(({ name, metadata }) => ({ name, metadata: metadata ?? Buffer.alloc(0) })),
  };
}

const response: JoinGroupResponse = {
  throttleTimeMs: 45,
  errorCode: 0,
  generationId: 12,
  protocolName: 'RoundRobinAssigner',
  leader: 'consumer-1-4f2a',
  memberId: 'consumer-1-4f2a',
  members: [
    { memberId: 'consumer-1-4f2a', groupInstanceId: 'pod-3', metadata: Buffer.from('0001000000010006', 'hex') },
    { memberId: 'consumer-2-9b1c', groupInstanceId: null, metadata: Buffer.alloc(0) },
  ],
};

function frameOf(answer: JoinGroupResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 11, apiVersion: version, correlationId }, encodeJoinGroupResponse(answer, version));
}

/** What kafkajs's JoinGroup decoder of `version` returns for `answer`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, answer: JoinGroupResponse): Record<string, unknown> {
  const throttle = version >= 3 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 2 ? { throttleTime: answer.throttleTimeMs } : {};
  return {
    ...throttle,
    errorCode: answer.errorCode,
    generationId: answer.generationId,
    groupProtocol: answer.protocolName,
    leaderId: answer.leader,
    memberId: answer.memberId,
    members: answer.members.map(({ memberId, groupInstanceId, metadata }) =>
      version >= 5 ? { memberId, groupInstanceId, memberMetadata: metadata } : { memberId, memberMetadata: metadata },
    ),
  };
}

describe('JoinGroup request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: every field of that version, two protocols`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 11, requestApiVersion: version, correlationId: 90 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(version, everyField));
    });
  }

  it("decodes a first join from kafkajs's v5 request: empty member id, no instance id, empty metadata", async () => {
    const firstJoin = { ...everyField, memberId: '', groupInstanceId: null, groupProtocols: [{ name: 'RoundRobinAssigner' }] };
    const { request } = await decodeKafkajsRequest(5, firstJoin);
    expect(request).toMatchObject({ memberId: '', groupInstanceId: null, protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.alloc(0) }] });
  });

  it('takes the session timeout as the rebalance timeout in v0, which has none', async () => {
    const v0 = await decodeKafkajsRequest(0, everyField);
    const v1 = await decodeKafkajsRequest(1, everyField);
    expect([v0.request.rebalanceTimeoutMs, v1.request.rebalanceTimeoutMs]).toEqual([30_000, 60_000]);
    expect(v1.frame.length - v0.frame.length).toBe(4);
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(5, everyField);
    // The last protocol's metadata is 0xcafe behind its 4-byte length.
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeJoinGroupRequest(cut, 5));
    expect([error.field, error.offset]).toEqual(['protocols[].metadata (bytes)', frame.length - 6]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeJoinGroupRequest(padded, 5)).toThrow(`cannot read JoinGroupRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-5', () => {
    expect(() => decodeJoinGroupRequest(new ByteReader(Buffer.alloc(0)), 6)).toThrow(ArgumentError);
  });
});

describe('JoinGroup response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 900 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('JoinGroup', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(900 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes the versions the schema calls identical identically, and every other step differently', () => {
    const bodies = versions.map((version) => encodeJoinGroupResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, version) => version > 0 && body === bodies[version - 1]);
    expect(sameAsPrevious).toEqual([false, true, false, true, true, false]);
  });

  it('encodes v0 byte for byte as the schema lays it out', () => {
    const body = encodeJoinGroupResponse(
      { throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: 'p', leader: 'm', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: null, metadata: Buffer.from([7]) }] },
      0,
    );
    expect(body.toString('hex')).toBe('0000' + '00000001' + '000170' + '00016d' + '00016d' + '00000001' + '00016d' + '0000000107');
  });

  it('hands kafkajs 79 with the member id to rejoin with, which its v4+ parser throws as KafkaJSMemberIdRequired', async () => {
    const protocol = kafkajsProtocol('JoinGroup', 4, { ...everyField, memberId: '' });
    const required = { ...response, errorCode: 79, generationId: -1, protocolName: '', leader: '', memberId: 'consumer-3-77aa', members: [] };
    const frame = frameOf(required, 4);
    expect(await protocol.response.decode(frame.subarray(8))).toEqual(asKafkajsDecodes(4, required));
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({
      name: 'KafkaJSMemberIdRequired',
      type: 'MEMBER_ID_REQUIRED',
      memberId: 'consumer-3-77aa',
    });
  });

  it('makes kafkajs throw UNKNOWN_MEMBER_ID on 25, and fail in its decoder on 35 UNSUPPORTED_VERSION', async () => {
    const protocol = kafkajsProtocol('JoinGroup', 5, everyField);
    const unknown = { ...response, errorCode: 25, generationId: -1, members: [] };
    await expect(kafkajsReadResponse(protocol, frameOf(unknown, 5))).rejects.toMatchObject({ type: 'UNKNOWN_MEMBER_ID' });
    await expect(protocol.response.decode(frameOf({ ...unknown, errorCode: 35 }, 5).subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('refuses versions outside 0-5', () => {
    expect(() => encodeJoinGroupResponse(response, 6)).toThrow('encodeJoinGroupResponse: apiVersion must be an integer from 0 to 5, got 6');
  });
});
