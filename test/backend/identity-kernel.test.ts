import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';

test('tf.clone on wasm shares the data (no copy) and each handle outlives the other', async () => {
  await useTestBackend('wasm');
  const before = tf.memory().numTensors;
  const heap = tf.backend() as unknown as { typedArrayFromHeap(t: tf.Tensor): Float32Array };
  const x = tf.tensor([1, 2, 3, 4, 5]);
  const y = tf.clone(x);
  assert.equal(heap.typedArrayFromHeap(y).byteOffset, heap.typedArrayFromHeap(x).byteOffset, 'one buffer for both');
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1, 2, 3, 4, 5]);
  const v = tf.variable(y);
  const nines = tf.tensor([9, 9, 9, 9, 9]);
  v.assign(nines);
  assert.deepEqual([...y.dataSync()], [1, 2, 3, 4, 5], 'assigning the variable leaves the clone alone');
  tf.dispose([y, v, nines]);
  assert.equal(tf.memory().numTensors, before);
});
