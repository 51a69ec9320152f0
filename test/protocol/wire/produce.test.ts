// Longer than most test files: five request and five response versions against kafkajs, plus the records field's
// edge cases (several batches, null, corrupt) that only a hand-built request reaches.
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { decodeProduceRequest } from '../../../src/protocol/wire/produceRequest.ts';
import { encodeProduceResponse, type ProduceResponse } from '../../../src/protocol/wire/produceResponse.ts';
import type { RecordBatch } from '../../../src/protocol/wire/recordBatch.ts';
import { KafkajsEncoder, kafkajsProtocol, kafkajsReadResponse, kafkajsRequestFrame } from './kafkajs.ts';
import { kafkajsRecord, kafkajsRecordBatch, type KafkajsHeaders } from './kafkajsRecordBatch.ts';
import { wireErrorOf } from './wireErrorOf.ts';

const versions = [3, 4, 5, 6, 7];

/** A message as kafkajs's Produce request takes it (src/protocol/requests/produce/v3/request.js). */
interface KafkajsMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  timestamp: number;
  headers?: KafkajsHeaders;
}

interface KafkajsProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: bigint;
  producerEpoch?: number;
  topicData: { topic: string; partitions: { partition: number; firstSequence?: number; messages: KafkajsMessage[] }[] }[];
}

async function decodeKafkajsRequest(version: number, args: KafkajsProduceArgs, correlationId = 50 + version) {
  const { frames } = readFrames(await kafkajsRequestFrame(kafkajsProtocol('Produce', version, args), { correlationId }));
  const frame = frames[0] as Buffer;
  const { header, body } = decodeRequestFrame(frame);
  return { frame, header, request: decodeProduceRequest(body, version) };
}

const t0 = 1_700_000_000_000;

// A transactional, idempotent producer writing to two topics, three partitions.
const transactional: KafkajsProduceArgs = {
  acks: -1,
  timeout: 30_000,
  transactionalId: 'checkout-tx',
  producerId: 4_000_000_000n,
  producerEpoch: 3,
  topicData: [
    {
      topic: 'orders',
      partitions: [
        {
          partition: 0,
          firstSequence: 17,
          messages: [
            { key: null, value: 'first', timestamp: t0 + 20 },
            { key: Buffer.from([0, 0xff]), value: Buffer.alloc(0), timestamp: t0, headers: { trace: 'abc', tag: ['x', 'y'] } },
            { key: 'k', value: null, timestamp: t0 + 250 },
          ],
        },
        { partition: 2, firstSequence: 0, messages: [{ key: 'only', value: 'one', timestamp: t0 + 1 }] },
      ],
    },
    { topic: 'payments', partitions: [{ partition: 1, firstSequence: 2_147_483_000, messages: [{ value: 'paid', timestamp: t0 }] }] },
  ],
};

const bytesOf = (value: string | Buffer | null | undefined): Buffer | null =>
  value === null || value === undefined ? null : Buffer.from(value);

/**
 * The batch kafkajs builds for one partition's messages: offsets from 0, timestamps relative to the smallest,
 * partitionLeaderEpoch 0, the transactional flag from the transactional id, producer fields as given.
 */
function asDecodedBatch(args: KafkajsProduceArgs, partition: { firstSequence?: number; messages: KafkajsMessage[] }): RecordBatch {
  const timestamps = partition.messages.map((message) => BigInt(message.timestamp));
  const baseTimestamp = timestamps.reduce((a, b) => (b < a ? b : a));
  return {
    baseOffset: 0n,
    partitionLeaderEpoch: 0,
    compression: 'none',
    timestampType: 'CreateTime',
    isTransactional: Boolean(args.transactionalId),
    isControlBatch: false,
    hasDeleteHorizonMs: false,
    lastOffsetDelta: partition.messages.length - 1,
    baseTimestamp,
    maxTimestamp: timestamps.reduce((a, b) => (b > a ? b : a)),
    producerId: args.producerId ?? -1n,
    producerEpoch: args.producerEpoch ?? 0,
    baseSequence: partition.firstSequence ?? 0,
    records: partition.messages.map((message, i) => ({
      attributes: 0,
      timestampDelta: BigInt(message.timestamp) - baseTimestamp,
      offsetDelta: i,
      key: bytesOf(message.key),
      value: bytesOf(message.value),
      headers: Object.entries(message.headers ?? {}).flatMap(([key, values]) =>
        (Array.isArray(values) ? values : [values]).map((value) => ({ key, value: Buffer.from(value) })),
      ),
    })),
  };
}

function asDecodedRequest(args: KafkajsProduceArgs) {
  return {
    transactionalId: args.transactionalId ?? null,
    acks: args.acks,
    timeoutMs: args.timeout,
    topicData: args.topicData.map(({ topic, partitions }) => ({
      name: topic,
      partitionData: partitions.map((partition) => ({ index: partition.partition, records: [asDecodedBatch(args, partition)] })),
    })),
  };
}

describe('Produce request', () => {
  for (const version of versions) {
    it(`decodes kafkajs's v${version} request: transactional and idempotent, two topics, three partitions, every record field`, async () => {
      const { header, request } = await decodeKafkajsRequest(version, transactional);
      expect(header).toEqual({ requestApiKey: 0, requestApiVersion: version, correlationId: 50 + version, clientId: 'kafkajs-client' });
      expect(request).toEqual(asDecodedRequest(transactional));
    });
  }

  it("decodes a plain producer's request: no transactional id, producerId -1, and kafkajs's epoch and sequence 0", async () => {
    const plain: KafkajsProduceArgs = { acks: 1, timeout: 5_000, topicData: [{ topic: 'logs', partitions: [{ partition: 3, messages: [{ value: 'line', timestamp: t0 }] }] }] };
    const { request } = await decodeKafkajsRequest(7, plain);
    expect(request).toEqual(asDecodedRequest(plain));
    // The Java producer sends producerEpoch -1 and baseSequence -1 here (RecordBatch.NO_PRODUCER_EPOCH, NO_SEQUENCE).
    const batch = request.topicData[0]?.partitionData[0]?.records?.[0];
    expect([batch?.producerId, batch?.producerEpoch, batch?.baseSequence, batch?.isTransactional]).toEqual([-1n, 0, 0, false]);
  });

  it('keeps acks=0 and the timeout as sent', async () => {
    const { request } = await decodeKafkajsRequest(5, { ...transactional, acks: 0, timeout: 1 });
    expect([request.acks, request.timeoutMs]).toEqual([0, 1]);
  });

  it('reads the negative timestampDelta kafkajs writes when its sort of timestamps as strings puts 10 before 9', async () => {
    const args: KafkajsProduceArgs = { acks: 1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'a', timestamp: 9 }, { value: 'b', timestamp: 10 }] }] }] };
    const batch = (await decodeKafkajsRequest(3, args)).request.topicData[0]?.partitionData[0]?.records?.[0];
    expect([batch?.baseTimestamp, batch?.maxTimestamp]).toEqual([10n, 9n]);
    expect(batch?.records.map((record) => record.timestampDelta)).toEqual([-1n, 0n]);
  });

  it("reads two batches in one partition's records field, which kafkajs never sends but the format allows", async () => {
    const batch = (firstOffset: bigint, value: string) =>
      kafkajsRecordBatch({ firstOffset, firstTimestamp: BigInt(t0), maxTimestamp: BigInt(t0), records: [kafkajsRecord({ value })] });
    const records = Buffer.concat([await batch(0n, 'one'), await batch(1n, 'two')]);
    const body = new KafkajsEncoder()
      .writeString(null)
      .writeInt16(-1)
      .writeInt32(1000)
      .writeInt32(1)
      .writeString('t')
      .writeInt32(1)
      .writeInt32(0)
      .writeBytes(records).buffer;
    const [partition] = decodeProduceRequest(new ByteReader(body), 3).topicData[0]?.partitionData ?? [];
    expect(partition?.records?.map((b) => [b.baseOffset, b.records[0]?.value?.toString()])).toEqual([
      [0n, 'one'],
      [1n, 'two'],
    ]);
  });

  it('reads a null records field as records: null', () => {
    const body = new KafkajsEncoder().writeString('tx').writeInt16(1).writeInt32(1000).writeInt32(1).writeString('t').writeInt32(1).writeInt32(4).writeBytes(null).buffer;
    expect(decodeProduceRequest(new ByteReader(body), 3)).toEqual({
      transactionalId: 'tx',
      acks: 1,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 4, records: null }] }],
    });
  });

  it('names the crc field of a corrupt batch at its offset in the frame', async () => {
    const args: KafkajsProduceArgs = { acks: 1, timeout: 1000, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'v', timestamp: t0 }] }] }] };
    const received = await kafkajsRequestFrame(kafkajsProtocol('Produce', 3, args), { clientId: 'c' });
    const corrupt = Buffer.from(received);
    corrupt[corrupt.length - 2] = 0x77; // the value "v" of the only record becomes "w"
    const { body } = decodeRequestFrame(readFrames(corrupt).frames[0] as Buffer);
    // Header 2+2+4+(2+1); transactional id 2, acks 2, timeout 4, topic array 4, name 2+1, partition array 4,
    // index 4, records size 4: the batch starts at 38, its crc 17 bytes in.
    const error = wireErrorOf(() => decodeProduceRequest(body, 3));
    expect([error.field, error.offset]).toEqual(['recordBatch.crc (uint32)', 38 + 17]);
  });

  it('names the field of a request cut short, and rejects bytes after the last field', async () => {
    const frame = (await decodeKafkajsRequest(4, transactional)).frame;
    const { body: cut } = decodeRequestFrame(frame.subarray(0, frame.length - 10));
    expect(() => decodeProduceRequest(cut, 4)).toThrow(/cannot read topicData\[\]\.partitionData\[\]\.records \(bytes\) at offset \d+: truncated/);
    const { body: padded } = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(() => decodeProduceRequest(padded, 4)).toThrow(`cannot read ProduceRequest at offset ${frame.length}: 1 bytes left over`);
  });

  it('refuses versions outside 3-7, which carry no RecordBatch v2 or are flexible', () => {
    expect(() => decodeProduceRequest(new ByteReader(Buffer.alloc(0)), 2)).toThrow(ArgumentError);
    expect(() => decodeProduceRequest(new ByteReader(Buffer.alloc(0)), 8)).toThrow('decodeProduceRequest: apiVersion must be an integer from 3 to 7, got 8');
  });
});

const response: ProduceResponse = {
  responses: [
    {
      name: 'orders',
      partitionResponses: [
        { index: 0, errorCode: 0, baseOffset: 1_000n, logAppendTimeMs: -1n, logStartOffset: 0n },
        { index: 2, errorCode: 0, baseOffset: 5_000_000_000n, logAppendTimeMs: 1_700_000_000_123n, logStartOffset: 4_000n },
      ],
    },
    { name: 'payments', partitionResponses: [{ index: 1, errorCode: 0, baseOffset: 7n, logAppendTimeMs: -1n, logStartOffset: 7n }] },
  ],
  throttleTimeMs: 80,
};

/** What kafkajs's Produce decoder of `version` returns for `produced`: its field names, its version's fields. */
function asKafkajsDecodes(version: number, produced: ProduceResponse): Record<string, unknown> {
  const throttle = version >= 6 ? { throttleTime: 0, clientSideThrottleTime: produced.throttleTimeMs } : { throttleTime: produced.throttleTimeMs };
  return {
    topics: produced.responses.map((topic) => ({
      topicName: topic.name,
      partitions: topic.partitionResponses.map((p) => ({
        partition: p.index,
        errorCode: p.errorCode,
        baseOffset: String(p.baseOffset),
        logAppendTime: String(p.logAppendTimeMs),
        ...(version >= 5 ? { logStartOffset: String(p.logStartOffset) } : {}),
      })),
    })),
    ...throttle,
  };
}

describe('Produce response', () => {
  for (const version of versions) {
    it(`encodes v${version} so that kafkajs's decoder and parser read back every field of that version`, async () => {
      const frame = encodeResponseFrame({ apiKey: 0, apiVersion: version, correlationId: 700 + version }, encodeProduceResponse(response, version));
      const protocol = kafkajsProtocol('Produce', version, transactional);
      const { size, correlationId, decoded, parsed } = await kafkajsReadResponse(protocol, frame);
      expect(size).toBe(frame.length - 4);
      expect(correlationId).toBe(700 + version);
      expect(decoded).toEqual(asKafkajsDecodes(version, response));
      expect(parsed).toEqual(decoded);
    });
  }

  // kafkajs's decoders never check that they consumed every byte, so a field written in one version too many at
  // the very end would go unseen above. The schema says which versions are alike; the bytes must say the same.
  it('encodes the versions the schema calls identical identically, and v5 (log_start_offset) differently', () => {
    const bodies = versions.map((version) => encodeProduceResponse(response, version).toString('hex'));
    const sameAsPrevious = bodies.map((body, i) => i > 0 && body === bodies[i - 1]);
    expect(sameAsPrevious).toEqual([false, true, false, true, true]);
  });

  it('encodes v5 byte for byte as the schema lays it out', () => {
    const body = encodeProduceResponse(
      { responses: [{ name: 't', partitionResponses: [{ index: 1, errorCode: 6, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: 2n }] }], throttleTimeMs: 3 },
      5,
    );
    const partition = '00000001' + '0006' + 'ffffffffffffffff' + 'ffffffffffffffff' + '0000000000000002';
    expect(body.toString('hex')).toBe('00000001' + '000174' + '00000001' + partition + '00000003');
  });

  it("carries a partition's error code to kafkajs, whose parser turns it into its error type", async () => {
    const protocol = kafkajsProtocol('Produce', 7, transactional);
    for (const [errorCode, type] of [
      [6, 'NOT_LEADER_FOR_PARTITION'],
      [19, 'NOT_ENOUGH_REPLICAS'],
    ] as const) {
      const failed = structuredClone(response);
      failed.responses[1]!.partitionResponses[0] = { index: 1, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n };
      const frame = encodeResponseFrame({ apiKey: 0, apiVersion: 7, correlationId: 1 }, encodeProduceResponse(failed, 7));
      const decoded = await protocol.response.decode(frame.subarray(8));
      expect(decoded.topics[1].partitions[0]).toEqual({ partition: 1, errorCode, baseOffset: '-1', logAppendTime: '-1', logStartOffset: '-1' });
      await expect(kafkajsReadResponse(protocol, frame)).rejects.toMatchObject({ type });
    }
  });

  it('refuses versions outside 3-7', () => {
    expect(() => encodeProduceResponse(response, 8)).toThrow(ArgumentError);
    expect(() => encodeProduceResponse(response, 2)).toThrow('encodeProduceResponse: apiVersion must be an integer from 3 to 7, got 2');
  });
});
