import type { ExperimentResult, ExperimentTable } from './Experiment.ts';

/** A GitHub Markdown table. */
export function markdownTable(table: ExperimentTable): string {
  const escape = (cell: unknown) => String(cell ?? '').replaceAll('|', '\\|');
  const header = `| ${table.columns.map((c) => escape(c.title)).join(' | ')} |`;
  const rule = `|${table.columns.map(() => '---').join('|')}|`;
  const rows = table.rows.map((row) => `| ${table.columns.map((c) => escape(row[c.key])).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

/** An experiment's Markdown page: claim, method, table, verdict, and the plot beside it. */
export function markdownReport(result: ExperimentResult, plotFile: string): string {
  return [
    `# ${result.title}`,
    '',
    `**Claim.** ${result.claim}`,
    '',
    `**Method.** ${result.method} ${result.seeds} seed${result.seeds === 1 ? '' : 's'}${result.quick ? ' (quick)' : ''}; intervals are 95% confidence intervals of the mean over seeds.`,
    '',
    markdownTable(result.table),
    '',
    `**${result.verdict.agrees ? 'Agrees with the claim' : 'Differs from the claim'}.** ${result.verdict.summary}`,
    '',
    `![${result.plot.title}](${plotFile})`,
    '',
    `Reproduce: \`npx kafka-sim experiment ${result.name} --seeds ${result.seeds}${result.quick ? ' --quick' : ''}\``,
    '',
  ].join('\n');
}
