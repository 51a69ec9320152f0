// `kafka-sim run [file]`: runs a scenario file (or the embedded default scenario) and prints its story. A run
// that finds a violation, or whose simulation fails, writes its replay capsule.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { World } from '../kernel/World.ts';
import { recordReplicas, reportOfRun } from '../report/reportOfRun.ts';
import type { ReplicaRecorder } from '../report/ReplicaRecorder.ts';
import type { ReportModel } from '../report/ReportModel.ts';
import { renderHtml } from '../report/renderHtml.ts';
import { renderMermaid } from '../report/renderMermaid.ts';
import { SimulationError } from '../kernel/SimulationError.ts';
import type { NodeNote } from '../kernel/NodeHost.ts';
import { makeCapsule } from '../scenario/capsule.ts';
import type { ResolvedScenario } from '../scenario/resolveScenario.ts';
import { runResolvedScenarioAsync } from '../scenario/runResolvedScenario.ts';
import { controllerEventsFrom, formatRun, leaderChangesFrom, sendStats } from './runSummary.ts';
import { ScenarioInputError } from './inputErrors.ts';

export { ScenarioInputError };
export { loadScenario } from './loadScenario.ts';

/** What `run` printed and its exit code: 0 valid, 1 a violation or a failed run. */
export interface RunOutcome {
  exitCode: 0 | 1;
  text: string;
  json: Record<string, unknown>;
}

/** Where to write the run's reports, if anywhere. */
export interface ReportPaths {
  /** A self-contained HTML report. */
  report?: string | undefined;
  /** A Markdown file with a Mermaid sequence diagram of the messages around the failure. */
  mermaid?: string | undefined;
  /**
   * Told the virtual time every 1,024 bus events, for a progress display; it only reads the World, so the run and
   * its traceHash are the same with it or without.
   */
  progress?: ((virtualMs: number) => void) | undefined;
  /** The command line, for the report's header (`kafka-sim run scenario.json --report r.html`). */
  command?: string | undefined;
}

/**
 * Runs a checked scenario and describes it; writes a capsule under `capsuleDir` when it finds a violation, and
 * the reports asked for.
 */
export async function runAndDescribe(scenario: ResolvedScenario, capsuleDir: string, wallClockMs: () => number, reports: ReportPaths = {}): Promise<RunOutcome> {
  const notes: NodeNote[] = [];
  const started = wallClockMs();
  const wantsReport = reports.report !== undefined || reports.mermaid !== undefined;
  let result;
  let world: World | undefined;
  let recorder: ReplicaRecorder | undefined;
  try {
    // The async runner: a scenario with real client applications needs it, and one without runs the same either way.
    result = await runResolvedScenarioAsync(scenario, {
      trace: wantsReport ? 'full' : 'hash',
      onWorld: (w) => {
        world = w;
        if (wantsReport) recorder = recordReplicas(w, scenario);
        w.notes$.subscribe((note) => notes.push(note));
        const { progress } = reports;
        if (progress !== undefined) {
          let events = 0;
          w.events$.subscribe(() => {
            if ((++events & 1023) === 0) progress(w.now);
          });
        }
      },
    });
  } catch (err) {
    if (!(err instanceof SimulationError)) throw err;
    const capsulePath = writeCapsule(capsuleDir, scenario, { traceHash: '' }, [`simulation failed: ${err.message}`]);
    return { exitCode: 1, text: `kafka-sim: run failed: ${err.message}\ncapsule: ${capsulePath}`, json: { failed: err.message, capsulePath } };
  }
  const wallMs = wallClockMs() - started;
  const leaderChanges = leaderChangesFrom(notes);
  const controllerEvents = controllerEventsFrom(notes);
  let text = formatRun(scenario, result, leaderChanges, wallMs, controllerEvents);
  const violations = [
    ...Object.entries(result.checkers.anomalies).map(([name, count]) => `${name} (${count})`),
    ...result.invariants.filter((i) => !i.valid).map((i) => `${i.invariant} (${i.violations})`),
  ];
  const capsulePath = result.valid === false ? writeCapsule(capsuleDir, scenario, result, violations) : null;
  const replayCommand = capsulePath === null ? undefined : `npx kafka-sim replay ${capsulePath}`;
  const context = { ...(reports.command === undefined ? {} : { command: reports.command }), ...(replayCommand === undefined ? {} : { replayCommand }) };
  const written = wantsReport && world !== undefined ? writeReports(reportOfRun(scenario, result, world, { ...(recorder === undefined ? {} : { recorder }), context }), reports) : [];
  for (const path of written) text += `\nreport: ${path}`;
  if (capsulePath !== null) text += `\ncapsule: ${capsulePath}\nreplay:  npx kafka-sim replay ${capsulePath}`;
  const json = {
    seed: scenario.seed,
    valid: result.valid,
    traceHash: result.traceHash,
    virtualMs: result.virtualMs,
    sends: sendStats(result.history),
    quiet: result.quiet,
    uncleanRecoveries: result.uncleanRecoveries,
    lossyElections: result.lossyElections,
    finalReadComplete: result.finalReadComplete,
    anomalies: result.checkers.anomalies,
    invariants: result.invariants.map((i) => ({ invariant: i.invariant, valid: i.valid, violations: i.violations })),
    faults: result.appliedFaults,
    leaderChanges,
    ...(controllerEvents.length === 0 ? {} : { controllerEvents }),
    capsulePath,
    reports: written,
  };
  return { exitCode: result.valid === false ? 1 : 0, text, json };
}

/** Writes the reports asked for; returns their paths. */
export function writeReports(model: ReportModel, reports: ReportPaths): string[] {
  const written: string[] = [];
  for (const [path, render] of [
    [reports.report, renderHtml],
    [reports.mermaid, renderMermaid],
  ] as const) {
    if (path === undefined) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, render(model));
    written.push(path);
  }
  return written;
}

function writeCapsule(dir: string, scenario: ResolvedScenario, result: { traceHash: string }, violations: string[]): string {
  mkdirSync(dir, { recursive: true });
  // The seed, the Kafka version and the run's traceHash name it: another scenario with the same seed is another
  // file, and a file of the same name holds the same run.
  const seed = String(scenario.seed).replace(/[^\w.-]/g, '_');
  const path = join(dir, `run-kafka${scenario.kafka.version}-seed${seed}-${result.traceHash.slice(0, 8)}.json`);
  writeFileSync(path, `${JSON.stringify(makeCapsule(scenario, result, { violations }), null, 2)}\n`);
  return path;
}
