import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { adam } from '../../src/train/adam';
import { crossEntropy } from '../../src/train/cross-entropy';
import { trainTask } from '../../src/train/train-task';
import { Rng } from '../../src/random';
import { tinyBatches, tinyMlp, tinyTask } from './fixtures';

test('on wasm: frozen entries stay bit-identical under Adam and runs are deterministic', async () => {
  await useTestBackend('wasm');
  const results: Float32Array[] = [];
  for (let run = 0; run < 2; run++) {
    const net = tinyMlp(3);
    net.addHead(2, new Rng(4));
    const data = tinyTask(5);
    const opt = adam(net.params, { learningRate: 0.01 });
    const kernel = net.params.get('fc1/kernel')!;
    const train = (epochs: number) =>
      trainTask({
        task: 0, variables: net.params, optimizer: opt, epochs, seed: 9,
        batches: ({ shuffleSeed }) => tinyBatches(data.train, 16, shuffleSeed),
        loss: (b) => crossEntropy(net.logits(b.x, 0, { training: true }), b.y),
      });
    await train(2); // non-zero moments everywhere
    const bits = new Rng(1).fillUniform(new Float32Array(kernel.size), 0, 1).map((u) => (u > 0.5 ? 1 : 0));
    const mask = tf.tensor(Uint8Array.from(bits), kernel.shape, 'bool');
    const before = kernel.dataSync().slice();
    opt.setUpdateMask('fc1/kernel', mask);
    await train(2);
    const after = kernel.dataSync();
    const keep = mask.dataSync();
    keep.forEach((k, i) => {
      if (!k) assert.ok(Object.is(after[i], before[i]), `frozen entry ${i} moved`);
    });
    assert.ok(after.some((x, i) => keep[i] && x !== before[i]));
    results.push(Float32Array.from(after));
    mask.dispose();
    opt.dispose();
    net.dispose();
  }
  assert.deepEqual(results[0], results[1]);
});
