import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeOffsetFetchRequest, type OffsetFetchRequest } from '../../../src/protocol/wire/offsetFetchRequest.ts';
import { encodeOffsetFetchResponse, type OffsetFetchResponse } from '../../../src/protocol/wire/offsetFetchResponse.ts';
import { KafkajsEncoder, kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3, 4];
// kafkajs 2.2.4 has no v0; v0's bytes are v1's, so v1's protocol stands in for it.
const kafkajsVersions = [1, 2, 3, 4];

interface KafkajsOffsetFetchArgs {
  groupId: string;
  topics: { topic: string; partitions: { partition: number }[] }[];
}

const everyField: KafkajsOffsetFetchArgs = {
  groupId: 'payments-consumers',
  topics: [
    { topic: 'orders', partitions: [{ partition: 0 }, { partition: 3 }] },
    { topic: 'payments', partitions: [{ partition: 1 }] },
  ],
};

async function decodeKafkajsRequest(version: number, args: KafkajsOffsetFetchArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('OffsetFetch', version, args), { correlationId: 90 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeOffsetFetchRequest(body, version) };
}

/** What decodeOffsetFetchRequest reads from kafkajs's request built with `args`. */
function asDecodedRequest(args: KafkajsOffsetFetchArgs): OffsetFetchRequest {
  return {
    groupId: args.groupId,
    topics: args.topics.map(({ topic, partitions }) => ({ name: topic, partitionIndexes: partitions.map(({ partition }) => partition) })),
  };
}

const response: OffsetFetchResponse = {
  throttleTimeMs: 45,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 0, committedOffset: 1042n, metadata: 'host-a', errorCode: 0 },
        { partitionIndex: 3, committedOffset: -1n, metadata: null, errorCode: 0 },
      ],
    },
    { name: 'payments', partitions: [{ partitionIndex: 1, committedOffset: 9_007_199_254_740_993n, metadata: '', errorCode: 0 }] },
  ],
  errorCode: 0,
};

function frameOf(answer: OffsetFetchResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 9, apiVersion: version, correlationId }, encodeOffsetFetchResponse(answer, version));
}

/** What kafkajs's OffsetFetch decoder of `version` returns for `answer`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, answer: OffsetFetchResponse): Record<string, unknown> {
  const throttle = version >= 4 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 3 ? { throttleTime: answer.throttleTimeMs } : {};
  return {
    ...throttle,
    responses: answer.topics.map(({ name, partitions }) => ({
      topic: name,
      partitions: partitions.map(({ partitionIndex, committedOffset, metadata, errorCode }) => ({
        partition: partitionIndex,
        offset: committedOffset.toString(),
        metadata,
        errorCode,
      })),
    })),
    ...(version >= 2 ? { errorCode: answer.errorCode } : {}),
  };
}

describe('OffsetFetch request', () => {
  for (const version of kafkajsVersions) {
    it(`decodes kafkajs's v${version} request: group and every partition of two topics`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 9, requestApiVersion: version, correlationId: 90 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(everyField));
    });
  }

  it('decodes a v0 request built by the schema, which has the bytes of v1', async () => {
    const topic = (name: string, partitions: number[]) => new KafkajsEncoder().writeString(name).writeArray(partitions, 'int32');
    const body = new KafkajsEncoder().writeString('payments-consumers').writeArray([topic('orders', [0, 3]), topic('payments', [1])]).buffer;
    expect(decodeOffsetFetchRequest(new ByteReader(body), 0)).toEqual(asDecodedRequest(everyField));
    const { frame } = await decodeKafkajsRequest(1, everyField);
    expect(decodeRequestFrame(frame).body.buffer.subarray(-body.length)).toEqual(body);
  });

  it('reads null topics (all of the group\'s) from v2, which kafkajs v3+ sends for an empty list, and refuses them in v0-v1', async () => {
    const empty = { ...everyField, topics: [] };
    expect((await decodeKafkajsRequest(2, empty)).request.topics).toEqual([]);
    expect((await decodeKafkajsRequest(3, empty)).request.topics).toBeNull();
    const nullTopics = new KafkajsEncoder().writeString('g').writeInt32(-1).buffer;
    expect(decodeOffsetFetchRequest(new ByteReader(nullTopics), 2).topics).toBeNull();
    expect(wireErrorOf(() => decodeOffsetFetchRequest(new ByteReader(nullTopics), 1)).field).toBe('topics (array)');
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(4, everyField);
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeOffsetFetchRequest(cut, 4));
    expect([error.field, error.offset]).toEqual(['topics[].partitionIndexes[] (int32)', frame.length - 4]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeOffsetFetchRequest(padded, 4)).toThrow(`cannot read OffsetFetchRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-4', () => {
    expect(() => decodeOffsetFetchRequest(new ByteReader(Buffer.alloc(0)), 5)).toThrow(ArgumentError);
  });
});

describe('OffsetFetch response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 900 + version);
      const protocol = kafkajsProtocol('OffsetFetch', Math.max(version, 1), everyField);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(protocol, frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(900 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes the versions the schema calls identical identically, and every other step differently', () => {
    const bodies = versions.map((version) => encodeOffsetFetchResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, version) => version > 0 && body === bodies[version - 1]);
    expect(sameAsPrevious).toEqual([false, true, false, false, true]);
  });

  it('encodes v3 byte for byte as the schema lays it out', () => {
    const body = encodeOffsetFetchResponse(
      { throttleTimeMs: 5, topics: [{ name: 't', partitions: [{ partitionIndex: 2, committedOffset: 7n, metadata: null, errorCode: 0 }] }], errorCode: 16 },
      3,
    );
    expect(body.toString('hex')).toBe('00000005' + '00000001' + '000174' + '00000001' + '00000002' + '0000000000000007' + 'ffff' + '0000' + '0010');
  });

  it('makes kafkajs throw on a top-level 16 (v2+), which it still calls NOT_COORDINATOR_FOR_GROUP, and UNKNOWN_TOPIC_OR_PARTITION on a partition 3 (v1)', async () => {
    const notCoordinator = { ...response, topics: [], errorCode: 16 };
    const v2 = kafkajsProtocol('OffsetFetch', 2, everyField);
    expect(await v2.response.decode(frameOf(notCoordinator, 2).subarray(8))).toEqual({ responses: [], errorCode: 16 });
    await expect(kafkajsReadResponse(v2, frameOf(notCoordinator, 2))).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    const unknown = { ...response, topics: [{ name: 'gone', partitions: [{ partitionIndex: 0, committedOffset: -1n, metadata: null, errorCode: 3 }] }] };
    await expect(kafkajsReadResponse(kafkajsProtocol('OffsetFetch', 1, everyField), frameOf(unknown, 1))).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('refuses versions outside 0-4', () => {
    expect(() => encodeOffsetFetchResponse(response, 5)).toThrow('encodeOffsetFetchResponse: apiVersion must be an integer from 0 to 4, got 5');
  });
});
