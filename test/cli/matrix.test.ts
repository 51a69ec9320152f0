import { describe, expect, it } from 'vitest';
import { formatMatrix, type MatrixRow } from '../../src/cli/matrixCommand.ts';

const row = (overrides: Partial<MatrixRow>): MatrixRow => ({
  weakening: 'acks-1',
  bug: 'R2',
  property: 'no-loss',
  ok: true,
  caughtBy: 'runs',
  runs: 4,
  seconds: 12.5,
  shrunkFaults: 2,
  shrunkRecords: 30,
  violations: ['lost-write (1)'],
  capsulePath: 'reports/capsules/x.json',
  ...overrides,
});

describe('formatMatrix', () => {
  it('lists each weakening with its property, how it was caught, the runs, the seconds and the shrunk size', () => {
    const text = formatMatrix(
      [
        row({}),
        row({ weakening: 'assignment-before-commit', bug: 'X3', property: 'single-owner', caughtBy: 'committed counterexample', runs: 200, shrunkFaults: null, shrunkRecords: null }),
        row({ weakening: null, bug: null, property: 'ordering', caughtBy: null, runs: 200, shrunkFaults: null, shrunkRecords: null }),
      ],
      200,
      1,
    );
    expect(text).toMatch(/acks-1 +R2 +no-loss +caught +4 +12.5 +2 faults, 30 records/);
    expect(text).toMatch(/assignment-before-commit +X3 +single-owner +caught \(committed counterexample\) +200/);
    expect(text).toMatch(/\(none\) +ordering +held +200/);
    expect(text).toMatch(/verdict: every weakening caught, every property held$/);
  });

  it('marks the cross cells of --full (a weakening against another property) as information only', () => {
    const text = formatMatrix([row({ property: 'ordering', caughtBy: null }), row({ property: 'log-matching', caughtBy: 'runs' })], 10, 1);
    expect(text).toMatch(/acks-1 +R2 +ordering +held \(cross\)/);
    expect(text).toMatch(/acks-1 +R2 +log-matching +broken too \(cross\)/);
    expect(text).toMatch(/verdict: every weakening caught, every property held$/);
  });

  it('says which budget catches a weakening the runs missed, or how far it looked', () => {
    const text = formatMatrix(
      [
        row({ ok: false, caughtBy: null, runs: 10, beyondBudget: { searchedTo: 200, catchingBudget: 161 } }),
        row({ weakening: 'assignment-before-commit', bug: 'X3', property: 'single-owner', caughtBy: 'committed counterexample', runs: 10, beyondBudget: { searchedTo: 200, catchingBudget: null } }),
      ],
      10,
      1,
    );
    expect(text).toContain('acks-1: the runs did not catch it in a budget of 10; run 161 does: --runs 161 (seed 1)');
    expect(text).toContain('assignment-before-commit: the runs did not catch it in a budget of 10, nor up to run 200 (seed 1)');
  });

  it('fails the verdict when a weakening is not caught or a property fails without one', () => {
    expect(formatMatrix([row({ ok: false, caughtBy: null })], 10, 1)).toMatch(/NOT CAUGHT[\s\S]*verdict: FAILED$/);
    expect(formatMatrix([row({ weakening: null, ok: false })], 10, 1)).toMatch(/FAILED[\s\S]*verdict: FAILED$/);
  });
});
