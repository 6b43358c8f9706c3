/**
 * Shared by the backend tests: run the same computation on cpu and on wasm from the same
 * seeded data and compare with a relative tolerance.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend/index';
import { Rng } from '../../src/random';

/** Seeded uniform data in [-1, 1). */
export function data(shape: number[], seed: number): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  return new Rng(seed).fillUniform(out, -1, 1);
}

/** Runs `f` on `backend` inside tidy and returns its outputs as arrays. */
export async function runOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ backend, quiet: true });
  const outs = tf.tidy(f);
  const arrays = outs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outs);
  return arrays;
}

/** Worst |a − b| / max|b| over the outputs (b is the cpu reference). */
export function relError(actual: Float32Array[], expected: Float32Array[]): number {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  expected.forEach((e, i) => {
    assert.equal(actual[i].length, e.length, `output ${i} length`);
    let scale = 0;
    for (const v of e) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < e.length; j++) worst = Math.max(worst, Math.abs(actual[i][j] - e[j]) / (scale || 1));
  });
  return worst;
}

/** Asserts `f` gives the same numbers on wasm as on cpu, within `tol` relative error. */
export async function expectSameOnWasm(label: string, f: () => tf.Tensor[], tol = 1e-4): Promise<void> {
  const expected = await runOn('cpu', f);
  const actual = await runOn('wasm', f);
  const err = relError(actual, expected);
  assert.ok(err <= tol, `${label}: relative error ${err.toExponential(2)} > ${tol}`);
}
