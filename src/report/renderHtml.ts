// A run as one self-contained HTML page (no script, no network), told as a story: what ran (storyHtml.ts), what
// went wrong in sentences, each violating record from send to loss, the replica logs over time, then the messages
// that carried those records as a sequence diagram with the faults marked, the timeline of faults, leader changes
// and rebalances, each client's operations on a time axis (the ones a checker named outlined in red), the
// replicas' logs at the end, and the verdicts with their examples. Long tables are collapsed. The pictures are
// inline SVG drawn from the report model.
import { esc, fmt, timeAxis } from './html.ts';
import type { ReportMessage, ReportModel, ReportOperation } from './ReportModel.ts';
import { anomaliesSection, headerSection, replicaHistorySection, storiesSection } from './storyHtml.ts';

/** Tables longer than this many rows start collapsed. */
const COLLAPSE_ROWS = 25;

/** The report as an HTML document. */
export function renderHtml(model: ReportModel): string {
  const verdict = model.valid === true ? 'valid' : model.valid === false ? 'VIOLATIONS' : 'unknown';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(model.title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2329; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 10px; color: #fff; font-weight: bold; }
.valid { background: #2e7d32; } .VIOLATIONS { background: #c62828; } .unknown { background: #777; }
.ok { color: #2e7d32; } .failed { color: #c62828; font-weight: bold; }
.fault { background: #fff3e0; } .leader { background: #e3f2fd; } .generation { background: #ede7f6; } .violation { background: #ffebee; font-weight: bold; }
pre { background: #f6f8fa; padding: .5rem; max-height: 16rem; overflow: auto; font-size: 12px; }
.log td { font-family: ui-monospace, monospace; font-size: 12px; }
.committed { background: #e8f5e9; } .diverged { background: #ffcdd2; }
svg text { font: 11px ui-monospace, monospace; }
table.header th { background: #f5f7f9; width: 8rem; } table.header code { font-size: 12px; }
ul.anomalies li { margin: .3rem 0; } .jepsen { color: #c62828; font-family: ui-monospace, monospace; }
.story { border-left: 4px solid #c62828; padding: 0 .8rem; margin: .8rem 0; } .story h3 { margin: .3rem 0; font-family: ui-monospace, monospace; }
.story .sentences { font-size: 13px; margin: .3rem 0; }
details > summary { cursor: pointer; color: #37474f; }
</style>
</head>
<body>
<h1>${esc(model.title)} <span class="badge ${verdict}" id="verdict">${verdict}</span></h1>
${headerSection(model)}
${anomaliesSection(model)}
${storiesSection(model)}
${replicaHistorySection(model)}
${messagesSection(model)}
${timelineSection(model)}
${clientsSection(model)}
${replicasSection(model)}
${verdictsSection(model)}
</body>
</html>
`;
}

function verdictsSection(model: ReportModel): string {
  const rows = model.verdicts.map((v) => {
    const examples = Object.keys(v.examples).length === 0 ? '' : `<details><summary>examples</summary><pre>${esc(JSON.stringify(v.examples, null, 2))}</pre></details>`;
    return `<tr><td>${esc(v.checker)}</td><td class="${v.valid === false ? 'failed' : 'ok'}">${v.valid === true ? 'ok' : v.valid === false ? 'FAILED' : 'unknown'}</td><td>${esc(JSON.stringify(v.anomalies))}${examples}</td></tr>`;
  });
  const invariants = model.invariants.map(
    (i) => `<tr><td>${esc(i.invariant)}</td><td class="${i.valid ? 'ok' : 'failed'}">${i.valid ? 'ok' : `FAILED (${i.violations})`}</td><td>${i.valid ? '' : `<pre>${esc(JSON.stringify(i.examples, null, 2))}</pre>`}</td></tr>`,
  );
  return `<h2 id="verdicts">Verdicts of every checker</h2>
<table><tr><th>checker</th><th>result</th><th>anomalies</th></tr>${rows.join('')}</table>
<table><tr><th>invariant</th><th>result</th><th>examples</th></tr>${invariants.join('')}</table>`;
}

function timelineSection(model: ReportModel): string {
  const rows = model.events.map((e) => `<tr class="${e.kind}"><td>${fmt(e.atMs)}</td><td>${e.kind}</td><td>${esc(e.text)}</td></tr>`);
  return `<h2 id="timeline">Timeline (virtual ms)</h2>
${collapsed(`<table><tr><th>time</th><th>what</th><th></th></tr>${rows.join('')}</table>`, rows.length, 'events')}`;
}

// A table of more than COLLAPSE_ROWS rows inside a closed <details>.
function collapsed(table: string, rows: number, what: string, open = false): string {
  return rows <= COLLAPSE_ROWS && !open ? table : `<details${open ? ' open' : ''}><summary>${rows} ${what}</summary>${table}</details>`;
}

// One row per client; each operation a bar from its invocation to its completion, colored by how it ended.
function clientsSection(model: ReportModel): string {
  const width = 1000;
  const left = 110;
  const rowHeight = 20;
  const scale = (width - left - 10) / Math.max(1, model.virtualMs);
  const colors: Record<ReportOperation['type'], string> = { ok: '#66bb6a', fail: '#ffa726', info: '#9e9e9e' };
  const rows = model.clients.map((client, row) => {
    const y = 10 + row * rowHeight;
    const bars = client.operations.map((op) => {
      const x = left + op.startMs * scale;
      const w = Math.max(1.5, (op.endMs - op.startMs) * scale);
      const stroke = op.offending ? ' stroke="#c62828" stroke-width="2"' : '';
      return `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="14" fill="${colors[op.type]}"${stroke}><title>${esc(`#${op.index} ${fmt(op.startMs)}-${fmt(op.endMs)} ms ${op.label}`)}</title></rect>`;
    });
    return `<text x="4" y="${y + 11}">${esc(client.process)}</text>${bars.join('')}`;
  });
  const axisY = 14 + model.clients.length * rowHeight;
  const height = axisY + 34;
  const axis = timeAxis({ x0: left, width: width - left - 10, y: axisY, fromMs: 0, toMs: Math.max(1, model.virtualMs) });
  const offending = model.clients.flatMap((c) => c.operations.filter((o) => o.offending).map((o) => `<li>${esc(c.process)} #${o.index} at ${fmt(o.startMs)}-${fmt(o.endMs)} ms: ${esc(o.label)}</li>`));
  return `<h2 id="clients">Client operations</h2>
<p>Green: ok; orange: failed; gray: unknown outcome (info). Outlined in red: operations a checker named. Empty polls are left out; hover a bar for its operation.</p>
<svg width="${width}" height="${height}" role="img" aria-label="client operations">${rows.join('')}${axis}</svg>
${offending.length === 0 ? '' : `<ul>${offending.slice(0, 50).join('')}</ul>`}`;
}

// A sequence diagram: a lifeline per node, an arrow per message in send order, dropped ones dashed and red; the
// faults of the stretch shown as orange rules between the messages, at their time; the acknowledgement of a
// violating record and the message after which a replica's copy of it was gone marked in red.
function messagesSection(model: ReportModel): string {
  const column = 120;
  const top = 30;
  const rowHeight = 16;
  const xOf = new Map(model.nodes.map((node, i) => [node, 60 + i * column]));
  const width = Math.max(1000, 60 + model.nodes.length * column + 160);
  const lastMs = model.messages.at(-1)?.sentMs ?? model.window.toMs;
  const faults = model.events.filter((e) => (e.kind === 'fault' || e.kind === 'violation') && e.atMs >= model.window.fromMs && e.atMs <= lastMs);
  const rows: string[] = [];
  let y = top;
  let f = 0;
  const rule = (event: ReportModel['events'][number]) => {
    const color = event.kind === 'fault' ? '#ef6c00' : '#c62828';
    rows.push(`<g class="${event.kind}-mark"><line x1="20" y1="${y}" x2="${width - 20}" y2="${y}" stroke="${color}" stroke-dasharray="6 3"/><text x="24" y="${y - 3}" fill="${color}">${esc(`${event.kind} @${fmt(event.atMs)}: ${event.text}`.slice(0, 140))}</text></g>`);
    y += rowHeight;
  };
  for (const m of model.messages) {
    while (f < faults.length && (faults[f]?.atMs ?? Infinity) <= m.sentMs) rule(faults[f++] as ReportModel['events'][number]);
    rows.push(arrow(m, y, xOf));
    y += rowHeight;
  }
  const height = y + rowHeight;
  const heads = model.nodes.map((node) => {
    const x = xOf.get(node) ?? 0;
    return `<text x="${x}" y="16" text-anchor="middle">${esc(node)}</text><line x1="${x}" y1="22" x2="${x}" y2="${height}" stroke="#bbb"/>`;
  });
  const w = model.window;
  const what =
    w.reason === 'that carried the violating records'
      ? `${model.messages.length} of the ${w.inWindow} messages that carried the violating records (produce requests, the answers, fetch answers with the records and the fetches they answered), and the message each replica took just before its copy was gone`
      : `from ${fmt(w.fromMs)} ms: ${model.messages.length} of the ${w.inWindow} messages from then on (heartbeats and replication fetches left out)`;
  return `<h2 id="messages">Messages ${esc(w.reason)}</h2>
<p>${esc(what)}, in the order they were sent. Orange rules: faults; red: the acknowledgement of a lost record, and where a copy was truncated.</p>
<svg width="${width}" height="${height}" role="img" aria-label="message sequence diagram">
<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#455a64"/></marker></defs>
${heads.join('')}${rows.join('')}</svg>`;
}

function arrow(m: ReportMessage, y: number, xOf: ReadonlyMap<string, number>): string {
  const x1 = xOf.get(m.from) ?? 0;
  const x2 = xOf.get(m.to) ?? 0;
  const dropped = m.dropped !== null;
  const marked = m.mark === 'ack' || m.mark === 'truncation';
  const style = dropped ? 'stroke="#c62828" stroke-dasharray="4 3"' : marked ? 'stroke="#c62828" stroke-width="2" marker-end="url(#head)"' : 'stroke="#455a64" marker-end="url(#head)"';
  const markText = m.mark === 'ack' ? ' ✔ acknowledges a lost record' : m.mark === 'truncation' ? ' ✘ then the copy was gone' : m.mark === 'leader' ? ' → a new leader' : '';
  const label = `${m.type} @${fmt(m.sentMs)}${dropped ? ` dropped: ${m.dropped}` : ''}${markText}`;
  const mid = (x1 + x2) / 2;
  return `<g${marked ? ` class="violation-mark" data-mark="${m.mark}"` : ''}><title>${esc(`${m.from} -> ${m.to}: ${label}${m.arrivedMs === null ? '' : `, arrived @${fmt(m.arrivedMs)}`}`)}</title><line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" ${style}/><text x="${mid}" y="${y - 3}" text-anchor="middle" fill="${dropped || marked ? '#c62828' : '#263238'}">${esc(label)}</text></g>`;
}

// Each partition's replicas side by side: one column per broker, one row per offset; committed offsets (below
// the replica's HW) shaded; an offset whose value differs between replicas marked.
function replicasSection(model: ReportModel): string {
  const storyPartitions = new Set(model.stories.map((s) => s.partition));
  const tables = model.partitions.map(({ partition, replicas }) => {
    const maxLeo = Math.max(0, ...replicas.map((r) => r.logEndOffset));
    const shown = Math.min(maxLeo, 200);
    const heads = replicas.map((r) => `<th>broker ${r.broker}${r.isLeader ? ' (leader)' : ''}<br>epoch ${r.leaderEpoch}, HW ${r.highWatermark}, LEO ${r.logEndOffset}</th>`);
    const rows: string[] = [];
    for (let offset = Math.max(0, maxLeo - shown); offset < maxLeo; offset++) {
      const cells = replicas.map((r) => r.records.find((record) => record.offset === offset));
      const values = new Set(cells.filter((c) => c !== undefined).map((c) => c?.value));
      const diverged = values.size > 1;
      const tds = cells.map((cell, i) => {
        const replica = replicas[i];
        const committed = replica !== undefined && offset < replica.highWatermark;
        const cls = diverged ? 'diverged' : committed ? 'committed' : '';
        return `<td class="${cls}">${cell === undefined ? '' : `${esc(cell.value)} <small>e${cell.epoch}</small>`}</td>`;
      });
      rows.push(`<tr><td>${offset}</td>${tds.join('')}</tr>`);
    }
    const table = `<table class="log"><tr><th>offset</th>${heads.join('')}</tr>${rows.join('')}</table>`;
    return `<h3>${esc(partition)}</h3>${collapsed(table, rows.length, `offsets of ${partition}`, storyPartitions.has(partition) && rows.length > COLLAPSE_ROWS)}`;
  });
  return `<h2 id="replicas">Replica logs at the end</h2>
<p>Green: below the replica's high watermark (committed); red: replicas disagree at that offset. Each record shows its value and the leader epoch of its batch (the last 200 offsets).</p>
${tables.join('')}`;
}
