import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runAndDescribe } from '../../src/cli/runCommand.ts';

// `kafka-sim run` on a terminal shows how far the run has got. The hook only reads the World: the run and its
// traceHash are the same with it or without.
describe('a run with a progress display', () => {
  it('is told the virtual time as it goes, and runs the same as without', async () => {
    const scenario = loadScenario(undefined, 3);
    const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-progress-'));
    const seen: number[] = [];
    const watched = await runAndDescribe(scenario, dir, () => 0, { progress: (virtualMs) => seen.push(virtualMs) });
    const plain = await runAndDescribe(scenario, dir, () => 0);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBeGreaterThan(scenario.durations.startupMs + scenario.durations.safetyMs / 2);
    expect((watched.json as { traceHash: string }).traceHash).toBe((plain.json as { traceHash: string }).traceHash);
  });
});
