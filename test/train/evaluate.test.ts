import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { evaluate, evaluateAccuracy } from '../../src/train/evaluate';
import { crossEntropy } from '../../src/train/cross-entropy';
import type { Batch } from '../../src/data/types';

/** A "network" whose logits are the input pixels: row i predicts class argmax(x_i). */
const identityNet = {
  logits: (x: tf.Tensor4D, _task: number, options: { training: boolean }) => {
    assert.equal(options.training, false, 'evaluation runs in inference mode');
    return tf.reshape(x, [x.shape[0], 2]) as tf.Tensor2D;
  },
};

function* rows(batchSize: number, seen: number[]): Generator<Batch> {
  seen.push(batchSize);
  const x = [[3, 0], [0, 3], [3, 0], [3, 0]];
  const y = [0, 1, 1, 0]; // 3 of 4 right
  for (let s = 0; s < x.length; s += batchSize) {
    const part = x.slice(s, s + batchSize);
    yield { x: tf.tensor4d(part.flat(), [part.length, 1, 2, 1]), y: tf.tensor1d(y.slice(s, s + batchSize), 'int32'), rows: new Int32Array(part.length) };
  }
}

test('evaluateAccuracy returns % accuracy with test batch size 64 and no leaks', async () => {
  await useTestBackend('cpu');
  const seen: number[] = [];
  const n = tf.memory().numTensors;
  assert.equal(await evaluateAccuracy(identityNet, 0, (bs) => rows(bs, seen)), 75);
  assert.deepEqual(seen, [64]);
  assert.equal(tf.memory().numTensors, n);
});

test('evaluate averages the loss over samples, not batches', async () => {
  await useTestBackend('cpu');
  const seen: number[] = [];
  const got = await evaluate(identityNet, { index: 0 }, (bs) => rows(bs, seen), { batchSize: 3 });
  const expected = tf.tidy(() => crossEntropy(tf.tensor2d([[3, 0], [0, 3], [3, 0], [3, 0]]), tf.tensor1d([0, 1, 1, 0], 'int32')).dataSync()[0]);
  assert.ok(Math.abs(got.loss - expected) < 1e-6, `${got.loss} vs ${expected}`);
  assert.equal(got.count, 4);
  await assert.rejects(evaluate(identityNet, 0, () => []), /yielded no samples/);
  await assert.rejects(evaluate(identityNet, 0, () => [], { batchSize: 0 }), /batchSize/);
});
