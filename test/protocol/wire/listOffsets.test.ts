import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeListOffsetsRequest, type ListOffsetsRequest } from '../../../src/protocol/wire/listOffsetsRequest.ts';
import { encodeListOffsetsResponse, type ListOffsetsResponse } from '../../../src/protocol/wire/listOffsetsResponse.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3];

/** The arguments kafkajs's ListOffsets request takes (src/protocol/requests/listOffsets/index.js). */
interface KafkajsListOffsetsArgs {
  replicaId?: number;
  isolationLevel?: number;
  topics: { topic: string; partitions: { partition: number; timestamp?: bigint; maxNumOffsets?: number }[] }[];
}

async function decodeKafkajsRequest(version: number, args: KafkajsListOffsetsArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('ListOffsets', version, args), { correlationId: 20 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeListOffsetsRequest(body, version) };
}

// Latest, earliest and a point in time, with every field away from kafkajs's default.
const everyField: KafkajsListOffsetsArgs = {
  replicaId: 2,
  isolationLevel: 0,
  topics: [
    {
      topic: 'orders',
      partitions: [
        { partition: 0, timestamp: -1n, maxNumOffsets: 3 },
        { partition: 4, timestamp: -2n, maxNumOffsets: 1 },
      ],
    },
    { topic: 'payments', partitions: [{ partition: 1, timestamp: 1_700_000_000_000n, maxNumOffsets: 500 }] },
  ],
};

/** What decodeListOffsetsRequest returns for `args` in `version`: absent fields take the schema's default. */
function asDecodedRequest(version: number, args: KafkajsListOffsetsArgs): ListOffsetsRequest {
  return {
    replicaId: args.replicaId ?? -1,
    isolationLevel: version >= 2 ? (args.isolationLevel ?? 1) : 0,
    topics: args.topics.map(({ topic, partitions }) => ({
      name: topic,
      partitions: partitions.map((p) => ({
        partitionIndex: p.partition,
        timestamp: p.timestamp ?? -1n,
        maxNumOffsets: version === 0 ? (p.maxNumOffsets ?? 1) : 1,
      })),
    })),
  };
}

describe('ListOffsets request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: every field set, two topics, three partitions`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 2, requestApiVersion: version, correlationId: 20 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(version, everyField));
    });
  }

  it("decodes kafkajs's defaults: replica -1, READ_COMMITTED from v2, timestamp -1 (latest), one offset in v0", async () => {
    const consumer: KafkajsListOffsetsArgs = { topics: [{ topic: 't', partitions: [{ partition: 3 }] }] };
    const latest = { name: 't', partitions: [{ partitionIndex: 3, timestamp: -1n, maxNumOffsets: 1 }] };
    expect((await decodeKafkajsRequest(0, consumer)).request).toEqual({ replicaId: -1, isolationLevel: 0, topics: [latest] });
    expect((await decodeKafkajsRequest(3, consumer)).request).toEqual({ replicaId: -1, isolationLevel: 1, topics: [latest] });
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(0, everyField);
    // The last partition ends with the 4 bytes of maxNumOffsets in v0 and the 8 of timestamp from v1.
    const { body: cutV0 } = decodeRequestFrame(frame.subarray(0, frame.length - 2));
    const v0Error = wireErrorOf(() => decodeListOffsetsRequest(cutV0, 0));
    expect([v0Error.field, v0Error.offset]).toEqual(['topics[].partitions[].maxNumOffsets (int32)', frame.length - 4]);
    const v2 = (await decodeKafkajsRequest(2, everyField)).frame;
    const { body: cutV2 } = decodeRequestFrame(v2.subarray(0, v2.length - 1));
    const v2Error = wireErrorOf(() => decodeListOffsetsRequest(cutV2, 2));
    expect([v2Error.field, v2Error.offset]).toEqual(['topics[].partitions[].timestamp (int64)', v2.length - 8]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([v2, Buffer.from([0])]));
    expect(() => decodeListOffsetsRequest(padded, 2)).toThrow(`cannot read ListOffsetsRequest at offset ${v2.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-3', () => {
    expect(() => decodeListOffsetsRequest(new ByteReader(Buffer.alloc(0)), -1)).toThrow(ArgumentError);
    expect(() => decodeListOffsetsRequest(new ByteReader(Buffer.alloc(0)), 4)).toThrow('decodeListOffsetsRequest: apiVersion must be an integer from 0 to 3, got 4');
  });
});

const response: ListOffsetsResponse = {
  throttleTimeMs: 40,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, errorCode: 0, oldStyleOffsets: [5_000_000_000n, 4_000n, 0n], timestamp: -1n, offset: 5_000_000_000n },
        { partitionIndex: 4, errorCode: 0, oldStyleOffsets: [], timestamp: 1_700_000_000_123n, offset: 12n },
      ],
    },
    { name: 'payments', partitions: [{ partitionIndex: 1, errorCode: 0, oldStyleOffsets: [7n], timestamp: -1n, offset: 7n }] },
  ],
};

/** What kafkajs's ListOffsets decoder of `version` returns for `encoded`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, encoded: ListOffsetsResponse): Record<string, unknown> {
  const throttle =
    version >= 3 ? { throttleTime: 0, clientSideThrottleTime: encoded.throttleTimeMs } : version === 2 ? { throttleTime: encoded.throttleTimeMs } : {};
  return {
    ...throttle,
    responses: encoded.topics.map((topic) => ({
      topic: topic.name,
      partitions: topic.partitions.map((p) => ({
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        ...(version === 0 ? { offsets: p.oldStyleOffsets.map(String) } : { timestamp: String(p.timestamp), offset: String(p.offset) }),
      })),
    })),
  };
}

describe('ListOffsets response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = encodeResponseFrame({ apiKey: 2, apiVersion: version, correlationId: 900 + version }, encodeListOffsetsResponse(response, version));
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('ListOffsets', version, everyField), frame);
      expect([size, correlationId]).toEqual([frame.length - 4, 900 + version]);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  // kafkajs's decoders never check that they consumed every byte, so the schema's identical versions must also be
  // identical in bytes.
  it('encodes v3 as v2, and v0, v1 and v2 each differently', () => {
    const bodies = versions.map((version) => encodeListOffsetsResponse(response, version).toString('hex'));
    expect(bodies.map((body, i) => i > 0 && body === bodies[i - 1])).toEqual([false, false, false, true]);
  });

  it('encodes v0 and v1 byte for byte as the schema lays them out', () => {
    const failed: ListOffsetsResponse = {
      throttleTimeMs: 9,
      topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 3, oldStyleOffsets: [5n], timestamp: -1n, offset: -1n }] }],
    };
    const topic = '00000001' + '000174' + '00000001' + '00000002' + '0003';
    expect(encodeListOffsetsResponse(failed, 0).toString('hex')).toBe(topic + '00000001' + '0000000000000005');
    expect(encodeListOffsetsResponse(failed, 1).toString('hex')).toBe(topic + 'ffffffffffffffff' + 'ffffffffffffffff');
  });

  it("carries a partition's error code to kafkajs, whose parser turns it into its error type", async () => {
    const protocol = kafkajsProtocol('ListOffsets', 3, everyField);
    const [orders, payments] = response.topics as [ListOffsetsResponse['topics'][0], ListOffsetsResponse['topics'][0]];
    const notLeader = { partitionIndex: 1, errorCode: 6, oldStyleOffsets: [], timestamp: -1n, offset: -1n };
    const failed: ListOffsetsResponse = { ...response, topics: [orders, { name: payments.name, partitions: [notLeader] }] };
    const frame = encodeResponseFrame({ apiKey: 2, apiVersion: 3, correlationId: 1 }, encodeListOffsetsResponse(failed, 3));
    const decoded = await protocol.response.decode(frame.subarray(8));
    expect(decoded.responses[1].partitions).toEqual([{ partition: 1, errorCode: 6, timestamp: '-1', offset: '-1' }]);
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'NOT_LEADER_FOR_PARTITION' });
  });

  it('refuses versions outside 0-3', () => {
    expect(() => encodeListOffsetsResponse(response, 4)).toThrow(ArgumentError);
    expect(() => encodeListOffsetsResponse(response, 1.5)).toThrow('encodeListOffsetsResponse: apiVersion must be an integer from 0 to 3, got 1.5');
  });
});
