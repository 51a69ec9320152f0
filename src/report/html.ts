// Small helpers the HTML report's sections share: escaping, number formatting, and a time axis for SVG charts.

/** Text made safe for HTML element content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A virtual time or count: integers as they are, others to one decimal. */
export function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * A horizontal time axis for an SVG chart: a baseline at `y` from `x0` to `x0 + width`, and ticks at round steps
 * (1, 2 or 5 times a power of ten ms, about eight of them) labelled in seconds of virtual time.
 */
export function timeAxis(options: { x0: number; width: number; y: number; fromMs: number; toMs: number }): string {
  const { x0, width, y, fromMs, toMs } = options;
  const spanMs = Math.max(1, toMs - fromMs);
  const stepMs = niceStep(spanMs / 8);
  const xOf = (ms: number) => x0 + ((ms - fromMs) / spanMs) * width;
  const parts = [`<line class="axis" x1="${x0}" y1="${y}" x2="${x0 + width}" y2="${y}" stroke="#607d8b"/>`];
  for (let ms = Math.ceil(fromMs / stepMs) * stepMs; ms <= toMs; ms += stepMs) {
    const x = xOf(ms).toFixed(1);
    parts.push(`<line x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" stroke="#607d8b"/><text class="tick" x="${x}" y="${y + 15}" text-anchor="middle">${seconds(ms, stepMs)}</text>`);
  }
  parts.push(`<text x="${x0 + width}" y="${y + 28}" text-anchor="end">virtual time (s)</text>`);
  return parts.join('');
}

function niceStep(rawMs: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rawMs, 1e-6)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rawMs) return factor * power;
  return 10 * power;
}

function seconds(ms: number, stepMs: number): string {
  const digits = stepMs >= 1_000 ? 0 : stepMs >= 100 ? 1 : stepMs >= 10 ? 2 : 3;
  return (ms / 1_000).toFixed(digits);
}
