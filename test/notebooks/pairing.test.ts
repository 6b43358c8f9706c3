/**
 * Unit tests of the notebook pairing: percent-format parsing and writing, the canonical
 * .ipynb, drift detection and syncing an .ipynb edited in Jupyter back to its twin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIpynb, formatIpynb, parseIpynb, type Ipynb } from '../../scripts/notebooks/ipynb';
import { checkPair, firstDifference, pairOf, syncPair } from '../../scripts/notebooks/pair';
import { formatPercent, parsePercent, PercentFormatError } from '../../scripts/notebooks/percent-format';
import { parseSyncArgs, runSync } from '../../scripts/notebooks/sync';

const TWIN = `// Header line: what this notebook is.
// Second header line.

// %% [markdown]
// # Title
//
// Prose with \`code\` and a list:
// - one
//   - indented

// %%
const config = { mode: 'quick' };
config

// %% [markdown]
// Between code cells.

// %% Train the model
for (let i = 0; i < 2; i++) {

  console.log(i); // a comment inside code stays code
}

// %%

// %% [raw]
// raw text
`;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-pairing-'));
}

test('percent twin -> ipynb -> twin is the identity', () => {
  const twin = parsePercent(TWIN);
  const nb = formatIpynb(buildIpynb(twin, 'demo'));
  const back = parseIpynb(nb).twin;
  assert.equal(formatPercent(back), TWIN);
  assert.deepEqual(back, twin);
});

test('markdown and code cell boundaries, titles and the header are read as written', () => {
  const { header, cells } = parsePercent(TWIN);
  assert.equal(header, '// Header line: what this notebook is.\n// Second header line.');
  assert.deepEqual(
    cells.map((c) => c.kind),
    ['markdown', 'code', 'markdown', 'code', 'code', 'raw'],
  );
  assert.equal(cells[0].source, '# Title\n\nProse with `code` and a list:\n- one\n  - indented');
  assert.equal(cells[1].source, "const config = { mode: 'quick' };\nconfig");
  assert.equal(cells[3].title, 'Train the model');
  assert.equal(cells[3].source, 'for (let i = 0; i < 2; i++) {\n\n  console.log(i); // a comment inside code stays code\n}');
  assert.equal(cells[4].source, '');
  assert.equal(cells[5].source, 'raw text');
});

test('the ipynb is nbformat 4.5 for the TicketLab kernel, with ids and no outputs', () => {
  const nb = JSON.parse(formatIpynb(buildIpynb(parsePercent(TWIN), 'demo'))) as Ipynb;
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.nbformat_minor, 5);
  assert.deepEqual(nb.metadata['kernelspec'], { display_name: 'TicketLab (TypeScript)', language: 'typescript', name: 'ticketlab' });
  assert.equal((nb.metadata['language_info'] as { name: string }).name, 'typescript');
  const ids = nb.cells.map((c) => c.id!);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, /^[a-zA-Z0-9_-]{1,64}$/);
  for (const c of nb.cells.filter((c) => c.cell_type === 'code')) {
    assert.deepEqual(c.outputs, []);
    assert.equal(c.execution_count, null);
  }
  assert.deepEqual(nb.cells[1].source, ["const config = { mode: 'quick' };\n", 'config']);
  assert.deepEqual(nb.cells[3].metadata, { title: 'Train the model' });
});

test('a prose line that is not a comment is refused with its line number', () => {
  assert.throws(() => parsePercent('// %% [markdown]\n// fine\nnot a comment\n', 'x.ts'), (e: unknown) => {
    assert.ok(e instanceof PercentFormatError);
    assert.match(e.message, /^x\.ts:3: a markdown or raw cell line must be a "\/\/ " comment/);
    return true;
  });
});

test('drift is detected, naming the notebook and the first differing cell', () => {
  const dir = tempDir();
  const pair = pairOf(path.join(dir, '07-demo.ts'));
  fs.writeFileSync(pair.ts, TWIN);
  syncPair(pair, 'ts');
  assert.equal(checkPair(pair).status, 'ok');
  fs.writeFileSync(pair.ts, TWIN.replace("mode: 'quick'", "mode: 'paper'"));
  const report = checkPair(pair);
  assert.equal(report.status, 'drift');
  assert.match(report.message, /^07-demo: \.ts and \.ipynb differ: cell 2 \(code cell "const config = \{ mode: 'paper' \};"\) differs: line 1/);
  const { reports, code } = runSync(parseSyncArgs(['--check', pair.ts]), dir);
  assert.equal(code, 1);
  assert.equal(reports[0].status, 'drift');
  assert.equal(fs.readFileSync(pair.ipynb, 'utf8').includes("mode: 'paper'"), false, '--check writes nothing');
  fs.rmSync(pair.ipynb);
  assert.match(checkPair(pair).message, /07-demo\.ipynb is missing/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an added or removed cell is reported as drift too', () => {
  const twin = parsePercent(TWIN);
  const fewer = { ...twin, cells: twin.cells.slice(0, -1) };
  assert.match(firstDifference(twin, fewer)!, /cell 6 \(raw cell "raw text"\) differs: only the \.ts has it/);
  const kinds = { ...twin, cells: twin.cells.map((c, i) => (i === 2 ? { ...c, kind: 'code' as const } : c)) };
  assert.match(firstDifference(twin, kinds)!, /cell 3 .* kind markdown in \.ts, code in \.ipynb/);
  assert.equal(firstDifference(twin, parsePercent(TWIN)), null);
});

test('an ipynb edited and saved by Jupyter (outputs, counts, metadata) syncs back to the twin', () => {
  const dir = tempDir();
  const pair = pairOf(path.join(dir, '08-edited.ipynb'));
  fs.writeFileSync(pair.ts, TWIN);
  syncPair(pair, 'ts');
  const saved = JSON.parse(fs.readFileSync(pair.ipynb, 'utf8')) as Ipynb;
  // What Jupyter writes after a run and an edit: outputs, counts, cell and notebook metadata,
  // a new cell with a random id, the source as one string.
  saved.cells[1].source = "const config = { mode: 'paper' };\nconfig\n";
  saved.cells[1].execution_count = 3;
  saved.cells[1].outputs = [{ output_type: 'execute_result', execution_count: 3, data: { 'text/plain': "{ mode: 'paper' }" }, metadata: {} }];
  saved.cells[1].metadata = { scrolled: true, collapsed: false, execution: { 'iopub.status.busy': '2024-01-01T00:00:00Z' } };
  saved.cells.splice(2, 0, { cell_type: 'markdown', id: 'f3b1c2d4-1111-2222-3333-444455556666', metadata: {}, source: 'A new note.\n\nTwo paragraphs.' });
  saved.metadata['language_info'] = { name: 'typescript', version: '5.0.4', file_extension: '.ts', mimetype: 'text/typescript' };
  saved.metadata['widgets'] = { 'application/vnd.jupyter.widget-state+json': { state: {} } };
  fs.writeFileSync(pair.ipynb, JSON.stringify(saved));
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(pair.ipynb, later, later); // the newer file wins
  assert.equal(checkPair(pair).status, 'drift');
  const report = syncPair(pair);
  assert.equal(report.status, 'wrote-both');
  const ts = fs.readFileSync(pair.ts, 'utf8');
  assert.match(ts, /\/\/ %%\nconst config = \{ mode: 'paper' \};\nconfig\n\n\/\/ %% \[markdown\]\n\/\/ A new note\.\n\/\/\n\/\/ Two paragraphs\.\n/);
  const nb = fs.readFileSync(pair.ipynb, 'utf8');
  assert.equal(nb.includes('outputs": [\n    {'), false, 'outputs stripped');
  assert.equal(nb.includes('widgets'), false, 'front-end metadata dropped');
  assert.match(nb, /"id": "f3b1c2d4-1111-2222-3333-444455556666"/, 'Jupyter cell ids kept');
  assert.equal(checkPair(pair).status, 'ok');
  assert.equal(syncPair(pair).status, 'ok', 'a second sync writes nothing');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--from picks the side regardless of modification times', () => {
  const dir = tempDir();
  const pair = pairOf(path.join(dir, '09-from'));
  fs.writeFileSync(pair.ts, TWIN);
  syncPair(pair, 'ts');
  fs.writeFileSync(pair.ts, TWIN.replace('# Title', '# Changed title'));
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(pair.ts, old, old);
  assert.equal(syncPair(pair, 'ts').status, 'wrote-ipynb');
  assert.match(fs.readFileSync(pair.ipynb, 'utf8'), /# Changed title/);
  assert.throws(() => parseSyncArgs(['--from=py']), /--from must be ts, ipynb or newer/);
  assert.throws(() => parseSyncArgs(['--bogus']), /unknown flag "--bogus"/);
  fs.rmSync(dir, { recursive: true, force: true });
});
