import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeCapsule } from '../../src/scenario/capsule.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { defaultScenario } from '../../src/scenario/defaultScenario.ts';
import { bin } from '../support/cli.ts';

// Every kind of bad input a newcomer can give the command line: scenario files (each mistake of
// test/fixtures/bad-scenarios, nesting too deep, sizes past their bounds), capsules, flags and output paths. Each
// must exit 2 before anything runs, with one line naming the field or flag and what is allowed (a usage error adds
// a second line pointing at the command's help; a scenario mistake that others follow from lists each issue on a
// line of its own), no stack trace, and nothing written.
const badScenarios = fileURLToPath(new URL('../fixtures/bad-scenarios/', import.meta.url));
const expectedFields = JSON.parse(readFileSync(`${badScenarios}expected-fields.json`, 'utf8')) as Record<string, string>;

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** Text the first line of stderr must contain: the field or flag, and what is wrong with it. */
  readonly names: string;
}

function run(args: readonly string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

// Runs the cases a few at a time (each is a process).
async function runAll(cases: readonly Case[], cwd: (c: Case) => string) {
  const results: Array<{ c: Case; out: Awaited<ReturnType<typeof run>> }> = [];
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4);
    results.push(...(await Promise.all(batch.map(async (c) => ({ c, out: await run(c.args, cwd(c)) })))));
  }
  return results;
}

describe('malformed input on the command line', () => {
  it('refuses at least 60 of them with exit 2, one line naming the field, no stack trace and nothing written', { timeout: 600_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'kafka-sim-malformed-'));
    const file = (name: string, content: unknown) => {
      const path = join(work, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };
    const cases: Case[] = [];

    // Scenario files: every fixture, through `run`.
    for (const fixture of readdirSync(badScenarios).filter((f) => f.endsWith('.json') && f !== 'expected-fields.json')) {
      cases.push({ name: fixture, args: ['run', `${badScenarios}${fixture}`], names: `${expectedFields[fixture.replace(/\.json$/, '')]}: got ` });
    }
    cases.push({ name: 'nesting 100,000 deep', args: ['run', file('deep.json', `{"seed":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)], names: 'nests 100001 levels deep, allowed: at most 64' });
    const many = { ...defaultScenario, consumers: Array.from({ length: 1_001 }, () => ({ groupId: 'g', topics: ['orders'] })) };
    cases.push({ name: '1,001 consumers', args: ['run', file('many.json', many)], names: 'consumers: got ' });
    cases.push({ name: 'not JSON', args: ['run', file('broken.json', '{"seed": 1,')], names: 'is not JSON' });
    cases.push({ name: 'missing file', args: ['run', join(work, 'nowhere.json')], names: 'cannot read scenario' });

    // Capsules.
    const good = makeCapsule(resolveScenario({ ...defaultScenario, faults: [] }), { traceHash: 'a'.repeat(64) }, { violations: [] });
    const capsule = (name: string, change: Record<string, unknown>) => file(name, { ...good, ...change });
    cases.push({ name: 'capsule: wrong formatVersion', args: ['replay', capsule('c1.json', { formatVersion: 9 })], names: 'capsule formatVersion: got 9' });
    cases.push({ name: 'capsule: no traceHash', args: ['replay', capsule('c2.json', { traceHash: undefined })], names: 'capsule traceHash: got undefined' });
    cases.push({ name: 'capsule: traceHash not hex', args: ['replay', capsule('c3.json', { traceHash: 'xyz' })], names: 'capsule traceHash: got "xyz"' });
    cases.push({ name: 'capsule: no violations', args: ['replay', capsule('c4.json', { violations: undefined })], names: 'capsule violations: got undefined' });
    cases.push({ name: 'capsule: violations a string', args: ['replay', capsule('c5.json', { violations: 'lost-write' })], names: 'capsule violations: got "lost-write"' });
    cases.push({ name: 'capsule: property a number', args: ['replay', capsule('c6.json', { property: 7 })], names: 'capsule property: got 7' });
    cases.push({ name: 'capsule: fastCheck without a seed', args: ['replay', capsule('c7.json', { fastCheck: { path: '1:2' } })], names: 'capsule fastCheck: got ' });
    cases.push({ name: 'capsule: bad scenario', args: ['replay', capsule('c8.json', { scenario: { ...good.scenario, brokers: 0 } })], names: 'capsule scenario is invalid' });
    cases.push({ name: 'capsule: an array', args: ['replay', file('c9.json', [])], names: 'capsule formatVersion: got undefined' });
    cases.push({ name: 'capsule: too deep', args: ['replay', file('c10.json', `${'['.repeat(1_000)}${']'.repeat(1_000)}`)], names: 'nests 1000 levels deep' });

    // Flags.
    const flag = (name: string, args: string[], names: string) => cases.push({ name, args, names });
    flag('--runs 1e3', ['check', '--runs', '1e3'], '--runs must be a decimal integer');
    flag('--runs 0x2', ['check', '--runs', '0x2'], 'got "0x2"');
    flag('--runs " 2"', ['check', '--runs', ' 2'], 'got " 2"');
    flag('--runs -1', ['check', '--runs', '-1'], 'got "-1"');
    flag('--runs too many', ['matrix', '--runs', '10000001'], 'between 1 and 10,000,000');
    flag('--max-shrinks 0', ['check', '--max-shrinks', '0'], '--max-shrinks must be a decimal integer');
    flag('--workers 1000', ['check', '--workers', '1000'], '--workers must be a decimal integer between 1 and 256');
    flag('--seed ""', ['check', '--seed', ''], '--seed for check and matrix must be a decimal integer');
    flag('--seed 1.5', ['matrix', '--seed', '1.5'], 'got "1.5"');
    flag('--from-run -3', ['check', '--from-run', '-3'], '--from-run must be a decimal integer');
    flag('--kafka 5', ['run', '--kafka', '5'], '--kafka: got "5", allowed: one of 3.9, 4.1');
    flag('--property nope', ['check', '--property', 'nope'], '--property: got "nope"');
    flag('--weaken nope', ['check', '--weaken', 'nope'], '--weaken: got "nope"');
    flag('--shard 3/2', ['check', '--shard', '3/2'], '--shard');
    flag('--ms 1e12', ['kernel-demo', '--ms', '1e12'], '--ms must be a finite number >= 0, at most 86400000');
    flag('--seeds 0', ['experiment', 'keys', '--seeds', '0'], '--seeds must be a decimal integer between 1 and 1,000');
    flag('unknown experiment', ['experiment', 'latency'], 'latency');
    flag('unknown option', ['run', '--bogus'], "Unknown option '--bogus'");
    flag('unknown command', ['frobnicate'], 'unknown command "frobnicate"');
    flag('replay without a file', ['replay'], 'replay takes one capsule file, got none');
    flag('run with two files', ['run', 'a.json', 'b.json'], 'run takes at most one scenario file');
    flag('check option on run', ['run', '--weaken', 'acks-1'], '--property, --weaken, --shard, --workers, --merge, --from-run and --shutdowns are options of check');
    flag('help for no command', ['help', 'nope'], 'help takes one command name');

    // Output paths.
    const aFile = file('plain.txt', 'x');
    mkdirSync(join(work, 'a-directory'));
    flag('--report a directory', ['run', '--report', join(work, 'a-directory')], '--report: got ');
    flag('--mermaid a device', ['run', '--mermaid', '/dev/full'], '--mermaid: got "/dev/full"');
    flag('--report under a file', ['run', '--report', join(aFile, 'report.html')], 'is not a directory');
    flag('--out a file', ['experiment', 'keys', '--quick', '--out', aFile], '--out: got ');

    expect(cases.length).toBeGreaterThanOrEqual(60);
    const before = new Set(readdirSync(work));
    const cwdOf = new Map<Case, string>();
    const results = await runAll(cases, (c) => {
      const cwd = mkdtempSync(join(tmpdir(), 'kafka-sim-cwd-'));
      cwdOf.set(c, cwd);
      return cwd;
    });
    for (const { c, out } of results) {
      const lines = out.stderr.trimEnd().split('\n');
      expect(out.status, c.name).toBe(2);
      expect(lines[0], c.name).toMatch(/^kafka-sim: /);
      expect(out.stderr, c.name).toContain(c.names);
      // One line; or one and the pointer to the help of a usage error; or, for a scenario with several issues (a
      // mistake that others follow from), a count and one indented line per issue.
      const oneLine = lines.length === 1;
      const usage = lines.length === 2 && /^see kafka-sim( \S+)? --help$/.test(lines[1] as string);
      const issues = /issues\):$/.test(lines[0] as string) && lines.slice(1).every((line) => /^ {2}\S+: got .+, allowed: /.test(line));
      expect(oneLine || usage || issues, `${c.name}: ${out.stderr}`).toBe(true);
      expect(out.stderr, c.name).not.toMatch(/\n\s+at /);
      expect(out.stdout, c.name).toBe('');
      // Nothing written: not in the directory it ran in, not where it was told to write.
      expect(readdirSync(cwdOf.get(c) as string), c.name).toEqual([]);
    }
    expect(new Set(readdirSync(work))).toEqual(before);
    expect(existsSync(join(work, 'a-directory', 'report.html'))).toBe(false);
  });
});
