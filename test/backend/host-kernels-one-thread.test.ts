import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index';
import { _hostKernels } from '../../src/backend/host-kernels/index';
import { adam } from '../../src/train/adam';

/** One Adam step of a 6-entry weight with one frozen entry, on the active backend. */
function step(): Float32Array {
  const w = tf.variable(tf.tensor([0.5, -1, 2, 0, 3, -4]));
  const opt = adam(new Map([['w', w]]), { learningRate: 0.1 });
  opt.setUpdateMask('w', tf.tensor([1, 1, 0, 1, 1, 1], [6], 'int32'));
  tf.tidy(() => opt.applyGradients(new Map([['w', tf.tensor([1, -2, 3, 0.5, 0, 7])]])));
  const out = w.dataSync().slice() as Float32Array;
  opt.dispose();
  w.dispose();
  return out;
}

// Threads are fixed per process: this file starts wasm single-threaded, whose memory is not
// shared and is found elsewhere in the module than the threaded build's.
test('the fused kernels compile against single-threaded wasm and agree with cpu', async () => {
  await initBackend({ backend: 'cpu', quiet: true });
  const onCpu = step();
  const report = await initBackend({ backend: 'wasm', threads: 1, quiet: true });
  assert.equal(report.threads, 1);
  assert.ok(_hostKernels() !== null, `fused kernels installed; notes: ${report.notes.join('; ')}`);
  assert.deepEqual(step(), onCpu);
});
