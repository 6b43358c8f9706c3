import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { evaluateLearner } from '../../src/methods/evaluate-learner';
import { networkForSetup } from '../../src/methods/network-for-setup';
import { supsup } from '../../src/methods/supsup';
import type { Learner } from '../../src/methods/types';
import { useTestBackend } from '../helpers/backend';
import { hostCopies, probeLogits, tinyPermuted, tinySetup, tinyTraining } from './fixtures';

before(async () => useTestBackend('wasm'));

/** The learner's body weights, read through its state (same names as the network's). */
function bodyWeights(learner: Learner): Map<string, Float32Array> {
  const state = learner.getState();
  const out = new Map<string, Float32Array>();
  for (const [k, t] of state.tensors) if (/^net\/fc\d\/kernel$/.test(k)) out.set(k, Float32Array.from(t.dataSync() as Float32Array));
  tf.dispose([...state.tensors.values()]);
  return out;
}

test('supsup: fixed signed-constant weights never change, BWT exactly 0, CAP above 100 %', async () => {
  const scenario = tinyPermuted(2, 5, 320);
  const setup = tinySetup(scenario, tinyTraining({ epochs: 1, learningRate: 1e-2 }));
  const before = tf.memory().numTensors;
  const learner = supsup.create(setup, supsup.resolveOptions());
  const initial = bodyWeights(learner);
  // The body is the seeded signed-constant init: same values as a fresh network of that init.
  const fresh = networkForSetup(setup, { init: 'signed-constant' });
  for (const [k, v] of hostCopies(fresh.params)) if (initial.has(`net/${k}`)) assert.deepEqual(initial.get(`net/${k}`), v);
  fresh.dispose();

  await learner.learnTask(scenario.tasks[0], { seed: 1 });
  const acc0 = evaluateLearner(learner, scenario.tasks[0]);
  const logits0 = probeLogits(learner, scenario, 0);
  await learner.learnTask(scenario.tasks[1], { seed: 2 });
  assert.deepEqual(bodyWeights(learner), initial);
  assert.deepEqual(probeLogits(learner, scenario, 0), logits0);
  assert.equal(evaluateLearner(learner, scenario.tasks[0]), acc0);
  assert.ok(acc0 > 50, `a supermask alone learns task 1 (${acc0} %)`);

  const cap = learner.capacity();
  assert.equal(cap.capPercent, 100 * (1 + 2 / 32));
  assert.ok(cap.capPaperPercent! > 100 && cap.capPaperPercent! <= cap.capPercent);
  assert.ok(cap.density! > 0.5 && cap.density! < 1); // two k = 0.5 masks overlap partly
  learner.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('supsup rejects a keep fraction outside (0, 1]', () => {
  assert.equal(supsup.defaults.learningRate, 1e-3);
  assert.throws(() => supsup.resolveOptions({ keepFraction: 0 }), /keepFraction must be/);
  assert.throws(() => supsup.resolveOptions({ keepFraction: 2 }), /keepFraction must be/);
});
