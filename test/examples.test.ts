import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { producerOutcomes } from '../src/cli/runSummary.ts';
import { resolveScenario } from '../src/scenario/resolveScenario.ts';
import { runResolvedScenario } from '../src/scenario/runResolvedScenario.ts';
import type { Scenario } from '../src/scenario/Scenario.ts';

// The scenario files in examples/ are what a newcomer runs first (`npx kafka-sim run examples/<file>`): each must
// be valid and must still show the behaviour its name promises.
function run(file: string) {
  const scenario = resolveScenario(JSON.parse(readFileSync(`examples/${file}`, 'utf8')) as Scenario);
  const result = runResolvedScenario(scenario);
  return { scenario, result, producers: producerOutcomes(scenario, result) };
}

describe('examples/', () => {
  it('holds only the examples this test knows, each a valid scenario', () => {
    expect(readdirSync('examples').sort()).toEqual(['acks-side-by-side.json', 'last-replica-standing.json', 'leader-failover.json', 'unclean-leader-election.json']);
  });

  it('leader-failover: the crashed leader is replaced from the ISR and no acknowledged write is lost', () => {
    const { result, producers } = run('leader-failover.json');
    expect(result.valid).toBe(true);
    expect(result.finalState.controller.partitions['orders-0']?.leaderEpoch).toBeGreaterThan(0);
    expect(producers[0]).toMatchObject({ ok: 400, lost: 0 });
  });

  it('acks-side-by-side: under the same isolated leader, acks=all loses nothing, acks=1 loses acknowledged writes, acks=0 never knows', () => {
    const { producers } = run('acks-side-by-side.json');
    const byId = Object.fromEntries(producers.map((p) => [p.producer, p]));
    expect(byId['acks-all']).toMatchObject({ ok: 200, lost: 0 });
    expect(byId['acks-1']?.ok).toBe(200);
    expect(byId['acks-1']?.lost).toBeGreaterThan(0);
    expect(byId['acks-0']).toMatchObject({ ok: 0, info: 200 });
    expect(byId['acks-0']?.infoWritten).toBeLessThan(200);
  });

  it('unclean-leader-election: a replica outside the ISR is elected and acknowledged writes are lost (bug R1)', () => {
    const { result, producers } = run('unclean-leader-election.json');
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    expect(producers[0]?.lost).toBeGreaterThan(0);
  });

  it('last-replica-standing: the last ISR member loses its page cache and is elected again (bug R12, Kafka 3.9 without ELR)', () => {
    const { result } = run('last-replica-standing.json');
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    expect(result.invariants.every((invariant) => invariant.valid)).toBe(true);
  });
});
