/**
 * End-to-end tests of the TicketLab kernel through Jupyter's own client: builds the kernel,
 * installs its kernelspec into a temporary prefix (JUPYTER_PATH), runs drive_kernel.py with
 * Debian's /usr/bin/python3 (jupyter_client) and checks the recorded messages.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Exchange, RecordedMessage, exchangeProblems } from './message-spec';

const root = path.resolve(__dirname, '..', '..');
const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-kernel-'));
const jupyterPath = path.join(prefix, 'share', 'jupyter');
type Run = Record<string, Exchange> & { widget_models: Record<string, string>; exited_after_shutdown: boolean } & Record<string, unknown>;
let run: Run;
let notebook: { cells: Array<{ outputs: Array<Record<string, unknown>> }> };

function ex(name: string): Exchange {
  const x = run[name] as Exchange | undefined;
  assert.ok(x, `scenario ${name} missing from the run`);
  return x;
}

function iopub(name: string, type: string): RecordedMessage[] {
  return ex(name).iopub.filter((m) => m.msg_type === type);
}

before(() => {
  // The whole build: cells import the library as 'ticketlab' (dist/src) and 'ticketlab/kernel'.
  // Type errors elsewhere in src/ must not hide kernel results, so only the outputs are required.
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { encoding: 'utf8' });
  for (const f of ['dist/kernel/main.js', 'dist/kernel/api.d.ts', 'dist/src/index.js', 'dist/src/index.d.ts']) {
    assert.ok(fs.existsSync(path.join(root, f)), `build did not produce ${f}:\n${tsc.stdout}${tsc.stderr}`);
  }
  const inst = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'kernel/install.ts'), '--prefix', prefix, '--no-build'], { encoding: 'utf8', cwd: root });
  assert.equal(inst.status, 0, inst.stderr);
  const drive = spawnSync('/usr/bin/python3', [path.join(__dirname, 'drive_kernel.py'), 'ticketlab', path.join(root, 'test', 'kernel')], {
    encoding: 'utf8',
    env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 150_000,
  });
  assert.equal(drive.status, 0, `drive_kernel.py failed:\n${drive.stderr.slice(-3000)}`);
  run = JSON.parse(drive.stdout) as Run;
  const nb = spawnSync('/usr/bin/python3', [path.join(__dirname, 'run_notebook.py'), 'ticketlab', path.join(root, 'test', 'kernel')], {
    encoding: 'utf8',
    env: { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  assert.equal(nb.status, 0, `run_notebook.py failed:\n${nb.stderr.slice(-3000)}`);
  notebook = JSON.parse(nb.stdout) as typeof notebook;
});

after(() => fs.rmSync(prefix, { recursive: true, force: true }));

test('the installer registers the kernelspec where jupyter kernelspec list finds it', () => {
  const r = spawnSync('/usr/bin/jupyter', ['kernelspec', 'list', '--json'], { encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: jupyterPath } });
  const specs = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: { display_name: string; argv: string[] } }> }).kernelspecs;
  assert.equal(specs['ticketlab'].spec.display_name, 'TicketLab (TypeScript)');
  assert.equal(specs['ticketlab'].spec.argv[0], process.execPath);
  assert.ok(specs['ticketlab'].spec.argv.includes(path.join(root, 'dist/kernel/main.js')));
});

test('kernel_info names the kernel, its TypeScript and the backend line', () => {
  const c = ex('kernel_info').reply!.content;
  assert.equal(c['implementation'], 'ticketlab');
  assert.equal((c['language_info'] as Record<string, unknown>)['name'], 'typescript');
  assert.match(String(c['banner']), /TicketLab backend:/);
});

test('the first cell shows the backend choice and the last value as execute_result', () => {
  assert.match(iopub('first', 'stream').map((m) => m.content['text']).join(''), /TicketLab backend:/);
  const [result] = iopub('first', 'execute_result');
  assert.deepEqual(result.content['data'], { 'text/plain': '42' });
  assert.equal(result.content['execution_count'], ex('first').reply!.content['execution_count']);
});

test('a type error is an error message pointing at the cell line, and nothing runs', () => {
  const [err] = iopub('type_error', 'error');
  assert.equal(err.content['ename'], 'TypeScriptError');
  assert.match(String(err.content['evalue']), /line 1, column 5: Type 'number' is not assignable to type 'string'/);
  assert.equal(ex('type_error').reply!.content['status'], 'error');
});

test('a runtime error is an error message with a traceback at the throwing cell line', () => {
  const [err] = iopub('runtime_error', 'error');
  assert.equal(err.content['ename'], 'RangeError');
  assert.equal(err.content['evalue'], 'boom at 1');
  const tb = (err.content['traceback'] as string[]).join('\n');
  assert.match(tb, /Cell line 3:/);
  assert.match(tb, /--> 3.*throw new RangeError/);
  assert.deepEqual(ex('runtime_error').reply!.content['ename'], 'RangeError');
});

test('the kernel survives errors and unawaited rejections, keeping variables', () => {
  assert.match(iopub('rejected', 'stream').map((m) => m.content['text']).join(''), /Unhandled promise rejection \(the kernel keeps running\): Error: nobody awaits me/);
  assert.equal(iopub('rejected', 'execute_result')[0].content['data'] && (iopub('rejected', 'execute_result')[0].content['data'] as Record<string, unknown>)['text/plain'], 'after rejection');
  assert.deepEqual(iopub('alive', 'execute_result')[0].content['data'], { 'text/plain': '43' });
});

test('a Plotly bundle carries the figure as a JSON object, offline HTML and text; plotly.js only once', () => {
  const shown = iopub('import_kernel', 'display_data');
  assert.equal(shown.length, 2);
  for (const m of shown) {
    const data = m.content['data'] as Record<string, unknown>;
    assert.deepEqual(data['application/vnd.plotly.v1+json'], { data: [{ type: 'scatter', y: [3, 1, 2] }], layout: { title: { text: 'loss' } } });
    assert.match(String(data['text/plain']), /Plotly figure: 1 trace \(scatter\), title "loss"/);
    assert.ok(!/<script[^>]*\ssrc=/.test(String(data['text/html'])), 'no external script (no CDN)');
  }
  const html = shown.map((m) => String((m.content['data'] as Record<string, unknown>)['text/html']));
  assert.match(html[0], /plotly\.js v3/);
  assert.ok(html[0].length > 1_000_000, 'first figure inlines plotly.js');
  assert.ok(html[1].length < 10_000, 'second figure reuses window.Plotly');
  assert.match(html[1], /window\.Plotly\.newPlot/);
  const result = iopub('plotly_result', 'execute_result')[0].content['data'] as Record<string, unknown>;
  assert.ok(typeof result['application/vnd.plotly.v1+json'] === 'object');
});

test('an Arquero table renders as formatted HTML with a row limit and a count of the rest', () => {
  const data = iopub('table', 'execute_result')[0].content['data'] as Record<string, string>;
  assert.equal((data['text/html'].match(/<tr>/g) ?? []).length, 6, 'header + 5 rows');
  assert.match(data['text/html'], /<td[^>]*>0\.510<\/td>/);
  assert.match(data['text/html'], /… 25 more rows/);
  assert.match(data['text/plain'], /task\s+acc/);
  assert.match(data['text/plain'], /… 25 more rows/);
});

test('a value with Symbol.for("Jupyter.display") becomes a multi-MIME execute_result', () => {
  const data = iopub('display_protocol', 'execute_result')[0].content['data'];
  assert.deepEqual(data, { 'text/html': '<b>rich</b>', 'application/json': { x: 1 }, 'text/plain': 'rich' });
});

test('display updates reuse one display id through update_display_data', () => {
  const [first] = iopub('update', 'display_data');
  const updates = iopub('update', 'update_display_data');
  assert.deepEqual(first.content['transient'], { display_id: 'tl-test-progress' });
  assert.deepEqual(updates.map((u) => (u.content['data'] as Record<string, string>)['text/plain']), ['step 1', 'step 2', 'step 3']);
  assert.ok(updates.every((u) => (u.content['transient'] as Record<string, string>)['display_id'] === 'tl-test-progress'));
});

test('progress updates its status line and live chart in place', () => {
  const shown = iopub('progress', 'display_data');
  assert.equal(shown.length, 2, 'status + chart');
  const ids = shown.map((m) => (m.content['transient'] as Record<string, string>)['display_id']);
  const updates = iopub('progress', 'update_display_data');
  const status = updates.filter((u) => (u.content['transient'] as Record<string, string>)['display_id'] === ids[0]);
  const chart = updates.filter((u) => (u.content['transient'] as Record<string, string>)['display_id'] === ids[1]);
  assert.match((status.at(-1)!.content['data'] as Record<string, string>)['text/plain'], /task 2\/2 \| epoch 2\/2 \| step 10\/10 \| loss 0\.3333 \| acc 60\.00% \| 1,000 samples\/s \| ETA 5s \(done\)/);
  const fig = (chart.at(-1)!.content['data'] as Record<string, { data: Array<Record<string, unknown>> }>)['application/vnd.plotly.v1+json'];
  assert.deepEqual(fig.data[0]['y'], [1, 0.5, 0.5, 1 / 3]);
  assert.deepEqual(fig.data[1]['y'], [50, 60, 50, 60]);
  assert.deepEqual(fig.data[3]['z'], [[0.9, 0], [0.85, 0.92]]);
});

test('widgets open comms with ipywidgets model state and display as widget views', () => {
  const models = run.widget_models;
  for (const name of ['IntSliderModel', 'ButtonModel', 'DropdownModel', 'IntProgressModel', 'LayoutModel']) assert.ok(models[name], name);
  const open = iopub('widget', 'comm_open').find((m) => m.content['comm_id'] === models['IntSliderModel'])!;
  assert.equal(open.content['target_name'], 'jupyter.widget');
  const state = (open.content['data'] as Record<string, Record<string, unknown>>)['state'];
  assert.equal(state['_model_module'], '@jupyter-widgets/controls');
  assert.equal(state['value'], 2);
  assert.match(String(state['layout']), /^IPY_MODEL_/);
  const view = (iopub('widget', 'execute_result')[0].content['data'] as Record<string, Record<string, unknown>>)['application/vnd.jupyter.widget-view+json'];
  assert.deepEqual(view, { model_id: models['IntSliderModel'], version_major: 2, version_minor: 0 });
});

test('comm_info_reply lists open widget comms, filtered by target', () => {
  const comms = ex('comm_info').reply!.content['comms'] as Record<string, { target_name: string }>;
  assert.equal(ex('comm_info').reply!.msg_type, 'comm_info_reply');
  assert.ok(comms[run.widget_models['IntSliderModel']]);
  assert.ok(Object.values(comms).every((c) => c.target_name === 'jupyter.widget'));
  const all = ex('comm_info_all').reply!.content['comms'] as Record<string, unknown>;
  assert.ok(Object.keys(all).length >= Object.keys(comms).length);
});

test('front-end widget changes reach kernel callbacks, which can update a display', () => {
  const upd = iopub('slider_update', 'update_display_data');
  assert.deepEqual(upd.map((u) => (u.content['data'] as Record<string, string>)['text/plain']), ['value 7']);
  const state = ((iopub('request_state', 'comm_msg')[0].content['data'] as Record<string, unknown>)['state'] as Record<string, unknown>);
  assert.equal(state['value'], 7);
  const after = (iopub('after_widgets', 'execute_result')[0].content['data'] as Record<string, string>)['text/plain'];
  assert.deepEqual(JSON.parse(after), { value: 7, seen: [7], clicks: 1, dd: 'clnp' });
});

test('comm targets: widget control answers request_states, unknown targets are closed', () => {
  const states = (iopub('control_states', 'comm_msg')[0].content['data'] as Record<string, unknown>);
  assert.equal(states['method'], 'update_states');
  assert.ok((states['states'] as Record<string, unknown>)[run.widget_models['DropdownModel']]);
  const [closed] = iopub('unknown_target', 'comm_close');
  assert.equal(closed.content['comm_id'], ex('unknown_target').request.content['comm_id']);
});

test('comm_close from either side removes the comm', () => {
  const after = ex('comm_info_after_close').reply!.content['comms'] as Record<string, unknown>;
  assert.equal(after[run.widget_models['IntSliderModel']], undefined);
  assert.equal(iopub('kernel_close', 'comm_close')[0].content['comm_id'], run.widget_models['ButtonModel']);
});

test('completion and inspection use the TypeScript language service', () => {
  const c = ex('complete').reply!.content;
  assert.ok((c['matches'] as string[]).includes('map'));
  assert.equal(c['cursor_end'], 26);
  const i = ex('inspect').reply!.content;
  assert.equal(i['found'], true);
  assert.match((i['data'] as Record<string, string>)['text/plain'], /Math\.max\(\.\.\.values: number\[\]\): number/);
  assert.equal(ex('is_complete').reply!.content['status'], 'incomplete');
});

test('an interrupt stops a polling loop at its next step; the kernel and variables survive', () => {
  const x = ex('interrupt');
  assert.equal(x.reply!.content['ename'], 'KeyboardInterrupt');
  assert.ok((x as unknown as { seconds: number }).seconds < 2.5, 'stopped well before the hard-interrupt grace period');
  const after = JSON.parse((iopub('after_interrupt', 'execute_result')[0].content['data'] as Record<string, string>)['text/plain']) as Record<string, unknown>;
  assert.equal(after['finishedLoop'], true, 'the cell ran to its end after the loop stopped');
  assert.ok(Number(after['steps']) > 10 && Number(after['steps']) < 100000);
  assert.equal(after['alive'], 42);
  assert.equal(ex('interrupt_request').reply!.msg_type, 'interrupt_reply');
});

test('shutdown_request replies and ends the kernel process', () => {
  assert.equal(ex('shutdown').reply!.msg_type, 'shutdown_reply');
  assert.equal(run.exited_after_shutdown, true);
});

test('every message the kernel sent follows the messaging spec (header, parent_header, content)', () => {
  const problems: string[] = [];
  const types = new Set<string>();
  for (const [name, value] of Object.entries(run)) {
    if (!value || typeof value !== 'object' || !('request' in value)) continue;
    const x = value as Exchange;
    problems.push(...exchangeProblems(name, x));
    for (const m of [...(x.reply ? [x.reply] : []), ...x.iopub]) types.add(m.msg_type);
  }
  assert.deepEqual(problems, []);
  for (const t of ['status', 'stream', 'execute_input', 'execute_result', 'display_data', 'update_display_data', 'error', 'execute_reply', 'kernel_info_reply', 'comm_open', 'comm_msg', 'comm_close', 'comm_info_reply', 'complete_reply', 'inspect_reply', 'is_complete_reply', 'history_reply', 'interrupt_reply', 'shutdown_reply']) {
    assert.ok(types.has(t), `no ${t} message was checked`);
  }
});

test('nbclient runs a notebook: ticketlab imports type-check and run, slider figures keep their controls', () => {
  const [first, second, third] = notebook.cells;
  assert.deepEqual((first.outputs.find((o) => o['output_type'] === 'execute_result')!['data'] as Record<string, unknown>)['text/plain'], 'InvalidArgumentError');
  const fig = (second.outputs.find((o) => o['output_type'] === 'execute_result')!['data'] as Record<string, { data: unknown[]; layout: Record<string, unknown[]> }>)['application/vnd.plotly.v1+json'];
  assert.deepEqual(fig.data.map((t) => (t as { visible: boolean }).visible), [true, false]);
  assert.equal((fig.layout['sliders'][0] as { steps: unknown[] }).steps.length, 2);
  assert.equal((fig.layout['updatemenus'][0] as { buttons: unknown[] }).buttons.length, 2);
  const err = third.outputs.find((o) => o['output_type'] === 'error')!;
  assert.equal(err['ename'], 'TypeScriptError');
  assert.match(String(err['evalue']), /not assignable to type 'number'/);
});

test('the built library splits fused kernel passes over the host threads as the source does (short passes stay whole)', async () => {
  const probe = `
    const { initBackend } = require(${JSON.stringify(path.join(root, 'dist/src/backend/index.js'))});
    const kernels = require(${JSON.stringify(path.join(root, 'dist/src/backend/host-kernels/index.js'))});
    initBackend({ backend: 'wasm', quiet: true }).then(() =>
      console.log(JSON.stringify([6400, 1 << 17, 1 << 20].map((n) => kernels._hostKernelPartCount(n, 'relu')))));`;
  const child = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', cwd: root, timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const built = JSON.parse(child.stdout.trim().split('\n').pop()!) as number[];
  const { initBackend } = await import('../../src/backend/index');
  const { _hostKernelPartCount, LANEWISE_SPLIT_MIN_LENGTH } = await import('../../src/backend/host-kernels/index');
  await initBackend({ backend: 'wasm', quiet: true });
  const source = [6400, 1 << 17, 1 << 20].map((n) => _hostKernelPartCount(n, 'relu'));
  assert.deepEqual(built, source);
  assert.deepEqual(built.slice(0, 2), [1, 1], `passes shorter than ${LANEWISE_SPLIT_MIN_LENGTH} entries must run in one part`);
});
