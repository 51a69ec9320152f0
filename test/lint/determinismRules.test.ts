import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the lint rules that guard determinism', () => {
  const offenders: Array<[string, string]> = [
    ['Math.random', 'export const x = Math.random();'],
    ['Date.now', 'export const x = Date.now();'],
    ['new Date()', 'export const x = new Date();'],
    ['setTimeout', 'setTimeout(() => {}, 10);'],
    ['setInterval', 'setInterval(() => {}, 10);'],
    ['performance.now', 'export const x = performance.now();'],
    ['crypto.randomUUID', 'export const x = crypto.randomUUID();'],
    ['randomBytes from node:crypto', "import { randomBytes } from 'node:crypto';\nexport const x = randomBytes(4);"],
    ['nanoid() over crypto', "import { nanoid } from 'nanoid';\nexport const x = nanoid();"],
  ];

  for (const [name, code] of offenders) {
    it(`rejects ${name} in simulation code (src/ and actors/)`, async () => {
      expect(await ruleIdsFor(code, 'src/kernel/example.ts')).not.toEqual([]);
      expect(await ruleIdsFor(code, 'actors/broker/example.ts')).not.toEqual([]);
    });
  }

  it('allows the wall clock in the CLI and in benchmarks', async () => {
    expect(await ruleIdsFor('export const x = performance.now() + Date.now();', 'src/cli/progress.ts')).toEqual([]);
    expect(await ruleIdsFor('export const x = performance.now();', 'bench/example.ts')).toEqual([]);
  });

  it('allows the VirtualClock methods that share the names', async () => {
    const code = 'declare const clock: { setTimeout(f: () => void, ms: number): void; now: number };\nclock.setTimeout(() => {}, clock.now);';
    expect(await ruleIdsFor(code, 'src/kernel/example.ts')).toEqual([]);
  });
});
