import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportOfRun } from '../../src/report/reportOfRun.ts';
import { renderHtml } from '../../src/report/renderHtml.ts';
import { renderMermaid } from '../../src/report/renderMermaid.ts';
import type { World } from '../../src/kernel/World.ts';
import { resolveScenario } from '../../src/scenario/resolveScenario.ts';
import { runResolvedScenario } from '../../src/scenario/runResolvedScenario.ts';
import { launchBrowser } from '../support/launchBrowser.ts';

// The reports of a run that breaks a property (acks=1 with the leader cut off from its followers): the HTML page
// opened in a real browser (the Chromium of @sparticuz/chromium, driven by playwright-core), and the Mermaid diagram.
function violatingRun() {
  const scenario = resolveScenario({
    seed: 4,
    brokers: 3,
    topics: [{ name: 'orders', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }],
    producers: [{ settings: { requestTimeoutMs: 5_000, deliveryTimeoutMs: 30_000 }, workload: { topic: 'orders', records: 150, ratePerSec: 10, keys: { kind: 'null' } } }],
    readers: [{ topics: ['orders'] }],
    faults: [
      { atMs: 9_000, kind: 'partition', groups: [['leader:orders-0'], ['followers:orders-0', 'controller']] },
      { atMs: 21_000, kind: 'heal' },
    ],
    weakenings: ['acks-1'],
  });
  let world: World | undefined;
  const result = runResolvedScenario(scenario, { trace: 'full', onWorld: (w) => (world = w) });
  return { scenario, result, model: reportOfRun(scenario, result, world as unknown as World) };
}

describe('reports', () => {
  const { result, model } = violatingRun();

  it('the run they show breaks no-loss (acks=1 acknowledges writes the new leader never had)', () => {
    expect(result.checkers.anomalies['final-read-loss']).toBeGreaterThan(0);
    expect(result.valid).toBe(false);
    expect(model.clients.some((c) => c.operations.some((o) => o.offending))).toBe(true);
    expect(model.window.reason).toBe('around the first violation');
  });

  it('draws the messages around the failure as a Mermaid sequence diagram', () => {
    const text = renderMermaid(model);
    expect(text).toContain('```mermaid\nsequenceDiagram\n');
    expect(text).toMatch(/participant broker_\d as broker-\d/);
    expect(text).toMatch(/producer_1->>broker_\d: produce.request @/);
    expect(text).toMatch(/Note over .*: fault @9000: partition/);
  });

  it('renders an HTML page that a browser opens without errors, showing the verdicts and the failed checkers', { timeout: 60_000 }, async () => {
    mkdirSync('reports', { recursive: true });
    const file = resolve('reports/test-report.html');
    writeFileSync(file, renderHtml(model));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(file).href);
      expect(errors).toEqual([]);
      expect(await page.textContent('#verdict')).toBe('VIOLATIONS');
      const verdicts = await page.locator('#verdicts + table').innerText();
      expect(verdicts).toMatch(/unseen\s+FAILED/);
      expect(verdicts).toMatch(/final-read-loss\s+FAILED/);
      expect(await page.locator('svg[aria-label="message sequence diagram"] line').count()).toBeGreaterThan(10);
      expect(await page.locator('svg[aria-label="client operations"] rect[stroke="#c62828"]').count()).toBeGreaterThan(0);
      await page.screenshot({ path: 'reports/test-report.png', fullPage: false });
    } finally {
      await browser.close();
    }
  });
});
