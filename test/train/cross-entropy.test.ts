import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { countCorrect, crossEntropy } from '../../src/train/cross-entropy';
import { InvalidArgumentError } from '../../src/errors';
import { Rng } from '../../src/random';

const rows = 7;
const classes = 5;

function batch(seed: number): { z: tf.Tensor2D; y: tf.Tensor1D } {
  const rng = new Rng(seed);
  const z = tf.tensor2d(rng.fillUniform(new Float32Array(rows * classes), -6, 6), [rows, classes]);
  const y = tf.tensor1d(Int32Array.from({ length: rows }, () => rng.int(classes)), 'int32');
  return { z, y };
}

/** The textbook formula through tf ops and autodiff: −Σ onehot ⊙ logSoftmax. */
function reference(z: tf.Tensor2D, y: tf.Tensor1D, reduction: 'mean' | 'sum') {
  const f = (t: tf.Tensor) => {
    const picked = tf.sum(tf.mul(tf.oneHot(y, classes), tf.logSoftmax(t as tf.Tensor2D)), 1);
    return tf.neg(reduction === 'mean' ? tf.mean(picked) : tf.sum(picked));
  };
  return { loss: f(z).dataSync()[0], grad: tf.grad(f)(z).dataSync() };
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`crossEntropy's fused loss and gradient match the autodiff formula on ${backend}`, async () => {
    await useTestBackend(backend);
    for (const reduction of ['mean', 'sum'] as const) {
      tf.tidy(() => {
        const { z, y } = batch(reduction === 'mean' ? 1 : 2);
        const want = reference(z, y, reduction);
        const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => crossEntropy(t as tf.Tensor2D, y, reduction))(z);
        assert.ok(Math.abs(value.dataSync()[0] - want.loss) <= 1e-5 * Math.abs(want.loss), `${reduction} loss`);
        const got = grad.dataSync();
        want.grad.forEach((g, i) => assert.ok(Math.abs(got[i] - g) <= 1e-6, `${reduction} grad[${i}] ${got[i]} vs ${g}`));
      });
    }
  });
}

test('countCorrect takes the first maximum of each row, as argMax does', async () => {
  await useTestBackend('cpu');
  tf.tidy(() => {
    const z = tf.tensor2d([[1, 3, 3], [5, 0, 5], [0, 0, 1], [2, 1, 0]]);
    assert.equal(countCorrect(z, tf.tensor1d([1, 0, 2, 1], 'int32')).dataSync()[0], 3);
    const { z: big, y } = batch(3);
    const want = tf.sum(tf.cast(tf.equal(tf.argMax(big, 1), y), 'int32')).dataSync()[0];
    assert.equal(countCorrect(big, y).dataSync()[0], want);
  });
});

test('crossEntropy names a target outside the head and a row-count mismatch', async () => {
  await useTestBackend('cpu');
  tf.tidy(() => {
    const z = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => crossEntropy(z, tf.tensor1d([0, 3], 'int32')), /target 3 at row 1 is outside \[0, 3\)/);
    assert.throws(() => crossEntropy(z, tf.tensor1d([0], 'int32')), InvalidArgumentError);
  });
});
