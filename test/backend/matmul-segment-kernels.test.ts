import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, stockWasmKernel } from '../../src/backend/index';
import { _swapForPlain, _swapForTransposeB } from '../../src/backend/wasm-kernels/batch-mat-mul';
import { data, expectSameOnWasm } from './_compare';

test('BatchMatMul on wasm matches cpu for every transpose combination, batched and broadcast', async () => {
  // [3, 20] · [20, 31]ᵀ takes the swapped path (B · Aᵀ)ᵀ, [4, 6] · [6, 5]ᵀ the direct one.
  assert.ok(_swapForTransposeB(3, 20, 31) && !_swapForTransposeB(4, 6, 5));
  // [5, 33] · [33, 514] and [257, 6] · [6, 514] take (Bᵀ · Aᵀ)ᵀ (a wide fresh weight), [4, 6] · [6, 5] not.
  assert.ok(_swapForPlain(5, 514) && _swapForPlain(257, 514) && !_swapForPlain(4, 5) && !_swapForPlain(258, 514));
  const shapes: [number[], number[]][] = [
    [[4, 6], [6, 5]], [[3, 20], [20, 31]], [[1, 9], [9, 17]], [[3, 4, 6], [3, 6, 5]], [[1, 7, 3], [2, 3, 2]], [[2, 1, 9], [9, 1]],
    [[5, 33], [33, 514]], [[257, 6], [6, 514]],
  ];
  for (const [i, [a, b]] of shapes.entries()) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const sa = ta ? [...a.slice(0, -2), a[a.length - 1], a[a.length - 2]] : a;
        const sb = tb ? [...b.slice(0, -2), b[b.length - 1], b[b.length - 2]] : b;
        await expectSameOnWasm(`matMul ${sa} ${sb} ${ta} ${tb}`, () => [
          tf.matMul(tf.tensor(data(sa, i), sa), tf.tensor(data(sb, i + 9), sb), ta, tb),
        ]);
      }
    }
  }
  assert.ok(stockWasmKernel('BatchMatMul'), 'the stock kernel is kept for comparison');
});

test('UnsortedSegmentSum on wasm matches cpu, dropping out-of-range ids, for float and int data', async () => {
  await expectSameOnWasm('segment sum', () => {
    const ids = tf.tensor1d([2, 0, 2, -1, 5, 1, 0], 'int32');
    return [
      tf.unsortedSegmentSum(tf.tensor(data([7, 3, 2], 1), [7, 3, 2]), ids, 4),
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5, 6, 7], 'int32'), ids, 3),
    ];
  }, 0);
  await expectSameOnWasm('gather gradient', () => {
    const x = tf.tensor2d(data([6, 4], 2), [6, 4]);
    const idx = tf.tensor1d([5, 0, 0, 3], 'int32');
    return [
      tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, idx))))(x),
      tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, tf.tensor1d([3, 1, 1], 'int32'), 1))))(x),
    ];
  });
});

test('the wasm matmul and segment-sum kernels free every intermediate', async () => {
  await initBackend({ backend: 'wasm', quiet: true });
  const run = () => tf.tidy(() => {
    const a = tf.tensor2d(data([5, 4], 3), [5, 4]);
    tf.matMul(a, a, true, false).dataSync();
    tf.matMul(a, a, false, true).dataSync();
    tf.unsortedSegmentSum(a, tf.tensor1d([0, 1, 0, 2, 1], 'int32'), 3).dataSync();
  });
  run();
  const before = tf.engine().backend.numDataIds();
  run();
  assert.equal(tf.engine().backend.numDataIds(), before);
});
