import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/protocol/wire/ByteReader.ts';
import { readRequestHeader } from '../../../src/protocol/wire/requestHeader.ts';
import { WireFormatError } from '../../../src/protocol/wire/WireFormatError.ts';
import { KafkajsEncoder, kafkajsProtocol, kafkajsRequestFrame } from './kafkajs.ts';

/** The frame without its 4-byte size prefix, as readFrames hands it on. */
const withoutSize = (frame: Buffer): ByteReader => new ByteReader(frame.subarray(4));

describe('readRequestHeader', () => {
  it('reads the v1 header kafkajs sends with a non-flexible request (Metadata v5)', async () => {
    const frame = await kafkajsRequestFrame(kafkajsProtocol('Metadata', 5, { topics: ['orders'] }), {
      correlationId: 123_456,
      clientId: 'checkout-service',
    });
    const reader = withoutSize(frame);
    expect(readRequestHeader(reader)).toEqual({
      requestApiKey: 3,
      requestApiVersion: 5,
      correlationId: 123_456,
      clientId: 'checkout-service',
    });
    expect(reader.offset).toBe(2 + 2 + 4 + 2 + 'checkout-service'.length);
  });

  it('reads a null client id, which kafkajs writes as length -1', async () => {
    const frame = await kafkajsRequestFrame(kafkajsProtocol('ApiVersions', 2), { clientId: null });
    expect(readRequestHeader(withoutSize(frame)).clientId).toBeNull();
  });

  // kafkajs has no flexible header of its own: for its two flexible requests it writes header v1 and starts the
  // body with an empty tag buffer, which makes the bytes of a v2 header. The table must pick v2 for them, or the
  // body would start one byte early.
  for (const apiName of ['AlterPartitionReassignments', 'ListPartitionReassignments']) {
    it(`reads header v2 for ${apiName} v0, flexible from v0, so that the body starts at timeout_ms`, async () => {
      const protocol = kafkajsProtocol(apiName, 0, { topics: [], timeout: 30_000 });
      const reader = withoutSize(await kafkajsRequestFrame(protocol, { correlationId: 9 }));
      expect(readRequestHeader(reader)).toMatchObject({ requestApiVersion: 0, correlationId: 9, clientId: 'kafkajs-client' });
      expect(reader.readInt32('timeoutMs')).toBe(30_000);
    });
  }

  it('reads header v0, without a client id, for ControlledShutdown v0', () => {
    const bytes = new KafkajsEncoder().writeInt16(7).writeInt16(0).writeInt32(42).writeInt32(1).buffer;
    const reader = new ByteReader(bytes);
    expect(readRequestHeader(reader)).toEqual({ requestApiKey: 7, requestApiVersion: 0, correlationId: 42, clientId: null });
    expect(reader.readInt32('brokerId')).toBe(1);
  });

  it('skips tagged fields in a v2 header that a newer client sends', () => {
    // ApiVersions v3, correlation id 5, client id "c", one tagged field (tag 9, 2 bytes), then the body.
    const bytes = Buffer.from('0012 0003 00000005 000163 01 09 02 abcd 02 61'.replaceAll(' ', ''), 'hex');
    const reader = new ByteReader(bytes);
    expect(readRequestHeader(reader)).toEqual({ requestApiKey: 18, requestApiVersion: 3, correlationId: 5, clientId: 'c' });
    expect(reader.readCompactString('clientSoftwareName')).toBe('a');
  });

  it('reads the header version it is told, whatever the API key says', () => {
    const bytes = new KafkajsEncoder().writeInt16(3).writeInt16(1).writeInt32(8).buffer;
    expect(readRequestHeader(new ByteReader(bytes), 0)).toEqual({ requestApiKey: 3, requestApiVersion: 1, correlationId: 8, clientId: null });
  });

  it('rejects an API key it has no header rule for, at offset 0', () => {
    const bytes = new KafkajsEncoder().writeInt16(999).writeInt16(0).writeInt32(1).writeString('c').buffer;
    expect(() => readRequestHeader(new ByteReader(bytes))).toThrow(WireFormatError);
    expect(() => readRequestHeader(new ByteReader(bytes))).toThrow('cannot read requestApiKey (int16) at offset 0: unknown API key 999');
  });

  it('names the field where a header is cut short', () => {
    const bytes = new KafkajsEncoder().writeInt16(3).writeInt16(1).writeInt32(8).writeInt16(10).buffer;
    expect(() => readRequestHeader(new ByteReader(bytes))).toThrow('cannot read clientId (string) at offset 8: truncated, needs 10 bytes but 0 remain');
  });
});
