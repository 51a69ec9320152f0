import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { groupPropertyNames, replicationPropertyNames } from '../../properties/replicationProperties.ts';
import { experimentNames } from '../../src/experiments/index.ts';
import { weakeningNames } from '../../src/scenario/weakenings.ts';

// The command line's help and usage errors: a page per command listing the names its options take, -h,
// --version and `help`, and usage errors of one line that point at the command's help.
const cli = (...args: string[]) => runCli(args);

describe('kafka-sim help', () => {
  it('gives each command its own page, listing the properties, weakenings, experiments and examples it takes', () => {
    for (const command of ['run', 'replay', 'check', 'matrix', 'experiment', 'kernel-demo']) {
      const out = cli(command, '--help');
      expect(out.status, command).toBe(0);
      expect(out.stdout.startsWith(`Usage: kafka-sim ${command}`), command).toBe(true);
    }
    const check = cli('check', '--help').stdout;
    for (const name of [...replicationPropertyNames, ...groupPropertyNames, ...weakeningNames]) expect(check).toContain(name);
    const experiment = cli('experiment', '-h').stdout;
    for (const name of experimentNames) expect(experiment).toContain(name);
    expect(cli('run', '--help').stdout).toContain('examples/leader-failover.json');
    expect(cli('matrix', '--help').stdout).toContain('offset-commit-acks-1');
  });

  it('answers -h, --help, help and help COMMAND, and --version with the package version', () => {
    const overview = cli('--help').stdout;
    expect(overview).toMatch(/^Usage: kafka-sim <command>/);
    expect(overview).toContain('70 an internal error');
    expect(cli('-h').stdout).toBe(overview);
    expect(cli('help').stdout).toBe(overview);
    expect(cli('help', 'check').stdout).toBe(cli('check', '--help').stdout);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(cli('--version')).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it('prints a usage error as one line and where to read more, exit 2', () => {
    // The whole range of bad flags is in malformedInputs.test.ts; here, the two shapes of the message.
    const cases: Array<[string[], string, string]> = [
      [['check', '--runs', '1e3'], '--runs must be a decimal integer between 1 and 10,000,000', 'check'],
      [['frobnicate'], 'unknown command "frobnicate"', ''],
    ];
    for (const [args, message, command] of cases) {
      const out = cli(...args);
      expect(out.status, args.join(' ')).toBe(2);
      const lines = out.stderr.trimEnd().split('\n');
      expect(lines, args.join(' ')).toHaveLength(2);
      expect(lines[0], args.join(' ')).toContain(message);
      expect(lines[1]).toBe(command === '' ? 'see kafka-sim --help' : `see kafka-sim ${command} --help`);
      expect(out.stdout).toBe('');
    }
  });

  it('takes a negative seed as the value of --seed', () => {
    const a = cli('kernel-demo', '--seed', '-7', '--ms', '2000', '--json');
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).traceHash).toBe(JSON.parse(cli('kernel-demo', '--seed=-7', '--ms', '2000', '--json').stdout).traceHash);
  });
});
