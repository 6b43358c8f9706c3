import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { _deviceTotals, _hostTotals } from '../../src/train/_epoch-totals';

test('epoch totals on the host and on the device agree, reset, and leak nothing', async () => {
  await useTestBackend('cpu');
  for (const totals of [_hostTotals(), _deviceTotals()]) {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      totals.add(tf.scalar(0.5), tf.scalar(3, 'int32'), 4);
      totals.add(tf.scalar(1.5), null, 2); // a step without logits counts its loss only
      totals.add(tf.scalar(0.25), tf.scalar(8, 'int32'), 8);
    });
    assert.deepEqual(await totals.read(), { loss: 0.5 * 4 + 1.5 * 2 + 0.25 * 8, correct: 11, scored: 12 });
    totals.reset();
    assert.deepEqual(await totals.read(), { loss: 0, correct: 0, scored: 0 });
    assert.equal(tf.memory().numTensors, before);
    totals.dispose();
  }
});
