/**
 * Notebook 01 live in Debian's classic Notebook server: the server starts on loopback with the
 * TicketLab kernelspec in a temporary JUPYTER_PATH, Chromium opens a copy of the notebook
 * (artifacts/notebooks/live/, so the committed file never gets outputs), runs all cells, and
 * must see the progress display change while training and the Plotly figures render.
 * Screenshots: artifacts/notebooks/screenshots/live-running.png and live-done.png.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild, installTempKernel, jupyterEnv } from '../../scripts/notebooks/run';
import { ARTIFACTS, freePort, JUPYTER, launchChromium, requireJupyterNotebook, ROOT, waitFor } from './tools';

declare const Jupyter: {
  notebook: {
    kernel: { name: string; is_connected(): boolean } | null;
    execute_all_cells(): void;
    get_cells(): { cell_type: string; input_prompt_number?: number | string | null }[];
  };
};

const liveDir = path.join(ARTIFACTS, 'live');
const token = randomBytes(16).toString('hex');
let server: ChildProcess | null = null;
let serverLog = '';
let port = 0;
const cleanups: (() => void)[] = [];

before(async () => {
  requireJupyterNotebook();
  ensureBuild(ROOT);
  const kernel = installTempKernel(ROOT);
  cleanups.push(kernel.cleanup);
  // Inside the repository, so the kernel's type checker finds node_modules/ticketlab.
  fs.rmSync(liveDir, { recursive: true, force: true });
  fs.mkdirSync(liveDir, { recursive: true });
  // Quick mode trains each task in about half a second now, faster than a browser can watch
  // the progress line change: this copy trains 4× the epochs so the test sees it mid-task.
  const source = fs.readFileSync(path.join(ROOT, 'notebooks', '01-quick-tour.ipynb'), 'utf8');
  const longer = source.replace('epochs: quick ? 3 : 5', 'epochs: quick ? 12 : 5');
  assert.notEqual(longer, source, 'notebook 01 sets its epochs as `epochs: quick ? 3 : 5`');
  fs.writeFileSync(path.join(liveDir, '01-quick-tour.ipynb'), longer);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-jupyter-home-'));
  cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
  port = await freePort();
  const env = {
    ...jupyterEnv(kernel.jupyterPath, 'quick'),
    JUPYTER_CONFIG_DIR: path.join(home, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(home, 'runtime'),
    JUPYTER_DATA_DIR: path.join(home, 'data'),
  };
  server = spawn(
    JUPYTER,
    ['notebook', '--no-browser', `--port=${port}`, '--port-retries=0', '--ip=127.0.0.1', `--NotebookApp.token=${token}`, `--notebook-dir=${liveDir}`, ...(process.getuid?.() === 0 ? ['--allow-root'] : [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
  await waitFor(
    'the Notebook server to answer',
    async () => {
      if (server!.exitCode !== null) throw new Error(`jupyter notebook exited with ${server!.exitCode}:\n${serverLog}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/status?token=${token}`);
        return r.ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    60_000,
  );
});

after(async () => {
  if (server && server.exitCode === null) {
    // Shut the kernels down through the API, then stop the server we started (by its pid).
    try {
      const kernels = (await (await fetch(`http://127.0.0.1:${port}/api/kernels?token=${token}`)).json()) as { id: string }[];
      for (const k of kernels) await fetch(`http://127.0.0.1:${port}/api/kernels/${k.id}?token=${token}`, { method: 'DELETE' });
    } catch {
      // the server is already gone
    }
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  for (const c of cleanups) c();
});

test('the classic Notebook runs notebook 01 with the TicketLab kernel: live progress updates and plots render', { timeout: 240_000 }, async () => {
  const browser = await launchChromium();
  const shots = path.join(ARTIFACTS, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/notebooks/01-quick-tour.ipynb?token=${token}`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof Jupyter !== 'undefined' && !!Jupyter.notebook?.kernel?.is_connected(), undefined, { timeout: 90_000 });
    assert.equal(await page.evaluate(() => Jupyter.notebook.kernel!.name), 'ticketlab');
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());

    // Watch the progress status line while the two tasks train.
    const seen = new Set<string>();
    let running = false;
    const done = async (): Promise<boolean> =>
      page.evaluate(() => Jupyter.notebook.get_cells().every((c) => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number'));
    await waitFor(
      'all cells to finish',
      async () => {
        const lines = await page.evaluate(() => Array.from(document.querySelectorAll('.ticketlab-progress')).map((e) => e.textContent ?? ''));
        for (const l of lines) seen.add(l);
        if (!running && lines.some((l) => /step \d+\/\d+/.test(l) && !l.includes('(done)'))) {
          running = true;
          // Scroll in one page-side step: the progress element is replaced on every update, so
          // a locator resolved first can be detached before it scrolls.
          await page.evaluate(() => {
            const all = document.querySelectorAll('.ticketlab-progress');
            all[all.length - 1]?.scrollIntoView({ block: 'center' });
          });
          await page.screenshot({ path: path.join(shots, 'live-running.png') });
        }
        if (await page.evaluate(() => document.querySelectorAll('.output_error').length > 0)) return false;
        return (await done()) ? true : undefined;
      },
      200_000,
      50,
    );
    const errors = await page.evaluate(() => Array.from(document.querySelectorAll('.output_error')).map((e) => e.textContent ?? ''));
    assert.deepEqual(errors, [], 'no cell may fail');
    // Training takes a second or two per task, so how many states the browser catches depends on
    // the machine: at least the waiting line, a mid-task line and the finished ones, replaced in
    // place (a line that never updated would show one state).
    const midTask = [...seen].filter((l) => /step \d+/.test(l) && !l.includes('(done)'));
    assert.ok(seen.size >= 3 && midTask.length >= 1, `the progress lines should update in place while training; saw ${JSON.stringify([...seen])}`);
    assert.ok([...seen].some((l) => /task 2\/2 .*\(done\)/.test(l)), 'task 2 finishes');
    // A cell's execute_reply (shell channel) can arrive before its last outputs (iopub): give
    // the last outputs time to render before counting them.
    const rendered = () =>
      document.querySelectorAll('.js-plotly-plot .main-svg g.trace').length >= 4 &&
      document.querySelectorAll('.js-plotly-plot').length >= 4 &&
      document.querySelectorAll('.js-plotly-plot .main-svg g.hm image').length >= 1 &&
      document.querySelectorAll('.ticketlab-table table').length >= 6;
    await page.waitForFunction(rendered, undefined, { timeout: 30_000 }).catch(() => undefined); // asserted below
    const plots = await page.evaluate(() => ({
      plots: document.querySelectorAll('.js-plotly-plot').length,
      heatmaps: document.querySelectorAll('.js-plotly-plot .main-svg g.hm image').length,
      tables: document.querySelectorAll('.ticketlab-table table').length,
    }));
    assert.ok(plots.plots >= 4 && plots.heatmaps >= 1 && plots.tables >= 6, JSON.stringify(plots));
    await page.locator('.js-plotly-plot').nth(2).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'live-done.png') });
    assert.ok(running, 'a running progress line was seen (screenshot live-running.png)');
  } finally {
    await browser.close();
  }
});
