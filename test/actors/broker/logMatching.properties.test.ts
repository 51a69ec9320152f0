import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logInvariantProblems } from '../../../actors/broker/ReplicaLog.ts';
import { propertyRuns } from '../../../properties/propertyRuns.ts';
import { applyStep, initialModel, logMatchingViolations, lostCommittedRecords } from './replicationModel.ts';
import type { ModelReplica, ReplicationModel, ReplicationStep, TruncationRule } from './replicationModel.ts';

// Random histories of appends, fetches, ISR shrinks, restarts, flushes and power losses, with leader changes on
// every leader restart, replayed through the broker's rules (replicationModel.ts). Log matching: replicas that
// have truncated against the current leader agree on every offset below the smaller of their high watermarks.
// No loss: without power loss and with clean elections, every record once below the leader's HW stays in the
// leader's log. Both must hold after every step with truncation by leader epoch, and both must break with the
// pre-KIP-101 truncation to the high watermark (the `truncate-to-high-watermark` weakening, bugs R3 and R4).

const stepArbitrary = (withPowerLoss: boolean): fc.Arbitrary<ReplicationStep> => {
  const replica = fc.nat({ max: 2 });
  const steps: Array<fc.WeightedArbitrary<ReplicationStep>> = [
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('produce' as const), count: fc.integer({ min: 1, max: 3 }) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('fetch' as const), replica }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'shrinkIsr' as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const), replica }) },
  ];
  if (withPowerLoss) {
    steps.push({ weight: 2, arbitrary: fc.record({ kind: fc.constant('flush' as const), replica }) });
    steps.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('powerLoss' as const), replica }) });
  }
  return fc.oneof(...steps);
};

const historyArbitrary = (withPowerLoss: boolean) =>
  fc.tuple(fc.integer({ min: 2, max: 3 }), fc.array(stepArbitrary(withPowerLoss), { maxLength: 40, size: 'max' }));

function checkEveryStep(rule: TruncationRule, replicaCount: number, steps: ReplicationStep[], check: (model: ReplicationModel) => void): void {
  let model = initialModel(replicaCount, rule);
  for (const step of steps) {
    model = applyStep(model, step);
    check(model);
  }
}

const logsMatch = (rule: TruncationRule) =>
  fc.property(historyArbitrary(true), ([replicaCount, steps]) =>
    checkEveryStep(rule, replicaCount, steps, (model) => {
      expect(logMatchingViolations(model)).toEqual([]);
      if (rule === 'leaderEpoch') {
        expect(model.replicas.flatMap((replica: ModelReplica) => logInvariantProblems(replica.log))).toEqual([]);
        expect(model.divergingFetches).toBe(0);
      }
    }),
  );

const committedRecordsSurvive = (rule: TruncationRule) =>
  fc.property(historyArbitrary(false), ([replicaCount, steps]) =>
    checkEveryStep(rule, replicaCount, steps, (model) => expect(lostCommittedRecords(model)).toEqual([])),
  );

// The weakening must be caught on every CI run, so it gets a fixed seed and a generous budget.
const weakeningParameters = { numRuns: 3_000, seed: 20_241_017 };

describe('log matching properties', () => {
  it('after random leader changes and follower truncations by epoch, logs agree below the smaller high watermark', () => {
    fc.assert(logsMatch('leaderEpoch'), { numRuns: propertyRuns(300) });
  });

  it('with clean elections and no power loss, no committed record is lost', () => {
    fc.assert(committedRecordsSurvive('leaderEpoch'), { numRuns: propertyRuns(300) });
  });

  it('truncate-to-high-watermark breaks log matching (R3/R4)', () => {
    const result = fc.check(logsMatch('highWatermark'), weakeningParameters);
    expect(result.failed).toBe(true);
  });

  it('truncate-to-high-watermark loses committed records (R3)', () => {
    const result = fc.check(committedRecordsSurvive('highWatermark'), weakeningParameters);
    expect(result.failed).toBe(true);
    expect(result.counterexample?.[0][1].length).toBeLessThanOrEqual(12);
  });
});
