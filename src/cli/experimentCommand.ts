// kafka-sim experiment NAME|all: runs an experiment over seeds and writes its table (Markdown and JSON) and its
// plot (SVG, with the Vega-Lite spec beside it) to a directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experiments, markdownReport, markdownTable, plotSpec, renderSvg, type ExperimentResult } from '../experiments/index.ts';

import { ExperimentInputError } from './inputErrors.ts';

export { ExperimentInputError };
export { resolveExperiments } from './resolveExperiments.ts';

export interface ExperimentCommandOptions {
  names: string[];
  outDir: string;
  seeds: number | undefined;
  quick: boolean;
  onRun?: (label: string) => void;
}

export interface WrittenExperiment {
  result: ExperimentResult;
  files: { markdown: string; json: string; svg: string; spec: string };
}

/** Runs the experiments and writes their files. */
export async function runExperiments(options: ExperimentCommandOptions): Promise<WrittenExperiment[]> {
  mkdirSync(options.outDir, { recursive: true });
  const written: WrittenExperiment[] = [];
  for (const name of options.names) {
    const experiment = experiments.find((e) => e.name === name);
    if (experiment === undefined) throw new ExperimentInputError(`unknown experiment "${name}"`);
    const seeds = options.seeds ?? (options.quick ? 2 : 10);
    const result = experiment.run({ seeds, quick: options.quick, ...(options.onRun ? { onRun: options.onRun } : {}) });
    const files = {
      markdown: join(options.outDir, `${name}.md`),
      json: join(options.outDir, `${name}.json`),
      svg: join(options.outDir, `${name}.svg`),
      spec: join(options.outDir, `${name}.vl.json`),
    };
    writeFileSync(files.svg, await renderSvg(result.plot));
    writeFileSync(files.spec, `${JSON.stringify(plotSpec(result.plot), null, 2)}\n`);
    writeFileSync(files.json, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(files.markdown, markdownReport(result, `${name}.svg`));
    written.push({ result, files });
  }
  return written;
}

/** What the command prints for one experiment. */
export function formatExperiment({ result, files }: WrittenExperiment): string {
  return [
    `${result.title} (${result.name}, ${result.seeds} seeds${result.quick ? ', quick' : ''})`,
    markdownTable(result.table),
    `${result.verdict.agrees ? 'Agrees with the claim' : 'Differs from the claim'}: ${result.verdict.summary}`,
    `Wrote ${files.markdown}, ${files.json}, ${files.svg}`,
  ].join('\n');
}
