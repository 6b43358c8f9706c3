/**
 * Unit tests of the kernel's pure parts and cell-side helpers, with a recording iopub sender
 * instead of a running kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { kernelIO } from '../../kernel/kernel-io';
import { display, normalizeBundle, toMimeBundle } from '../../kernel/display';
import { commManager } from '../../kernel/comm-manager';
import { widgets } from '../../kernel/widgets';
import { sliderFigure } from '../../kernel/slider-figure';
import { Throttle } from '../../kernel/throttle';
import { compileErrorContent, mapJsLineToCell, runtimeErrorContent } from '../../kernel/error-report';
import { kernelSpec, parseInstallArgs } from '../../kernel/install';
import { startBackend } from '../../kernel/startup-backend';
import { interrupted, resetInterrupt, triggerInterrupt, interruptSignal } from '../../kernel/interrupt';
import { WireMessage } from '../../kernel/wire-message';
import { InvalidArgumentError } from '../../src/errors';

const sent: Array<{ type: string; content: Record<string, unknown> }> = [];
kernelIO().attach((type, content) => sent.push({ type, content }));

function frontendMsg(type: string, content: Record<string, unknown>): WireMessage {
  const m = new WireMessage(WireMessage.header(type, 'test-session', 'test'));
  m.content = content;
  return m;
}

test('bundles send JSON types as objects (parsing JSON text) and bytes as base64', () => {
  const b = normalizeBundle({ 'application/vnd.plotly.v1+json': '{"data":[]}', 'image/png': new Uint8Array([1, 2, 3]) });
  assert.deepEqual(b['application/vnd.plotly.v1+json'], { data: [] });
  assert.equal(b['image/png'], 'AQID');
  assert.equal(typeof b['text/plain'], 'string');
  assert.throws(() => normalizeBundle({ 'application/json': 'not json' }), InvalidArgumentError);
  assert.deepEqual(toMimeBundle({ a: 1 }), { 'text/plain': '{ a: 1 }' });
});

test('display with a display id returns a handle whose updates keep the id', () => {
  sent.length = 0;
  const h = display({ 'text/plain': 'a' }, { displayId: true });
  h.update({ 'text/plain': 'b' });
  assert.deepEqual(sent.map((s) => s.type), ['display_data', 'update_display_data']);
  assert.equal((sent[1].content['transient'] as { display_id: string }).display_id, h.id);
});

test('widgets: front-end updates run observers; dropdown maps index to value; button clicks', async () => {
  sent.length = 0;
  const s = widgets.floatSlider({ min: 0, max: 1, value: 0.5 });
  const seen: number[] = [];
  s.onChange((v) => seen.push(v));
  await commManager().handleMsg(frontendMsg('comm_msg', { comm_id: s.modelId, data: { method: 'update', state: { value: 0.25 }, buffer_paths: [] } }));
  assert.deepEqual(seen, [0.25]);
  s.value = 0.75;
  const last = sent.at(-1)!;
  assert.deepEqual(last.content, { comm_id: s.modelId, data: { method: 'update', state: { value: 0.75 }, buffer_paths: [] } });
  const d = widgets.dropdown(['wsn', 'clnp']);
  await commManager().handleMsg(frontendMsg('comm_msg', { comm_id: d.modelId, data: { method: 'update', state: { index: 1 } } }));
  assert.equal(d.value, 'clnp');
  let clicks = 0;
  const b = widgets.button({ description: 'go' }).onClick(() => clicks++);
  await commManager().handleMsg(frontendMsg('comm_msg', { comm_id: b.modelId, data: { method: 'custom', content: { event: 'click' } } }));
  assert.equal(clicks, 1);
  assert.throws(() => widgets.intSlider({ min: 5, max: 1 }), /max must be greater than min/);
});

test('an error in a widget callback is reported on stderr and does not escape', async () => {
  sent.length = 0;
  const s = widgets.intSlider({ value: 1 });
  s.onChange(() => {
    throw new Error('callback broke');
  });
  await commManager().handleMsg(frontendMsg('comm_msg', { comm_id: s.modelId, data: { method: 'update', state: { value: 2 } } }));
  assert.match(String(sent.find((m) => m.type === 'stream')?.content['text']), /Error in comm callback: Error: callback broke/);
});

test('sliderFigure toggles visibility per step and validates its input', () => {
  const fig = sliderFigure([{ label: 'a', data: [{ type: 'bar' }, { type: 'bar' }] }, { label: 'b', data: [{ type: 'bar' }] }], { active: 1 });
  assert.deepEqual(fig.data.map((t) => t['visible']), [false, false, true]);
  const steps = (fig.layout!['sliders'] as Array<{ steps: Array<{ args: Array<{ visible: boolean[] }> }> }>)[0].steps;
  assert.deepEqual(steps[0].args[0].visible, [true, true, false]);
  assert.throws(() => sliderFigure([]), InvalidArgumentError);
  assert.throws(() => sliderFigure([{ label: 'a', data: [] }], { active: 3 }), /active must be an integer in \[0, 0\]/);
});

test('Throttle runs at most once per interval and flushes the pending run', () => {
  let now = 0;
  let runs = 0;
  const t = new Throttle(() => runs++, 100, () => now);
  t.request();
  t.request();
  now = 50;
  t.request();
  assert.equal(runs, 1);
  t.flush();
  assert.equal(runs, 2);
  now = 500;
  t.request();
  assert.equal(runs, 3);
});

test('errors: JS stack lines map back to the cell line; diagnostics keep line and column', () => {
  const source = 'const x: number = 1;\ninterface A { a: number }\nthrow new Error("bad " + x);';
  const js = 'const x = 1;\nthrow new Error("bad " + x);';
  assert.equal(mapJsLineToCell(js, 2, source), 3);
  const err = new Error('bad 1');
  err.stack = 'Error: bad 1\n    at evalmachine.<anonymous>:2:7\n    at node:internal/x:1:1';
  const c = runtimeErrorContent(err, source, js);
  assert.equal(c.ename, 'Error');
  assert.match(c.traceback.join('\n'), /Cell line 3:/);
  const d = compileErrorContent([{ line: 2, column: 3, message: 'oops' }], 'a\nbb x\n');
  assert.equal(d.evalue, 'Cell line 2, column 3: oops');
  assert.equal(runtimeErrorContent(new Error('Script execution was interrupted by `SIGINT`'), '').ename, 'KeyboardInterrupt');
});

test('interrupt: the signal aborts on trigger and is re-armed per cell', () => {
  resetInterrupt();
  assert.equal(interrupted(), false);
  const signal = interruptSignal();
  triggerInterrupt();
  assert.equal(signal.aborted, true);
  assert.equal(interrupted(), true);
  resetInterrupt();
  assert.equal(interrupted(), false);
});

test('installer: --prefix and --uninstall parse; the spec uses this node and this repo', () => {
  const o = parseInstallArgs(['--prefix', '/tmp/p', '--uninstall', '--name', 'tl2']);
  assert.deepEqual(o, { kernelsDir: '/tmp/p/share/jupyter/kernels', name: 'tl2', uninstall: true, build: true });
  assert.throws(() => parseInstallArgs(['--bogus']), /unknown argument "--bogus"/);
  const spec = kernelSpec('/repo') as { argv: string[]; display_name: string };
  assert.equal(spec.argv[0], process.execPath);
  assert.equal(spec.argv[2], path.join('/repo', 'dist', 'kernel', 'main.js'));
  assert.equal(spec.display_name, 'TicketLab (TypeScript)');
});

test('backend start-up reports the choice, a missing build and a failing init without throwing', async () => {
  const ok = await startBackend(() => ({ initBackend: async () => ({ name: 'wasm' }), formatBackendReport: (r: unknown) => `chose ${(r as { name: string }).name}` }));
  assert.equal(ok, 'TicketLab backend: chose wasm');
  assert.match(await startBackend(() => { throw new Error('Cannot find module'); }), /did not load \(Cannot find module\)\. Run `npm run build`/);
  assert.match(await startBackend(() => ({ initBackend: async () => { throw new Error('no GPU'); } })), /initBackend failed \(no GPU\)/);
});

test('the live chart shows every column of a lower-triangular accuracy matrix', async () => {
  const { progress } = await import('../../kernel/progress');
  const p = progress({ chart: true, chartIntervalMs: 0 });
  p.setAccuracyMatrix([[90], [88, 91], [85, 89, 92]]);
  const heatmap = p.figure().data.find((trace) => trace.type === 'heatmap') as { z: (number | null)[][]; x: string[] };
  assert.deepEqual(heatmap.x, ['eval 1', 'eval 2', 'eval 3']);
  assert.deepEqual(heatmap.z, [[90, null, null], [88, 91, null], [85, 89, 92]]);
  p.done();
});
