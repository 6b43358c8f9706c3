import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { offlineGrey } from '../../src/data/offline/offline-grey';
import { taskSplit } from '../../src/data/scenarios/task-split';
import { batches } from '../../src/data/batches';
import { Rng } from '../../src/random';
import { useTestBackend } from '../helpers/backend';

before(async () => useTestBackend('wasm'));

/** A seeded 784-64-10 MLP in plain tfjs-core ops; returns test accuracy after each epoch. */
function trainMlp(epochs: number): number[] {
  const task = taskSplit(offlineGrey({ seed: 11, trainCount: 3000, testCount: 1000 }), { numTasks: 1, validation: { kind: 'none' } }).tasks[0];
  const rng = new Rng(1);
  const init = (fanIn: number, shape: [number, number]) =>
    tf.variable(tf.tensor2d(rng.fillUniform(new Float32Array(shape[0] * shape[1]), -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)), shape));
  const w1 = init(784, [784, 64]);
  const w2 = init(64, [64, 10]);
  const logits = (x: tf.Tensor4D) => tf.matMul(tf.relu(tf.matMul(tf.reshape(x, [-1, 784]), w1)), w2); // [B, 10]
  const opt = tf.train.adam(2e-3);
  const acc: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (const b of batches(task.train, task.transform, { batchSize: 32, shuffleSeed: e })) {
      opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(b.y, 10), logits(b.x)) as tf.Scalar);
      tf.dispose([b.x, b.y]);
    }
    let correct = 0;
    for (const b of batches(task.test, task.transform, { batchSize: 500 })) {
      correct += tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits(b.x), -1), b.y), 'int32')).dataSync()[0]);
      tf.dispose([b.x, b.y]);
    }
    acc.push(correct / task.test.count);
  }
  tf.dispose([w1, w2]);
  opt.dispose();
  return acc;
}

test('offline grey is learnable but not trivial: an MLP is far above chance, far below 100 %, and improves', () => {
  const acc = trainMlp(6);
  assert.ok(acc[0] > 0.3, `after 1 epoch ${acc[0]} should be well above chance (0.1)`);
  assert.ok(acc[0] < 0.9, `after 1 epoch ${acc[0]} should be well below 100 %`);
  assert.ok(acc[5] > acc[0] + 0.03, `after 6 epochs ${acc[5]} should beat 1 epoch ${acc[0]}`);
});
