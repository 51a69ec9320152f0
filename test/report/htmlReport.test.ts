import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCapsule, replay } from '../../src/cli/replayCommand.ts';
import { recordReplicas, reportOfRun } from '../../src/report/reportOfRun.ts';
import type { ReplicaRecorder } from '../../src/report/ReplicaRecorder.ts';
import { renderHtml } from '../../src/report/renderHtml.ts';
import { renderMermaid } from '../../src/report/renderMermaid.ts';
import type { World } from '../../src/kernel/World.ts';
import { replayCapsule } from '../../src/scenario/capsule.ts';
import { launchBrowser } from '../support/launchBrowser.ts';

// The report of the acks-1 counterexample (`kafka-sim check --weaken acks-1 --runs 50 --seed 1`, shrunk; the capsule
// is committed next to this file): the page opened in a real browser (the Chromium of @sparticuz/chromium, driven
// by playwright-core), and the Mermaid diagram. The record producer-1:38 is acknowledged by broker 1 as leader in
// epoch 0 while its followers are cut off, broker 3 becomes leader in epoch 1 without it, and broker 1 truncates
// it away when it rejoins as a follower.
const CAPSULE = 'test/report/acks-1.capsule.json';

function acks1Report() {
  const capsule = readCapsule(CAPSULE);
  let world: World | undefined;
  let recorder: ReplicaRecorder | undefined;
  const { result, sameTrace } = replayCapsule(capsule, {
    trace: 'full',
    onWorld: (w) => {
      world = w;
      recorder = recordReplicas(w, capsule.scenario);
    },
  });
  const context = { property: 'no-loss', replay: { capsule: CAPSULE, recordedTraceHash: capsule.traceHash, sameTrace }, replayCommand: `npx kafka-sim replay ${CAPSULE}` };
  return { result, sameTrace, model: reportOfRun(capsule.scenario, result, world as World, { recorder: recorder as ReplicaRecorder, context }) };
}

describe('the report of the acks-1 counterexample', () => {
  const { result, sameTrace, model } = acks1Report();
  const story = model.stories[0];

  it('replays the capsule to the same trace, which breaks no-loss', () => {
    expect(sameTrace).toBe(true);
    expect(result.valid).toBe(false);
    expect(result.checkers.anomalies['final-read-loss']).toBe(1);
  });

  it('tells the lost record from send through acknowledgement (broker, epoch, offset) to its truncation', () => {
    expect(model.stories).toHaveLength(1);
    expect(story?.value).toBe('producer-1:38');
    expect(story?.partition).toBe('events-0');
    expect(story?.ack).toMatchObject({ broker: 1, leaderEpoch: 0 });
    expect(story?.offset).toBe(38);
    // Only broker 1 ever held it; it went when broker 1 truncated, after broker 3 led epoch 1 without it.
    expect(story?.copies.map((c) => [c.broker, c.toMs !== null])).toEqual([[1, true]]);
    expect(story?.copies[0]?.gone).toMatch(/^truncated its log to offset 38/);
    expect(story?.lostMs).toBe(story?.copies[0]?.toMs);
    const text = story?.sentences.join('\n') ?? '';
    expect(text).toMatch(/broker 1 \(leader in epoch 0\) acknowledged it at offset 38/);
    expect(text).toMatch(/broker 3 became leader in epoch 1, without the record/);
    expect(text).toMatch(/no replica held it: the acknowledged record was lost/);
  });

  it('keeps the replica logs over time, with the truncation, and reduces the diagram to the messages that carried the record', () => {
    const history = model.replicaHistory.find((h) => h.partition === 'events-0');
    expect(history?.truncations).toEqual([expect.objectContaining({ broker: 1, fromOffset: 39, toOffset: 38, leaderEpoch: 1 })]);
    expect(history?.storyOffsets).toEqual([38]);
    expect(model.window.reason).toBe('that carried the violating records');
    expect(model.messages.length).toBeLessThan(20);
    expect(model.messages.filter((m) => m.mark === 'ack').map((m) => [m.type, m.from, m.to])).toEqual([['produce.response', 'broker-1', 'producer-1']]);
    expect(model.messages.some((m) => m.mark === 'truncation' && m.to === 'broker-1')).toBe(true);
    expect(model.anomalies.map((a) => a.name)).toEqual(['unseen', 'final-read-loss']);
  });

  it('draws the reduced diagram as Mermaid too', () => {
    const text = renderMermaid(model);
    expect(text).toContain('```mermaid\nsequenceDiagram\n');
    expect(text).toMatch(/producer_1->>broker_1: produce.request @/);
    expect(text).toMatch(/Note over .*: fault @8800: partition/);
  });

  it('renders a page that a browser opens without errors, showing each part of the story', { timeout: 60_000 }, async () => {
    mkdirSync('reports', { recursive: true });
    const file = resolve('reports/test-report.html');
    writeFileSync(file, renderHtml(model));
    const browser = await launchBrowser();
    try {
      // Tall enough for the header, the anomalies, the record's story and the replica chart (the README's picture).
      const page = await browser.newPage({ viewport: { width: 1280, height: 1450 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(file).href);
      expect(errors).toEqual([]);
      expect(await page.textContent('#verdict')).toBe('VIOLATIONS');
      // The header: property, weakening, replay.
      expect(await page.textContent('h1')).toMatch(/replay: no-loss with acks-1, seed 30/);
      expect(await page.textContent('#header [data-field="property"]')).toBe('no-loss');
      expect(await page.textContent('#header [data-field="weakening"]')).toMatch(/^acks-1 \(bug R2, breaks no-loss\)/);
      expect(await page.textContent('#header [data-field="replay"]')).toMatch(/same traceHash as recorded/);
      // Anomalies as sentences under their Jepsen names.
      expect(await page.locator('ul.anomalies li').allInnerTexts()).toEqual([expect.stringMatching(/^unseen: 1 acknowledged value/), expect.stringMatching(/^final-read-loss: 1 acknowledged value/)]);
      // The lost record: send, acknowledgement (broker, epoch, offset), truncation.
      const storyText = await page.locator('.story[data-value="producer-1:38"]').innerText();
      expect(storyText).toMatch(/acknowledged at 8806\.2 ms by broker 1, leader epoch 0, offset 38/);
      expect(storyText).toMatch(/broker 1 truncated its log to offset 38, removing it/);
      expect(storyText).toMatch(/lost at/);
      // The replica logs over time: a truncation mark and the lost record's offset on a time axis.
      const chart = page.locator('svg[aria-label="replica history events-0"]');
      expect(await chart.locator('path.truncation').count()).toBe(1);
      expect(await chart.locator('line.story-offset').count()).toBe(1);
      expect(await chart.locator('text.tick').count()).toBeGreaterThan(3);
      // The diagram: the partition that cut the leader off, and the acknowledgement of the lost record, marked.
      const diagram = page.locator('svg[aria-label="message sequence diagram"]');
      expect(await diagram.locator('.fault-mark text').first().textContent()).toMatch(/fault @8800: partition/);
      expect(await diagram.locator('[data-mark="ack"] text').textContent()).toMatch(/produce.response .*acknowledges a lost record/);
      // The operations chart has a time axis; long tables are collapsed.
      expect(await page.locator('svg[aria-label="client operations"] text.tick').count()).toBeGreaterThan(3);
      expect(await page.locator('#replicas ~ details').count()).toBeGreaterThan(0);
      await page.screenshot({ path: 'reports/acks-1-report.png', fullPage: false });
    } finally {
      await browser.close();
    }
  });

  it('is what `kafka-sim replay CAPSULE --report` writes, with the command in its header', async () => {
    mkdirSync('reports', { recursive: true });
    const outcome = await replay(readCapsule(CAPSULE), { report: 'reports/test-replay-report.html', command: `kafka-sim replay ${CAPSULE} --report reports/test-replay-report.html` }, CAPSULE);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.json.reports).toEqual(['reports/test-replay-report.html']);
  });
});
