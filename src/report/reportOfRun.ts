// Builds a run's report from the World it ran in: the full trace, the brokers' states at the end, and (when a
// ReplicaRecorder watched the run) every replica's log over time.
import { brokerStateOf } from '../scenario/clusterSample.ts';
import type { RunnableScenario, RunResult } from '../scenario/runResolvedScenario.ts';
import type { World } from '../kernel/World.ts';
import { buildReportModel, type ReportContext, type ReportModel } from './ReportModel.ts';
import { ReplicaRecorder } from './ReplicaRecorder.ts';
import { readWireTrace } from './wireTrace.ts';

/** Starts watching a World's replicas for the report (pass it from `onWorld`, before anything runs). */
export function recordReplicas(world: World, scenario: Pick<RunnableScenario, 'brokers'>): ReplicaRecorder {
  return new ReplicaRecorder(world, Array.from({ length: scenario.brokers }, (_, i) => i + 1));
}

/** The report model of a run that kept its full trace (`trace: 'full'`) in `world`. */
export function reportOfRun(
  scenario: RunnableScenario,
  result: RunResult,
  world: World,
  options: { readonly recorder?: ReplicaRecorder; readonly context?: ReportContext } = {},
): ReportModel {
  const brokers = Array.from({ length: scenario.brokers }, (_, i) => ({ brokerId: i + 1, state: brokerStateOf(world, i + 1) }));
  const { recorder, context } = options;
  recorder?.finish();
  return buildReportModel({
    scenario,
    result,
    // Real clients' bytes shown as the Kafka requests and responses they carry (a run without them is unchanged).
    trace: scenario.apps === undefined || scenario.apps.length === 0 ? world.trace() : readWireTrace(world.trace()),
    brokers,
    ...(recorder === undefined ? {} : { timeline: (partition: string) => recorder.timeline(partition) }),
    ...(context === undefined ? {} : { context }),
  });
}
