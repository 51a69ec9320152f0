import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runResolvedScenario, type RunnableScenario } from '../../src/scenario/runResolvedScenario.ts';

// A group coordinator cut off from its `__consumer_offsets` followers completes a rebalance, then crashes before
// the cut heals (the group pattern `coordinatorCutThenCrash` of the group arbitraries drew it, at seed 7, run
// 280). The leader's assignment for generation 3 is in the coordinator's log only; the follower that takes over
// loads generation 2. Kafka hands the assignment out only once its record commits (both coordinators), so nobody
// ever owned a partition in the lost generation 3; when the simulator answered the late SyncGroups at once, the
// members of the lost generation 3 and of the new coordinator's own generation 3 owned the same partition.
const scenario = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/scenarios/coordinator-cut-crash.json'), 'utf8')) as RunnableScenario;

describe('a coordinator that crashes while cut off from its followers', () => {
  const result = runResolvedScenario(scenario);

  it('never hands out an assignment whose record did not commit: one owner per partition', () => {
    const singleOwner = result.checkers.results.find((r) => r.checker === 'single-owner');
    expect(singleOwner?.valid).toBe(true);
    expect(result.checkers.anomalies).not.toHaveProperty('double-ownership');
  });

  it('completes no rebalance on the cut-off coordinator, and the next coordinator goes on from the generation it loaded', () => {
    const cutAtMs = scenario.faults[0]?.atMs ?? 0;
    const generations = result.groupLog.filter((e) => e.group === 'generation');
    expect(generations.filter((e) => e.node === 'broker-3' && e.timeMs > cutAtMs)).toEqual([]);
    const later = generations.filter((e) => e.node !== 'broker-3').map((e) => (e.group === 'generation' ? e.generation : 0));
    expect(later.length).toBeGreaterThan(0);
    expect(Math.min(...later)).toBeGreaterThan(2);
  });
});
