/**
 * Notebook 01 end to end, headless: executed in quick mode through nbclient with the TicketLab
 * kernel (kernelspec in a temporary JUPYTER_PATH), exported to HTML by nbconvert, and the HTML
 * opened offline in Chromium, where the Plotly figures and tables must render.
 * Artifacts: artifacts/notebooks/01-quick-tour.{ipynb,html}, screenshots/01-quick-tour-html.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuild, installTempKernel, runNotebook, type RunNotebookResult } from '../../scripts/notebooks/run';
import { ARTIFACTS, launchChromium, requireJupyterPython, ROOT } from './tools';

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
}

const notebook = path.join(ROOT, 'notebooks', '01-quick-tour.ipynb');
let run: RunNotebookResult;
let cells: Cell[];
let cleanup = (): void => {};

const text = (v: string | string[] | unknown): string => (Array.isArray(v) ? v.join('') : String(v ?? ''));

before(() => {
  requireJupyterPython();
  ensureBuild(ROOT);
  const kernel = installTempKernel(ROOT);
  cleanup = kernel.cleanup;
  run = runNotebook(notebook, { mode: 'quick', timeoutSeconds: 240, outDir: ARTIFACTS, jupyterPath: kernel.jupyterPath });
  cells = (JSON.parse(fs.readFileSync(run.executed, 'utf8')) as { cells: Cell[] }).cells;
});

after(() => cleanup());

test('notebook 01 runs in quick mode through nbclient with no error output', () => {
  assert.ok(run.ok, `execute.py failed:\n${run.log.slice(-4000)}`);
  const errors = cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `cell ${i + 1}: ${o.ename}: ${o.evalue}`));
  assert.deepEqual(errors, []);
  for (const [i, c] of cells.entries()) {
    if (c.cell_type === 'code') assert.equal(typeof c.execution_count, 'number', `cell ${i + 1} did not run`);
  }
  assert.ok(run.seconds < 150, `quick mode should take about a minute on 2 cores; took ${run.seconds.toFixed(0)} s`);
});

test('the run shows its data source, the progress display and forget-free numbers', () => {
  const all = cells.flatMap((c) => c.outputs ?? []).map((o) => text(o.text) + text(o.data?.['text/plain'])).join('\n');
  assert.match(all, /OFFLINE BENCHMARK|data: MNIST from/);
  assert.match(all, /task 1\/2 \| epoch 3\/3 .*\(done\)/);
  assert.match(all, /task 2\/2 \| epoch 3\/3 .*\(done\)/);
  assert.match(all, /max \|Δ logit\| = 0\n/, 'task 1 logits must be bit-identical after task 2');
  assert.match(all, /BWT \(points\)\s+0\s/);
  assert.match(all, /fc1\/kernel\s+dense\s+784 × 100\s+78400\s+true/);
});

test('the exported HTML inlines plotly.js once and loads nothing from the network for plots', () => {
  const html = fs.readFileSync(run.html, 'utf8');
  assert.equal(html.match(/if \(!window\.Plotly\) \{ \(function \(module, exports, define\)/g)?.length, 1);
  assert.ok(!/<script[^>]+src="[^"]*plotly/i.test(html), 'no plotly.js from a CDN');
});

test('Chromium renders the exported notebook offline: Plotly SVGs with traces, and tables', { timeout: 120_000 }, async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const blocked: string[] = [];
    // Offline: only the file itself; CDN scripts of the nbconvert template (require.js, MathJax) fail.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`file://${run.html}`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4, undefined, { timeout: 60_000 });
    const counts = await page.evaluate(() => ({
      plots: document.querySelectorAll('.js-plotly-plot').length,
      scatterTraces: document.querySelectorAll('.js-plotly-plot .main-svg g.trace.scatter').length,
      heatmaps: document.querySelectorAll('.js-plotly-plot .main-svg g.hm image, .js-plotly-plot .main-svg .heatmaplayer image').length,
      tables: document.querySelectorAll('.ticketlab-table table').length,
      progress: document.querySelectorAll('.ticketlab-progress progress').length,
    }));
    assert.ok(counts.plots >= 4, `expected 2 live charts + heatmap + capacity plot; got ${JSON.stringify(counts)}`);
    assert.ok(counts.scatterTraces >= 3, `scatter traces missing: ${JSON.stringify(counts)}`);
    assert.ok(counts.heatmaps >= 1, `heatmap missing: ${JSON.stringify(counts)}`);
    assert.ok(counts.tables >= 6, `tables missing: ${JSON.stringify(counts)}`);
    assert.equal(counts.progress, 2);
    assert.deepEqual(pageErrors.filter((m) => /plotly/i.test(m)), []);
    fs.mkdirSync(path.join(ARTIFACTS, 'screenshots'), { recursive: true });
    const heatmap = page.locator('.js-plotly-plot').nth(2);
    await heatmap.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', '01-quick-tour-html.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
