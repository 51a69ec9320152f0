import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeOffsetCommitRequest, type OffsetCommitRequest } from '../../../src/protocol/wire/offsetCommitRequest.ts';
import { encodeOffsetCommitResponse, type OffsetCommitResponse } from '../../../src/protocol/wire/offsetCommitResponse.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3, 4, 5];

interface KafkajsOffsetCommitArgs {
  groupId: string;
  groupGenerationId: number;
  memberId: string;
  retentionTime?: number;
  topics: { topic: string; partitions: { partition: number; offset: string; timestamp?: number; metadata?: string | null }[] }[];
}

// kafkajs's consumer passes offsets as decimal strings; its Encoder turns them into int64s.
const everyField: KafkajsOffsetCommitArgs = {
  groupId: 'payments-consumers',
  groupGenerationId: 7,
  memberId: 'consumer-1-4f2a',
  retentionTime: 86_400_000,
  topics: [
    {
      topic: 'orders',
      partitions: [
        { partition: 0, offset: '1042', timestamp: 1_700_000_000_000, metadata: 'host-a' },
        { partition: 3, offset: '9007199254740993', timestamp: 1_700_000_000_001, metadata: null },
      ],
    },
    { topic: 'payments', partitions: [{ partition: 1, offset: '0', timestamp: 1_700_000_000_002, metadata: '' }] },
  ],
};

async function decodeKafkajsRequest(version: number, args: KafkajsOffsetCommitArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('OffsetCommit', version, args), { correlationId: 80 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeOffsetCommitRequest(body, version) };
}

/** What decodeOffsetCommitRequest of `version` reads from kafkajs's request built with `args`. */
function asDecodedRequest(version: number, args: KafkajsOffsetCommitArgs): OffsetCommitRequest {
  return {
    groupId: args.groupId,
    generationId: version >= 1 ? args.groupGenerationId : -1,
    memberId: version >= 1 ? args.memberId : '',
    retentionTimeMs: version >= 2 && version <= 4 ? BigInt(args.retentionTime ?? -1) : -1n,
    topics: args.topics.map(({ topic, partitions }) => ({
      name: topic,
      partitions: partitions.map(({ partition, offset, timestamp, metadata }) => ({
        partitionIndex: partition,
        committedOffset: BigInt(offset),
        commitTimestamp: version === 1 ? BigInt(timestamp ?? -1) : -1n,
        committedMetadata: metadata ?? null,
      })),
    })),
  };
}

const response: OffsetCommitResponse = {
  throttleTimeMs: 45,
  topics: [
    { name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 3, errorCode: 0 }] },
    { name: 'payments', partitions: [{ partitionIndex: 1, errorCode: 0 }] },
  ],
};

function frameOf(answer: OffsetCommitResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 8, apiVersion: version, correlationId }, encodeOffsetCommitResponse(answer, version));
}

/** What kafkajs's OffsetCommit decoder of `version` returns for `answer`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, answer: OffsetCommitResponse): Record<string, unknown> {
  const throttle = version >= 4 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 3 ? { throttleTime: answer.throttleTimeMs } : {};
  return {
    ...throttle,
    responses: answer.topics.map(({ name, partitions }) => ({
      topic: name,
      partitions: partitions.map(({ partitionIndex, errorCode }) => ({ partition: partitionIndex, errorCode })),
    })),
  };
}

describe('OffsetCommit request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: every field of that version, two topics, a null metadata`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 8, requestApiVersion: version, correlationId: 80 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(version, everyField));
    });
  }

  it("reads kafkajs's default retention of -1 (the broker's offsets.retention.minutes) in v2-v4", async () => {
    const { request } = await decodeKafkajsRequest(3, { ...everyField, retentionTime: undefined });
    expect(request.retentionTimeMs).toBe(-1n);
  });

  it('reads the commit timestamp in v1 only, and the retention time in v2-v4 only', async () => {
    const lengths = await Promise.all(versions.map(async (version) => (await decodeKafkajsRequest(version, everyField)).frame.length));
    const v0 = lengths[0] as number;
    // v1 adds 4 + 2 + 15 bytes of group membership and 8 per partition (three partitions); v2 swaps those 24 for 8.
    expect(lengths.map((length) => length - v0)).toEqual([0, 21 + 24, 21 + 8, 21 + 8, 21 + 8, 21]);
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(1, everyField);
    // The last partition ends with an empty metadata: its 2-byte length, after the 8-byte commit timestamp.
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 3));
    const error = wireErrorOf(() => decodeOffsetCommitRequest(cut, 1));
    expect([error.field, error.offset]).toEqual(['topics[].partitions[].commitTimestamp (int64)', frame.length - 10]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeOffsetCommitRequest(padded, 1)).toThrow(`cannot read OffsetCommitRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-5', () => {
    expect(() => decodeOffsetCommitRequest(new ByteReader(Buffer.alloc(0)), 6)).toThrow(ArgumentError);
  });
});

describe('OffsetCommit response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 800 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('OffsetCommit', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(800 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes the versions the schema calls identical identically, and every other step differently', () => {
    const bodies = versions.map((version) => encodeOffsetCommitResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, version) => version > 0 && body === bodies[version - 1]);
    expect(sameAsPrevious).toEqual([false, true, true, false, true, true]);
  });

  it('encodes v3 byte for byte as the schema lays it out', () => {
    const body = encodeOffsetCommitResponse({ throttleTimeMs: 5, topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 25 }] }] }, 3);
    expect(body.toString('hex')).toBe('00000005' + '00000001' + '000174' + '00000001' + '00000002' + '0019');
  });

  it('makes kafkajs throw ILLEGAL_GENERATION on 22 for one partition, after decoding it', async () => {
    const protocol = kafkajsProtocol('OffsetCommit', 5, everyField);
    const fenced = { ...response, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 3, errorCode: 22 }] }] };
    const frame = frameOf(fenced, 5);
    expect(await protocol.response.decode(frame.subarray(8))).toEqual(asKafkajsDecodes(5, fenced));
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'ILLEGAL_GENERATION' });
  });

  it('refuses versions outside 0-5', () => {
    expect(() => encodeOffsetCommitResponse(response, 6)).toThrow('encodeOffsetCommitResponse: apiVersion must be an integer from 0 to 5, got 6');
  });
});
