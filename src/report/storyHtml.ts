// The sections at the top of the HTML report that tell the failure's story: what ran (header), what went wrong
// (anomalies as sentences), what happened to each violating record, and the replicas' logs over time.
import { esc, fmt, timeAxis } from './html.ts';
import type { ReplicaHistory, ReportModel } from './ReportModel.ts';

/** Command, property, weakenings, Kafka version, replay, and how to run it again. */
export function headerSection(model: ReportModel): string {
  const h = model.header;
  const rows: Array<[string, string]> = [];
  if (h.command !== null) rows.push(['command', `<code>${esc(h.command)}</code>`]);
  rows.push(['property', h.property === null ? 'none (a scenario run: every checker)' : `<b>${esc(h.property)}</b>`]);
  rows.push([
    'weakening',
    h.weakenings.length === 0
      ? 'none: Kafka as it is'
      : h.weakenings.map((w) => `<b>${esc(w.name)}</b> (bug ${esc(w.bug)}, breaks ${esc(w.property)}): ${esc(w.description)}`).join('<br>'),
  ]);
  rows.push(['Kafka', esc(h.kafkaVersion)]);
  rows.push(['seed', esc(model.seed)]);
  if (h.replay !== null) {
    const same = h.replay.sameTrace ? 'same traceHash as recorded' : `traceHash DIFFERS from the recorded ${esc(h.replay.recordedTraceHash)}`;
    rows.push(['replay', `yes, of <code>${esc(h.replay.capsule)}</code>: ${same}`]);
  } else {
    rows.push(['replay', 'no: a first run']);
  }
  if (h.replayCommand !== null) rows.push(['run it again', `<code>${esc(h.replayCommand)}</code>`]);
  rows.push(['trace', `traceHash <code>${esc(model.traceHash)}</code>, ${fmt(model.virtualMs)} ms of virtual time`]);
  return `<table id="header" class="header">${rows.map(([k, v]) => `<tr><th>${k}</th><td data-field="${k}">${v}</td></tr>`).join('')}</table>`;
}

/** Each anomaly as a sentence under its Jepsen name. */
export function anomaliesSection(model: ReportModel): string {
  if (model.anomalies.length === 0) return `<h2 id="anomalies">What went wrong</h2><p>Nothing: every checker and invariant held.</p>`;
  const items = model.anomalies.map((a) => `<li><b class="jepsen">${esc(a.name)}</b>${a.checker === a.name ? "" : ` <small>(${esc(a.checker)})</small>`}: ${esc(a.sentence)}</li>`);
  return `<h2 id="anomalies">What went wrong</h2><ul class="anomalies">${items.join('')}</ul>`;
}

/** Each violating record from its send through its acknowledgement to its truncation or loss. */
export function storiesSection(model: ReportModel): string {
  if (model.stories.length === 0) return '';
  const stories = model.stories.map((s) => {
    const ack = s.ack === null ? 'not acknowledged' : `acknowledged at ${fmt(s.ack.atMs)} ms by ${s.ack.broker === null ? 'a broker' : `broker ${s.ack.broker}`}${s.ack.leaderEpoch === null ? '' : `, leader epoch ${s.ack.leaderEpoch}`}, offset ${s.offset}`;
    const fate = s.lostMs !== null ? `<span class="failed">lost at ${fmt(s.lostMs)} ms</span>` : s.copies.length === 0 ? 'never held by a replica at that offset' : 'still held at the end';
    return `<div class="story" data-value="${esc(s.value)}"><h3>${esc(s.value)} in ${esc(s.partition)}</h3>
<p class="summary">sent by ${esc(s.producer)} at ${fmt(s.sentMs)} ms; <span class="ack">${esc(ack)}</span>; ${fate}.</p>
<ol class="sentences">${s.sentences.map((line) => `<li>${esc(line)}</li>`).join('')}</ol></div>`;
  });
  return `<h2 id="stories">The violating records</h2>
<p>Each record a failing checker named, from its send to its acknowledgement (broker, leader epoch, offset) and to what became of each replica's copy.</p>
${stories.join('\n')}`;
}

const BROKER_COLORS = ['#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457'];

/** Each partition's replicas over time: log end offsets (solid) and high watermarks (dashed), roles, truncations. */
export function replicaHistorySection(model: ReportModel): string {
  if (model.replicaHistory.length === 0) return '';
  const charts = model.replicaHistory.map((history) => replicaChart(history, model));
  return `<h2 id="replica-history">Replica logs over time</h2>
<p>Per broker: the log end offset (solid) and the high watermark (dashed) as they changed; under the chart, when each broker led (with its leader epoch), followed, or was down. Red triangles: truncations; the red dotted line: the offset of a violating record; orange lines: faults.</p>
${charts.join('\n')}`;
}

function replicaChart(history: ReplicaHistory, model: ReportModel): string {
  const left = 60;
  const width = 900;
  const chartTop = 10;
  const chartHeight = 180;
  const laneTop = chartTop + chartHeight + 10;
  const laneHeight = 16;
  const axisY = laneTop + history.brokers.length * (laneHeight + 4) + 6;
  const height = axisY + 36;
  const { fromMs, toMs } = history;
  // The offsets around the violating records (a truncation of a few offsets must be visible); lower values are drawn
  // on the bottom edge, labelled "<=".
  const upPoints = history.brokers.flatMap((b) => b.points.filter((p) => p.up));
  const maxOffset = Math.max(1, ...upPoints.map((p) => p.logEndOffset), ...history.storyOffsets.map((o) => o + 1));
  const lowest = history.storyOffsets.length > 0 ? Math.min(...history.storyOffsets) : Math.min(maxOffset - 1, ...upPoints.map((p) => p.logEndOffset));
  const minOffset = Math.max(0, Math.min(maxOffset - 1, lowest - 10));
  const xOf = (ms: number) => left + ((Math.max(fromMs, ms) - fromMs) / Math.max(1, toMs - fromMs)) * width;
  const yOf = (offset: number) => chartTop + chartHeight - ((Math.max(minOffset, offset) - minOffset) / (maxOffset - minOffset)) * chartHeight;
  const parts: string[] = [];
  parts.push(`<text x="${left - 6}" y="${yOf(maxOffset) + 4}" text-anchor="end">${maxOffset}</text><text x="${left - 6}" y="${yOf(minOffset) + 4}" text-anchor="end">${minOffset === 0 ? '0' : `&lt;=${minOffset}`}</text>`);
  parts.push(`<text x="12" y="${chartTop + chartHeight / 2}" transform="rotate(-90 12 ${chartTop + chartHeight / 2})" text-anchor="middle">offset</text>`);
  parts.push(`<rect x="${left}" y="${chartTop}" width="${width}" height="${chartHeight}" fill="none" stroke="#cfd8dc"/>`);
  for (const event of model.events) {
    if (event.kind !== 'fault' || event.atMs < fromMs || event.atMs > toMs) continue;
    const x = xOf(event.atMs).toFixed(1);
    parts.push(`<line class="fault-mark" x1="${x}" y1="${chartTop}" x2="${x}" y2="${axisY}" stroke="#ef6c00" stroke-dasharray="3 3"><title>${esc(`fault @${fmt(event.atMs)}: ${event.text}`)}</title></line>`);
  }
  for (const offset of history.storyOffsets) {
    const y = yOf(offset + 0.5).toFixed(1);
    parts.push(`<line class="story-offset" x1="${left}" y1="${y}" x2="${left + width}" y2="${y}" stroke="#c62828" stroke-dasharray="1 3"/><text x="${left + width + 4}" y="${y}" fill="#c62828">@${offset}</text>`);
  }
  history.brokers.forEach(({ broker, points }, i) => {
    const color = BROKER_COLORS[i % BROKER_COLORS.length] as string;
    for (const [field, dash] of [['logEndOffset', ''], ['highWatermark', ' stroke-dasharray="5 3"']] as const) {
      const path: string[] = [];
      let previousY: number | null = null;
      points.forEach((point, k) => {
        if (!point.up) {
          previousY = null;
          return;
        }
        const x = xOf(point.atMs).toFixed(1);
        const y = yOf(point[field]).toFixed(1);
        path.push(previousY === null ? `M${x},${y}` : `H${x}V${y}`);
        previousY = Number(y);
        const next = points[k + 1];
        if (next === undefined) path.push(`H${(left + width).toFixed(1)}`);
      });
      if (path.length > 0) parts.push(`<path class="${field === 'logEndOffset' ? 'leo' : 'hw'}" d="${path.join('')}" fill="none" stroke="${color}" stroke-width="1.6"${dash}><title>broker ${broker} ${field === 'logEndOffset' ? 'log end offset' : 'high watermark'}</title></path>`);
    }
    const y = laneTop + i * (laneHeight + 4);
    parts.push(`<text x="${left - 6}" y="${y + 12}" text-anchor="end" fill="${color}">broker ${broker}</text>`);
    // One bar per stretch in the same role (points change with every append; roles rarely).
    const roleOf = (point: (typeof points)[number]) => (!point.up ? 'down' : point.isLeader ? `leader e${point.leaderEpoch}` : `follower e${point.leaderEpoch}`);
    points.forEach((point, k) => {
      const role = roleOf(point);
      const previous = points[k - 1];
      if (previous !== undefined && roleOf(previous) === role) return;
      let end = k + 1;
      while (end < points.length && roleOf(points[end] as (typeof points)[number]) === role) end++;
      const x1 = xOf(point.atMs);
      const x2 = xOf(points[end]?.atMs ?? toMs);
      if (x2 - x1 < 0.2) return;
      const fill = !point.up ? '#37474f' : point.isLeader ? color : '#eceff1';
      parts.push(`<rect class="role" x="${x1.toFixed(1)}" y="${y}" width="${(x2 - x1).toFixed(1)}" height="${laneHeight}" fill="${fill}" stroke="#fff"><title>${esc(`broker ${broker} from ${fmt(point.atMs)} ms: ${role}`)}</title></rect>`);
      if (x2 - x1 > 64 && point.up && point.isLeader) parts.push(`<text x="${(x1 + 3).toFixed(1)}" y="${y + 12}" fill="#fff">${role}</text>`);
    });
  });
  for (const t of history.truncations) {
    const x = xOf(t.atMs);
    const y = yOf(t.toOffset);
    parts.push(`<path class="truncation" d="M${(x - 5).toFixed(1)},${(y - 9).toFixed(1)}h10l-5,9z" fill="#c62828"><title>${esc(`${fmt(t.atMs)} ms: broker ${t.broker} truncated its log from ${t.fromOffset} to ${t.toOffset} (leader epoch ${t.leaderEpoch})`)}</title></path>`);
  }
  parts.push(timeAxis({ x0: left, width, y: axisY, fromMs, toMs }));
  const rows = history.truncations.map((t) => `<tr><td>${fmt(t.atMs)}</td><td>broker ${t.broker}</td><td>log end offset ${t.fromOffset} → ${t.toOffset}</td><td>epoch ${t.leaderEpoch}</td></tr>`);
  const table = rows.length === 0 ? '<p>No replica truncated its log in this stretch.</p>' : `<table class="truncations"><tr><th>time (ms)</th><th>replica</th><th>truncated</th><th>leader epoch</th></tr>${rows.join('')}</table>`;
  return `<h3>${esc(history.partition)}, ${fmt(fromMs)}-${fmt(toMs)} ms</h3>
<svg width="${left + width + 50}" height="${height}" role="img" aria-label="replica history ${esc(history.partition)}">${parts.join('')}</svg>
${table}`;
}
