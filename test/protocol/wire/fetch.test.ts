// Longer than most test files: eight request and eight response versions against kafkajs, plus the nullable
// fields (aborted transactions, records) whose null kafkajs reads as empty, so only the bytes can tell them apart.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeFetchRequest, type FetchRequest } from '../../../src/protocol/wire/fetchRequest.ts';
import { encodeFetchResponse, type FetchResponse } from '../../../src/protocol/wire/fetchResponse.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import type { RecordBatch } from '../../../src/protocol/wire/recordBatch.ts';
import { kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [4, 5, 6, 7, 8, 9, 10, 11];

/** The arguments kafkajs's Fetch request takes (src/protocol/requests/fetch/index.js); int64s as bigint. */
interface KafkajsFetchArgs {
  replicaId?: number;
  isolationLevel?: number;
  sessionId?: number;
  sessionEpoch?: number;
  forgottenTopics?: { topic: string; partitions: number[] }[];
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  rackId?: string;
  topics: {
    topic: string;
    partitions: { partition: number; currentLeaderEpoch?: number; fetchOffset: bigint; logStartOffset?: bigint; maxBytes: number }[];
  }[];
}

async function decodeKafkajsRequest(version: number, args: KafkajsFetchArgs) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('Fetch', version, args), { correlationId: 60 + version }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeFetchRequest(body, version) };
}

// A follower-like fetch with every field away from its default, so that a field read in the wrong version shows.
const everyField: KafkajsFetchArgs = {
  replicaId: 3,
  isolationLevel: 0,
  sessionId: 123_456,
  sessionEpoch: 9,
  forgottenTopics: [
    { topic: 'old', partitions: [0, 5] },
    { topic: 'gone', partitions: [] },
  ],
  maxWaitTime: 500,
  minBytes: 1,
  maxBytes: 52_428_800,
  rackId: 'eu-west-1b',
  topics: [
    {
      topic: 'orders',
      partitions: [
        { partition: 0, currentLeaderEpoch: 7, fetchOffset: 5_000_000_000n, logStartOffset: 100n, maxBytes: 1_048_576 },
        { partition: 2, currentLeaderEpoch: 8, fetchOffset: 0n, logStartOffset: 0n, maxBytes: 65_536 },
      ],
    },
    { topic: 'payments', partitions: [{ partition: 1, currentLeaderEpoch: 0, fetchOffset: 42n, logStartOffset: 40n, maxBytes: 1 }] },
  ],
};

/** What decodeFetchRequest returns for `args` in `version`: fields the version lacks take the schema's default. */
function asDecodedRequest(version: number, args: KafkajsFetchArgs): FetchRequest {
  const hasSession = version >= 7;
  return {
    replicaId: args.replicaId ?? -1,
    maxWaitMs: args.maxWaitTime,
    minBytes: args.minBytes,
    maxBytes: args.maxBytes,
    isolationLevel: args.isolationLevel ?? 1,
    sessionId: hasSession ? (args.sessionId ?? 0) : 0,
    sessionEpoch: hasSession ? (args.sessionEpoch ?? -1) : -1,
    topics: args.topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((p) => ({
        partition: p.partition,
        currentLeaderEpoch: version >= 9 ? (p.currentLeaderEpoch ?? -1) : -1,
        fetchOffset: p.fetchOffset,
        logStartOffset: version >= 5 ? (p.logStartOffset ?? -1n) : -1n,
        partitionMaxBytes: p.maxBytes,
      })),
    })),
    forgottenTopicsData: hasSession ? (args.forgottenTopics ?? []) : [],
    rackId: version >= 11 ? (args.rackId ?? '') : '',
  };
}

describe('Fetch request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: every field set, two topics, three partitions, two forgotten topics`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, everyField);
      expect(header).toEqual({ requestApiKey: 1, requestApiVersion: version, correlationId: 60 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(version, everyField));
    });
  }

  it("decodes a consumer's v11 request with kafkajs's defaults: replica -1, READ_COMMITTED, no session, no rack", async () => {
    const consumer: KafkajsFetchArgs = {
      maxWaitTime: 5_000,
      minBytes: 1,
      maxBytes: 10_485_760,
      topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: 7n, maxBytes: 1_048_576 }] }],
    };
    const { request } = await decodeKafkajsRequest(11, consumer);
    expect(request).toEqual({
      replicaId: -1,
      maxWaitMs: 5_000,
      minBytes: 1,
      maxBytes: 10_485_760,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 7n, logStartOffset: -1n, partitionMaxBytes: 1_048_576 }] }],
      forgottenTopicsData: [],
      rackId: '',
    });
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const { frame } = await decodeKafkajsRequest(11, everyField);
    // rackId is the last field: 2 bytes of length and 10 of "eu-west-1b".
    const { body: cutRack } = decodeRequestFrame(frame.subarray(0, frame.length - 1));
    expect([wireErrorOf(() => decodeFetchRequest(cutRack, 11)).field]).toEqual(['rackId (string)']);
    const v9 = (await decodeKafkajsRequest(9, everyField)).frame;
    // forgottenTopicsData of v9: [old: 0, 5], [gone: none] takes 4 + (2+3+4+8) + (2+4+4) = 31 bytes, and the last
    // partition of the last topic ends with the 4 bytes of partitionMaxBytes before it.
    const { body: cutPartition } = decodeRequestFrame(v9.subarray(0, v9.length - 31 - 1));
    const error = wireErrorOf(() => decodeFetchRequest(cutPartition, 9));
    expect([error.field, error.offset]).toEqual(['topics[].partitions[].partitionMaxBytes (int32)', v9.length - 31 - 4]);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeFetchRequest(padded, 11)).toThrow(`cannot read FetchRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 4-11, which carry older message sets or are flexible', () => {
    expect(() => decodeFetchRequest(new ByteReader(Buffer.alloc(0)), 3)).toThrow(ArgumentError);
    expect(() => decodeFetchRequest(new ByteReader(Buffer.alloc(0)), 12)).toThrow('decodeFetchRequest: apiVersion must be an integer from 4 to 11, got 12');
  });
});

const t0 = 1_700_000_000_000n;

function batch(baseOffset: bigint, values: (string | null)[], overrides: Partial<RecordBatch> = {}): RecordBatch {
  return {
    baseOffset,
    partitionLeaderEpoch: 4,
    compression: 'none',
    timestampType: 'CreateTime',
    isTransactional: false,
    isControlBatch: false,
    hasDeleteHorizonMs: false,
    lastOffsetDelta: values.length - 1,
    baseTimestamp: t0,
    maxTimestamp: t0 + BigInt(10 * (values.length - 1)),
    producerId: -1n,
    producerEpoch: -1,
    baseSequence: -1,
    records: values.map((value, i) => ({
      attributes: 0,
      timestampDelta: BigInt(10 * i),
      offsetDelta: i,
      key: i === 0 ? null : Buffer.from(`k${i}`),
      value: value === null ? null : Buffer.from(value),
      headers: i === 1 ? [{ key: 'trace', value: Buffer.from('abc') }] : [],
    })),
    ...overrides,
  };
}

// Two batches in one partition, one transactional batch in another, and the nullable fields both ways.
const response: FetchResponse = {
  throttleTimeMs: 25,
  errorCode: 0,
  sessionId: 987_654,
  responses: [
    {
      topic: 'orders',
      partitions: [
        {
          partitionIndex: 0,
          errorCode: 0,
          highWatermark: 5_000_000_010n,
          lastStableOffset: 5_000_000_008n,
          logStartOffset: 100n,
          abortedTransactions: null,
          preferredReadReplica: -1,
          records: [batch(5_000_000_000n, ['a', 'b', null]), batch(5_000_000_003n, ['c'])],
        },
        {
          partitionIndex: 2,
          errorCode: 0,
          highWatermark: 0n,
          lastStableOffset: 0n,
          logStartOffset: 0n,
          abortedTransactions: [],
          preferredReadReplica: 2,
          records: [],
        },
      ],
    },
    {
      topic: 'payments',
      partitions: [
        {
          partitionIndex: 1,
          errorCode: 0,
          highWatermark: 44n,
          lastStableOffset: 40n,
          logStartOffset: 40n,
          abortedTransactions: [
            { producerId: 4_000_000_000n, firstOffset: 40n },
            { producerId: 7n, firstOffset: 41n },
          ],
          preferredReadReplica: 3,
          records: [batch(42n, ['paid', 'refunded'], { isTransactional: true, producerId: 4_000_000_001n, producerEpoch: 2, baseSequence: 5 })],
        },
      ],
    },
  ],
};

/** A record as kafkajs's Fetch decoder returns it, less its batchContext, for a record of `batches`. */
function asKafkajsRecords(batches: RecordBatch[] | null) {
  return (batches ?? []).flatMap((b) =>
    b.records.map((record) => ({
      magicByte: 2,
      attributes: 0,
      timestamp: String(b.baseTimestamp + record.timestampDelta),
      offset: String(b.baseOffset + BigInt(record.offsetDelta)),
      key: record.key,
      value: record.value,
      headers: Object.fromEntries(record.headers.map((h) => [h.key, h.value])),
      isControlRecord: false,
    })),
  );
}

/** What kafkajs's Fetch decoder of `version` returns for `encoded`: its field names (its typo included), its version's fields. */
function asKafkajsDecodes(version: number, encoded: FetchResponse): Record<string, unknown> {
  const throttle = version >= 8 ? { throttleTime: 0, clientSideThrottleTime: encoded.throttleTimeMs } : { throttleTime: encoded.throttleTimeMs };
  return {
    ...throttle,
    ...(version >= 7 ? { errorCode: encoded.errorCode, sessionId: encoded.sessionId } : {}),
    responses: encoded.responses.map((topic) => ({
      topicName: topic.topic,
      partitions: topic.partitions.map((p) => ({
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        highWatermark: String(p.highWatermark),
        lastStableOffset: String(p.lastStableOffset),
        // kafkajs names log_start_offset "lastStartOffset" in every version from v5.
        ...(version >= 5 ? { lastStartOffset: String(p.logStartOffset) } : {}),
        // kafkajs reads a null array as empty.
        abortedTransactions: (p.abortedTransactions ?? []).map((t) => ({ producerId: String(t.producerId), firstOffset: String(t.firstOffset) })),
        ...(version >= 11 ? { preferredReadReplica: p.preferredReadReplica } : {}),
        messages: asKafkajsRecords(p.records),
      })),
    })),
  };
}

/** kafkajs's decoded response with each record's batchContext set aside, so that the rest compares as data. */
function withoutBatchContext(decoded: any): { rest: unknown; contexts: any[] } {
  const contexts: any[] = [];
  const responses = decoded.responses.map((topic: any) => ({
    ...topic,
    partitions: topic.partitions.map((p: any) => ({
      ...p,
      messages: p.messages.map(({ batchContext, ...record }: any) => {
        contexts.push(batchContext);
        return record;
      }),
    })),
  }));
  return { rest: { ...decoded, responses }, contexts };
}

describe('Fetch response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field and record of that version`, async () => {
      const frame = encodeResponseFrame({ apiKey: 1, apiVersion: version, correlationId: 800 + version }, encodeFetchResponse(response, version));
      const protocol = kafkajsProtocol('Fetch', version, everyField);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(protocol, frame);
      expect([size, correlationId]).toEqual([frame.length - 4, 800 + version]);
      const { rest } = withoutBatchContext(decoded);
      expect(rest).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toBe(decoded);
    });
  }

  it('writes the batch fields that kafkajs hands each record as its batchContext', async () => {
    const frame = encodeResponseFrame({ apiKey: 1, apiVersion: 11, correlationId: 1 }, encodeFetchResponse(response, 11));
    const { decoded } = await kafkajsReadResponse(kafkajsProtocol('Fetch', 11, everyField), frame);
    const { contexts } = withoutBatchContext(decoded);
    const summary = contexts.map((c) => [c.firstOffset, c.lastOffsetDelta, c.partitionLeaderEpoch, c.inTransaction, c.producerId, c.producerEpoch, c.firstSequence, c.maxTimestamp]);
    const orders0 = ['5000000000', 2, 4, false, '-1', -1, -1, String(t0 + 20n)];
    const orders1 = ['5000000003', 0, 4, false, '-1', -1, -1, String(t0)];
    const payments = ['42', 1, 4, true, '4000000001', 2, 5, String(t0 + 10n)];
    expect(summary).toEqual([orders0, orders0, orders0, orders1, payments, payments]);
  });

  // kafkajs's decoders never check that they consumed every byte, so a field written in one version too many at
  // the very end would go unseen above. The schema says which versions are alike; the bytes must say the same.
  it('encodes the versions the schema calls identical identically, and v5, v7 and v11 differently', () => {
    const bodies = versions.map((version) => encodeFetchResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, i) => i > 0 && body === bodies[i - 1]);
    expect(sameAsPrevious).toEqual([false, false, true, false, true, true, true, false]);
  });

  it('encodes v11 byte for byte as the schema lays it out: null aborted transactions, null and empty records', () => {
    const partition = (records: RecordBatch[] | null, abortedTransactions: FetchResponse['responses'][0]['partitions'][0]['abortedTransactions']) => ({
      partitionIndex: 1,
      errorCode: 1,
      highWatermark: 9n,
      lastStableOffset: 8n,
      logStartOffset: 2n,
      abortedTransactions,
      preferredReadReplica: -1,
      records,
    });
    const body = encodeFetchResponse(
      { throttleTimeMs: 3, errorCode: 70, sessionId: 5, responses: [{ topic: 't', partitions: [partition(null, null), partition([], [{ producerId: 6n, firstOffset: 7n }])] }] },
      11,
    );
    const head = '00000001' + '0001' + '0000000000000009' + '0000000000000008' + '0000000000000002';
    const nullPartition = head + 'ffffffff' + 'ffffffff' + 'ffffffff';
    const emptyPartition = head + '00000001' + '0000000000000006' + '0000000000000007' + 'ffffffff' + '00000000';
    expect(body.toString('hex')).toBe('00000003' + '0046' + '00000005' + '00000001' + '000174' + '00000002' + nullPartition + emptyPartition);
  });

  it("carries each partition's error code to kafkajs, whose parser throws the first one as its error type", async () => {
    const protocol = kafkajsProtocol('Fetch', 11, everyField);
    // structuredClone would turn the record Buffers into Uint8Arrays, so the partitions are copied by hand.
    const [orders, payments] = response.responses as [FetchResponse['responses'][0], FetchResponse['responses'][0]];
    const orders0 = { ...orders.partitions[0]!, errorCode: 1, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: null };
    const orders2 = { ...orders.partitions[1]!, errorCode: 6, records: null };
    const failed: FetchResponse = { ...response, responses: [{ topic: orders.topic, partitions: [orders0, orders2] }, payments] };
    const frame = encodeResponseFrame({ apiKey: 1, apiVersion: 11, correlationId: 1 }, encodeFetchResponse(failed, 11));
    const decoded = await protocol.response.decode(frame.subarray(8));
    const outcomes = decoded.responses.flatMap((topic: any) => topic.partitions.map((p: any) => [p.partition, p.errorCode, p.highWatermark, p.messages.length]));
    expect(outcomes).toEqual([
      [0, 1, '-1', 0],
      [2, 6, '0', 0],
      [1, 0, '44', 2],
    ]);
    await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ name: 'KafkaJSOffsetOutOfRange', topic: 'orders', partition: 0 });
    orders0!.errorCode = 0;
    const onlyNotLeader = encodeResponseFrame({ apiKey: 1, apiVersion: 11, correlationId: 1 }, encodeFetchResponse(failed, 11));
    await expect(kafkajsReadResponse(protocol, onlyNotLeader)).rejects.toMatchObject({ type: 'NOT_LEADER_FOR_PARTITION' });
  });

  it('refuses versions outside 4-11', () => {
    expect(() => encodeFetchResponse(response, 12)).toThrow(ArgumentError);
    expect(() => encodeFetchResponse(response, 3)).toThrow('encodeFetchResponse: apiVersion must be an integer from 4 to 11, got 3');
  });
});
