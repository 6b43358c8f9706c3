import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateLearner } from '../../src/methods/evaluate-learner';
import { packnet, packnetAssign } from '../../src/methods/packnet';
import { useTestBackend } from '../helpers/backend';
import { probeLogits, tinyPermuted, tinySetup, tinyTraining } from './fixtures';

before(async () => useTestBackend('wasm'));

test('packnetAssign gives the largest free weights to the task, pruning the earlier of tied ones', () => {
  const owners = packnetAssign(Float32Array.of(0.1, -0.9, 0.5, 0.2, -0.5), Int32Array.of(1, 0, 0, 0, 0), 2, 2);
  assert.deepEqual([...owners], [1, 2, 0, 0, 2]); // of the tied 0.5s the earlier one goes (magnitudePrune)
});

test('packnet: old-task logits bit-identical, BWT exactly 0, consistent ownership and CAP', async () => {
  const scenario = tinyPermuted(3, 5, 320);
  const setup = tinySetup(scenario, tinyTraining({ epochs: 1 }));
  const before = tf.memory().numTensors;
  const learner = packnet.create(setup, packnet.resolveOptions());
  const probes: Float32Array[] = [];
  const matrix: number[][] = [];
  for (const task of scenario.tasks) {
    await learner.learnTask(task, { seed: 3 + task.index });
    if (task.index === 0) probes.push(probeLogits(learner, scenario, 0));
    else assert.deepEqual(probeLogits(learner, scenario, 0), probes[0], `task-1 logits moved after task ${task.index + 1}`);
    matrix.push(scenario.tasks.slice(0, task.index + 1).map((t) => evaluateLearner(learner, t)));
  }
  for (let j = 0; j < 2; j++) assert.equal(matrix[2][j], matrix[j][j], `task ${j + 1} accuracy changed`);
  assert.ok(matrix[0][0] > 50, `task 1 learned (${matrix[0][0]} %)`);

  // c = 1/3 of every layer per task; what is left after three tasks is free (and zero).
  for (const [name, counts] of Object.entries(learner.ownership())) {
    const n = counts.reduce((a, b) => a + b, 0);
    const share = Math.round(n / 3);
    assert.deepEqual(counts.slice(1), [share, share, Math.min(share, n - 2 * share)], name);
  }
  const cap = learner.capacity();
  assert.equal(cap.capPercent, 100 * (1 + 2 / 32)); // ⌈log2(3 + 1)⌉ = 2 bits of owner id
  assert.ok(cap.density! > 0.99 && cap.density! <= 1);
  assert.ok(Math.abs(cap.capPaperPercent! - 100 * (cap.density! + 3 / 32)) < 1e-9);

  // State round trip into a fresh learner.
  const state = learner.getState();
  const copy = packnet.create(setup, packnet.resolveOptions());
  copy.setState(state);
  tf.dispose([...state.tensors.values()]);
  assert.deepEqual(copy.ownership(), learner.ownership());
  for (const t of [0, 1, 2]) assert.deepEqual(probeLogits(copy, scenario, t), probeLogits(learner, scenario, t));
  copy.dispose();
  learner.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('packnet rejects a keep fraction outside (0, 1]', () => {
  assert.throws(() => packnet.resolveOptions({ keepFraction: 0 }), /keepFraction must be/);
  assert.throws(() => packnet.resolveOptions({ keepFraction: 1.5 }), /keepFraction must be/);
  assert.throws(() => packnet.resolveOptions({ retrainEpochFraction: 0 }), /retrainEpochFraction must be/);
});
