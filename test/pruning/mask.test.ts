import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork } from '../../src/models';
import {
  applyMask, fullMask, globalDensity, layerDensities, maskableNames, maskAnd, maskedWeight, maskFromTensor,
  maskNot, maskOr, maskTensors, maskToTensor,
} from '../../src/pruning';
import { ShapeMismatchError, UnknownNameError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';

const a = { w: Uint8Array.of(1, 1, 0, 0), v: Uint8Array.of(1, 0) };
const b = { w: Uint8Array.of(1, 0, 1, 0), v: Uint8Array.of(0, 0) };

describe('masks', () => {
  before(() => useTestBackend('cpu'));

  it('or / and / not work entry by entry', () => {
    assert.deepEqual(maskOr(a, b), { w: Uint8Array.of(1, 1, 1, 0), v: Uint8Array.of(1, 0) });
    assert.deepEqual(maskAnd(a, b), { w: Uint8Array.of(1, 0, 0, 0), v: Uint8Array.of(0, 0) });
    assert.deepEqual(maskNot(a), { w: Uint8Array.of(0, 0, 1, 1), v: Uint8Array.of(0, 1) });
    assert.equal(a.w[0], 1); // inputs untouched
    assert.throws(() => maskOr(a, { w: a.w }), ShapeMismatchError);
    assert.throws(() => maskAnd(a, { w: a.w, v: Uint8Array.of(1) }), ShapeMismatchError);
  });

  it('density and sparsity per layer and over the network', () => {
    const per = layerDensities(a);
    assert.deepEqual(per.w, { kept: 2, total: 4, density: 0.5, sparsity: 0.5 });
    assert.equal(per.v.density, 0.5);
    assert.deepEqual(globalDensity(maskOr(a, b)), { kept: 4, total: 6, density: 4 / 6, sparsity: 2 / 6 });
    assert.equal(globalDensity(b, ['v']).density, 0);
    assert.throws(() => globalDensity(a, ['x']), UnknownNameError);
  });

  it('fullMask and maskableNames cover the maskable body weights only, by kind', () => {
    const net = createNetwork('resnet18-reduced', { seed: 1, heads: [10], nf: 2 });
    const all = fullMask(net.paramInfo);
    assert.equal(Object.keys(all).length, 20); // 17 convs + 3 shortcuts
    assert.ok(!Object.keys(all).some((k) => k.startsWith('head')));
    assert.equal(globalDensity(all).density, 1);
    assert.equal(globalDensity(fullMask(net.paramInfo, 0)).kept, 0);
    assert.equal(maskableNames(net.paramInfo, ['dense']).length, 0);
    assert.equal(maskableNames(net.paramInfo, ['conv'])[0], 'conv1/kernel');
    net.dispose();
  });

  it('applyMask returns W ⊙ m from bits or a tensor, and checks shapes', () => {
    const w = tf.tensor2d([[1, 2], [3, 4]]);
    assert.deepEqual(applyMask(w, Uint8Array.of(1, 0, 0, 1), 'fc1/kernel').arraySync(), [[1, 0], [0, 4]]);
    assert.deepEqual(applyMask(w, maskToTensor(Uint8Array.of(0, 1, 1, 0), [2, 2])).arraySync(), [[0, 2], [3, 0]]);
    assert.throws(() => applyMask(w, Uint8Array.of(1, 0, 1), 'fc1/kernel'), /applyMask: mask for "fc1\/kernel" has 3 entries/);
    assert.throws(() => applyMask(w, tf.ones([4])), ShapeMismatchError);
    assert.deepEqual(Array.from(maskFromTensor(tf.tensor([0, 0.5, -2]))), [0, 1, 1]);
  });

  it('a masked-weight hook computes the network on W ⊙ m', () => {
    const net = createNetwork('mlp', { seed: 4, heads: [10] });
    const mask = fullMask(net.paramInfo);
    mask['fc2/kernel'].fill(0);
    const tensors = maskTensors(mask, net.paramInfo);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const start = tf.memory().numTensors;
    tf.tidy(() => {
      const y = net.logits(x, 0, { training: false, weight: maskedWeight(tensors) });
      assert.ok(y.dataSync().every((v) => v === 0));
      mask['fc2/kernel'].fill(1);
      mask['fc1/kernel'].fill(0);
      mask['fc1/kernel'][5] = 1; // keep one weight: input pixel 0 → unit 5
      const one = maskTensors(mask, net.paramInfo);
      const f = net.features(x, { training: false, weight: maskedWeight(one) });
      const w = net.params.get('fc1/kernel')!.dataSync()[5];
      const xs = x.dataSync();
      const w2 = net.params.get('fc2/kernel')!.arraySync() as number[][];
      const expected = [0, 1].map((i) => w2[5].map((v) => Math.max(0, v * Math.max(0, xs[i * 784] * w))));
      const got = f.arraySync();
      for (let i = 0; i < 2; i++) for (let j = 0; j < 100; j++) assert.ok(Math.abs(got[i][j] - expected[i][j]) < 1e-6);
      one.forEach((t) => t.dispose());
    });
    assert.equal(tf.memory().numTensors, start);
    assert.throws(() => maskTensors({ nope: Uint8Array.of(1) }, net.paramInfo), UnknownNameError);
    tensors.forEach((t) => t.dispose());
    net.dispose();
  });
});
