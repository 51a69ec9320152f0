// The messages around a failure as a Mermaid `sequenceDiagram`, which GitHub renders in issues and pull requests:
// paste the file's fenced block into a bug report. Dropped messages end in a cross; faults, leader changes and
// rebalances in the window are notes.
import type { ReportModel } from './ReportModel.ts';

/** The report's message window as a Markdown document holding one Mermaid sequence diagram. */
export function renderMermaid(model: ReportModel, maxMessages = 60): string {
  const messages = model.messages.slice(0, maxMessages);
  const lastMs = messages.at(-1)?.sentMs ?? model.window.toMs;
  const used = new Set(messages.flatMap((m) => [m.from, m.to]));
  const participants = model.nodes.filter((node) => used.has(node));
  const alias = (node: string) => node.replace(/[^A-Za-z0-9]/g, '_');
  const events = model.events.filter((e) => e.atMs >= model.window.fromMs && e.atMs <= lastMs);
  const lines: string[] = ['sequenceDiagram'];
  for (const node of participants) lines.push(`  participant ${alias(node)} as ${node}`);
  let e = 0;
  for (const message of messages) {
    while (e < events.length && (events[e]?.atMs ?? Infinity) <= message.sentMs) lines.push(noteLine(events[e++] as ReportModel['events'][number], participants, alias));
    const arrow = message.dropped === null ? '->>' : '-x';
    const what = message.dropped === null ? message.type : `${message.type} (dropped: ${message.dropped})`;
    lines.push(`  ${alias(message.from)}${arrow}${alias(message.to)}: ${clean(what)} @${ms(message.sentMs)}`);
  }
  while (e < events.length) lines.push(noteLine(events[e++] as ReportModel['events'][number], participants, alias));
  return [
    `# ${model.title}`,
    '',
    `Verdict: ${model.valid === true ? 'valid' : model.valid === false ? 'VIOLATIONS' : 'unknown'}; traceHash \`${model.traceHash}\`.`,
    `Messages ${model.window.reason}, from ${ms(model.window.fromMs)} ms of virtual time (${messages.length} of ${model.window.inWindow}; heartbeats and replication fetches left out).`,
    '',
    '```mermaid',
    ...lines,
    '```',
    '',
  ].join('\n');
}

function noteLine(event: ReportModel['events'][number], participants: readonly string[], alias: (node: string) => string): string {
  const first = participants[0] ?? 'controller';
  const last = participants.at(-1) ?? first;
  return `  Note over ${alias(first)},${alias(last)}: ${event.kind} @${ms(event.atMs)}: ${clean(event.text).slice(0, 120)}`;
}

// Mermaid reads ';' and '#' specially in message text.
function clean(text: string): string {
  return text.replace(/[;#]/g, ',');
}

function ms(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
