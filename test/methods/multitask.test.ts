import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateLearner } from '../../src/methods/evaluate-learner';
import { multitask } from '../../src/methods/multitask';
import { useTestBackend } from '../helpers/backend';
import { probeLogits, tinyPermuted, tinySetup, tinyTraining } from './fixtures';

before(async () => useTestBackend('wasm'));

test('multitask trains every seen task jointly (head 1 keeps learning during task 2), CAP 100 %, no leak', async () => {
  const scenario = tinyPermuted(2, 5, 320);
  const setup = tinySetup(scenario, tinyTraining({ epochs: 2 }));
  const before = tf.memory().numTensors;
  const learner = multitask.create(setup, multitask.resolveOptions());
  await learner.learnTask(scenario.tasks[0], { seed: 1 });
  const logits0 = probeLogits(learner, scenario, 0);
  const head0 = () => {
    const state = learner.getState();
    const w = Float32Array.from(state.tensors.get('net/head/main/0/kernel')!.dataSync() as Float32Array);
    tf.dispose([...state.tensors.values()]);
    return w;
  };
  const headBefore = head0();
  await learner.learnTask(scenario.tasks[1], { seed: 2 });
  assert.notDeepEqual(head0(), headBefore, 'head 1 is trained jointly while learning task 2');
  assert.notDeepEqual(probeLogits(learner, scenario, 0), logits0);
  for (const task of scenario.tasks) {
    const acc = evaluateLearner(learner, task);
    assert.ok(acc > 60, `task ${task.index + 1} is learned jointly (${acc} %)`);
  }
  assert.equal(learner.capacity().capPercent, 100);
  learner.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('multitask rejects bad options', () => {
  assert.throws(() => multitask.resolveOptions({ optimizer: 'rmsprop' as never }), /Unknown optimizer/);
  assert.throws(() => multitask.resolveOptions({ epochs: 3 } as never), /unknown option "epochs"/);
});
