import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeCreateTopicsRequest, type CreateTopicsRequest } from '../../../src/protocol/wire/createTopicsRequest.ts';
import { encodeCreateTopicsResponse, type CreateTopicsResponse } from '../../../src/protocol/wire/createTopicsResponse.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [0, 1, 2, 3];

interface KafkajsCreateTopicsArgs {
  topics: {
    topic: string;
    numPartitions?: number;
    replicationFactor?: number;
    replicaAssignment?: { partition: number; replicas: number[] }[];
    configEntries?: { name: string; value: string | null }[];
  }[];
  validateOnly?: boolean;
  timeout?: number;
}

const everyField: KafkajsCreateTopicsArgs = {
  topics: [
    {
      topic: 'orders',
      numPartitions: 6,
      replicationFactor: 3,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'retention.ms', value: null },
      ],
    },
    {
      topic: 'payments',
      replicaAssignment: [
        { partition: 0, replicas: [1, 2, 3] },
        { partition: 1, replicas: [2, 3, 1] },
      ],
    },
  ],
  validateOnly: true,
  timeout: 30_000,
};

async function decodeKafkajsRequest(version: number, args: KafkajsCreateTopicsArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('CreateTopics', version, args), { correlationId: 190 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeCreateTopicsRequest(body, version) };
}

/** What decodeCreateTopicsRequest of `version` reads from kafkajs's request built with `args`. */
function asDecodedRequest(version: number, args: KafkajsCreateTopicsArgs): CreateTopicsRequest {
  return {
    topics: args.topics.map(({ topic, numPartitions, replicationFactor, replicaAssignment, configEntries }) => ({
      name: topic,
      numPartitions: numPartitions ?? -1,
      replicationFactor: replicationFactor ?? -1,
      assignments: (replicaAssignment ?? []).map(({ partition, replicas }) => ({ partitionIndex: partition, brokerIds: replicas })),
      configs: configEntries ?? [],
    })),
    timeoutMs: args.timeout ?? 5000,
    validateOnly: version >= 1 ? (args.validateOnly ?? false) : false,
  };
}

// Out of name order on purpose: kafkajs sorts the topics it decodes by name.
const response: CreateTopicsResponse = {
  throttleTimeMs: 45,
  topics: [
    { name: 'payments', errorCode: 0, errorMessage: null },
    { name: 'orders', errorCode: 0, errorMessage: 'created' },
  ],
};

function frameOf(answer: CreateTopicsResponse, version: number, correlationId = 1): Buffer {
  return encodeResponseFrame({ apiKey: 19, apiVersion: version, correlationId }, encodeCreateTopicsResponse(answer, version));
}

/** What kafkajs's CreateTopics decoder of `version` returns for `answer`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, answer: CreateTopicsResponse): Record<string, unknown> {
  const throttle = version >= 3 ? { throttleTime: 0, clientSideThrottleTime: answer.throttleTimeMs } : version >= 2 ? { throttleTime: answer.throttleTimeMs } : {};
  const topicErrors = answer.topics
    .map(({ name, errorCode, errorMessage }) => (version >= 1 ? { topic: name, errorCode, errorMessage } : { topic: name, errorCode }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
  return { ...throttle, topicErrors };
}

describe('CreateTopics request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: every field of that version, counts or assignments, a null config`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 19, requestApiVersion: version, correlationId: 190 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(version, everyField));
    });
  }

  it("decodes kafkajs's defaults: -1 partitions and replicas (the broker's), 5000 ms, validate_only false", async () => {
    const { request } = await decodeKafkajsRequest(1, { topics: [{ topic: 'logs' }] });
    expect(request).toEqual({
      topics: [{ name: 'logs', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
  });

  it('reads validate_only from v1 only', async () => {
    const v0 = await decodeKafkajsRequest(0, everyField);
    const v1 = await decodeKafkajsRequest(1, everyField);
    expect([v0.request.validateOnly, v1.request.validateOnly]).toEqual([false, true]);
    expect(v1.frame.length - v0.frame.length).toBe(1);
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(1, everyField);
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    const error = wireErrorOf(() => decodeCreateTopicsRequest(cut, 1));
    expect([error.field, error.offset]).toEqual(['validateOnly (boolean)', frame.length - 1]);
    const v0 = (await decodeKafkajsRequest(0, everyField)).frame;
    // v0 ends with the last broker id (4 bytes), the empty configs of payments (4) and timeoutMs (4).
    const { body: cutV0 } = decodeRequestFrame(v0.subarray(0, v0.length - 9));
    expect(wireErrorOf(() => decodeCreateTopicsRequest(cutV0, 0)).field).toBe('topics[].assignments[].brokerIds[] (int32)');
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeCreateTopicsRequest(padded, 1)).toThrow(`cannot read CreateTopicsRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 0-3', () => {
    expect(() => decodeCreateTopicsRequest(new ByteReader(Buffer.alloc(0)), 4)).toThrow(ArgumentError);
  });
});

describe('CreateTopics response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = frameOf(response, version, 1900 + version);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(kafkajsProtocol('CreateTopics', version, everyField), frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(1900 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  it('encodes the versions the schema calls identical identically, and every other step differently', () => {
    const bodies = versions.map((version) => encodeCreateTopicsResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, version) => version > 0 && body === bodies[version - 1]);
    expect(sameAsPrevious).toEqual([false, false, false, true]);
  });

  it('encodes v2 byte for byte as the schema lays it out', () => {
    const body = encodeCreateTopicsResponse({ throttleTimeMs: 5, topics: [{ name: 't', errorCode: 36, errorMessage: null }] }, 2);
    expect(body.toString('hex')).toBe('00000005' + '00000001' + '000174' + '0024' + 'ffff');
  });

  it('makes kafkajs throw an aggregate of per-topic errors, TOPIC_ALREADY_EXISTS on 36', async () => {
    const protocol = kafkajsProtocol('CreateTopics', 3, everyField);
    const exists = { ...response, topics: [{ name: 'orders', errorCode: 36, errorMessage: "Topic 'orders' already exists." }, { name: 'payments', errorCode: 0, errorMessage: null }] };
    expect(await protocol.response.decode(frameOf(exists, 3).subarray(8))).toEqual(asKafkajsDecodes(3, exists));
    await expect(kafkajsReadResponse(protocol, frameOf(exists, 3))).rejects.toMatchObject({
      name: 'KafkaJSAggregateError',
      errors: [{ name: 'KafkaJSCreateTopicError', topic: 'orders', type: 'TOPIC_ALREADY_EXISTS' }],
    });
  });

  it('refuses versions outside 0-3', () => {
    expect(() => encodeCreateTopicsResponse(response, 4)).toThrow('encodeCreateTopicsResponse: apiVersion must be an integer from 0 to 3, got 4');
  });
});
