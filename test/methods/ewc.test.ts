import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { ewc, ewcPenalty } from '../../src/methods/ewc';
import { finetune } from '../../src/methods/finetune';
import { useTestBackend } from '../helpers/backend';
import { bwt, learnAll, tinyPermuted, tinySetup, tinyTraining } from './fixtures';

before(async () => useTestBackend('wasm'));

test('ewc penalty equals (λ/2) Σ F (θ − θ*)² by hand', () => {
  const penalty = ewcPenalty(
    new Map([['w', tf.tensor1d([1, 2])], ['v', tf.tensor1d([0])]]),
    new Map([['w', tf.tensor1d([2, 3])]]),
    new Map([['w', tf.tensor1d([0.5, 1])]]),
    10,
  );
  // 10/2 · (2 · 0.5² + 3 · 1²) = 5 · 3.5
  assert.ok(Math.abs(penalty.dataSync()[0] - 17.5) < 1e-5);
  penalty.dispose();
});

test('ewc forgets less than finetune on the same tiny sequence, and leaks nothing', async () => {
  const scenario = tinyPermuted();
  const setup = tinySetup(scenario, tinyTraining({ learningRate: 1e-2 }));
  const before = tf.memory().numTensors;
  const plain = finetune.create(setup, finetune.resolveOptions());
  const plainBwt = bwt(await learnAll(plain, scenario));
  plain.dispose();
  // Same optimizer as finetune, so only the penalty differs.
  const learner = ewc.create(setup, ewc.resolveOptions({ lambda: 1e4, optimizer: 'adam', learningRate: null }));
  const matrix = await learnAll(learner, scenario);
  assert.ok(bwt(matrix) > plainBwt + 5, `EWC BWT ${bwt(matrix)} vs finetune ${plainBwt}; matrix ${JSON.stringify(matrix)}`);
  assert.equal(learner.capacity().capPercent, 100);
  learner.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('ewc defaults follow WSN Table 5 and bad options are rejected', () => {
  assert.deepEqual({ ...ewc.defaults }, { optimizer: 'sgd', learningRate: 0.03, lambda: 1000, fisherBatchSize: 20 });
  assert.throws(() => ewc.resolveOptions({ lambda: -1 }), /lambda must be/);
  assert.throws(() => ewc.resolveOptions({ fisherBatchSize: 0 }), /fisherBatchSize must be/);
});
