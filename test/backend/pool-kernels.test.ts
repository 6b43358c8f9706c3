// Pooling and normalisation kernels and gradients: wasm against the cpu backend.
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { data, expectSameOnWasm } from './_compare';

type Pad = 'same' | 'valid' | number;

test('MaxPoolGrad on wasm matches cpu for pool sizes, strides, paddings and ties', async () => {
  let i = 0;
  for (const [h, w] of [[7, 7], [8, 11], [29, 29]] as const) {
    for (const size of [2, 3] as const) {
      for (const stride of [1, 2, 3] as const) {
        for (const pad of ['valid', 'same', 1] as Pad[]) {
          if (pad === 1 && size < 3) continue; // padding must be under the window size
          for (const ties of [false, true]) {
            const shape: [number, number, number, number] = [1 + (i % 3), h, w, 1 + (i % 5)];
            const seed = i++;
            await expectSameOnWasm(`maxPool grad ${JSON.stringify({ shape, size, stride, pad, ties })}`, () => {
              let x = tf.tensor(data(shape, seed), shape) as tf.Tensor4D;
              // ReLU'd and rounded inputs: many windows tie (all zeros), where the first max wins.
              if (ties) x = tf.relu(tf.round(tf.mul(x, 2))) as tf.Tensor4D;
              const dy = (y: tf.Tensor) => tf.tensor(data(y.shape, seed + 500), y.shape);
              const f = (t: tf.Tensor) => {
                const y = tf.maxPool(t as tf.Tensor4D, size, stride, pad);
                return tf.sum(tf.mul(y, dy(y)));
              };
              return [tf.grad(f)(x)];
            });
          }
        }
      }
    }
  }
});

test('batch-statistics norm and its gradient on wasm match cpu', async () => {
  const { layers } = await import('../../src/models');
  // Odd channel counts exercise the kernels' tails; the offset a variance far below the mean².
  const cases: [number[], number][] = [[[64, 100], 0], [[8, 9, 9, 20], 0], [[4, 29, 29, 16], 0], [[5, 3, 3, 7], 0], [[6, 5], 0], [[16, 6, 6, 9], 50]];
  for (const [i, [shape, offset]] of cases.entries()) {
    await expectSameOnWasm(`batchStatNorm ${shape} + ${offset}`, () => {
      const x = tf.add(tf.tensor(data(shape, 40 + i), shape), offset);
      const w = tf.tensor(data(shape, 50 + i), shape);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(layers.batchStatNorm(t), w));
      return [layers.batchStatNorm(x), tf.grad(f)(x)];
    });
  }
});
