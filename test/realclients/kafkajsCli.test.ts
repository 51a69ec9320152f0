import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runResolvedScenarioAsync } from '../../src/scenario/runResolvedScenario.ts';
import type { Scenario } from '../../src/scenario/Scenario.ts';
import { runCli } from '../support/cli.ts';

describe('kafka-sim run with kafkajs apps', () => {
  it('the same seed gives the same traceHash in two processes, and in this one', async () => {
    const hashes = [1, 2].map(() => {
      const out = runCli(['run', 'examples/kafkajs-group.json', '--json']);
      expect(out.status, out.stderr).toBe(0);
      return (JSON.parse(out.stdout) as { traceHash: string; valid: boolean }).traceHash;
    });
    expect(hashes[1]).toBe(hashes[0]);
    const inProcess = await runResolvedScenarioAsync(resolveScenario(JSON.parse(readFileSync('examples/kafkajs-group.json', 'utf8')) as Scenario));
    expect(inProcess.traceHash).toBe(hashes[0]);
  });

  it('a bad app is one line naming the field, exit 2', () => {
    const out = runCli(['run', '--json', 'test/realclients/bad-app.json']);
    expect(out.status).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/apps\[0\]\.settings\.records/);
  });

  it('check --clients kafkajs runs a property over kafkajs clients; its bad uses are one line, exit 2', () => {
    const out = runCli(['check', '--clients', 'kafkajs', '--property', 'single-owner', '--runs', '3', '--seed', '5', '--json']);
    expect(out.status, out.stderr).toBe(0);
    const json = JSON.parse(out.stdout) as { clients: string; ok: boolean; runs: number };
    expect(json).toMatchObject({ clients: 'kafkajs', ok: true, runs: 3 });
    for (const args of [['--clients', 'kafkajs', '--workers', '2'], ['--clients', 'nope'], ['--clients', 'kafkajs', '--property', 'log-matching']]) {
      const bad = runCli(['check', ...args]);
      expect(bad.status, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n')[0]).toMatch(/--clients|--property/);
    }
  });
});
