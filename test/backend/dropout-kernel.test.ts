import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { dropout } from '../../src/models/layers';
import { Rng } from '../../src/random';
import { runOn } from './_compare';
import { LANEWISE_SPLIT_MIN_LENGTH } from '../../src/backend/host-kernels/index';

test('dropout on wasm (factors written by the heap kernel, long tensors in parts on the host threads) is bit-identical to cpu and follows the Rng stream', async () => {
  for (const [i, [rate, seed, n]] of ([[0.2, 0, 1], [0.5, 11, 10_007], [0.37, 4294967295, 4099], [1 / 3, 5, 65_536], [0.2, 3, LANEWISE_SPLIT_MIN_LENGTH + 1029]] as const).entries()) {
    const make = () => {
      const x = tf.tensor(Float32Array.from({ length: n }, (_, j) => (j % 7) - 3 + i / 8));
      return [dropout(x, rate, seed)];
    };
    const [onCpu] = await runOn('cpu', make);
    const [onWasm] = await runOn('wasm', make);
    assert.ok(Buffer.from(onWasm.buffer).equals(Buffer.from(onCpu.buffer)), `rate ${rate} seed ${seed} n ${n}`);
    const rng = new Rng(seed);
    const dropped = Array.from({ length: n }, () => rng.next() < rate);
    dropped.forEach((d, j) => assert.equal(onWasm[j] === 0, d || (j % 7) - 3 + i / 8 === 0, `entry ${j}`));
  }
});
