import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../src/random';
import { roundHalfEven, selectKth, topCMask, topCMaskSTE, topCRank, topCThreshold } from '../../src/pruning';
import { InvalidArgumentError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';

function kept(bits: Uint8Array): number {
  return bits.reduce((a, b) => a + b, 0);
}

describe('top-c selection', () => {
  before(() => useTestBackend('cpu'));

  it('selectKth agrees with sorting, duplicates included', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 7, 100, 5000]) {
      const values = Float32Array.from({ length: n }, () => rng.int(n < 10 ? 3 : 50) / 7); // many ties
      const sorted = Float32Array.from(values).sort();
      for (const k of [1, Math.ceil(n / 2), n]) assert.equal(selectKth(Float32Array.from(values), k), sorted[k - 1], `n=${n} k=${k}`);
    }
    assert.throws(() => selectKth(new Float32Array(3), 0), InvalidArgumentError);
  });

  it('rank follows WSN: k = 1 + round((1 − c)(n − 1)), Python rounding', () => {
    assert.equal(topCRank(78_400, 0.03), 76_048);
    assert.equal(topCRank(3, 0.75), 1); // round(0.5) = 0
    assert.equal(topCRank(5, 0.375), 3); // round(2.5) = 2
    assert.equal(topCRank(10, 1), 1);
    assert.equal(roundHalfEven(3.5), 4);
    assert.throws(() => topCRank(10, 0), InvalidArgumentError);
    assert.throws(() => topCRank(10, 1.5), /keepFraction must be in \(0, 1\]/);
  });

  it('a 784×100 layer at c = 0.03 keeps 2 353 weights, the largest |s|', () => {
    const n = 78_400;
    const perm = new Rng(1).permutation(n);
    const scores = Float32Array.from(perm, (p, i) => ((p + 1) / n) * (i % 2 ? -1 : 1)); // distinct |s|
    const bits = topCMask(scores, 0.03);
    assert.equal(kept(bits), 2353);
    for (let i = 0; i < n; i++) assert.equal(bits[i], perm[i] + 1 > n - 2353 ? 1 : 0);
    const t = tf.tidy(() => topCMaskSTE(tf.tensor(scores, [784, 100]), 0.03).dataSync());
    assert.deepEqual(Array.from(t), Array.from(bits));
  });

  it('ties at the threshold are kept', () => {
    const scores = Float32Array.of(0.1, -0.2, 0.3, 0.4, 0.5, 0.6, 0.9, -0.9, 0.9, 0.9);
    // n = 10, c = 0.2: k = 1 + round(7.2) = 8, τ = 0.9; without ties 3 kept, with ties 4
    assert.equal(topCThreshold(scores.map(Math.abs), 0.2), Math.fround(0.9));
    assert.deepEqual(Array.from(topCMask(scores, 0.2)), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('the straight-through gradient is sign(s)·W·∂L/∂W_eff for scores and m·∂L/∂W_eff for weights', () => {
    const W = tf.tensor2d([[0.5, -1, 2], [3, -0.25, 1.5]]);
    const s = tf.tensor2d([[0.3, -0.1, -0.6], [0.05, 0.4, -0.2]]);
    const G = tf.tensor2d([[1, 2, 3], [4, 5, 6]]); // ∂L/∂W_eff for L = Σ W_eff ⊙ G
    // n = 6, c = 0.5: k = 1 + round(2.5) = 3, τ = 3rd smallest |s| = 0.2 → keep |s| ≥ 0.2
    const m = [[1, 0, 1], [0, 1, 1]];
    const loss = (w: tf.Tensor, score: tf.Tensor) => tf.sum(tf.mul(tf.mul(w, topCMaskSTE(score, 0.5)), G)) as tf.Scalar;
    const [gW, gS] = tf.grads(loss)([W, s]);
    const w = W.arraySync() as number[][];
    const sc = s.arraySync() as number[][];
    const g = G.arraySync() as number[][];
    const expectS = sc.map((row, i) => row.map((v, j) => Math.sign(v) * w[i][j] * g[i][j]));
    const expectW = m.map((row, i) => row.map((v, j) => v * g[i][j]));
    assert.deepEqual(gW.arraySync(), expectW);
    const got = gS.arraySync() as number[][];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(got[i][j] - expectS[i][j]) < 1e-6);
    assert.equal(loss(W, s).dataSync()[0], 0.5 * 1 + 2 * 3 + -0.25 * 5 + 1.5 * 6);
  });

  it('repeated STE steps keep the tensor count flat', () => {
    const score = tf.variable(tf.randomUniform([50, 40], -1, 1, 'float32', 2));
    const weight = tf.randomUniform([50, 40], -1, 1, 'float32', 3);
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.mul(weight, topCMaskSTE(score, 0.1)))) as tf.Scalar, [score]);
        score.assign(tf.sub(score, tf.mul(grads[score.name], 0.01)));
      });
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, count);
    score.dispose();
    weight.dispose();
  });

  it('a 2.5-million-weight layer keeps n − k + 1 weights (plus exact ties) by radix selection', () => {
    const n = 2_500_000;
    const scores = new Rng(9).fillUniform(new Float32Array(n), -1, 1);
    const bits = topCMask(scores, 0.05);
    const magnitudes = scores.map(Math.abs);
    const tau = topCThreshold(magnitudes, 0.05);
    const atLeast = magnitudes.filter((v) => v >= tau).length;
    const above = magnitudes.filter((v) => v > tau).length;
    assert.equal(kept(bits), atLeast);
    const expected = n - topCRank(n, 0.05) + 1;
    assert.ok(above < expected && atLeast >= expected, `kept ${atLeast}, expected ${expected}`);
  });
});
