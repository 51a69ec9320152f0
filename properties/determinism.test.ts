import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPingPongWorld } from '../test/fixtures/pingPongRun.ts';
import type { Fault } from '../src/faults/Fault.ts';
import { faultScheduleArbitrary } from './arbitraries/faultScheduleArbitrary.ts';
import { propertyRuns } from './propertyRuns.ts';

const nodes = ['ponger-1', 'ponger-2', 'ponger-3', 'pinger-1', 'pinger-2', 'pinger-3'];
const seedArbitrary = fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 12 }));
const scheduleArbitrary = faultScheduleArbitrary({ nodes, horizonMs: 1500, maxDurationMs: 600, maxWindows: 8 });

function run(seed: number | string, faults: Fault[]): { hash: string; entries: number } {
  const world = buildPingPongWorld(seed);
  world.schedule(faults);
  world.runFor(2000);
  return { hash: world.traceHash(), entries: world.trace().length };
}

describe('determinism property', () => {
  it('the same seed and fault schedule give the same traceHash, under every fault kind', () => {
    fc.assert(
      fc.property(seedArbitrary, scheduleArbitrary, (seed, faults) => {
        const first = run(seed, faults);
        const second = run(seed, faults);
        expect(second.hash).toBe(first.hash);
        expect(first.entries).toBeGreaterThan(0);
      }),
      { numRuns: propertyRuns(40) },
    );
  });

  it('a different seed gives a different trace when latency is drawn from the Rng', () => {
    fc.assert(
      fc.property(fc.integer(), scheduleArbitrary, (seed, faults) => {
        expect(run(seed, faults).hash).not.toBe(run(seed + 1, faults).hash);
      }),
      { numRuns: propertyRuns(20) },
    );
  });

  it('fault schedules draw every kind of fault and stay sorted by time', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scheduleArbitrary, (faults) => {
        for (const f of faults) seen.add(f.kind === 'partition' ? `partition:${Object.keys(f).find((k) => k !== 'atMs' && k !== 'kind')}` : f.kind);
        expect(faults.map((f) => f.atMs)).toEqual([...faults.map((f) => f.atMs)].sort((a, b) => a - b));
      }),
      { numRuns: 300, seed: 42 },
    );
    expect([...seen].sort()).toEqual(
      ['crash', 'heal', 'link', 'partition:groups', 'partition:isolate', 'partition:majoritiesRing', 'partition:oneWay', 'pause', 'powerLoss', 'restart', 'resume'].sort(),
    );
  });
});
