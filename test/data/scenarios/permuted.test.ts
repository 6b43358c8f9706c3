import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permuted } from '../../../src/data/scenarios/permuted';
import { tinySplits } from '../tiny-data';

const data = tinySplits(100, 30, 10, { size: 5 });

test('every task is permuted by a bijection, all different, none the identity', () => {
  const s = permuted(data, { numTasks: 6, seed: 3 });
  const perms = s.tasks.map((t) => t.transform.pixelPermutation!);
  for (const p of perms) {
    assert.equal(p.length, 25);
    assert.equal(new Set(p).size, 25);
    assert.ok(!p.every((v, i) => v === i));
  }
  for (let i = 0; i < perms.length; i++) for (let j = 0; j < i; j++) assert.notDeepEqual(perms[i], perms[j]);
});

test('paper defaults: all classes, labels kept, first 10 % of train for validation, MNIST statistics', () => {
  const s = permuted(data, { numTasks: 2 });
  const t = s.tasks[1];
  assert.equal(t.headWidth, 10);
  assert.deepEqual(Array.from(t.val.indices), Array.from({ length: 10 }, (_, i) => i));
  assert.equal(t.train.count, 90);
  assert.equal(t.test.count, 30);
  assert.deepEqual(Array.from(t.test.targets), Array.from(data.test.labels));
  assert.deepEqual(t.transform.normalization, { mean: [0.1307], std: [0.3081] });
});

test('same seed, same permutations; different seed, different', () => {
  const p = (seed: number) => permuted(data, { numTasks: 3, seed }).tasks.map((t) => t.transform.pixelPermutation);
  assert.deepEqual(p(1), p(1));
  assert.notDeepEqual(p(1), p(2));
});

test('bad numTasks is rejected', () => {
  assert.throws(() => permuted(data, { numTasks: 0 }), /permuted: numTasks must be an integer in \[1, ∞\); got 0/);
});
