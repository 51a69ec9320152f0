import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/kernel/argumentError.ts';
import { decodeRequestFrame, encodeResponseFrame, readFrames } from '../../../src/protocol/wire/framing.ts';
import { WireFormatError } from '../../../src/protocol/wire/WireFormatError.ts';
import { kafkajsProtocol, kafkajsRequestFrame } from './kafkajs.ts';

const sized = (hex: string): Buffer => {
  const body = Buffer.from(hex, 'hex');
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
};

describe('readFrames', () => {
  it('splits whole frames off and keeps an incomplete one for later', () => {
    const received = Buffer.concat([sized('aabb'), sized(''), sized('ccddee').subarray(0, 6)]);
    const { frames, rest } = readFrames(received);
    expect(frames.map((f) => f.toString('hex'))).toEqual(['aabb', '']);
    expect(rest.toString('hex')).toBe('00000003ccdd');
  });

  it('waits for the rest of a size prefix that arrives in pieces', () => {
    const { frames, rest } = readFrames(Buffer.from('0000', 'hex'));
    expect(frames).toEqual([]);
    expect(rest.length).toBe(2);
  });

  it('reassembles a kafkajs request sent in two chunks', async () => {
    const frame = await kafkajsRequestFrame(kafkajsProtocol('Metadata', 1, { topics: ['orders'] }));
    const first = readFrames(frame.subarray(0, 10));
    expect(first.frames).toEqual([]);
    const second = readFrames(Buffer.concat([first.rest, frame.subarray(10)]));
    expect(second.frames).toHaveLength(1);
    expect(second.rest.length).toBe(0);
    expect(decodeRequestFrame(second.frames[0] as Buffer).header.requestApiKey).toBe(3);
  });

  it('rejects a negative size and one above maxFrameBytes, naming the offset of the prefix', () => {
    expect(() => readFrames(Buffer.concat([sized('aa'), Buffer.from('ffffffff', 'hex')]))).toThrow(
      'cannot read frame size (int32) at offset 5: size -1 is outside 0..104857600',
    );
    expect(() => readFrames(sized('aabbcc'), { maxFrameBytes: 2 })).toThrow(WireFormatError);
  });
});

describe('decodeRequestFrame', () => {
  it('returns the header and a reader positioned at the body', async () => {
    const frame = await kafkajsRequestFrame(kafkajsProtocol('Metadata', 4, { topics: ['a'], allowAutoTopicCreation: false }), {
      correlationId: 77,
    });
    const { header, body } = decodeRequestFrame(frame.subarray(4));
    expect(header).toEqual({ requestApiKey: 3, requestApiVersion: 4, correlationId: 77, clientId: 'kafkajs-client' });
    expect(body.readArray('topics', (r) => r.readString('name'))).toEqual(['a']);
    expect(body.readBoolean('allowAutoTopicCreation')).toBe(false);
  });
});

describe('encodeResponseFrame', () => {
  it('writes size, correlation id (response header v0) and body for a non-flexible version', () => {
    const frame = encodeResponseFrame({ apiKey: 3, apiVersion: 6, correlationId: 258 }, Buffer.from('abcd', 'hex'));
    expect(frame.toString('hex')).toBe('00000006' + '00000102' + 'abcd');
  });

  it('adds the empty tag buffer of response header v1 for a flexible version', () => {
    const frame = encodeResponseFrame({ apiKey: 3, apiVersion: 9, correlationId: 1 }, Buffer.from('ab', 'hex'));
    expect(frame.toString('hex')).toBe('00000006' + '00000001' + '00' + 'ab');
  });

  it('leaves the tag buffer out for ApiVersions v3, which always answers with header v0', () => {
    const frame = encodeResponseFrame({ apiKey: 18, apiVersion: 3, correlationId: 1 }, Buffer.from('ab', 'hex'));
    expect(frame.toString('hex')).toBe('00000005' + '00000001' + 'ab');
  });

  it('throws an ArgumentError for an API key outside the table', () => {
    expect(() => encodeResponseFrame({ apiKey: 99, apiVersion: 0, correlationId: 1 }, Buffer.alloc(0))).toThrow(ArgumentError);
  });
});
