import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { data, runOn } from './_compare';

/** ReLU's input gradient for a given upstream gradient (zeros and negatives included). */
function reluGrad(shape: number[], seed: number): tf.Tensor[] {
  const x = tf.tensor(data(shape, seed), shape);
  const dy = tf.tensor(data(shape, seed + 1), shape);
  const xWithZeros = tf.where(tf.less(tf.abs(x), 0.1), tf.zerosLike(x), x); // x = 0 has gradient 0
  return [tf.grad((t: tf.Tensor) => tf.relu(t))(xWithZeros, dy)];
}

test('the fused ReLU gradient on wasm is bit-identical to tfjs formula on cpu (signed zeros, tails)', async () => {
  for (const [i, shape] of [[1], [3], [5], [257], [8, 9, 9, 20]].entries()) {
    const [onCpu] = await runOn('cpu', () => reluGrad(shape, 60 + i));
    const [onWasm] = await runOn('wasm', () => reluGrad(shape, 60 + i));
    assert.equal(onWasm.length, onCpu.length);
    for (let j = 0; j < onCpu.length; j++) assert.ok(Object.is(onWasm[j], onCpu[j]), `${shape}[${j}]: ${onWasm[j]} vs ${onCpu[j]}`);
  }
});

test('ReLU backward on wasm runs one fused pass, not Step, Cast and Multiply', async () => {
  await useTestBackend('wasm');
  const x = tf.tensor(data([64], 1));
  const profile = await tf.profile(() => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.relu(t))(x)));
  assert.deepEqual(profile.kernelNames.filter((k) => k === 'Step' || k === 'Cast'), []);
  x.dispose();
});

test('ReLU forward on wasm (one SIMD pass) is bit-identical to cpu: negatives, signed zeros, NaN, tails', async () => {
  for (const [i, shape] of [[1], [3], [6], [257], [8, 9, 9, 20]].entries()) {
    const values = () => {
      const v = data(shape, 80 + i);
      v[0] = -0;
      if (v.length > 2) v[2] = Number.NaN;
      if (v.length > 4) v[4] = 0;
      return tf.relu(tf.tensor(v, shape));
    };
    const [onCpu] = await runOn('cpu', () => [values()]);
    const [onWasm] = await runOn('wasm', () => [values()]);
    assert.equal(onWasm.length, onCpu.length);
    for (let j = 0; j < onCpu.length; j++) assert.ok(Object.is(onWasm[j], onCpu[j]), `${shape}[${j}]: ${onWasm[j]} vs ${onCpu[j]}`);
  }
});
