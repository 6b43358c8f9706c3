import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork } from '../../src/models';
import { fullMask, globalDensity, layerDensities, magnitudePrune, maskableNames } from '../../src/pruning';
import { InvalidArgumentError, UnknownNameError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';

const weights = { a: Float32Array.of(0.1, -0.2, 0.9, -1.0), b: Float32Array.of(5, -6, 7, 8) };
const ones = { a: Uint8Array.of(1, 1, 1, 1), b: Uint8Array.of(1, 1, 1, 1) };

function bitsOf(mask: Record<string, Uint8Array>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(mask).map(([k, v]) => [k, Array.from(v)]));
}

describe('magnitude pruning', () => {
  before(() => useTestBackend('cpu'));

  it('global ranking removes the smallest |w| across layers; per-layer ranks each layer alone', () => {
    const global = magnitudePrune(weights, ones, { pruneFractionOfRemaining: 0.5 });
    assert.deepEqual(bitsOf(global), { a: [0, 0, 0, 0], b: [1, 1, 1, 1] });
    const perLayer = magnitudePrune(weights, ones, { pruneFractionOfRemaining: 0.5, scope: 'per-layer' });
    assert.deepEqual(bitsOf(perLayer), { a: [0, 0, 1, 1], b: [0, 0, 1, 1] });
    assert.deepEqual(Array.from(ones.a), [1, 1, 1, 1]); // input mask untouched
  });

  it('prunes a fraction of what remains: already-pruned weights neither count nor return', () => {
    const mask = { a: Uint8Array.of(0, 1, 1, 1), b: Uint8Array.of(1, 1, 1, 1) };
    // per layer: a has 3 left → round(1.5) = 2 go (0.2, 0.9); b has 4 → 2 go (5, 6)
    const out = magnitudePrune(weights, mask, { pruneFractionOfRemaining: 0.5, scope: 'per-layer' });
    assert.deepEqual(bitsOf(out), { a: [0, 0, 0, 1], b: [0, 0, 1, 1] });
    // global: 7 left → round(3.5) = 4 go: 0.2, 0.9, 1.0, 5
    const g = magnitudePrune(weights, mask, { pruneFractionOfRemaining: 0.5 });
    assert.deepEqual(bitsOf(g), { a: [0, 0, 0, 0], b: [0, 1, 1, 1] });
  });

  it('only the chosen layers are pruned, and ties go in position order for an exact count', () => {
    const out = magnitudePrune({ a: Float32Array.of(1, -1, 1, 1), b: weights.b }, ones, { pruneFractionOfRemaining: 0.5, layers: ['a'] });
    assert.deepEqual(bitsOf(out), { a: [0, 0, 1, 1], b: [1, 1, 1, 1] });
    assert.throws(() => magnitudePrune(weights, ones, { pruneFractionOfRemaining: 0.5, layers: ['c'] }), UnknownNameError);
    assert.throws(() => magnitudePrune(weights, ones, { pruneFractionOfRemaining: 1.2 }), InvalidArgumentError);
    assert.throws(() => magnitudePrune({ a: weights.a }, ones, { pruneFractionOfRemaining: 0.2 }), /no weights for "b"/);
  });

  it('lifelong-tickets prune(0.2) over conv weights of a network leaves dense layers alone', () => {
    const net = createNetwork('lenet', { seed: 1, heads: [10] });
    const convs = maskableNames(net.paramInfo, ['conv']);
    let mask = fullMask(net.paramInfo);
    mask = magnitudePrune(net.params, mask, { pruneFractionOfRemaining: 0.2, layers: convs });
    mask = magnitudePrune(net.params, mask, { pruneFractionOfRemaining: 0.2, layers: convs });
    const convCount = globalDensity(mask, convs);
    assert.equal(convCount.total, 26_500);
    assert.equal(convCount.kept, 26_500 - 5300 - 4240); // 0.8² of the conv weights
    const per = layerDensities(mask);
    assert.equal(per['fc1/kernel'].density, 1);
    // Every kept conv weight is at least as large as every pruned one.
    let minKept = Infinity;
    let maxPruned = 0;
    for (const name of convs) {
      const w = net.params.get(name)!.dataSync();
      mask[name].forEach((bit, i) => (bit ? (minKept = Math.min(minKept, Math.abs(w[i]))) : (maxPruned = Math.max(maxPruned, Math.abs(w[i])))));
    }
    assert.ok(maxPruned <= minKept);
    net.dispose();
    assert.equal(tf.memory().numTensors, 0);
  });
});
