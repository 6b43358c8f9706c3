import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { finetune } from '../../src/methods/finetune';
import { getMethod } from '../../src/methods/registry';
import { useTestBackend } from '../helpers/backend';
import { bwt, learnAll, probeLogits, tinyPermuted, tinySetup, tinyTraining } from './fixtures';

before(async () => useTestBackend('wasm'));

test('finetune forgets earlier tasks (clearly negative BWT), keeps CAP 100 %, leaks nothing', async () => {
  const scenario = tinyPermuted();
  const setup = tinySetup(scenario, tinyTraining({ learningRate: 1e-2 }));
  const before = tf.memory().numTensors;
  const learner = getMethod('finetune').create(setup, finetune.resolveOptions());
  const matrix = await learnAll(learner, scenario);
  assert.ok(bwt(matrix) < -5, `BWT ${bwt(matrix)} should be clearly negative; matrix ${JSON.stringify(matrix)}`);
  assert.ok(matrix[0][0] > 80, `task 1 was learned first (${matrix[0][0]} %)`);
  assert.equal(learner.capacity().capPercent, 100);

  // State round trip: a fresh learner restored from the state predicts the same logits.
  const state = learner.getState();
  const copy = finetune.create(setup, finetune.resolveOptions());
  copy.setState(state);
  tf.dispose([...state.tensors.values()]);
  for (const t of [0, 2]) assert.deepEqual(probeLogits(copy, scenario, t), probeLogits(learner, scenario, t));
  copy.dispose();
  learner.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('finetune rejects bad options and a predict before learning', () => {
  assert.throws(() => finetune.resolveOptions({ optimizer: 'rmsprop' as never }), /Unknown optimizer "rmsprop"/);
  assert.throws(() => finetune.resolveOptions({ learningRate: -1 }), /learningRate must be/);
  assert.throws(() => finetune.resolveOptions({ lr: 1 } as never), /unknown option "lr"/);
  const learner = finetune.create(tinySetup(tinyPermuted(2, 5, 64)), finetune.resolveOptions());
  assert.throws(() => learner.predict(tf.zeros([1, 8, 8, 1]), 0), /Call learnTask first/);
  learner.dispose();
});
