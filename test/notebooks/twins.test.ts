/**
 * Every committed notebook has its .ts twin, the pair is in sync and the .ipynb is stored
 * without outputs (what `npx tsx scripts/notebooks/sync.ts --check` checks in CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkPair, listPairs } from '../../scripts/notebooks/pair';
import { runSync } from '../../scripts/notebooks/sync';
import { spawnSync } from 'node:child_process';
import { PYTHON } from '../../scripts/notebooks/run';
import { requireJupyterPython, ROOT } from './tools';

const dir = path.join(ROOT, 'notebooks');

test('every notebooks/*.ipynb has a .ts twin and every twin an .ipynb', () => {
  const ipynb = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'));
  assert.ok(ipynb.length > 0, 'no notebooks found in notebooks/');
  for (const pair of listPairs(dir)) {
    assert.ok(fs.existsSync(pair.ts), `${pair.ipynb} has no .ts twin; run npx tsx scripts/notebooks/sync.ts`);
    assert.ok(fs.existsSync(pair.ipynb), `${pair.ts} has no .ipynb; run npx tsx scripts/notebooks/sync.ts`);
  }
});

test('sync --check passes for every pair', () => {
  for (const pair of listPairs(dir)) assert.equal(checkPair(pair).status, 'ok', checkPair(pair).message);
  assert.equal(runSync({ check: true, from: 'newer', files: [] }, dir).code, 0);
});

test('notebook names follow NN-topic', () => {
  for (const pair of listPairs(dir)) assert.match(pair.name, /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/);
});

test('each committed .ipynb is byte-identical to what Jupyter (nbformat) saves, and valid', () => {
  requireJupyterPython();
  const script = [
    'import sys, nbformat',
    'for f in sys.argv[1:]:',
    '    text = open(f, encoding="utf-8").read()',
    '    nb = nbformat.reads(text, as_version=4)',
    '    nbformat.validate(nb)',
    '    assert nbformat.writes(nb) + "\\n" == text, f + ": not as nbformat writes it"',
  ].join('\n');
  const files = listPairs(dir).map((p) => p.ipynb);
  const r = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
