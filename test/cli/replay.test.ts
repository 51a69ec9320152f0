import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { makeCapsule } from '../../src/scenario/capsule.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runResolvedScenario } from '../../src/scenario/runResolvedScenario.ts';

const cli = (...args: string[]) => runCli(args);

// An acks=1 producer writing to a leader that is cut off from its followers and the controller: writes are lost.
const scenario = resolveScenario({
  seed: 3,
  brokers: 3,
  topics: [{ name: 't', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
  producers: [{ settings: { acks: 1, enableIdempotence: false }, workload: { topic: 't', records: 40, ratePerSec: 4, keys: { kind: 'null' } } }],
  readers: [{ topics: ['t'] }],
  faults: [
    { atMs: 6_000, kind: 'partition', groups: [['leader:t-0'], ['followers:t-0', 'controller']] },
    { atMs: 18_000, kind: 'heal' },
  ],
});

describe('kafka-sim replay', () => {
  let dir = '';
  let capsulePath = '';
  let traceHash = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-sim-replay-'));
    const result = runResolvedScenario(scenario);
    traceHash = result.traceHash;
    capsulePath = join(dir, 'capsule.json');
    writeFileSync(capsulePath, JSON.stringify(makeCapsule(scenario, result, { property: 'no-loss', violations: ['final-read-loss'] })));
  });

  it('reproduces the recorded traceHash and its violations, exiting 1', () => {
    const out = cli('replay', capsulePath);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain(`traceHash ${traceHash} (same as recorded)`);
    expect(out.stdout).toMatch(/verdict: violations: .*final-read-loss/);
  });

  it('exits 3 when the run gives another traceHash than the capsule recorded', () => {
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(makeCapsule(scenario, { traceHash: '0'.repeat(64) }, { violations: [] })));
    const out = cli('replay', tampered, '--json');
    expect(out.status).toBe(3);
    expect(JSON.parse(out.stdout)).toMatchObject({ sameTrace: false, traceHash });
  });

  it('exits 2 with a message naming the problem for a missing file or a file that is not a capsule', () => {
    expect(cli('replay', join(dir, 'missing.json'))).toMatchObject({ status: 2, stderr: expect.stringMatching(/cannot read capsule/) });
    const notCapsule = join(dir, 'not-capsule.json');
    writeFileSync(notCapsule, JSON.stringify({ formatVersion: 9 }));
    expect(cli('replay', notCapsule)).toMatchObject({ status: 2, stderr: expect.stringMatching(/formatVersion: got 9, allowed: 1/) });
    expect(cli('replay')).toMatchObject({ status: 2, stderr: expect.stringMatching(/replay takes one capsule file, got none/) });
  });
});
