import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { stl } from '../../src/methods/stl';
import { useTestBackend } from '../helpers/backend';
import { probeLogits, tinyPermuted, tinySetup, tinyTraining } from './fixtures';

before(async () => useTestBackend('wasm'));

test('stl: independent networks (BWT exactly 0), CAP = T · 100 %, state round trip, no leak', async () => {
  const scenario = tinyPermuted(2, 5, 320);
  const setup = tinySetup(scenario, tinyTraining({ epochs: 1 }));
  const before = tf.memory().numTensors;
  const learner = stl.create(setup, stl.resolveOptions());
  await learner.learnTask(scenario.tasks[0], { seed: 1 });
  const logits0 = probeLogits(learner, scenario, 0);
  await learner.learnTask(scenario.tasks[1], { seed: 2 });
  assert.deepEqual(probeLogits(learner, scenario, 0), logits0);
  assert.equal(learner.capacity().capPercent, 200);

  const state = learner.getState();
  const copy = stl.create(setup, stl.resolveOptions());
  copy.setState(state);
  tf.dispose([...state.tensors.values()]);
  for (const t of [0, 1]) assert.deepEqual(probeLogits(copy, scenario, t), probeLogits(learner, scenario, t));
  copy.dispose();
  learner.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('stl rejects bad options and tasks out of order', async () => {
  const scenario = tinyPermuted(2, 5, 64);
  const learner = stl.create(tinySetup(scenario), stl.resolveOptions());
  await assert.rejects(learner.learnTask(scenario.tasks[1], { seed: 1 }), /learn tasks in order/);
  learner.dispose();
  assert.throws(() => stl.resolveOptions({ learningRate: 0 }), /learningRate must be/);
  assert.throws(() => stl.resolveOptions({ optimizer: 'lbfgs' as never }), /Unknown optimizer/);
});
