import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { _mergedPermutation } from '../../src/backend/wasm-kernels/transpose';
import { data, runOn } from './_compare';

/** Every permutation of 0 … n−1. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

test('permutations merge adjacent axes that stay together and drop size-1 axes', () => {
  assert.deepEqual(_mergedPermutation([64, 32, 32, 20], [3, 1, 2, 0]), { shape: [64, 1024, 20], perm: [2, 1, 0] });
  assert.deepEqual(_mergedPermutation([64, 32, 32, 20], [1, 2, 0, 3]), { shape: [64, 1024, 20], perm: [1, 0, 2] });
  assert.deepEqual(_mergedPermutation([5, 1, 7], [2, 1, 0]), { shape: [5, 7], perm: [1, 0] });
  assert.deepEqual(_mergedPermutation([2, 3, 4], [0, 1, 2]), { shape: [24], perm: [0] });
});

test('wasm Transpose equals cpu exactly for every permutation of ranks 2–4 (float32 and int32, odd sizes)', async () => {
  const shapes = [[5, 7], [16, 20], [2048, 3], [1, 9], [3, 5, 6], [4, 1, 9], [17, 4, 8], [2, 3, 5, 7], [4, 6, 6, 5], [3, 1, 4, 9]];
  for (const [i, shape] of shapes.entries()) {
    for (const perm of permutations(shape.length)) {
      for (const dtype of ['float32', 'int32'] as const) {
        const make = () => {
          const values = data(shape, 80 + i);
          const x = dtype === 'int32' ? tf.tensor(Int32Array.from(values, (v) => Math.round(v * 1000)), shape, 'int32') : tf.tensor(values, shape);
          return [tf.transpose(x, perm)];
        };
        const [onCpu] = await runOn('cpu', make);
        const [onWasm] = await runOn('wasm', make);
        assert.deepEqual(onWasm, onCpu, `shape [${shape}] perm [${perm}] ${dtype}`);
      }
    }
  }
});
