// Builds a run's report from the World it ran in: the full trace, and the brokers' states at the end.
import { brokerStateOf } from '../scenario/clusterSample.ts';
import type { RunnableScenario, RunResult } from '../scenario/runResolvedScenario.ts';
import type { World } from '../kernel/World.ts';
import { buildReportModel, type ReportModel } from './ReportModel.ts';

/** The report model of a run that kept its full trace (`trace: 'full'`) in `world`. */
export function reportOfRun(scenario: RunnableScenario, result: RunResult, world: World): ReportModel {
  const brokers = Array.from({ length: scenario.brokers }, (_, i) => ({ brokerId: i + 1, state: brokerStateOf(world, i + 1) }));
  return buildReportModel({ scenario, result, trace: world.trace(), brokers });
}
