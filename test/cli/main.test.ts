import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/kafka-sim.js', import.meta.url));

function cli(...args: string[]) {
  const out = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('kafka-sim run', () => {
  it('runs the embedded default scenario and prints a summary with its traceHash', () => {
    const out = cli('run');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/kernel demo \(seed 1\): 6 nodes/);
    expect(out.stdout).toMatch(/traceHash [0-9a-f]{64}/);
  });

  it('prints the same traceHash for the same seed and another for another seed (--json)', () => {
    const a = JSON.parse(cli('run', '--seed', '9', '--json').stdout);
    const b = JSON.parse(cli('run', '--seed', '9', '--json').stdout);
    const c = JSON.parse(cli('run', '--seed', '10', '--json').stdout);
    expect(a.traceHash).toBe(b.traceHash);
    expect(c.traceHash).not.toBe(a.traceHash);
    expect(a.faults.map((f: { kind: string }) => f.kind)).toEqual(['crash', 'restart', 'pause', 'resume', 'partition', 'heal']);
  });

  it('exits 2 with a message naming the problem on bad usage', () => {
    const badCommand = cli('frobnicate');
    expect(badCommand.status).toBe(2);
    expect(badCommand.stderr).toContain('unknown command "frobnicate"');
    const badMs = cli('run', '--ms=-3');
    expect(badMs.status).toBe(2);
    expect(badMs.stderr).toContain('--ms must be a finite number >= 0, got "-3"');
    expect(cli('run', '--bogus').status).toBe(2);
  });
});
