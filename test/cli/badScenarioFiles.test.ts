import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioInputError } from '../../src/cli/runCommand.ts';

// Malformed scenario files, one mistake each (test/fixtures/bad-scenarios/, with the field each must name in
// expected-fields.json): `kafka-sim run FILE` refuses every one before it runs, naming the field, the value it
// found and what is allowed, with exit 2 and no stack trace.
const dir = fileURLToPath(new URL('../fixtures/bad-scenarios/', import.meta.url));
const expected = JSON.parse(readFileSync(`${dir}expected-fields.json`, 'utf8')) as Record<string, string>;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'expected-fields.json').sort();
const bin = fileURLToPath(new URL('../../bin/kafka-sim.js', import.meta.url));

describe('malformed scenario files', () => {
  it('has at least 30 of them, each with the field it must name', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(files.map((f) => f.replace(/\.json$/, ''))).toEqual(Object.keys(expected).sort());
  });

  for (const file of files) {
    const field = expected[file.replace(/\.json$/, '')] as string;
    it(`${file}: refused, naming ${field}`, () => {
      let error: unknown;
      try {
        loadScenario(`${dir}${file}`, undefined);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ScenarioInputError);
      expect((error as Error).message).toContain(`${field}: got `);
      expect((error as Error).message).toContain('allowed: ');
    });
  }

  it('exits 2 from the command line with the message and no stack trace', () => {
    for (const file of files.slice(0, 3)) {
      const out = spawnSync(process.execPath, [bin, 'run', `${dir}${file}`], { encoding: 'utf8' });
      expect(out.status).toBe(2);
      expect(out.stderr).toContain(`${expected[file.replace(/\.json$/, '')]}: got `);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
