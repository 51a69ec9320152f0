import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { launchBrowser } from '../support/launchBrowser.ts';

const cli = (...args: string[]) => runCli(args);

describe('kafka-sim experiment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-sim-experiment-'));
  const out = cli('experiment', 'keys', '--quick', '--seeds', '1', '--out', dir);

  it('runs an experiment and prints its table and verdict', () => {
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^Keys decide partitions \(keys, 1 seeds, quick\)\n\| Keys \| % in p0 \|/);
    expect(out.stdout).toMatch(/\| keyed \(100 keys\) \|.*\| 0 \| 0 \| 600 \|/);
    expect(out.stdout).toMatch(/Agrees with the claim: Keyed records: 0 keys found in more than one partition/);
  });

  it('writes the table as Markdown and JSON, the plot as SVG and its Vega-Lite spec', () => {
    for (const ext of ['md', 'json', 'svg', 'vl.json']) expect(existsSync(join(dir, `keys.${ext}`))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'));
    expect(json).toMatchObject({ name: 'keys', seeds: 1, quick: true, verdict: { agrees: true } });
    expect(json.table.rows).toHaveLength(3);
    const markdown = readFileSync(join(dir, 'keys.md'), 'utf8');
    expect(markdown).toContain('# Keys decide partitions');
    expect(markdown).toContain('![Share of records per partition](keys.svg)');
    expect(markdown).toContain('npx kafka-sim experiment keys --seeds 1 --quick');
  });

  it('draws a plot that a browser opens, with a title, labelled axes and a legend', { timeout: 60_000 }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(join(dir, 'keys.svg')).href);
      expect(errors).toEqual([]);
      const texts = await page.locator('text').allTextContents();
      expect(texts).toContain('Share of records per partition');
      expect(texts).toContain('partition');
      expect(texts).toContain('records in the partition (%)');
      expect(texts).toEqual(expect.arrayContaining(['keys', 'keyed (100 keys)', 'null keys, round-robin', 'null keys, sticky', 'p0', 'p5']));
      const box = await page.locator('svg').first().boundingBox();
      expect(box?.width).toBeGreaterThan(400);
      expect(await page.locator('path[aria-roledescription="bar"], path').count()).toBeGreaterThan(18);
    } finally {
      await browser.close();
    }
  });

  it('every plot the README shows opens in a browser with its title and both axis titles', { timeout: 60_000 }, async () => {
    const docs = fileURLToPath(new URL('../../docs/experiments/', import.meta.url));
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      for (const name of ['keys', 'acks', 'ordering', 'group-sizing', 'rebalance', 'failover', 'scaling']) {
        const { plot } = JSON.parse(readFileSync(join(docs, `${name}.json`), 'utf8'));
        await page.goto(pathToFileURL(join(docs, `${name}.svg`)).href);
        const texts = await page.locator('text').allTextContents();
        expect(texts, name).toEqual(expect.arrayContaining([plot.title, plot.xTitle, plot.yTitle]));
      }
    } finally {
      await browser.close();
    }
  });

  it('prints JSON with --json', () => {
    const json = cli('experiment', 'ordering', '--quick', '--seeds', '1', '--out', dir, '--json');
    expect(json.status).toBe(0);
    const [result] = (JSON.parse(json.stdout) as { experiments: unknown[] }).experiments;
    expect(result).toMatchObject({ name: 'ordering', files: { svg: join(dir, 'ordering.svg') } });
  });

  it('exits 2 with what is allowed for a bad experiment command', () => {
    const unknown = cli('experiment', 'latency');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown experiment "latency"; experiments: keys, acks, ordering, group-sizing, rebalance, failover, scaling, or all/);
    expect(cli('experiment').stderr).toMatch(/experiment needs a name/);
    expect(cli('experiment', 'keys', '--seeds', 'many').stderr).toMatch(/--seeds must be a decimal integer between 1 and 1,000 \(each seed runs every configuration of the experiment\), got "many"/);
    expect(cli('experiment', 'keys', '--seed', '3').stderr).toMatch(/use --seeds N, not --seed/);
    const misplaced = cli('run', '--quick');
    expect(misplaced.status).toBe(2);
    expect(misplaced.stderr).toMatch(/--out, --seeds and --quick are options of experiment/);
  });
});
