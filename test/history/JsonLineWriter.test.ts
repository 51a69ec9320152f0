import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonLineWriter } from '../../src/history/JsonLineWriter.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

function written(chunkBytes: number, write: (w: JsonLineWriter) => void): string {
  const chunks: Buffer[] = [];
  const writer = new JsonLineWriter(chunkBytes, (bytes) => chunks.push(Buffer.from(bytes)));
  write(writer);
  writer.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('JsonLineWriter', () => {
  it('writes times exactly as String(t) does, for microsecond times and for any double', () => {
    const micros = fc.integer({ min: 0, max: 2 ** 40 }).map((us) => us / 1000);
    const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.oneof(micros, anyDouble), (t) => {
        expect(written(64, (w) => w.ms(t))).toBe(String(t));
      }),
      { numRuns: propertyRuns(2000) },
    );
    for (const t of [0, -0, 0.001, 0.01, 0.1, 100.005, 1e21, 5e-324, 0.30000000000000004]) expect(written(64, (w) => w.ms(t))).toBe(String(t));
  });

  it('writes integers exactly as String(n) does, including ones it cannot write digit by digit', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double({ noNaN: true })), (n) => {
        expect(written(64, (w) => w.uint(n))).toBe(String(n));
      }),
      { numRuns: propertyRuns(2000) },
    );
  });

  it('escapes strings as JSON.stringify does and writes UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(written(16, (w) => w.string(text))).toBe(JSON.stringify(text));
      }),
      { numRuns: propertyRuns(500) },
    );
    expect(written(16, (w) => w.string('naïve "quoted" \n line'))).toBe(JSON.stringify('naïve "quoted" \n line'));
  });

  it('separates lines with newlines and hands over chunks that concatenate to the whole text', () => {
    const chunks: Buffer[] = [];
    const writer = new JsonLineWriter(300, (bytes) => chunks.push(Buffer.from(bytes)));
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      const line = `{"i":${i},"text":${JSON.stringify('x'.repeat(i % 37))}}`;
      lines.push(line);
      writer.startLine();
      writer.text(line);
      writer.endLine();
    }
    writer.text('"' + 'y'.repeat(1000) + '"'); // larger than a chunk
    writer.flush();
    expect(chunks.length).toBeGreaterThan(5);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(lines.join('\n') + '"' + 'y'.repeat(1000) + '"');
    expect(writer.lineCount).toBe(100);
  });
});

describe('JsonLineWriter.text', () => {
  it('writes any text as its UTF-8 bytes, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(written(8, (w) => w.text(text))).toBe(Buffer.from(text, 'utf8').toString('utf8'));
      }),
      { numRuns: propertyRuns(500) },
    );
    expect(written(8, (w) => w.text('abc→déf'))).toBe('abc→déf');
  });
});

describe('writeStableJson', () => {
  it('writes exactly what stableStringify returns, for any JSON value', async () => {
    const { writeStableJson } = await import('../../src/history/writeStableJson.ts');
    const { stableStringify } = await import('../../src/history/stableStringify.ts');
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(written(32, (w) => writeStableJson(w, value))).toBe(stableStringify(value));
      }),
      { numRuns: propertyRuns(1000) },
    );
    const odd = { b: [1, undefined, 'x"y'], a: { 'k y': 'ü', z: -0.5 }, c: new Uint8Array([1, 2]) };
    expect(written(32, (w) => writeStableJson(w, odd))).toBe(stableStringify(odd));
  });

  it('throws stableStringify’s error for a value JSON cannot carry', async () => {
    const { writeStableJson } = await import('../../src/history/writeStableJson.ts');
    expect(() => written(32, (w) => writeStableJson(w, { a: { b: Number.NaN } }))).toThrow('$.a.b is NaN');
  });
});
