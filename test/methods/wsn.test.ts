import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { batches } from '../../src/data/batches';
import { offlineGrey } from '../../src/data/offline/offline-grey';
import { permuted } from '../../src/data/scenarios/permuted';
import type { Scenario } from '../../src/data/types';
import { InvalidArgumentError, UnknownNameError } from '../../src/errors';
import { backwardTransfer } from '../../src/metrics/backward-transfer';
import { evaluateLearner } from '../../src/methods/evaluate-learner';
import type { TrainingSettings } from '../../src/methods/types';
import { wsn, type WsnLearner } from '../../src/methods/wsn';

const training: TrainingSettings = { epochs: 2, batchSize: 32, testBatchSize: 64, learningRate: 1e-3, lrMin: 1e-6, patience: 6, augment: false };
const data = offlineGrey({ seed: 1, trainCount: 400, testCount: 128 });
const scenario: Scenario = permuted(data, { numTasks: 3, seed: 2 });

function learner(keepFraction: number, s: Scenario = scenario, seed = 3): WsnLearner {
  return wsn.create({ scenario: s, architecture: 'mlp', training, seed }, wsn.resolveOptions({ keepFraction }));
}

/** Logits of every test image of task `j`, in order. */
function logitsOf(l: WsnLearner, j: number): Float32Array {
  const parts: Float32Array[] = [];
  for (const batch of batches(scenario.tasks[j].test, scenario.tasks[j].transform, { batchSize: 64 })) {
    const out = l.predict(batch.x, j);
    parts.push(Float32Array.from(out.dataSync()));
    tf.dispose([out, batch.x, batch.y]);
  }
  return Float32Array.from(parts.flatMap((p) => [...p]));
}

function weights(l: WsnLearner): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const name of ['fc1/kernel', 'fc2/kernel']) out[name] = Float32Array.from(l.network.params.get(name)!.dataSync());
  return out;
}

test('old-task logits and weights in the union stay bit-identical after later tasks, so the re-evaluated BWT is exactly 0', async () => {
  await useTestBackend('wasm');
  const l = learner(0.1);
  const matrix: number[][] = [];
  const logits: Float32Array[] = [];
  const frozen: { union: Record<string, Uint8Array>; values: Record<string, Float32Array> }[] = [];
  const counts: number[] = [];
  for (const task of scenario.tasks) {
    const before = weights(l);
    await l.learnTask(task, { seed: 10 + task.index });
    counts.push(tf.memory().numTensors);
    const after = weights(l);
    // every weight of the union before this task is unchanged, and training moved something else
    for (const name of Object.keys(after)) {
      const union = frozen.length ? frozen[frozen.length - 1].union[name] : new Uint8Array(after[name].length);
      let moved = 0;
      for (let i = 0; i < union.length; i++) {
        if (union[i]) assert.equal(after[name][i], before[name][i], `${name}[${i}] is frozen`);
        else if (after[name][i] !== before[name][i]) moved++;
      }
      assert.ok(moved > 0, `${name}: free weights trained in task ${task.index}`);
    }
    frozen.push({ union: l.unionMask() as Record<string, Uint8Array>, values: after });
    logits.push(logitsOf(l, task.index));
    matrix.push(scenario.tasks.slice(0, task.index + 1).map((t) => evaluateLearner(l, t)));
  }
  for (let j = 0; j < scenario.tasks.length; j++) assert.deepEqual(logitsOf(l, j), logits[j], `task ${j} logits`);
  for (let i = 1; i < matrix.length; i++) for (let j = 0; j < i; j++) assert.equal(matrix[i][j], matrix[j][j]);
  assert.equal(backwardTransfer(matrix), 0);
  assert.ok(matrix[2].every((a) => a > 15), `above chance (10 %): ${JSON.stringify(matrix)}`);
  assert.deepEqual(counts, [counts[0], counts[0], counts[0]], 'no tensors leak across tasks');
  l.dispose();
});

test('scores keep training in every task while weights of the union freeze', async () => {
  await useTestBackend('wasm');
  const l = learner(0.1);
  const score = (): Float32Array => {
    const state = l.getState();
    const values = Float32Array.from(state.tensors.get('score/fc1/kernel')!.dataSync());
    tf.dispose([...state.tensors.values()]);
    return values;
  };
  await l.learnTask(scenario.tasks[0], { seed: 1 });
  const s0 = score();
  await l.learnTask(scenario.tasks[1], { seed: 2 });
  const s1 = score();
  const union0 = l.taskMasks()[0]['fc1/kernel'];
  let changedOnUnion = 0;
  for (let i = 0; i < s0.length; i++) if (union0[i] && s0[i] !== s1[i]) changedOnUnion++;
  assert.ok(changedOnUnion > 0, 'scores of used weights are not frozen');
  l.dispose();
});

test('CAP stays below 100 % for c ≤ 0.1 and the union grows sublinearly (density after T tasks < T·c)', async () => {
  await useTestBackend('wasm');
  for (const c of [0.05, 0.1]) {
    const l = learner(c);
    const densities: number[] = [];
    for (const task of scenario.tasks) {
      const summary = await l.learnTask(task, { seed: task.index });
      densities.push(summary.details!.unionDensity);
      assert.ok(Math.abs(summary.details!.taskDensity - c) < 0.002, `task mask keeps c = ${c}: ${summary.details!.taskDensity}`);
    }
    const cap = l.capacity();
    assert.ok(cap.capPercent < 100 && cap.capPaperPercent! < 100, `CAP ${cap.capPercent} / ${cap.capPaperPercent}`);
    assert.ok(densities.every((d, i) => i === 0 || d >= densities[i - 1]), 'union only grows');
    assert.ok(densities[2] < 3 * c, `union ${densities[2]} < T·c = ${3 * c}`);
    assert.ok(densities[2] > c, 'later tasks allocated new weights too');
    const d = l.diagnostics();
    assert.equal(d.reuse[0].reused, 0);
    assert.ok(d.reuse[2].reused > 0, 'later tasks reuse earlier weights');
    assert.equal(d.overlap[1][1], 1);
    assert.ok(d.compressedBytes > 0 && d.compressedBytes < d.rawBytes, 'masks compress');
    assert.ok(Math.abs(d.capacity.unionDensity - cap.density!) < 1e-12);
    l.dispose();
  }
});

test('ACC rises with c from 0.01 to 0.1 and 0.5 (two seeds averaged)', async () => {
  await useTestBackend('wasm');
  const two: Scenario = { ...scenario, tasks: scenario.tasks.slice(0, 2) };
  const acc: Record<number, number> = {};
  for (const c of [0.01, 0.1, 0.5]) {
    let sum = 0;
    for (const seed of [3, 4]) {
      const l = learner(c, two, seed);
      for (const task of two.tasks) await l.learnTask(task, { seed: seed + task.index });
      sum += two.tasks.reduce((a, t) => a + evaluateLearner(l, t), 0) / two.tasks.length;
      l.dispose();
    }
    acc[c] = sum / 2;
  }
  assert.ok(acc[0.1] > acc[0.01] + 5, `ACC ${JSON.stringify(acc)}`);
  assert.ok(acc[0.5] > acc[0.01] + 10, `ACC ${JSON.stringify(acc)}`);
});

test('reinitScores draws fresh scores per task (Table 3 ablation): task masks then overlap only at chance level', async () => {
  await useTestBackend('wasm');
  const iou: Record<string, number> = {};
  for (const reinitScores of [false, true]) {
    const l = wsn.create({ scenario, architecture: 'mlp', training: { ...training, epochs: 1 }, seed: 3 }, wsn.resolveOptions({ keepFraction: 0.1, reinitScores }));
    for (const task of scenario.tasks.slice(0, 2)) await l.learnTask(task, { seed: task.index });
    iou[String(reinitScores)] = l.diagnostics().overlap[0][1];
    l.dispose();
  }
  // independent top-10 % masks have IoU ≈ 0.1 / 1.9 ≈ 0.053
  assert.ok(iou.true < 0.08, `re-initialised: IoU ${iou.true}`);
  assert.ok(iou.false > 2 * iou.true, `scores carried over are reused: IoU ${iou.false} vs ${iou.true}`);
});

test('a learner restored from getState predicts bit-identically', async () => {
  await useTestBackend('wasm');
  const a = learner(0.2);
  await a.learnTask(scenario.tasks[0], { seed: 1 });
  await a.learnTask(scenario.tasks[1], { seed: 2 });
  const state = a.getState();
  const b = learner(0.2, scenario, 99);
  b.setState(state);
  tf.dispose([...state.tensors.values()]);
  for (const j of [0, 1]) assert.deepEqual(logitsOf(b, j), logitsOf(a, j));
  assert.deepEqual(b.capacity(), a.capacity());
  const before = tf.memory().numTensors;
  a.dispose();
  b.dispose();
  assert.ok(tf.memory().numTensors < before);
});

test('bad options and misuse give clear errors', async () => {
  await useTestBackend('wasm');
  assert.throws(() => wsn.resolveOptions({ keepFraction: 1.5 }), (e: Error) => e instanceof InvalidArgumentError && e.message === 'wsn: keepFraction must be in (0, 1]; got 1.5.');
  assert.throws(() => wsn.resolveOptions({ keepFraction: 0 }), /keepFraction must be in \(0, 1\]; got 0\./);
  assert.throws(() => wsn.resolveOptions({ keepFractoin: 0.1 } as never), (e: Error) => e instanceof UnknownNameError && /keepFraction, reinitScores/.test(e.message));
  const l = learner(0.1);
  assert.throws(() => l.predict(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, 0), /wsn.predict: .*Call learnTask first/);
  await assert.rejects(() => l.learnTask(scenario.tasks[1], { seed: 1 }), /expected task 0 next/);
  assert.throws(() => l.diagnostics(), /no task learned yet/);
  l.dispose();
  assert.throws(
    () => wsn.create({ scenario, architecture: 'tinynet', training, seed: 0 }, wsn.resolveOptions({})),
    /architecture "tinynet" takes inputs \[64,64,3\]; scenario "permuted-offline-grey" gives \[28,28,1\]\. Architectures that fit: mlp\./,
  );
});
