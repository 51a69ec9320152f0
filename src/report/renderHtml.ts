// A run as one self-contained HTML page (no script, no network): the verdicts with their examples, the
// timeline of faults, leader changes and rebalances, each client's operations (the ones a checker named outlined
// in red), the messages around the failure as a sequence diagram, and the replicas' logs side by side with their
// high watermarks and leader epochs. The pictures are inline SVG drawn here from the report model.
// Longer than most files: one function per section, each a plain template; splitting them would only move them.
import type { ReportMessage, ReportModel, ReportOperation } from './ReportModel.ts';

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
</style>
</head>
<body>
<h1>${esc(model.title)} <span class="badge ${verdict}" id="verdict">${verdict}</span></h1>
<p>traceHash <code>${esc(model.traceHash)}</code>; ${fmt(model.virtualMs)} ms of virtual time.</p>
${verdictsSection(model)}
${timelineSection(model)}
${clientsSection(model)}
${messagesSection(model)}
${replicasSection(model)}
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
  return `<h2 id="verdicts">Verdicts</h2>
<table><tr><th>checker</th><th>result</th><th>anomalies</th></tr>${rows.join('')}</table>
<table><tr><th>invariant</th><th>result</th><th>examples</th></tr>${invariants.join('')}</table>`;
}

function timelineSection(model: ReportModel): string {
  const rows = model.events.map((e) => `<tr class="${e.kind}"><td>${fmt(e.atMs)}</td><td>${e.kind}</td><td>${esc(e.text)}</td></tr>`);
  return `<h2 id="timeline">Timeline (virtual ms)</h2>
<table><tr><th>time</th><th>what</th><th></th></tr>${rows.join('')}</table>`;
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
  const height = 20 + model.clients.length * rowHeight;
  const offending = model.clients.flatMap((c) => c.operations.filter((o) => o.offending).map((o) => `<li>${esc(c.process)} #${o.index} at ${fmt(o.startMs)}-${fmt(o.endMs)} ms: ${esc(o.label)}</li>`));
  return `<h2 id="clients">Client operations</h2>
<p>Green: ok; orange: failed; gray: unknown outcome (info). Outlined in red: operations a checker named. Empty polls are left out; hover a bar for its operation.</p>
<svg width="${width}" height="${height}" role="img" aria-label="client operations">${rows.join('')}</svg>
${offending.length === 0 ? '' : `<ul>${offending.slice(0, 50).join('')}</ul>`}`;
}

// A sequence diagram: a lifeline per node, an arrow per message in send order, dropped ones dashed and red.
function messagesSection(model: ReportModel): string {
  const column = 120;
  const top = 30;
  const rowHeight = 16;
  const xOf = new Map(model.nodes.map((node, i) => [node, 60 + i * column]));
  const width = 60 + model.nodes.length * column;
  const height = top + (model.messages.length + 1) * rowHeight;
  const heads = model.nodes.map((node) => {
    const x = xOf.get(node) ?? 0;
    return `<text x="${x}" y="16" text-anchor="middle">${esc(node)}</text><line x1="${x}" y1="22" x2="${x}" y2="${height}" stroke="#bbb"/>`;
  });
  const arrows = model.messages.map((m, i) => arrow(m, top + i * rowHeight, xOf));
  const w = model.window;
  return `<h2 id="messages">Messages ${esc(w.reason)}</h2>
<p>From ${fmt(w.fromMs)} ms: ${model.messages.length} of the ${w.inWindow} messages from then on (heartbeats and replication fetches left out), in the order they were sent.</p>
<svg width="${width}" height="${height}" role="img" aria-label="message sequence diagram">
<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#455a64"/></marker></defs>
${heads.join('')}${arrows.join('')}</svg>`;
}

function arrow(m: ReportMessage, y: number, xOf: ReadonlyMap<string, number>): string {
  const x1 = xOf.get(m.from) ?? 0;
  const x2 = xOf.get(m.to) ?? 0;
  const dropped = m.dropped !== null;
  const style = dropped ? 'stroke="#c62828" stroke-dasharray="4 3"' : 'stroke="#455a64" marker-end="url(#head)"';
  const label = `${m.type} @${fmt(m.sentMs)}${dropped ? ` dropped: ${m.dropped}` : ''}`;
  const mid = (x1 + x2) / 2;
  return `<g><title>${esc(`${m.from} -> ${m.to}: ${label}${m.arrivedMs === null ? '' : `, arrived @${fmt(m.arrivedMs)}`}`)}</title><line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" ${style}/><text x="${mid}" y="${y - 3}" text-anchor="middle" fill="${dropped ? '#c62828' : '#263238'}">${esc(label)}</text></g>`;
}

// Each partition's replicas side by side: one column per broker, one row per offset; committed offsets (below
// the replica's HW) shaded; an offset whose value differs between replicas marked.
function replicasSection(model: ReportModel): string {
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
    return `<h3>${esc(partition)}</h3><table class="log"><tr><th>offset</th>${heads.join('')}</tr>${rows.join('')}</table>`;
  });
  return `<h2 id="replicas">Replica logs at the end</h2>
<p>Green: below the replica's high watermark (committed); red: replicas disagree at that offset. Each record shows its value and the leader epoch of its batch (the last 200 offsets).</p>
${tables.join('')}`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
