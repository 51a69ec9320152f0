// The replay capsule (DESIGN.md §5): everything needed to reproduce a run exactly, as one JSON file. The
// resolved scenario carries the seed, the weakenings and the fault schedule; the workload is derived from the
// scenario and the seed, so it is not stored twice. The fast-check seed and path name the counterexample in
// its property run, and `traceHash` is what a replay must reproduce.
import { runResolvedScenario, runResolvedScenarioAsync, type RunOptions, type RunResult, type RunnableScenario } from './runResolvedScenario.ts';

/** The capsule's format; a replay refuses any other. */
export const CAPSULE_FORMAT_VERSION = 1;

/** A replay capsule. */
export interface ReplayCapsule {
  formatVersion: typeof CAPSULE_FORMAT_VERSION;
  /** The property that failed, when the run came from a property check. */
  property?: string;
  scenario: RunnableScenario;
  /** fast-check's seed and shrink path for the counterexample, when it came from a property check. */
  fastCheck?: { seed: number; path: string };
  /** The anomalies and invariant violations the run found. */
  violations: string[];
  traceHash: string;
}

/** A capsule for a run of `scenario` that gave `result`. */
export function makeCapsule(
  scenario: RunnableScenario,
  result: Pick<RunResult, 'traceHash'>,
  details: { property?: string; fastCheck?: { seed: number; path: string }; violations: string[] },
): ReplayCapsule {
  return { formatVersion: CAPSULE_FORMAT_VERSION, ...details, scenario, traceHash: result.traceHash };
}

/** Replays a capsule: the run again, and whether its traceHash is the one recorded. */
export function replayCapsule(capsule: ReplayCapsule, options: RunOptions = {}): { result: RunResult; sameTrace: boolean } {
  if (capsule.formatVersion !== CAPSULE_FORMAT_VERSION) {
    throw new Error(`replay: capsule formatVersion must be ${CAPSULE_FORMAT_VERSION}, got ${JSON.stringify(capsule.formatVersion)}`);
  }
  const result = runResolvedScenario(capsule.scenario, options);
  return { result, sameTrace: result.traceHash === capsule.traceHash };
}

/** Replays a capsule that may hold real client applications (their modules are loaded again from their paths). */
export async function replayCapsuleAsync(capsule: ReplayCapsule, options: RunOptions = {}): Promise<{ result: RunResult; sameTrace: boolean }> {
  if (capsule.formatVersion !== CAPSULE_FORMAT_VERSION) {
    throw new Error(`replay: capsule formatVersion must be ${CAPSULE_FORMAT_VERSION}, got ${JSON.stringify(capsule.formatVersion)}`);
  }
  const result = await runResolvedScenarioAsync(capsule.scenario, options);
  return { result, sameTrace: result.traceHash === capsule.traceHash };
}
