// The scenario API: a whole run as plain JSON data, checked and resolved before it runs.
/** A scenario and its parts (the contract a scenario file follows), and the default phases of a run. */
export { defaultDurations } from './Scenario.ts';
export type { Durations, KeySpec, ProducerSpec, ReaderSpec, Scenario, TopicSpec, WorkloadSpec } from './Scenario.ts';
/** The weakenings a scenario may switch on, each with the known bug it reproduces. */
export { weakeningNames, weakenings } from './weakenings.ts';
export type { PropertyName, Weakening, WeakeningName } from './weakenings.ts';
/** Checks a scenario; throws a ScenarioError that lists every issue (path, value, what is allowed). */
export { validateScenario } from './validateScenario.ts';
/** The error of an invalid scenario, and one of its issues. */
export { ScenarioError } from './ScenarioError.ts';
export type { ScenarioIssue } from './ScenarioError.ts';
/** Checks a scenario and fills its defaults, as the plain JSON a replay capsule stores. */
export { defaultInvariantSampleMs, resolveScenario } from './resolveScenario.ts';
export type { ResolvedProducerSpec, ResolvedReaderSpec, ResolvedScenario } from './resolveScenario.ts';
/** Runs a scenario to its verdicts; and the same for a resolved one (what a capsule replays). */
export { runScenario, runScenarioAsync } from './runScenario.ts';
export { runResolvedScenario, runResolvedScenarioAsync } from './runResolvedScenario.ts';
export type { RunnableScenario, RunOptions, RunResult } from './runResolvedScenario.ts';
/** Replay capsules: everything to reproduce a run, and the replay that checks its traceHash. */
export { CAPSULE_FORMAT_VERSION, makeCapsule, replayCapsule } from './capsule.ts';
export type { ReplayCapsule } from './capsule.ts';
