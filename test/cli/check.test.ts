import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const cli = (cwd: string, ...args: string[]) => runCli(args, cwd);

describe('kafka-sim check', () => {
  it('finds and shrinks a counterexample for a weakening, writes its capsule, and replay reproduces it (exit 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-check-'));
    const out = cli(dir, 'check', '--property', 'no-loss', '--weaken', 'acks-1', '--runs', '40', '--max-shrinks', '60', '--json');
    expect(out.status).toBe(1);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ property: 'no-loss', weakening: 'acks-1', ok: false });
    expect(json.runs).toBeLessThanOrEqual(40);
    expect(json.counterexample.shrinks).toBeGreaterThan(0);
    expect(json.counterexample.violations.join(' ')).toContain('final-read-loss');
    const replay = JSON.parse(cli(dir, 'replay', json.counterexample.capsulePath, '--json').stdout);
    expect(replay.traceHash).toBe(json.counterexample.traceHash);
    expect(replay.valid).toBe(false);
  });

  it('exits 0 when the property holds over the runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-check-'));
    const out = cli(dir, 'check', '--property', 'committed-offsets', '--runs', '3', '--seed', '5', '--json');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ property: 'committed-offsets', weakening: null, runs: 3, ok: true, counterexample: null });
  });

  it('exits 2 naming the value and what is allowed for an unknown property, weakening or run count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-check-'));
    const property = cli(dir, 'check', '--property', 'fairness');
    expect(property.status).toBe(2);
    expect(property.stderr).toContain('--property: got "fairness", allowed: all, or one of no-loss');
    const weakening = cli(dir, 'check', '--weaken', 'acks-2');
    expect(weakening.status).toBe(2);
    expect(weakening.stderr).toContain('--weaken: got "acks-2", allowed: one of acks-1');
    expect(cli(dir, 'check', '--runs', '0').stderr).toContain('--runs must be a decimal integer between 1 and 10,000,000 (split larger sweeps with --shard), got "0"');
    expect(cli(dir, 'run', '--weaken', 'acks-1').stderr).toContain('--property, --weaken, --shard, --workers, --merge, --from-run and --shutdowns are options of check');
    expect(cli(dir, 'matrix', '--shutdowns').status).toBe(2);
    expect(cli(dir, 'check', '--clients', 'kafkajs', '--shutdowns').stderr).toContain('without --workers, --shard, --merge, --kafka or --shutdowns');
    expect(cli(dir, 'run', '--runs', '5').stderr).toContain('--runs and --max-shrinks are options of check and matrix');
  });

  it('gives the same counterexample on two worker threads, and from merged shards, as in one process', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-check-'));
    const args = ['check', '--property', 'ordering', '--weaken', 'dedup-window-one-batch', '--runs', '30', '--max-shrinks', '5', '--json'];
    const sequential = JSON.parse(cli(dir, ...args).stdout);
    const workers = JSON.parse(cli(dir, ...args, '--workers', '2').stdout);
    expect(sequential.ok).toBe(false);
    expect(workers.runs).toBe(sequential.runs);
    expect(workers.counterexample.traceHash).toBe(sequential.counterexample.traceHash);
    const shards = ['0/2', '1/2'].map((shard) => cli(dir, ...args, '--shard', shard));
    // The shard holding the first failing run fails; the other may fail too (at a later run) or hold.
    const statuses = shards.map((s) => s.status);
    expect(statuses).toContain(1);
    for (const status of statuses) expect([0, 1]).toContain(status);
    const files = shards.map((s, i) => {
      const file = join(dir, `shard-${i}.jsonl`);
      writeFileSync(file, s.stdout);
      return file;
    });
    const merged = cli(dir, 'check', '--merge', ...files, '--json');
    expect(merged.status).toBe(1);
    const firstFailure = JSON.parse(merged.stdout).firstFailure as number;
    expect(firstFailure).toBe(sequential.runs - 1);
    const fromRun = JSON.parse(cli(dir, ...args, '--from-run', String(firstFailure)).stdout);
    expect(fromRun.counterexample.traceHash).toBe(sequential.counterexample.traceHash);
  });

  it('--shutdowns draws clean shutdowns too; its shards say so, and the merge tells how to shrink with it', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-check-'));
    const args = ['check', '--property', 'no-loss', '--weaken', 'acks-1', '--runs', '30', '--shutdowns'];
    const shards = ['0/2', '1/2'].map((shard) => cli(dir, ...args, '--shard', shard));
    const files = shards.map((s, i) => {
      expect(JSON.parse(s.stdout)).toMatchObject({ shutdowns: true, shard: `${i}/2` });
      const file = join(dir, `shard-${i}.jsonl`);
      writeFileSync(file, s.stdout);
      return file;
    });
    const merged = cli(dir, 'check', '--merge', ...files);
    expect(merged.status).toBe(1);
    expect(merged.stdout).toContain(', with shutdowns)');
    expect(merged.stdout).toMatch(/shrink it: npx kafka-sim check --property no-loss --weaken acks-1 --seed 1 --shutdowns --runs 30 --from-run \d+/);
  });
});
