import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../src/random';
import { topCMaskedWeight, topCMaskSTE } from '../../src/pruning';
import { InvalidArgumentError, ShapeMismatchError } from '../../src/errors';
import { useTestBackend } from '../helpers/backend';

/** The float32 bits of a tensor, so that −0 ≠ +0 and every rounding counts. */
function bits(x: tf.Tensor): Int32Array {
  const values = x.dataSync() as Float32Array;
  return new Int32Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

const TINY = [2 ** -23, -(2 ** -23), 2 ** -24, -1e-8, 1e-30, -0];

/** Scores moving step by step: small moves (window hits), a jump (a miss), exact ties, zeros and tiny values. */
function* movingScores(n: number, steps: number, seed: number): Generator<Float32Array> {
  const rng = new Rng(seed);
  const s = rng.fillUniform(new Float32Array(n), -0.02, 0.02);
  for (let step = 0; step < steps; step++) {
    if (step === 3) for (let i = 0; i < n; i++) s[i] *= 1.5; // τ leaves any window
    else if (step === 4) s.fill(0.005, 0, Math.floor(n * 0.6)); // most values tie at τ
    else if (step === 5) s.fill(0, 0, Math.floor(n * 0.6)); // ties at zero: τ = 0, sign(0) = 0
    else for (let i = 0; i < n; i++) s[i] += (rng.next() - 0.5) * 2e-4;
    // Around wasm's sign cut-off (|s| < 2^-23 has sign 0 there) and below it.
    TINY.forEach((v, i) => i < n && (s[n - 1 - i] = v));
    yield s;
  }
}

/**
 * Runs the fused op and the unfused reference tf.mul(w, topCMaskSTE(s, c)) side by side on
 * moving scores (each on its own score variable, so each keeps its own window) and checks
 * the forward value and both gradients bit for bit at every step.
 */
function expectSameAsReference(shape: number[], keep: number, steps: number): void {
  const n = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(11);
  const w = tf.variable(tf.tensor(rng.fillUniform(new Float32Array(n), -1, 1), shape));
  const g = tf.tensor(rng.fillUniform(new Float32Array(n), -1, 1), shape); // ∂L/∂W_eff for L = Σ W_eff ⊙ g
  const fusedScore = tf.variable(tf.zeros(shape));
  const referenceScore = tf.variable(tf.zeros(shape));
  let step = 0;
  for (const s of movingScores(n, steps, 5)) {
    fusedScore.assign(tf.tensor(s, shape));
    referenceScore.assign(tf.tensor(s, shape));
    tf.tidy(() => {
      const fused = tf.variableGrads(() => tf.sum(tf.mul(topCMaskedWeight(w, fusedScore, keep), g)) as tf.Scalar, [w, fusedScore]);
      const reference = tf.variableGrads(() => tf.sum(tf.mul(tf.mul(w, topCMaskSTE(referenceScore, keep)), g)) as tf.Scalar, [w, referenceScore]);
      const where = `shape [${shape}], c = ${keep}, step ${step}`;
      assert.deepEqual(bits(topCMaskedWeight(w, fusedScore, keep)), bits(tf.mul(w, topCMaskSTE(referenceScore, keep))), `W_eff, ${where}`);
      assert.deepEqual(bits(fused.grads[w.name]), bits(reference.grads[w.name]), `∂L/∂W, ${where}`);
      assert.deepEqual(bits(fused.grads[fusedScore.name]), bits(reference.grads[referenceScore.name]), `∂L/∂s, ${where}`);
      assert.deepEqual(bits(fused.value), bits(reference.value), `loss, ${where}`);
    });
    step++;
  }
  tf.dispose([w, g, fusedScore, referenceScore]);
}

describe('topCMaskedWeight (fused W ⊙ top-c mask)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals tf.mul(w, topCMaskSTE(s, c)) and its gradients bit for bit on ${backend}, through hits, misses and ties`, async () => {
      await useTestBackend(backend);
      expectSameAsReference([37, 53], 0.1, 8);
      expectSameAsReference([3, 3, 5, 7], 0.5, 7);
      expectSameAsReference([1], 0.5, 2);
    });
  }

  it('equals the reference on a layer large enough to split over the host threads (wasm)', async () => {
    await useTestBackend('wasm');
    expectSameAsReference([1025, 1024], 0.3, 3);
  });

  it('keeps the tensor count flat across steps', async () => {
    await useTestBackend('wasm');
    const w = tf.variable(tf.randomUniform([40, 30], -1, 1, 'float32', 1));
    const s = tf.variable(tf.randomUniform([40, 30], -1, 1, 'float32', 2));
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.square(topCMaskedWeight(w, s, 0.2))) as tf.Scalar, [w, s]);
        s.assign(tf.sub(s, tf.mul(grads[s.name], 0.01)));
      });
    step();
    const count = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) step();
    assert.equal(tf.memory().numTensors, count);
    tf.dispose([w, s]);
  });

  it('refuses mismatched shapes, non-float tensors and c outside (0, 1], naming the bad value', async () => {
    await useTestBackend('cpu');
    const w = tf.zeros([4, 5]);
    assert.throws(
      () => topCMaskedWeight(w, tf.zeros([5, 4]), 0.5),
      (e: Error) => e instanceof ShapeMismatchError && /weight has shape \[4,5\] but score has shape \[5,4\]/.test(e.message),
    );
    assert.throws(() => topCMaskedWeight(w, tf.zeros([4, 5], 'int32'), 0.5), /topCMaskedWeight: score must be float32; got int32/);
    assert.throws(() => topCMaskedWeight(tf.zeros([4, 5], 'int32'), w, 0.5), /topCMaskedWeight: weight must be float32; got int32/);
    assert.throws(() => topCMaskedWeight(w, w, 0), (e: Error) => e instanceof InvalidArgumentError && /keepFraction/.test(e.message));
  });
});
