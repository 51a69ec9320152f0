import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, runCli } from '../support/cli.ts';
import { defaultScenario } from '../../src/scenario/defaultScenario.ts';

const cli = (...args: string[]) => runCli(args);

describe('kafka-sim run', () => {
  it('runs the embedded default scenario: a leader crash and an isolated leader, every acknowledged write read, valid', () => {
    const out = cli('run');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/kafka-sim run \(seed 1, Kafka 4.1\): 3 brokers, orders 6x RF 3 min ISR 2; 2 producers, 2 readers/);
    expect(out.stdout).toMatch(/fault {3}crash node=leader:orders-0 -> crash node=broker-\d/);
    expect(out.stdout).toMatch(/leader {2}orders-0: broker \d in epoch 1/);
    expect(out.stdout).toMatch(/sends: 1200 acknowledged, 0 failed, 0 unknown/);
    expect(out.stdout).toMatch(/verdict: valid; traceHash [0-9a-f]{64}/);
  });

  it('exits 1 and writes a capsule when the scenario shows a violation (non-idempotent retries under the same faults)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-run-'));
    const file = join(dir, 'retries.json');
    writeFileSync(file, JSON.stringify({ ...defaultScenario, weakenings: ['non-idempotent-retries'] }));
    const out = spawnSync(process.execPath, [bin, 'run', file], { encoding: 'utf8', cwd: dir });
    expect(out.status).toBe(1);
    expect(out.stdout).toMatch(/verdict: VIOLATIONS/);
    // Named by the Kafka version, the seed and the run's traceHash, so another scenario with the same seed does not
    // overwrite it.
    const capsule = /replay: {2}npx kafka-sim replay (reports\/capsules\/run-kafka4\.1-seed1-[0-9a-f]{8}\.json)/.exec(out.stdout)?.[1];
    expect(capsule).toBeDefined();
    expect(existsSync(join(dir, capsule as string))).toBe(true);
    // The same seed with fewer faults: another run, another capsule beside the first.
    writeFileSync(file, JSON.stringify({ ...defaultScenario, weakenings: ['non-idempotent-retries'], faults: (defaultScenario.faults ?? []).slice(0, 3) }));
    const other = spawnSync(process.execPath, [bin, 'run', file], { encoding: 'utf8', cwd: dir });
    expect(other.status).toBe(1);
    const second = /replay: {2}npx kafka-sim replay (reports\/capsules\/run-kafka4\.1-seed1-[0-9a-f]{8}\.json)/.exec(other.stdout)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(capsule);
    expect(existsSync(join(dir, capsule as string))).toBe(true);
    expect(existsSync(join(dir, second as string))).toBe(true);
  });

  it('exits 2 naming the field, the value and what is allowed for a bad scenario file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-run-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...defaultScenario, brokers: 0 }));
    const out = cli('run', file);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('brokers: got 0, allowed: an integer between 1 and 50');
    expect(cli('run', join(dir, 'missing.json')).stderr).toMatch(/cannot read scenario/);
  });
});

describe('kafka-sim kernel-demo', () => {
  it('runs the kernel alone and prints a summary with its traceHash', () => {
    const out = cli('kernel-demo');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/kernel demo \(seed 1\): 6 nodes/);
    expect(out.stdout).toMatch(/traceHash [0-9a-f]{64}/);
  });

  it('prints the same traceHash for the same seed and another for another seed (--json)', () => {
    const a = JSON.parse(cli('kernel-demo', '--seed', '9', '--json').stdout);
    const b = JSON.parse(cli('kernel-demo', '--seed', '9', '--json').stdout);
    const c = JSON.parse(cli('kernel-demo', '--seed', '10', '--json').stdout);
    expect(a.traceHash).toBe(b.traceHash);
    expect(c.traceHash).not.toBe(a.traceHash);
    expect(a.faults.map((f: { kind: string }) => f.kind)).toEqual(['crash', 'restart', 'pause', 'resume', 'partition', 'heal']);
  });

  it('exits 2 with a message naming the problem on bad usage', () => {
    const badCommand = cli('frobnicate');
    expect(badCommand.status).toBe(2);
    expect(badCommand.stderr).toContain('unknown command "frobnicate"');
    const badMs = cli('kernel-demo', '--ms=-3');
    expect(badMs.status).toBe(2);
    expect(badMs.stderr).toContain('--ms must be a finite number >= 0, at most 86400000 (one virtual day), got "-3"');
    expect(cli('run', '--bogus').status).toBe(2);
    expect(cli('run', '--ms', '5').stderr).toContain('--ms is for kernel-demo');
  });
});
