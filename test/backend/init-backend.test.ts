import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, formatBackendReport, initBackend } from '../../src/backend/index';
import { BackendUnavailableError, InvalidArgumentError, UnknownNameError } from '../../src/errors';

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

test('forcing cpu gives a cpu report and a second call returns the cached report', async () => {
  const report = await initBackend({ backend: 'cpu', quiet: true });
  assert.equal(report.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(report.forced, true);
  assert.equal(await initBackend({ backend: 'cpu', quiet: true }), report);
});

test('forcing wasm reports the thread count the module measures, SIMD, and the training kernels', async () => {
  const report = await initBackend({ backend: 'wasm', quiet: true, threads: 2 });
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(report.threads, getThreadsCount());
  assert.ok(report.threads >= 1);
  assert.equal(report.simd, true);
  assert.ok(report.kernels.includes('Conv2DBackpropFilter'));
  assert.match(formatBackendReport(report), /^Backend: wasm .*\n {2}device: XNNPACK/);
});

test('the TICKETLAB_BACKEND variable picks the backend and the option wins over it', async () => {
  process.env.TICKETLAB_BACKEND = 'cpu';
  try {
    assert.equal((await initBackend({ quiet: true })).name, 'cpu');
    assert.equal((await initBackend({ backend: 'wasm', quiet: true, threads: 2 })).name, 'wasm');
    process.env.TICKETLAB_BACKEND = 'tpu';
    await assert.rejects(initBackend({ quiet: true }), /Unknown backend "tpu".*TICKETLAB_BACKEND/);
  } finally {
    delete process.env.TICKETLAB_BACKEND;
  }
});

test('unknown names, bad thread counts and unavailable backends throw and say why', async () => {
  await assert.rejects(initBackend({ backend: 'gpu' as never }), (e: Error) =>
    e instanceof UnknownNameError && /Known backends: cpu, node, node-gpu, wasm, webgpu/.test(e.message));
  await assert.rejects(initBackend({ threads: 0 }), InvalidArgumentError);
  await assert.rejects(initBackend({ threads: 1.5 }), InvalidArgumentError);
  if (!installed('@tensorflow/tfjs-node')) {
    await assert.rejects(initBackend({ backend: 'node', quiet: true }), (e: Error) =>
      e instanceof BackendUnavailableError && /not installed/.test(e.message));
  }
});

test('automatic choice takes the first working backend in order and gives a reason for each skip', async () => {
  const report = await initBackend({ quiet: true, threads: 2 });
  const chosen = BACKEND_NAMES.indexOf(report.name);
  assert.deepEqual(report.skipped.map((s) => s.name), BACKEND_NAMES.slice(0, chosen));
  for (const skip of report.skipped) assert.ok(skip.reason.length > 10, `${skip.name}: ${skip.reason}`);
  const text = formatBackendReport(report);
  for (const skip of report.skipped) assert.ok(text.includes(`skipped ${skip.name}: `));
});
