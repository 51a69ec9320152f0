import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { javaStringHashCode } from '../../src/protocol/javaStringHashCode.ts';

const INT_MIN_VALUE = -2147483648;

describe('javaStringHashCode', () => {
  it.each([
    ['', 0],
    ['a', 97],
    ['ab', 97 * 31 + 98],
    ['hello', 99162322],
  ])('hashes %j to %i, as Java String#hashCode does', (s, hash) => {
    expect(javaStringHashCode(s)).toBe(hash);
  });

  // Well-known strings whose Java hashCode is exactly Integer.MIN_VALUE, where Math.abs stays negative.
  it.each(['polygenelubricants', 'GydZG_', 'DESIGNING WORKHOUSES'])('wraps %j around to Integer.MIN_VALUE', (s) => {
    expect(javaStringHashCode(s)).toBe(INT_MIN_VALUE);
  });

  it('counts a character outside the BMP as its two UTF-16 surrogates', () => {
    // U+1F600 is the pair d83d de00 in UTF-16: 0xd83d * 31 + 0xde00.
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
    expect(javaStringHashCode('😀')).toBe(1772899);
    expect(javaStringHashCode('😀')).toBe(javaStringHashCode('\uD83D\uDE00'));
  });

  it('wraps like Java int arithmetic on long strings, staying a signed 32-bit integer', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const h = javaStringHashCode(s);
        return Number.isInteger(h) && (h | 0) === h;
      }),
    );
  });

  it('follows the recurrence h(s + c) = 31 * h(s) + c modulo 2^32', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.integer({ min: 0, max: 0xffff }), (s, unit) => {
        const expected = BigInt.asIntN(32, 31n * BigInt(javaStringHashCode(s)) + BigInt(unit));
        return javaStringHashCode(s + String.fromCharCode(unit)) === Number(expected);
      }),
    );
  });
});
