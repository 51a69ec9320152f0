// `kafka-sim replay capsule.json`: runs a replay capsule again and checks it reproduces the run it recorded.
import { readJsonInput } from './jsonDepth.ts';
import { CAPSULE_FORMAT_VERSION, replayCapsuleAsync, type ReplayCapsule } from '../scenario/capsule.ts';
import { ScenarioError } from '../scenario/ScenarioError.ts';
import { validateScenario } from '../scenario/validateScenario.ts';
import type { World } from '../kernel/World.ts';
import { recordReplicas, reportOfRun } from '../report/reportOfRun.ts';
import type { ReplicaRecorder } from '../report/ReplicaRecorder.ts';
import type { ReportContext } from '../report/ReportModel.ts';
import { writeReports, type ReportPaths } from './runCommand.ts';

/** What a replay printed and how the command exits: 0 valid run, 1 violations reproduced, 3 another trace. */
export interface ReplayOutcome {
  exitCode: 0 | 1 | 3;
  text: string;
  json: Record<string, unknown>;
}

import { CapsuleInputError } from './inputErrors.ts';

export { CapsuleInputError };

/** Reads and checks a capsule file. */
export function readCapsule(path: string): ReplayCapsule {
  const capsule = readJsonInput(path, 'capsule', (message) => new CapsuleInputError(message)) as Partial<ReplayCapsule> | null;
  if (capsule === null || typeof capsule !== 'object') throw new CapsuleInputError(`capsule ${JSON.stringify(path)} must be a JSON object`);
  if (capsule.formatVersion !== CAPSULE_FORMAT_VERSION) {
    throw new CapsuleInputError(`capsule formatVersion: got ${JSON.stringify(capsule.formatVersion)}, allowed: ${CAPSULE_FORMAT_VERSION}`);
  }
  if (typeof capsule.traceHash !== 'string' || !/^[0-9a-f]{64}$/.test(capsule.traceHash)) {
    throw new CapsuleInputError(`capsule traceHash: got ${JSON.stringify(capsule.traceHash)}, allowed: a SHA-256 hex string (64 characters)`);
  }
  if (!Array.isArray(capsule.violations) || !capsule.violations.every((v) => typeof v === 'string')) {
    throw new CapsuleInputError(`capsule violations: got ${JSON.stringify(capsule.violations)?.slice(0, 80)}, allowed: an array of strings (empty for a valid run)`);
  }
  if (capsule.property !== undefined && typeof capsule.property !== 'string') {
    throw new CapsuleInputError(`capsule property: got ${JSON.stringify(capsule.property)?.slice(0, 80)}, allowed: a property name, or no field`);
  }
  const { fastCheck } = capsule;
  if (fastCheck !== undefined && (fastCheck === null || typeof fastCheck !== 'object' || !Number.isSafeInteger(fastCheck.seed) || typeof fastCheck.path !== 'string')) {
    throw new CapsuleInputError(`capsule fastCheck: got ${JSON.stringify(fastCheck)?.slice(0, 80)}, allowed: { seed: an integer, path: a string }, or no field`);
  }
  try {
    validateScenario(capsule.scenario);
  } catch (err) {
    if (err instanceof ScenarioError) throw new CapsuleInputError(`capsule scenario is invalid: ${err.message}`);
    throw err;
  }
  return capsule as ReplayCapsule;
}

/** Replays a capsule (read from `capsulePath`) and describes the outcome; writes the reports asked for. */
export async function replay(capsule: ReplayCapsule, reports: ReportPaths = {}, capsulePath = 'capsule.json'): Promise<ReplayOutcome> {
  const wantsReport = reports.report !== undefined || reports.mermaid !== undefined;
  let world: World | undefined;
  let recorder: ReplicaRecorder | undefined;
  const { result, sameTrace } = await replayCapsuleAsync(capsule, {
    trace: wantsReport ? 'full' : 'hash',
    onWorld: (w) => {
      world = w;
      if (wantsReport) recorder = recordReplicas(w, capsule.scenario);
    },
  });
  const context: ReportContext = {
    ...(reports.command === undefined ? {} : { command: reports.command }),
    ...(capsule.property === undefined ? {} : { property: capsule.property }),
    replay: { capsule: capsulePath, recordedTraceHash: capsule.traceHash, sameTrace },
    replayCommand: `npx kafka-sim replay ${capsulePath}`,
  };
  const written = wantsReport && world !== undefined ? writeReports(reportOfRun(capsule.scenario, result, world, { ...(recorder === undefined ? {} : { recorder }), context }), reports) : [];
  const anomalies = Object.entries(result.checkers.anomalies).map(([name, count]) => `${name} (${count})`);
  const invariants = result.invariants.filter((i) => !i.valid).map((i) => `${i.invariant} (${i.violations})`);
  const found = [...anomalies, ...invariants];
  const exitCode = !sameTrace ? 3 : result.valid === false ? 1 : 0;
  const lines = [
    `replay of ${capsule.property ?? 'a run'} (seed ${String(capsule.scenario.seed)}, ${capsule.scenario.faults.length} faults)`,
    `traceHash ${result.traceHash} ${sameTrace ? '(same as recorded)' : `DIFFERS from recorded ${capsule.traceHash}`}`,
    `verdict: ${result.valid === false ? 'violations' : result.valid === true ? 'valid' : 'unknown'}${found.length > 0 ? `: ${found.join(', ')}` : ''}`,
    `recorded: ${capsule.violations.length > 0 ? capsule.violations.join(', ') : 'none'}`,
    ...written.map((path) => `report: ${path}`),
  ];
  return {
    exitCode,
    text: lines.join('\n'),
    json: { traceHash: result.traceHash, recordedTraceHash: capsule.traceHash, sameTrace, valid: result.valid, anomalies: result.checkers.anomalies, invariants: result.invariants, recordedViolations: capsule.violations, reports: written },
  };
}
