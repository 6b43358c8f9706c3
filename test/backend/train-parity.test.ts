import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index';
import { Rng } from '../../src/random';

/** A small CNN: conv 3×3 (same) → relu → maxPool 2 → conv 3×3 stride 2 (valid) → relu → avgPool → dense. */
const shapes = { c1: [3, 3, 3, 8], c2: [3, 3, 8, 8], dense: [8, 4], bias: [4] } as const;

function weights(seed: number): Record<keyof typeof shapes, Float32Array> {
  const rng = new Rng(seed);
  const init = (shape: readonly number[], std: number) =>
    rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, std);
  return { c1: init(shapes.c1, 0.3), c2: init(shapes.c2, 0.2), dense: init(shapes.dense, 0.3), bias: init(shapes.bias, 0) };
}

async function trainLosses(backend: 'cpu' | 'wasm', seed: number, steps: number): Promise<number[]> {
  await initBackend({ backend, quiet: true });
  const init = weights(seed);
  const vars = Object.fromEntries(
    (Object.keys(shapes) as (keyof typeof shapes)[]).map((k) => [k, tf.tidy(() => tf.variable(tf.tensor(init[k], [...shapes[k]])))]),
  ) as Record<keyof typeof shapes, tf.Variable>;
  const rng = new Rng(seed + 1);
  const x = tf.tensor4d(rng.fillUniform(new Float32Array(8 * 12 * 12 * 3), 0, 1), [8, 12, 12, 3]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 8 }, () => rng.int(4)), 'int32'), 4));
  const lr = 0.2;
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        let h: tf.Tensor4D = tf.relu(tf.conv2d(x, vars.c1 as tf.Tensor4D, 1, 'same'));
        h = tf.maxPool(h, 2, 2, 'valid'); // [8, 6, 6, 8]
        h = tf.relu(tf.conv2d(h, vars.c2 as tf.Tensor4D, 2, 'valid')); // [8, 2, 2, 8]
        const pooled = tf.reshape(tf.avgPool(h, 2, 2, 'valid'), [8, 8]);
        const logits = tf.add(tf.matMul(pooled, vars.dense), vars.bias);
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      });
      for (const [name, g] of Object.entries(grads)) {
        const v = Object.values(vars).find((w) => w.name === name)!;
        v.assign(tf.sub(v, tf.mul(g, lr)));
      }
      return value.dataSync()[0];
    });
    losses.push(loss);
  }
  tf.dispose([x, labels, ...Object.values(vars)]);
  return losses;
}

test('a small CNN trained on wasm follows the same loss curve as on cpu from the same seed', async () => {
  const cpu = await trainLosses('cpu', 7, 6);
  const wasm = await trainLosses('wasm', 7, 6);
  assert.ok(cpu[5] < cpu[0], `loss should fall on cpu: ${cpu}`);
  for (let i = 0; i < cpu.length; i++) {
    assert.ok(Math.abs(wasm[i] - cpu[i]) <= 1e-4 * Math.max(1, Math.abs(cpu[i])), `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`);
  }
});

test('training on wasm leaks no tensors across steps', async () => {
  await trainLosses('wasm', 3, 1);
  const tensors = tf.memory().numTensors;
  const dataIds = tf.engine().backend.numDataIds();
  await trainLosses('wasm', 3, 3);
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.engine().backend.numDataIds(), dataIds);
});
