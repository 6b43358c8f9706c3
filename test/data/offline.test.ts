import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offlineGrey } from '../../src/data/offline/offline-grey';
import { offlineRgb } from '../../src/data/offline/offline-rgb';
import { offlineDatasets } from '../../src/data/offline/registry';
import type { ImageSet } from '../../src/data/types';

test('offline grey: shapes, balanced labels, deterministic from the seed', () => {
  const a = offlineGrey({ seed: 3, trainCount: 205, testCount: 50, numClasses: 10 });
  assert.equal(a.train.images.length, 205 * 28 * 28);
  assert.deepEqual([a.train.height, a.train.width, a.train.channels, a.train.numClasses], [28, 28, 1, 10]);
  const counts = new Array(10).fill(0);
  a.train.labels.forEach((l) => counts[l]++);
  assert.deepEqual(counts, [21, 21, 21, 21, 21, 20, 20, 20, 20, 20]);
  const b = offlineDatasets['offline-grey']({ seed: 3, trainCount: 205, testCount: 50, numClasses: 10 });
  assert.deepEqual(a.train.images, b.train.images);
  assert.deepEqual(a.test.labels, b.test.labels);
  const c = offlineGrey({ seed: 4, trainCount: 205, testCount: 50 });
  assert.notDeepEqual(a.train.images, c.train.images);
  assert.notDeepEqual(a.train.images, a.test.images.slice(0, 1)); // train and test differ
});

test('offline grey: knobs and class counts are validated', () => {
  assert.throws(() => offlineGrey({ numClasses: 1 }), /offlineGrey: numClasses must be an integer in \[2, ∞\); got 1/);
  assert.throws(() => offlineGrey({ noise: 2 }), /noise must be in \[0, 1\]; got 2/);
  assert.equal(offlineGrey({ trainCount: 40, testCount: 0, numClasses: 40, size: 32 }).train.numClasses, 40);
});

/** Mean image per class, as floats. */
function classMeans(set: ImageSet): Float64Array[] {
  const n = set.height * set.width * set.channels;
  const sums = Array.from({ length: set.numClasses }, () => new Float64Array(n));
  const counts = new Array(set.numClasses).fill(0);
  for (let i = 0; i < set.count; i++) {
    const l = set.labels[i];
    counts[l]++;
    for (let p = 0; p < n; p++) sums[l][p] += set.images[i * n + p];
  }
  return sums.map((s, l) => s.map((v) => v / counts[l]));
}

test('offline rgb: 100 classes in 20 superclasses of 5; same-superclass classes look more alike', () => {
  const { train } = offlineRgb({ seed: 2, trainCount: 2000, testCount: 0 });
  assert.deepEqual([train.height, train.width, train.channels, train.numClasses], [32, 32, 3, 100]);
  assert.equal(train.classNames!.length, 100);
  const coarseOf = new Int32Array(100).fill(-1);
  train.labels.forEach((l, i) => {
    assert.ok(coarseOf[l] === -1 || coarseOf[l] === train.coarseLabels![i]);
    coarseOf[l] = train.coarseLabels![i];
  });
  const sizes = new Array(20).fill(0);
  coarseOf.forEach((s) => sizes[s]++);
  assert.deepEqual(sizes, new Array(20).fill(5));
  const means = classMeans(train);
  const dist = (a: Float64Array, b: Float64Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
  let within = 0;
  let nw = 0;
  let between = 0;
  let nb = 0;
  for (let i = 0; i < 100; i++) {
    for (let j = 0; j < i; j++) {
      if (coarseOf[i] === coarseOf[j]) (within += dist(means[i], means[j])), nw++;
      else (between += dist(means[i], means[j])), nb++;
    }
  }
  assert.ok(within / nw < 0.75 * (between / nb), `within ${within / nw} vs between ${between / nb}`);
});

test('offline rgb: deterministic from the seed', () => {
  const a = offlineRgb({ seed: 5, trainCount: 30, testCount: 10, numSuperclasses: 2, classesPerSuperclass: 3 });
  const b = offlineRgb({ seed: 5, trainCount: 30, testCount: 10, numSuperclasses: 2, classesPerSuperclass: 3 });
  assert.deepEqual(a.train.images, b.train.images);
  assert.deepEqual(a.train.coarseLabels, b.train.coarseLabels);
  assert.notDeepEqual(a.train.images, offlineRgb({ seed: 6, trainCount: 30, testCount: 10, numSuperclasses: 2, classesPerSuperclass: 3 }).train.images);
});
