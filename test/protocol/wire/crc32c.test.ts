import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../src/protocol/wire/crc32c.ts';
import { kafkajsCrc32C } from './kafkajsRecordBatch.ts';

const require = createRequire(import.meta.url);
// The package's pure-JavaScript fallback, which runs wherever the prebuilt binary of @node-rs/crc32 does not.
const javascriptFallback = require('@chainsafe/fast-crc32c/impls/js_crc32c') as { calculate(bytes: Uint8Array): number };

describe('crc32c', () => {
  // Check values of CRC-32C: the catalogue's "123456789" and RFC 3720 (iSCSI), appendix B.4.
  it('gives the published check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('is not CRC-32 (IEEE), the checksum of the older message formats', () => {
    // CRC-32 of "123456789" is 0xcbf43926.
    expect(crc32c(Buffer.from('123456789'))).not.toBe(0xcbf43926);
  });

  it("agrees with kafkajs's crc32C and with the package's JavaScript fallback on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        const expected = kafkajsCrc32C(buffer);
        expect(crc32c(buffer)).toBe(expected);
        expect(javascriptFallback.calculate(buffer) >>> 0).toBe(expected);
      }),
    );
  });

  it('returns an unsigned 32-bit value, as the uint32 crc field holds it', () => {
    const value = crc32c(Buffer.from('123456789'));
    expect(value).toBeGreaterThan(0x7fff_ffff);
    expect(Number.isInteger(value) && value <= 0xffff_ffff).toBe(true);
  });
});
