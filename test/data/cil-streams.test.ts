import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { cilStreamSplits, cilSteps, cilSubBatchSizes } from '../../src/data/cil-streams';
import { lifelongCil } from '../../src/data/scenarios/lifelong-cil';
import { taskSplit } from '../../src/data/scenarios/task-split';
import { useTestBackend } from '../helpers/backend';
import { tinySet, tinySplits } from './tiny-data';

before(async () => useTestBackend('cpu'));

const data = tinySplits(500, 100, 10, { size: 4, channels: 3 });
const pool = tinySet({ count: 30, numClasses: 1, size: 4, channels: 3 });
const scenario = lifelongCil(data, { exemplarsPerClass: 8, unlabeled: pool, seed: 1 });

test('sub-batch sizes follow ⌊b/k⌋ and ⌊b(k−1)/k⌋', () => {
  assert.deepEqual(cilSubBatchSizes(64, 3), { random: 64, balancedNew: 21, balancedOld: 42, unlabeled: 64 });
  assert.deepEqual(cilSubBatchSizes(64, 1), { random: 64, balancedNew: 64, balancedOld: 0, unlabeled: 64 });
});

test('streams for task 3: new train ∪ old exemplars, old exemplars only, the pool', () => {
  const s = cilStreamSplits(scenario, 2);
  assert.equal(s.balancedOld!.count, 4 * 8);
  assert.equal(s.random.count, scenario.tasks[2].train.count + 32);
  assert.ok(Array.from(s.balancedOld!.targets).every((y) => y < 4));
  assert.ok(Array.from(s.balancedNew.targets).every((y) => y === 4 || y === 5));
  assert.equal(s.unlabeled!.count, 30);
  assert.throws(() => cilStreamSplits(taskSplit(data), 1), /needs a class-incremental scenario/);
});

test('an epoch is one pass over the random stream; other streams cycle; same seed → same steps', () => {
  const run = (seed: number) => {
    const out: { random: number[]; nw: number[]; old: number[]; unl: number[]; shapes: number[][] }[] = [];
    const before = tf.memory().numTensors;
    for (const step of cilSteps(scenario, 2, { subBatchSize: 16, seed, augment: { seed } })) {
      out.push({
        random: Array.from(step.random.rows),
        nw: Array.from(step.balancedNew.rows),
        old: Array.from(step.balancedOld!.rows),
        unl: Array.from(step.unlabeled!.rows),
        shapes: [step.random.x.shape, step.balancedNew.x.shape, step.balancedOld!.x.shape, step.unlabeled!.x.shape],
      });
      for (const b of [step.random, step.balancedNew, step.balancedOld!, step.unlabeled!]) tf.dispose([b.x, b.y]);
    }
    assert.equal(tf.memory().numTensors, before);
    return out;
  };
  const a = run(5);
  const n = scenario.tasks[2].train.count + 32; // 90 + 32 = 122 → 8 steps of 16
  assert.equal(a.length, Math.ceil(n / 16));
  assert.deepEqual(a.flatMap((s) => s.random).sort((p, q) => p - q), Array.from({ length: n }, (_, i) => i));
  assert.deepEqual(a[0].shapes.map((s) => s[0]), [16, 5, 10, 16]);
  // The 30-image pool cycles: every row is used before any repeats.
  const unl = a.flatMap((s) => s.unl);
  assert.equal(new Set(unl.slice(0, 30)).size, 30);
  assert.deepEqual(run(5), a);
  assert.notDeepEqual(run(6), a);
});
