// Renders an ExperimentPlot to SVG with Vega-Lite (compiled to Vega and drawn headless, no browser or canvas):
// titled, labelled axes, a legend when there are series, and 95% intervals as error bars.
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ExperimentPlot } from './Experiment.ts';

/** The Vega-Lite specification of a plot (also written beside the SVG, for anyone who wants to restyle it). */
export function plotSpec(plot: ExperimentPlot): TopLevelSpec {
  const hasSeries = plot.points.some((p) => p.series !== undefined);
  const hasInterval = plot.points.some((p) => p.low !== undefined && p.high !== undefined);
  const categorical = plot.kind === 'bar';
  const longLabels = plot.points.some((p) => String(p.x).length > 12);
  const x = categorical
    ? { field: 'x', type: 'nominal' as const, title: plot.xTitle, sort: null, axis: { labelAngle: longLabels ? -20 : 0, labelLimit: 240 } }
    : { field: 'x', type: 'quantitative' as const, title: plot.xTitle, ...(plot.xLog ? { scale: { type: 'log' as const } } : {}) };
  const color = hasSeries ? { field: 'series', type: 'nominal' as const, title: plot.seriesTitle ?? '', sort: null, legend: { labelLimit: 400 } } : undefined;
  const offset = categorical && hasSeries ? { xOffset: { field: 'series', type: 'nominal' as const, sort: null } } : {};
  const symlog = plot.ySymlog ? { scale: { type: 'symlog' as const }, axis: { values: [0, 1, 10, 100, 1_000, 10_000, 100_000] } } : {};
  const y = { field: 'y', type: 'quantitative' as const, title: plot.yTitle, ...symlog };
  const main = {
    mark: categorical ? { type: 'bar' as const } : { type: 'line' as const, point: true },
    encoding: { x, y, ...(color ? { color } : {}), ...offset },
  };
  const layers: unknown[] = [main];
  if (hasInterval) {
    layers.push({
      mark: { type: 'errorbar' as const, ticks: true },
      encoding: {
        x,
        y: { ...y, field: 'low' },
        y2: { field: 'high' },
        ...(color ? { color } : {}),
        ...offset,
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: plot.title,
    width: 480,
    height: 280,
    background: 'white',
    data: { values: plot.points.map((p) => ({ ...p })) },
    layer: layers,
  } as TopLevelSpec;
}

/** The plot as a standalone SVG document. */
export async function renderSvg(plot: ExperimentPlot): Promise<string> {
  const view = new View(parse(compile(plotSpec(plot)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
