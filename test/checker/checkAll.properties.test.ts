import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Checker } from '../../src/checker/CheckResult.ts';
import { checkAll } from '../../src/checker/checkAll.ts';
import { duplicate } from '../../src/checker/duplicate.ts';
import { g1a } from '../../src/checker/g1a.ts';
import { inconsistentOffsets } from '../../src/checker/inconsistentOffsets.ts';
import { lostWrite } from '../../src/checker/lostWrite.ts';
import { nonmonotonicPoll } from '../../src/checker/nonmonotonicPoll.ts';
import { nonmonotonicSend } from '../../src/checker/nonmonotonicSend.ts';
import { pollSkip } from '../../src/checker/pollSkip.ts';
import { unseen } from '../../src/checker/unseen.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';
import {
  corruptARead,
  duplicateAValue,
  failAReadWrite,
  hideAWrite,
  loseAWrite,
  reorderTwoSends,
  reorderWithinAPoll,
  rereadAcrossPolls,
  skipAcrossPolls,
  skipWithinAPoll,
  type Mutation,
} from './historyMutations.ts';
import { modelScenarioArbitrary, runModel } from './logModelHistory.ts';

// Histories from a correct log (logModelHistory.ts) must pass every checker; and for each anomaly, breaking
// such a history the matching way must make the matching checker fail, so no checker passes by being blind.

const seed = process.env.KAFKA_SIM_SEED;
const parameters = (runs: number): fc.Parameters<unknown> => ({
  numRuns: propertyRuns(runs),
  ...(seed === undefined ? {} : { seed: Number(seed) }),
});

describe('the history checkers over a correct log', () => {
  it('find no anomaly in any history of the model', () => {
    fc.assert(
      fc.property(modelScenarioArbitrary(), (scenario) => {
        const result = checkAll(runModel(scenario));
        expect(result.anomalies).toEqual({});
        expect(result.valid).not.toBe(false);
      }),
      parameters(150),
    );
  });

  it("are not vacuous: over the model's histories every checker passes with something to judge", () => {
    const scenarios = fc.sample(modelScenarioArbitrary(), { numRuns: 60, seed: 42 });
    const judged = new Map<string, number>();
    for (const scenario of scenarios) {
      for (const result of checkAll(runModel(scenario)).results) {
        if (result.valid === true) judged.set(result.checker, (judged.get(result.checker) ?? 0) + 1);
      }
    }
    for (const checker of ['inconsistent-offsets', 'duplicate', 'lost-write', 'unseen', 'nonmonotonic-send', 'nonmonotonic-poll', 'poll-skip', 'G1a']) {
      expect(judged.get(checker) ?? 0, checker).toBeGreaterThan(scenarios.length / 4);
    }
  });
});

interface Breakage {
  anomaly: string;
  checker: Checker;
  mutate: Mutation;
  /** The mutation causes this anomaly and no other. */
  alone?: boolean;
}

const breakages: Breakage[] = [
  { anomaly: 'lost-write', checker: lostWrite, mutate: loseAWrite },
  { anomaly: 'unseen', checker: unseen, mutate: hideAWrite },
  { anomaly: 'duplicate', checker: duplicate, mutate: duplicateAValue },
  { anomaly: 'inconsistent-offsets', checker: inconsistentOffsets, mutate: corruptARead },
  { anomaly: 'nonmonotonic-send', checker: nonmonotonicSend, mutate: reorderTwoSends, alone: true },
  { anomaly: 'nonmonotonic-poll', checker: nonmonotonicPoll, mutate: rereadAcrossPolls, alone: true },
  { anomaly: 'int-nonmonotonic-poll', checker: nonmonotonicPoll, mutate: reorderWithinAPoll },
  { anomaly: 'poll-skip', checker: pollSkip, mutate: skipAcrossPolls },
  { anomaly: 'int-poll-skip', checker: pollSkip, mutate: skipWithinAPoll },
  { anomaly: 'G1a', checker: g1a, mutate: failAReadWrite },
];

describe('each history checker fails on a correct history broken its way', () => {
  for (const { anomaly, checker, mutate, alone } of breakages) {
    it(`${anomaly}: ${mutate.name}${alone === true ? ' (and nothing else is reported)' : ''}`, () => {
      fc.assert(
        fc.property(modelScenarioArbitrary(), fc.nat(), (scenario, choice) => {
          const broken = mutate(runModel(scenario), choice);
          fc.pre(broken !== undefined);
          const result = checker(broken);
          expect(result.valid).toBe(false);
          expect(result.anomalies[anomaly]).toBeGreaterThan(0);
          expect(result.examples[anomaly]?.length).toBeGreaterThan(0);
          const all = checkAll(broken);
          expect(all.valid).toBe(false);
          if (alone === true) expect(Object.keys(all.anomalies)).toEqual([anomaly]);
        }),
        parameters(60),
      );
    });
  }
});
