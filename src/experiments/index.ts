import { acksExperiment } from './acksExperiment.ts';
import type { Experiment } from './Experiment.ts';
import { failoverExperiment } from './failoverExperiment.ts';
import { groupSizingExperiment } from './groupSizingExperiment.ts';
import { keysExperiment } from './keysExperiment.ts';
import { orderingExperiment } from './orderingExperiment.ts';
import { rebalanceExperiment } from './rebalanceExperiment.ts';
import { scalingExperiment } from './scalingExperiment.ts';
import { experimentNames } from './experimentNames.ts';

export type { Experiment, ExperimentOptions, ExperimentPlot, ExperimentResult, ExperimentTable } from './Experiment.ts';
export { markdownReport, markdownTable } from './markdown.ts';
export { plotSpec, renderSvg } from './plot.ts';

/** Every experiment, in the order the README shows them. */
export const experiments: readonly Experiment[] = [
  keysExperiment,
  acksExperiment,
  orderingExperiment,
  groupSizingExperiment,
  rebalanceExperiment,
  failoverExperiment,
  scalingExperiment,
];

// The light list of names (experimentNames.ts) must name these, in this order.
if (experiments.map((e) => e.name).join(',') !== experimentNames.join(',')) {
  throw new Error(`experimentNames.ts lists ${experimentNames.join(', ')}, but the experiments are ${experiments.map((e) => e.name).join(', ')}`);
}

export { experimentNames };
