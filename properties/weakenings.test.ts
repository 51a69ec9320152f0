import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCapsule, type ReplayCapsule } from '../src/scenario/capsule.ts';
import { runResolvedScenario } from '../src/scenario/runResolvedScenario.ts';
import { weakeningNames, weakenings, type Weakening } from '../src/scenario/weakenings.ts';
import { checkProperty, describeCounterexample } from './checkProperty.ts';
import { propertyRuns } from './propertyRuns.ts';
import { propertyViolations } from './replicationProperties.ts';

// Every weakening must break the property it names: a property that never fails proves nothing. The budget is
// CI-sized with a fixed seed (so the result is the same on every machine); `npm run bench:weakenings` runs the full matrix.
describe('weakenings (known Kafka bugs) break their properties', () => {
  for (const name of weakeningNames) {
    const weakening: Weakening = weakenings[name];
    const { breaks, bug } = weakening;
    if (weakening.rare !== undefined) {
      // Found by `npm run bench:weakenings` after more runs than CI can afford; its shrunk counterexample is kept
      // and must still break the property (re-search and replace it if a change of the model makes it pass).
      it(`${name} (bug ${bug}) breaks ${breaks}: its committed counterexample still does`, () => {
        const capsule = JSON.parse(readFileSync(`properties/counterexamples/${name}.json`, 'utf8')) as ReplayCapsule;
        expect(capsule.scenario.weakenings).toEqual([name]);
        expect(propertyViolations(breaks, replayCapsule(capsule).result).length).toBeGreaterThan(0);
        // The same scenario without the weakening keeps the property: the weakening is what breaks it.
        const faithful = runResolvedScenario({ ...capsule.scenario, weakenings: [] });
        expect(propertyViolations(breaks, faithful)).toEqual([]);
      });
      continue;
    }
    it(`${name} (bug ${bug}) breaks ${breaks}`, () => {
      // 200 runs at seed 1 find every weakening that is not rare (`npm run bench:weakenings` says how soon).
      const check = checkProperty(breaks, [name], { numRuns: propertyRuns(200), seed: 1, shrink: false });
      expect(check.ok, `${name} was not caught in ${check.runsToFind} runs`).toBe(false);
      expect(check.counterexample?.violations.length).toBeGreaterThan(0);
    });
  }

  it('truncate-to-high-watermark (bug R4) also breaks log-matching: its committed divergence still does', () => {
    // The same pre-KIP-101 rule after power losses: a replica keeps records the new leader never had, and writes at
    // the same offsets differ for good. Found at run 284 of a log-matching sweep (seed 1, an earlier arbitrary) and shrunk; kept as a capsule.
    const capsule = JSON.parse(readFileSync('properties/counterexamples/truncate-to-high-watermark-divergence.json', 'utf8')) as ReplayCapsule;
    expect(capsule.scenario.weakenings).toEqual(['truncate-to-high-watermark']);
    expect(propertyViolations('log-matching', replayCapsule(capsule).result).length).toBeGreaterThan(0);
    expect(propertyViolations('log-matching', runResolvedScenario({ ...capsule.scenario, weakenings: [] }))).toEqual([]);
  });

  it('shrinks a counterexample and writes a capsule that replays to the same traceHash and violation (acks-1)', () => {
    const capsuleDir = join(tmpdir(), `kafka-sim-capsules-${process.pid}`);
    const check = checkProperty('no-loss', ['acks-1'], { numRuns: 60, seed: 1, capsuleDir, maxShrinks: 60 });
    expect(check.ok).toBe(false);
    const ce = check.counterexample;
    expect(ce?.capsulePath).toBeDefined();
    expect(describeCounterexample(check)).toContain(`replay: npx kafka-sim replay ${ce?.capsulePath}`);
    // Shrinking kept the failure and made the scenario smaller than the first failing one (same seed).
    const first = checkProperty('no-loss', ['acks-1'], { numRuns: 60, seed: 1, shrink: false }).counterexample;
    expect(check.shrinks).toBeGreaterThan(0);
    expect(ce?.faults).toBeLessThanOrEqual(first?.faults ?? 0);
    expect(ce?.records).toBeLessThanOrEqual(first?.records ?? 0);
    expect((ce?.faults ?? 0) + (ce?.records ?? 0)).toBeLessThan((first?.faults ?? 0) + (first?.records ?? 0));
    // The story acks=1 needs: one window in which the leader acknowledges what no follower has, one that moves
    // leadership away (at most 4 fault events), and the record itself (verification issue: <= 2 faults, <= 10 records).
    expect(ce?.faults).toBeLessThanOrEqual(4);
    expect(ce?.records).toBeLessThanOrEqual(10);
    const capsule = JSON.parse(readFileSync(ce?.capsulePath as string, 'utf8')) as ReplayCapsule;
    const replay = replayCapsule(capsule);
    expect(replay.sameTrace).toBe(true);
    expect(replay.result.traceHash).toBe(ce?.traceHash);
    expect(replay.result.valid).toBe(false);
  });
});
