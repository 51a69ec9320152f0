import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeMetadataRequest } from '../../../src/protocol/wire/metadataRequest.ts';
import { encodeMetadataResponse, type MetadataResponse } from '../../../src/protocol/wire/metadataResponse.ts';
import { KafkajsEncoder, kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';

const versions = [0, 1, 2, 3, 4, 5, 6];

async function decodeKafkajsRequest(version: number, args: { topics: string[]; allowAutoTopicCreation?: boolean }) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('Metadata', version, args), { correlationId: 40 + version }));
  const { header, body } = decodeRequestFrame(frames[0] as Buffer);
  return { header, bodyBytes: body.buffer.subarray(body.offset), request: decodeMetadataRequest(body, version) };
}

const response: MetadataResponse = {
  throttleTimeMs: 120,
  brokers: [
    { nodeId: 1, host: 'broker-1', port: 9092, rack: 'eu-west-1a' },
    { nodeId: 2, host: 'broker-2', port: 9093, rack: null },
  ],
  clusterId: 'sim-cluster',
  controllerId: 2,
  topics: [
    {
      errorCode: 0,
      name: 'orders',
      isInternal: false,
      partitions: [
        { errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1, 2], isrNodes: [1, 2], offlineReplicas: [] },
        { errorCode: 0, partitionIndex: 1, leaderId: 2, replicaNodes: [2, 1], isrNodes: [2], offlineReplicas: [1] },
      ],
    },
    {
      errorCode: 0,
      name: '__consumer_offsets',
      isInternal: true,
      partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: -1, replicaNodes: [3], isrNodes: [], offlineReplicas: [3] }],
    },
  ],
};

/** What kafkajs's Metadata decoder of `version` returns for `response`: its field names, its version's fields. */
function asKafkajsDecodes(version: number): Record<string, unknown> {
  const throttle = version >= 6 ? { throttleTime: 0, clientSideThrottleTime: 120 } : version >= 3 ? { throttleTime: 120 } : {};
  return {
    ...throttle,
    brokers: response.brokers.map(({ nodeId, host, port, rack }) => (version >= 1 ? { nodeId, host, port, rack } : { nodeId, host, port })),
    ...(version >= 2 ? { clusterId: response.clusterId } : {}),
    ...(version >= 1 ? { controllerId: response.controllerId } : {}),
    topicMetadata: response.topics.map((topic) => ({
      topicErrorCode: topic.errorCode,
      topic: topic.name,
      ...(version >= 1 ? { isInternal: topic.isInternal } : {}),
      partitionMetadata: topic.partitions.map((p) => ({
        partitionErrorCode: p.errorCode,
        partitionId: p.partitionIndex,
        leader: p.leaderId,
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        ...(version >= 5 ? { offlineReplicas: p.offlineReplicas } : {}),
      })),
    })),
  };
}

describe('Metadata request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request for two topics`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, { topics: ['orders', 'payments'] });
      expect(header).toEqual({ requestApiKey: 3, requestApiVersion: version, correlationId: 40 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual({ topics: [{ name: 'orders' }, { name: 'payments' }], allowAutoTopicCreation: true });
    });

    it(`decodes kafkajs's v${version} request for all topics as topics: null`, async () => {
      const { request } = await decodeKafkajsRequest(version, { topics: [] });
      expect(request.topics).toBeNull();
    });
  }

  it('sees that kafkajs asks for all topics with an empty array in v0 and a null array (-1) from v1', async () => {
    expect((await decodeKafkajsRequest(0, { topics: [] })).bodyBytes.toString('hex')).toBe('00000000');
    expect((await decodeKafkajsRequest(1, { topics: [] })).bodyBytes.toString('hex')).toBe('ffffffff');
  });

  for (const version of [4, 5, 6]) {
    it(`decodes allow_auto_topic_creation = false from kafkajs's v${version} request`, async () => {
      const { request } = await decodeKafkajsRequest(version, { topics: ['orders'], allowAutoTopicCreation: false });
      expect(request).toEqual({ topics: [{ name: 'orders' }], allowAutoTopicCreation: false });
    });
  }

  it('keeps an empty array from v1 on as "no topics", apart from null', () => {
    const body = new ByteReader(new KafkajsEncoder().writeInt32(0).buffer);
    expect(decodeMetadataRequest(body, 1)).toEqual({ topics: [], allowAutoTopicCreation: true });
  });

  it('rejects a null topic array in v0, where the schema does not allow it', () => {
    const body = new ByteReader(new KafkajsEncoder().writeInt32(-1).buffer);
    expect(() => decodeMetadataRequest(body, 0)).toThrow('cannot read topics (array) at offset 0: null');
  });

  it('names the topic field that is cut short', () => {
    const body = new ByteReader(new KafkajsEncoder().writeInt32(1).writeInt16(6).writeInt8(0x6f).buffer);
    expect(() => decodeMetadataRequest(body, 4)).toThrow('cannot read topics[].name (string) at offset 4: truncated, needs 6 bytes but 1 remain');
  });

  it('refuses versions outside 0-6', () => {
    expect(() => decodeMetadataRequest(new ByteReader(Buffer.alloc(4)), 7)).toThrow(ArgumentError);
  });
});

describe('Metadata response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = encodeResponseFrame({ apiKey: 3, apiVersion: version, correlationId: 900 + version }, encodeMetadataResponse(response, version));
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('Metadata', version, { topics: [] }), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(900 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version));
      expect(parsed).toEqual(decoded);
    });
  }

  // kafkajs's decoders never check that they consumed every byte, so a field written in one version too many at
  // the very end would go unseen above. The schema says which versions are alike; the bytes must say the same.
  it('encodes the versions the schema calls identical identically, and every other step differently', () => {
    const bodies = versions.map((version) => encodeMetadataResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, version) => version > 0 && body === bodies[version - 1]);
    expect(sameAsPrevious).toEqual([false, false, false, false, true, false, true]);
  });

  it('encodes v0 byte for byte as the schema lays it out', () => {
    const body = encodeMetadataResponse(
      {
        throttleTimeMs: 0,
        brokers: [{ nodeId: 1, host: 'b', port: 9092, rack: null }],
        clusterId: null,
        controllerId: 1,
        topics: [{ errorCode: 0, name: 't', isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }] }],
      },
      0,
    );
    const broker = '00000001' + '000162' + '00002384';
    const partition = '0000' + '00000000' + '00000001' + '0000000100000001' + '0000000100000001';
    expect(body.toString('hex')).toBe('00000001' + broker + '00000001' + '0000' + '000174' + '00000001' + partition);
  });

  it('writes null for a missing rack and cluster id, which kafkajs reads as null', async () => {
    const anonymous = { ...response, clusterId: null, brokers: [{ nodeId: 1, host: 'b', port: 1, rack: null }] };
    const frame = encodeResponseFrame({ apiKey: 3, apiVersion: 2, correlationId: 1 }, encodeMetadataResponse(anonymous, 2));
    const { decoded } = await kafkajsReadResponse(kafkajsProtocol('Metadata', 2, { topics: [] }), frame);
    expect(decoded.clusterId).toBeNull();
    expect(decoded.brokers[0].rack).toBeNull();
  });

  it("carries topic and partition error codes to kafkajs's error types", async () => {
    const protocol = kafkajsProtocol('Metadata', 6, { topics: [] });
    const unknownTopic = { ...response, topics: [{ errorCode: 3, name: 'nope', isInternal: false, partitions: [] }] };
    const frame = encodeResponseFrame({ apiKey: 3, apiVersion: 6, correlationId: 1 }, encodeMetadataResponse(unknownTopic, 6));
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });

    const leaderless = structuredClone(response);
    leaderless.topics[0]!.partitions[1] = { ...leaderless.topics[0]!.partitions[1]!, errorCode: 5, leaderId: -1 };
    const second = encodeResponseFrame({ apiKey: 3, apiVersion: 6, correlationId: 2 }, encodeMetadataResponse(leaderless, 6));
    await expect(kafkajsReadResponse(protocol, second)).rejects.toMatchObject({ type: 'LEADER_NOT_AVAILABLE' });
  });

  it('refuses versions outside 0-6', () => {
    expect(() => encodeMetadataResponse(response, 7)).toThrow(ArgumentError);
  });
});
