import { resolveScenario } from './resolveScenario.ts';
import { runResolvedScenario, runResolvedScenarioAsync, type RunOptions, type RunResult } from './runResolvedScenario.ts';
import type { Scenario } from './Scenario.ts';

/**
 * Runs a scenario: checks it (a ScenarioError lists every bad field before anything runs), fills its defaults,
 * then runs the safety phase with its faults and the liveness phase, and returns the history, the checkers'
 * and invariants' verdicts, the final cluster state and the traceHash. The same scenario gives the same
 * traceHash in any process.
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  return runResolvedScenario(resolveScenario(scenario), options);
}

/** Runs a scenario that may have real client applications (`apps`); see runResolvedScenarioAsync. */
export async function runScenarioAsync(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  return runResolvedScenarioAsync(resolveScenario(scenario), options);
}
