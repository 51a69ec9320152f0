// What an experiment is and what it produces: a table (Markdown and JSON) and a plot (SVG), each measuring one of
// Kafka's textbook claims over many seeds, with a verdict saying whether the numbers agree with the claim.

/** How many seeds and how big: `quick` for tests and a first look, the full size for the README's tables. */
export interface ExperimentOptions {
  seeds: number;
  quick: boolean;
  /** Called after each simulated run, for a progress bar. */
  onRun?: (label: string) => void;
}

export interface TableColumn {
  key: string;
  title: string;
}

export type Cell = string | number | boolean | null;

export interface ExperimentTable {
  columns: TableColumn[];
  rows: Array<Record<string, Cell>>;
}

/**
 * A plot as data: one point per row, `x` against `y`, one series per distinct `series` value, with an optional
 * 95% interval (`low`/`high`) drawn as error bars. Bars for a categorical `x`, lines for a quantitative one.
 */
export interface ExperimentPlot {
  title: string;
  kind: 'bar' | 'line';
  xTitle: string;
  yTitle: string;
  /** A log scale for x (partition counts from 1 to 1,000). */
  xLog?: boolean;
  /** A symmetric log scale for y, which shows 0 and counts that differ by orders of magnitude on one axis. */
  ySymlog?: boolean;
  seriesTitle?: string;
  points: Array<{ x: string | number; y: number; low?: number; high?: number; series?: string }>;
}

export interface ExperimentResult {
  name: string;
  title: string;
  /** The textbook claim the experiment measures. */
  claim: string;
  seeds: number;
  quick: boolean;
  table: ExperimentTable;
  plot: ExperimentPlot;
  /** Whether the numbers agree with the claim, and what they say. */
  verdict: { agrees: boolean; summary: string };
  /** How the numbers were measured (scenario, faults, what counts). */
  method: string;
}

export interface Experiment {
  name: string;
  title: string;
  claim: string;
  run(options: ExperimentOptions): ExperimentResult;
}

/** An experiment's result: its name, title and claim, the options it ran with, and what it measured. */
export function experimentResult(
  experiment: Pick<Experiment, 'name' | 'title' | 'claim'>,
  options: ExperimentOptions,
  measured: Omit<ExperimentResult, 'name' | 'title' | 'claim' | 'seeds' | 'quick'>,
): ExperimentResult {
  return { name: experiment.name, title: experiment.title, claim: experiment.claim, seeds: options.seeds, quick: options.quick, ...measured };
}
