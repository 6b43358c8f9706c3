/**
 * The headless notebook runner (`npm start` runs notebook 02 this way): runs notebook 01's
 * `.ts` twin in quick mode without Jupyter and checks the printed result table and the
 * self-contained HTML report (plotly.js inlined once, figure divs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

test('run-notebook-script runs notebook 01 headless in quick mode and writes the report', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-headless-'));
  const report = path.join(dir, 'report.html');
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts', 'run-notebook-script.ts'), path.join(ROOT, 'notebooks', '01-quick-tour.ts'), '--report', report],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TICKETLAB_NOTEBOOK_MODE: 'quick' }, timeout: 110_000 },
  );
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  // The result table (the tidy table printed as aligned text) and figures as one-line notes.
  assert.match(run.stdout, /Result table:\n\nrun\s+seed\s+method/);
  assert.match(run.stdout, /quick-tour\s+0\s+wsn c=0\.1/);
  assert.match(run.stdout, /\[figure\] Plotly figure: /);
  assert.match(run.stdout, /Report: .*report\.html/);
  // Progress goes to stderr as lines.
  assert.match(run.stderr, /task 2\/2 \| epoch \d+\/\d+ .*\(done\)/);
  const html = fs.readFileSync(report, 'utf8');
  assert.equal(html.match(/plotly\.js v\d/g)?.length, 1, 'plotly.js is inlined exactly once');
  assert.ok((html.match(/class="ticketlab-figure"/g)?.length ?? 0) >= 1, 'at least one figure div');
  assert.match(html, /<h1>01 · /);
  assert.match(html, /<table/);
  fs.rmSync(dir, { recursive: true, force: true });
});
