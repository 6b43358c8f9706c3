import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { batches, countBatches } from '../../src/data/batches';
import type { InputTransform, TaskSplit } from '../../src/data/types';
import { InvalidArgumentError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';
import { tinySet } from './tiny-data';

before(async () => useTestBackend('cpu'));

const set = tinySet({ count: 10, numClasses: 5, size: 6, channels: 3 });
const split: TaskSplit = {
  source: set,
  indices: Int32Array.from({ length: 10 }, (_, i) => i),
  targets: Int32Array.from(set.labels, (l) => l + 100),
  count: 10,
};
const transform: InputTransform = { outputShape: [6, 6, 3], normalization: { mean: [0.5], std: [0.25] } };

function collect(options: Parameters<typeof batches>[2]) {
  const out: { x: Float32Array; y: Int32Array; rows: Int32Array; shape: number[] }[] = [];
  for (const b of batches(split, transform, options)) {
    out.push({ x: b.x.dataSync() as Float32Array, y: b.y.dataSync() as Int32Array, rows: b.rows, shape: b.x.shape });
    assert.equal(b.x.dtype, 'float32');
    assert.equal(b.y.dtype, 'int32');
    b.x.dispose();
    b.y.dispose();
  }
  return out;
}

test('batches have [B,H,W,C] float32 x, int32 targets and keep the last partial batch', () => {
  const before = tf.memory().numTensors;
  const out = collect({ batchSize: 4 });
  assert.deepEqual(out.map((b) => b.shape), [[4, 6, 6, 3], [4, 6, 6, 3], [2, 6, 6, 3]]);
  assert.deepEqual(Array.from(out[2].y), [3 + 100, 4 + 100]);
  assert.deepEqual(Array.from(out[0].rows), [0, 1, 2, 3]);
  assert.equal(out[0].x[0], (set.images[0] / 255 - 0.5) / 0.25);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(collect({ batchSize: 4, dropLast: true }).length, 2);
  assert.equal(countBatches(10, 4), 3);
  assert.equal(countBatches(10, 4, true), 2);
});

test('a seeded shuffle covers every row once and repeats for the same seed', () => {
  const a = collect({ batchSize: 3, shuffleSeed: 9 });
  const b = collect({ batchSize: 3, shuffleSeed: 9 });
  const c = collect({ batchSize: 3, shuffleSeed: 10 });
  const rows = a.flatMap((x) => Array.from(x.rows));
  assert.deepEqual([...rows].sort((p, q) => p - q), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(rows, b.flatMap((x) => Array.from(x.rows)));
  assert.notDeepEqual(rows, c.flatMap((x) => Array.from(x.rows)));
  for (const batch of a) batch.rows.forEach((r, i) => assert.equal(batch.y[i], split.targets[r]));
});

test('augmentation is deterministic from its seed and changes images', () => {
  const plain = collect({ batchSize: 10 });
  const a = collect({ batchSize: 10, augment: { seed: 3 } });
  const b = collect({ batchSize: 10, augment: { seed: 3 } });
  const c = collect({ batchSize: 10, augment: { seed: 4 } });
  assert.deepEqual(a[0].x, b[0].x);
  assert.notDeepEqual(a[0].x, c[0].x);
  assert.notDeepEqual(a[0].x, plain[0].x);
  const noop = collect({ batchSize: 10, augment: { seed: 3, cropPadding: 0, flip: false } });
  assert.deepEqual(noop[0].x, plain[0].x);
});

test('bad batch options are rejected', () => {
  assert.throws(() => collect({ batchSize: 0 }), InvalidArgumentError);
  assert.throws(() => collect({ batchSize: 2, shuffleSeed: -1 }), /seed/);
  assert.throws(() => collect({ batchSize: 2, augment: { seed: 1, cropPadding: 1.5 } }), /cropPadding/);
});
