/**
 * The WebGPU backend (tfjs-backend-webgpu over Dawn) against the cpu backend, op by op, forward
 * and gradients, for every op a TicketLab training step uses; then SGD steps of a small CNN and
 * a forward + backward pass of each paper network. Relative tolerance 1e-3 (GPU float math:
 * different summation order, fused multiply-add).
 *
 * Where Dawn finds no adapter (no Vulkan driver), every case asserts instead that forcing webgpu
 * throws BackendUnavailableError and that the automatic choice lists webgpu as skipped with the
 * same reason. Mesa's lavapipe (a CPU Vulkan driver) gives Dawn a software adapter, so with it
 * the numerics run on a machine without a GPU.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index';
import { BackendUnavailableError } from '../../src/errors';
import { createNetwork, layers, type ArchitectureName } from '../../src/models/index';
import { topCMaskSTE } from '../../src/pruning/top-c';
import { Rng } from '../../src/random';
import { crossEntropy } from '../../src/train/cross-entropy';

const RTOL = 1e-3;

let availability: Promise<string | null> | null = null;

/** null when webgpu starts (forced); else the reason it cannot, checked against the auto report. */
function webgpuUnavailable(): Promise<string | null> {
  availability ??= (async () => {
    try {
      await initBackend({ backend: 'webgpu', quiet: true });
      return null;
    } catch (e) {
      assert.ok(e instanceof BackendUnavailableError, `forcing webgpu threw ${(e as Error).name}: ${(e as Error).message}`);
      return (e as Error).message;
    }
  })();
  return availability;
}

/** Runs `check` if webgpu works; otherwise asserts the probe's refusal names its reason. */
async function onWebgpu(check: () => Promise<void>): Promise<void> {
  const refusal = await webgpuUnavailable();
  if (refusal === null) return check();
  const auto = await initBackend({ quiet: true });
  const skip = auto.skipped.find((s) => s.name === 'webgpu');
  assert.ok(skip !== undefined && skip.reason.length > 0, 'the automatic choice must list webgpu as skipped with a reason');
  assert.ok(refusal.includes(skip.reason), `forced error "${refusal}" should name the skip reason "${skip.reason}"`);
}

function data(shape: readonly number[], seed: number, lo = -1, hi = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(new Rng(seed).fillUniform(new Float32Array(n), lo, hi), [...shape]);
}

async function runOn(backend: 'cpu' | 'webgpu', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ backend, quiet: true });
  const outs = tf.tidy(f);
  const arrays = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(outs);
  return arrays;
}

/** Worst |a − b| / max|b| per output (b: cpu), each output scaled by its own largest value. */
function relError(actual: Float32Array[], expected: Float32Array[]): { err: number; at: number } {
  let worst = { err: 0, at: -1 };
  expected.forEach((e, i) => {
    assert.equal(actual[i].length, e.length, `output ${i} length`);
    const scale = e.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    for (let j = 0; j < e.length; j++) {
      const err = Math.abs(actual[i][j] - e[j]) / scale;
      if (!(err <= worst.err)) worst = { err: Number.isNaN(err) ? Infinity : err, at: i };
    }
  });
  return worst;
}

async function expectSame(label: string, f: () => tf.Tensor[], tol = RTOL): Promise<void> {
  const expected = await runOn('cpu', f);
  const actual = await runOn('webgpu', f);
  const { err, at } = relError(actual, expected);
  assert.ok(err <= tol, `${label}: output ${at} differs from cpu by ${err.toExponential(2)} (relative) > ${tol}`);
}

/** Value and gradients of sum(f(inputs) ⊙ r) for a fixed random r, i.e. a random upstream dy. */
function withGrads(inputs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor, seed = 99): tf.Tensor[] {
  const y = f(...inputs);
  const r = data(y.shape, seed);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
  return [y, ...grads];
}

test('webgpu either starts, or is skipped with a reason and forcing it throws that reason', async () => {
  const refusal = await webgpuUnavailable();
  if (refusal === null) {
    const forced = await initBackend({ backend: 'webgpu', quiet: true });
    assert.equal(forced.name, 'webgpu');
    assert.equal(tf.getBackend(), 'webgpu');
    assert.match(forced.device, /^WebGPU \(Dawn\)/);
    assert.ok(forced.notes.some((n) => /readSync/.test(n)), 'the report notes the Node readSync');
    const auto = await initBackend({ quiet: true });
    const skip = auto.skipped.find((s) => s.name === 'webgpu');
    if (auto.name !== 'webgpu' && BACKEND_ORDER.indexOf(auto.name) > BACKEND_ORDER.indexOf('webgpu')) {
      assert.match(skip?.reason ?? '', /software/, 'a working adapter is passed over only when it is a software one');
    }
  } else {
    await onWebgpu(async () => undefined);
  }
});

const BACKEND_ORDER = ['node-gpu', 'node', 'webgpu', 'wasm', 'cpu'];

test('dataSync and arraySync read back from the GPU (Node has no OffscreenCanvas)', () =>
  onWebgpu(async () => {
    await initBackend({ backend: 'webgpu', quiet: true });
    const t = tf.tidy(() => tf.add(tf.range(0, 1000), 1));
    const values = t.dataSync();
    assert.equal(values.length, 1000);
    assert.equal(values[0], 1);
    assert.equal(values[999], 1000);
    const b = tf.tidy(() => tf.greaterEqual(tf.tensor1d([1, -2, 3]), 0));
    assert.deepEqual(Array.from(b.dataSync()), [1, 0, 1]);
    const i = tf.tidy(() => tf.cast(tf.tensor1d([1.7, -2.2]), 'int32'));
    assert.deepEqual(i.arraySync(), [1, -2]);
    tf.dispose([t, b, i]);
  }));

test('conv2d forward, input gradient and filter gradient match cpu (same/stride 1, explicit pad/stride 2, 5×5 valid)', () =>
  onWebgpu(async () => {
    await expectSame('conv same s1', () =>
      withGrads([data([2, 9, 9, 3], 1), data([3, 3, 3, 8], 2)], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')));
    await expectSame('conv pad1 s2', () =>
      withGrads([data([2, 10, 10, 4], 3), data([3, 3, 4, 6], 4)], (x, w) => layers.conv2d(x as tf.Tensor4D, w, undefined, 2, 1)));
    await expectSame('conv 5x5 valid', () =>
      withGrads([data([3, 12, 12, 3], 5), data([5, 5, 3, 7], 6)], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')));
    await expectSame('conv 1x1 s2 (shortcut)', () =>
      withGrads([data([2, 8, 8, 5], 7), data([1, 1, 5, 10], 8)], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'valid')));
  }));

test('max and average pooling match cpu, forward and gradient', () =>
  onWebgpu(async () => {
    await expectSame('maxPool 2 s2', () => withGrads([data([2, 8, 8, 4], 11)], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')));
    await expectSame('maxPool 3 s2 same', () => withGrads([data([2, 9, 9, 3], 12)], (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same')));
    await expectSame('avgPool 2 s2', () => withGrads([data([2, 8, 8, 4], 13)], (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')));
    await expectSame('avgPool 4 (global)', () => withGrads([data([3, 4, 4, 6], 14)], (x) => tf.avgPool(x as tf.Tensor4D, 4, 4, 'valid')));
  }));

test('matMul with every transpose combination matches cpu, forward and gradients', () =>
  onWebgpu(async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = ta ? [33, 17] : [17, 33];
      const b = tb ? [21, 33] : [33, 21];
      await expectSame(`matMul ta=${ta} tb=${tb}`, () =>
        withGrads([data(a, 21), data(b, 22)], (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb)));
    }
    await expectSame('matMul 64×784 · 784×100', () => withGrads([data([64, 784], 23), data([784, 100], 24)], (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)));
  }));

test('batch-statistics normalisation, relu, dropout multiply and softmax cross-entropy match cpu', () =>
  onWebgpu(async () => {
    await expectSame('batchStatNorm 4D', () => withGrads([data([4, 5, 5, 6], 31, -2, 3)], (x) => layers.batchStatNorm(x)));
    await expectSame('batchStatNorm 2D', () => withGrads([data([16, 10], 32, -1, 2)], (x) => layers.batchStatNorm(x)));
    await expectSame('relu', () => withGrads([data([7, 13], 33)], (x) => tf.relu(x)));
    await expectSame('dropout multiply', () => {
      const keep = tf.cast(tf.greaterEqual(data([8, 12], 34, 0, 1), 0.3), 'float32');
      return withGrads([data([8, 12], 35)], (x) => tf.div(tf.mul(x, keep), 0.7));
    });
    await expectSame('softmax cross-entropy', () => {
      const y = tf.tensor1d([0, 3, 9, 2, 2, 7], 'int32');
      return withGrads([data([6, 10], 36, -4, 4)], (z) => crossEntropy(z as tf.Tensor2D, y as tf.Tensor1D));
    });
  }));

test('mask ops (abs, sign, greaterEqual against a threshold, topk) and the straight-through top-c mask match cpu', () =>
  onWebgpu(async () => {
    await expectSame('abs/sign/greaterEqual', () => {
      const s = data([40, 30], 41);
      return [tf.abs(s), tf.sign(s), tf.cast(tf.greaterEqual(tf.abs(s), tf.scalar(0.5)), 'float32')];
    }, 0);
    await expectSame('topk values and indices', () => {
      const { values, indices } = tf.topk(tf.abs(data([1000], 42)), 50);
      return [values, tf.cast(indices, 'float32')];
    }, 0);
    await expectSame('topCMaskSTE forward and straight-through gradient', () =>
      withGrads([data([3, 3, 8, 16], 43)], (s) => tf.mul(topCMaskSTE(s, 0.3), data([3, 3, 8, 16], 44))), 0);
  }));

test('SGD steps of a small CNN follow the cpu loss curve and leak no tensors', () =>
  onWebgpu(async () => {
    const steps = async (backend: 'cpu' | 'webgpu') => {
      await initBackend({ backend, quiet: true });
      const w = { c1: data([3, 3, 3, 8], 51, -0.4, 0.4), c2: data([3, 3, 8, 8], 52, -0.3, 0.3), d: data([8, 4], 53, -0.5, 0.5) };
      const vars = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, tf.variable(t, true, `cnn-${backend}-${k}`)]));
      tf.dispose(Object.values(w));
      const x = data([8, 12, 12, 3], 54, 0, 1) as tf.Tensor4D;
      const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
      const before = tf.memory().numTensors;
      const losses: number[] = [];
      for (let s = 0; s < 6; s++) {
        losses.push(tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            let h = tf.relu(layers.batchStatNorm(tf.conv2d(x, vars.c1 as tf.Tensor4D, 1, 'same')));
            h = tf.maxPool(h, 2, 2, 'valid');
            h = tf.relu(tf.conv2d(h, vars.c2 as tf.Tensor4D, 2, 'valid')); // [8, 2, 2, 8]
            const pooled = tf.reshape(tf.avgPool(h, 2, 2, 'valid'), [8, 8]) as tf.Tensor2D;
            return crossEntropy(tf.matMul(pooled, vars.d) as tf.Tensor2D, y);
          });
          for (const v of Object.values(vars)) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.5)));
          return value.dataSync()[0];
        }));
      }
      const leaked = tf.memory().numTensors - before;
      tf.dispose([x, y, ...Object.values(vars)]);
      return { losses, leaked };
    };
    const cpu = await steps('cpu');
    const gpu = await steps('webgpu');
    assert.ok(cpu.losses[5] < cpu.losses[0], `the loss should fall: ${cpu.losses}`);
    assert.equal(gpu.leaked, 0);
    cpu.losses.forEach((l, i) => assert.ok(Math.abs(gpu.losses[i] - l) <= RTOL * Math.max(1, l), `step ${i}: webgpu ${gpu.losses[i]} vs cpu ${l}`));
  }));

const NETWORKS: readonly [ArchitectureName, object, number][] = [
  ['mlp', {}, 4],
  ['alexnet', {}, 2],
  ['resnet18-reduced', {}, 2],
  ['lenet', { inputChannels: 3 }, 2],
];
// tinynet and preact-resnet18 use the same ops (covered above) but take minutes per pass on the
// cpu reference; they are not compared here.

for (const [arch, extra, batch] of NETWORKS) {
  test(`${arch}: logits, loss gradients of every parameter match cpu in a training-mode pass`, () =>
    onWebgpu(async () => {
      await expectSame(arch, () => {
        const net = createNetwork(arch, { seed: 5, heads: [5], ...extra } as never);
        try {
          const x = data([batch, ...net.inputShape], 61, 0, 1) as tf.Tensor4D;
          const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 5), 'int32');
          const params = [...net.params.values()];
          const f = () => crossEntropy(net.logits(x, 0, { training: true, dropoutSeed: 3, updateNormStats: false }), y);
          const { value, grads } = tf.variableGrads(f, params);
          return [value, net.logits(x, 0, { training: true, dropoutSeed: 3, updateNormStats: false }), ...params.map((p) => grads[p.name])];
        } finally {
          net.dispose();
        }
      });
    }));
}
