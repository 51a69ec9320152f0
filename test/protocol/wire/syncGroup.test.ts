import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeSyncGroupRequest } from '../../../src/protocol/wire/syncGroupRequest.ts';
import { encodeSyncGroupResponse, type SyncGroupResponse } from '../../../src/protocol/wire/syncGroupResponse.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3];

interface KafkajsSyncGroupArgs {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  groupAssignment: { memberId: string; memberAssignment: Buffer }[];
}

const everyField: KafkajsSyncGroupArgs = {
  groupId: 'payments-consumers',
  generationId: 12,
  memberId: 'consumer-1-4f2a',
  groupInstanceId: 'pod-3',
  groupAssignment: [
    { memberId: 'consumer-1-4f2a', memberAssignment: Buffer.from('0001000000010006', 'hex') },
    { memberId: 'consumer-2-9b1c', memberAssignment: Buffer.from([0xbe, 0xef]) },
  ],
};

async function decodeKafkajsRequest(version: number, args: KafkajsSyncGroupArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('SyncGroup', version, args), { correlationId: 140 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeSyncGroupRequest(body, version) };
}

const response: SyncGroupResponse = { throttleTimeMs: 55, errorCode: 0, assignment: Buffer.from('000100000001', 'hex') };

function frameOf(answer: SyncGroupResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 14, apiVersion: version, correlationId }, encodeSyncGroupResponse(answer, version));
}

/** What kafkajs's SyncGroup decoder of `version` returns for `answer`. */
function asKafkajsDecodes(version: number, answer: SyncGroupResponse): Record<string, unknown> {
  const throttle = version >= 2 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 1 ? { throttleTime: answer.throttleTimeMs } : {};
  return { ...throttle, errorCode: answer.errorCode, memberAssignment: answer.assignment };
}

describe('SyncGroup request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request from the leader: every field of that version, two assignments`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 14, requestApiVersion: version, correlationId: 140 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual({
        groupId: 'payments-consumers',
        generationId: 12,
        memberId: 'consumer-1-4f2a',
        groupInstanceId: version >= 3 ? 'pod-3' : null,
        assignments: [
          { memberId: 'consumer-1-4f2a', assignment: Buffer.from('0001000000010006', 'hex') },
          { memberId: 'consumer-2-9b1c', assignment: Buffer.from([0xbe, 0xef]) },
        ],
      });
    });
  }

  it("decodes a follower's kafkajs v3 request: no assignments, null group_instance_id", async () => {
    const { request } = await decodeKafkajsRequest(3, { ...everyField, groupInstanceId: null, groupAssignment: [] });
    expect(request).toMatchObject({ groupInstanceId: null, assignments: [] });
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(3, everyField);
    // The last assignment is 0xbeef behind its 4-byte length.
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeSyncGroupRequest(cut, 3));
    expect([error.field, error.offset]).toEqual(['assignments[].assignment (bytes)', frame.length - 6]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeSyncGroupRequest(padded, 3)).toThrow(`cannot read SyncGroupRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-3', () => {
    expect(() => decodeSyncGroupRequest(new ByteReader(Buffer.alloc(0)), 4)).toThrow(ArgumentError);
  });
});

describe('SyncGroup response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 1400 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('SyncGroup', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(1400 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes v1, v2 and v3 alike, and v0 without the throttle time, byte for byte', () => {
    const bodies = versions.map((version) => encodeSyncGroupResponse({ throttleTimeMs: 1, errorCode: 0, assignment: Buffer.from([9]) }, version).toString('hex'));
    expect(bodies).toEqual(['0000' + '0000000109', ...Array(3).fill('00000001' + '0000' + '0000000109')]);
  });

  it('hands kafkajs 22 with an empty assignment, which its decoder keeps and its parser throws as ILLEGAL_GENERATION', async () => {
    const protocol = kafkajsProtocol('SyncGroup', 3, everyField);
    const stale = { ...response, errorCode: 22, assignment: Buffer.alloc(0) };
    const frame = frameOf(stale, 3);
    expect(await protocol.response.decode(frame.subarray(8))).toEqual(asKafkajsDecodes(3, stale));
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'ILLEGAL_GENERATION' });
  });

  it('makes kafkajs fail in its decoder on 35 UNSUPPORTED_VERSION', async () => {
    const protocol = kafkajsProtocol('SyncGroup', 1, everyField);
    await expect(protocol.response.decode(frameOf({ ...response, errorCode: 35 }, 1).subarray(8))).rejects.toMatchObject({ type: 'UNSUPPORTED_VERSION' });
  });

  it('refuses versions outside 0-3', () => {
    expect(() => encodeSyncGroupResponse(response, 4)).toThrow('encodeSyncGroupResponse: apiVersion must be an integer from 0 to 3, got 4');
  });
});
