import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { createNetwork, initValues, kaimingUniform, layers, signedConstant } from '../../src/models';
import { Rng } from '../../src/random';
import { useTestBackend } from '../helpers/backend';

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('layer ops', () => {
  before(() => useTestBackend('cpu'));

  it('batch-statistics norm matches a hand computation with population variance', () => {
    // channel 0: 1, 2, 3, 6 → mean 3, var (4+1+0+9)/4 = 3.5; channel 1: 0, 0, 4, 4 → mean 2, var 4
    const x = tf.tensor4d([1, 0, 2, 0, 3, 4, 6, 4], [2, 1, 2, 2]);
    const y = layers.batchStatNorm(x).dataSync();
    const c0 = [1, 2, 3, 6].map((v) => (v - 3) / Math.sqrt(3.5 + 1e-5));
    const c1 = [0, 0, 4, 4].map((v) => (v - 2) / Math.sqrt(4 + 1e-5));
    close(y, [c0[0], c1[0], c0[1], c1[1], c0[2], c1[2], c0[3], c1[3]]);
    const d = layers.batchStatNorm(tf.tensor2d([[1, 10], [3, 30]])).dataSync();
    close(d, [-1, -1, 1, 1], 1e-4);
  });

  it('batch-statistics norm gradient equals autodiff of the op-by-op formula (2-D and 4-D)', () => {
    const reference = (x: tf.Tensor) => {
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      const centered = tf.sub(x, tf.mean(x, axes, true));
      return tf.mul(centered, tf.rsqrt(tf.add(tf.mean(tf.square(centered), axes, true), 1e-5)));
    };
    for (const shape of [[16, 10], [4, 5, 5, 6]]) {
      const x = tf.randomUniform(shape, -2, 3, 'float32', 31);
      const w = tf.randomUniform(shape, -1, 1, 'float32', 32); // L = Σ w ⊙ y, so dy = w
      const loss = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor) => tf.sum(tf.mul(f(t), w));
      close(layers.batchStatNorm(x).dataSync(), reference(x).dataSync());
      close(tf.grad(loss(layers.batchStatNorm))(x).dataSync(), tf.grad(loss(reference))(x).dataSync(), 1e-4);
    }
  });

  it('affine batch norm normalises with the batch in training, updates running stats, and uses them at inference', () => {
    const stats = { movingMean: tf.variable(tf.zeros([1]), false), movingVariance: tf.variable(tf.ones([1]), false) };
    const x = tf.tensor2d([[1], [3], [5], [7]]); // mean 4, population var 5, unbiased 20/3
    const gamma = tf.tensor1d([2]);
    const beta = tf.tensor1d([0.5]);
    const y = layers.batchNorm(x, gamma, beta, stats, { training: true, update: true });
    close(y.dataSync(), [1, 3, 5, 7].map((v) => (2 * (v - 4)) / Math.sqrt(5 + 1e-5) + 0.5));
    close(stats.movingMean.dataSync(), [0.4]);
    close(stats.movingVariance.dataSync(), [0.9 + 0.1 * (20 / 3)]);
    const z = layers.batchNorm(tf.tensor2d([[1]]), gamma, beta, stats, { training: false, update: true });
    close(z.dataSync(), [(2 * (1 - 0.4)) / Math.sqrt(0.9 + 2 / 3 + 1e-5) + 0.5]);
    close(stats.movingMean.dataSync(), [0.4]); // inference never updates
  });

  it('LeNet max pooling (3, stride 2, pad 1) ignores the padding', () => {
    const x = tf.tensor4d([-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16], [1, 4, 4, 1]);
    const y = layers.maxPool(x, 3, 2, 1);
    assert.deepEqual(y.shape, [1, 2, 2, 1]);
    // windows over rows/cols {-1..1} and {1..3}: maxima of the real entries only
    assert.deepEqual(Array.from(y.dataSync()), [-1, -2, -5, -6]); // zero padding would give 0s
  });

  it('conv2d with explicit padding follows PyTorch output sizes', () => {
    const x = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
    assert.deepEqual(layers.conv2d(x, tf.ones([3, 3, 1, 2]), undefined, 2, 1).shape, [1, 3, 3, 2]);
    assert.deepEqual(layers.conv2d(x, tf.ones([2, 2, 1, 1]), undefined, 1, [0, 1, 0, 1]).shape, [1, 5, 5, 1]);
    const y = layers.conv2d(x, tf.ones([3, 3, 1, 1]), tf.tensor1d([0.5]), 1, 1).dataSync();
    assert.equal(y[0], 4.5); // corner: 4 real inputs + bias
    assert.equal(y[6], 9.5);
  });

  it('dropout is seeded, scales kept entries by 1/(1 − rate), and is off at evaluation', () => {
    const x = tf.ones([4, 250]);
    const a = layers.dropout(x, 0.2, 11).dataSync();
    const b = layers.dropout(x, 0.2, 11).dataSync();
    const c = layers.dropout(x, 0.2, 12).dataSync();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.every((v) => v === 0 || Math.abs(v - 1.25) < 1e-6));
    const dropped = a.filter((v) => v === 0).length / a.length;
    assert.ok(dropped > 0.15 && dropped < 0.25, `dropped ${dropped}`);

    const net = createNetwork('alexnet', { seed: 1, heads: [5] });
    const input = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const run = (training: boolean, dropoutSeed?: number) =>
      tf.tidy(() => net.logits(input, 0, { training, dropoutSeed }).dataSync());
    assert.deepEqual(run(true, 7), run(true, 7));
    assert.notDeepEqual(run(true, 7), run(true, 8));
    assert.deepEqual(run(false), run(false, 99));
    net.dispose();
  });

  it('dropout masks follow the Rng stream exactly: entry i dropped iff the i-th next() < rate', () => {
    for (const [rate, seed] of [[0.2, 0], [0.5, 11], [0.37, 4294967295]] as const) {
      const rng = new Rng(seed);
      const expected = Float32Array.from({ length: 10_007 }, () => (rng.next() < rate ? 0 : 1 / (1 - rate)));
      const got = tf.tidy(() => layers.dropout(tf.ones([10_007]), rate, seed).dataSync());
      assert.deepEqual(Array.from(got), Array.from(expected));
    }
  });

  it('initialisers: Kaiming-uniform bound 1/√fanIn, signed constant ±√2/√fanIn, same seed same values', () => {
    const u = initValues('kaiming-uniform', 10_000, 100, 1);
    assert.ok(u.every((v) => Math.abs(v) < 0.1));
    assert.ok(Math.max(...u) > 0.099 && Math.min(...u) < -0.099);
    const s = signedConstant([100, 50], 100, 1).dataSync();
    assert.ok(s.every((v) => Math.abs(Math.abs(v) - Math.SQRT2 / 10) < 1e-7));
    const positive = s.filter((v) => v > 0).length / s.length;
    assert.ok(positive > 0.45 && positive < 0.55);
    assert.deepEqual(kaimingUniform([3, 4], 12, 5).dataSync(), kaimingUniform([3, 4], 12, 5).dataSync());
    const a = createNetwork('mlp', { seed: 8, heads: [10] });
    const b = createNetwork('mlp', { seed: 8, heads: [10] });
    const c = createNetwork('mlp', { seed: 8, heads: [10], init: 'signed-constant' });
    assert.deepEqual(a.params.get('fc1/kernel')!.dataSync(), b.params.get('fc1/kernel')!.dataSync());
    const bound = 1 / Math.sqrt(784);
    assert.ok(a.params.get('fc1/kernel')!.dataSync().every((v) => Math.abs(v) < bound));
    assert.ok(c.params.get('fc1/kernel')!.dataSync().every((v) => Math.abs(Math.abs(v) - Math.SQRT2 * bound) < 1e-7));
    // Heads stay Kaiming-uniform under signed-constant bodies.
    assert.deepEqual(a.params.get('head/main/0/kernel')!.dataSync(), c.params.get('head/main/0/kernel')!.dataSync());
    [a, b, c].forEach((n) => n.dispose());
  });
});
