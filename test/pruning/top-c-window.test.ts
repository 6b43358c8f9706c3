import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../src/random';
import { topCMask, topCMaskSTE, topCRank } from '../../src/pruning';
import { _kthSmallest, _topCWindowed, SPLIT_MIN_LENGTH, type TopCWindowState } from '../../src/pruning/top-c-window';
import { LANEWISE_SPLIT_MIN_LENGTH } from '../../src/backend/host-kernels/index';
import { useTestBackend } from '../helpers/backend';

/** Scores drifting step by step: small moves, then a jump, then a block of exact ties. */
function* drift(n: number, seed: number): Generator<Float32Array> {
  const rng = new Rng(seed);
  const s = rng.fillUniform(new Float32Array(n), -0.02, 0.02);
  for (let step = 0; step < 12; step++) {
    if (step === 6) for (let i = 0; i < n; i++) s[i] *= 1.5; // τ leaves any window
    if (step === 9) s.fill(0.005, 0, Math.floor(n * 0.6)); // most values tie: the window overflows
    else for (let i = 0; i < n; i++) s[i] += (rng.next() - 0.5) * 2e-4;
    yield s;
  }
}

describe('windowed top-c selection', () => {
  it('matches the full selection at every step, through hits, misses and overflows', () => {
    const n = 30_000;
    for (const c of [0.03, 0.5, 0.9]) {
      const k = topCRank(n, c);
      let state: TopCWindowState | undefined;
      const out = new Float32Array(n);
      for (const s of drift(n, 4)) {
        state = _topCWindowed(new Int32Array(s.buffer), new Int32Array(out.buffer), null, k, state);
        assert.deepEqual(Uint8Array.from(out), topCMask(s, c), `c=${c}`);
      }
    }
  });

  it('split over the host threads (shared memory, ≥ 1 M values) equals the serial pass, mask and W ⊙ m', () => {
    const n = SPLIT_MIN_LENGTH + 5;
    const k = topCRank(n, 0.5);
    const rng = new Rng(9);
    const weight = new Int32Array(new SharedArrayBuffer(4 * n));
    new Float32Array(weight.buffer).set(rng.fillUniform(new Float32Array(n), -1, 1));
    for (const fused of [false, true]) {
      const score = new Int32Array(new SharedArrayBuffer(4 * n));
      const shared = new Int32Array(new SharedArrayBuffer(4 * n));
      const serial = new Int32Array(n);
      let sharedState: TopCWindowState | undefined;
      let serialState: TopCWindowState | undefined;
      for (const s of drift(n, 2)) {
        score.set(new Int32Array(s.buffer));
        sharedState = _topCWindowed(score, shared, fused ? weight : null, k, sharedState);
        serialState = _topCWindowed(Int32Array.from(score), serial, fused ? Int32Array.from(weight) : null, k, serialState);
        assert.deepEqual(sharedState, serialState);
        assert.ok(Buffer.from(shared.buffer).equals(Buffer.from(serial.buffer)), `fused=${fused}`);
      }
    }
  });

  it('on wasm, long score tensors (window passes in parts on the host threads) stay exact across steps', async () => {
    await useTestBackend('wasm');
    const [rows, cols] = [600, 501]; // 300,600 scores: over the split length, parts not a multiple of 4
    assert.ok(rows * cols >= LANEWISE_SPLIT_MIN_LENGTH);
    const score = tf.variable(tf.zeros([rows, cols]));
    for (const c of [0.05, 0.5]) {
      for (const s of drift(rows * cols, 4)) {
        score.assign(tf.tensor(s, [rows, cols]));
        const got = tf.tidy(() => topCMaskSTE(score, c).dataSync());
        assert.ok(Buffer.from(Uint8Array.from(got)).equals(Buffer.from(topCMask(s, c))), `c=${c}`);
      }
    }
    score.dispose();
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`topCMaskSTE on a variable stays exact across steps on ${backend}`, async () => {
      await useTestBackend(backend);
      const n = 20_000;
      const score = tf.variable(tf.zeros([100, 200]));
      for (const s of drift(n, 8)) {
        score.assign(tf.tensor(s, [100, 200]));
        const got = tf.tidy(() => topCMaskSTE(score, 0.1).dataSync());
        assert.deepEqual(Uint8Array.from(got), topCMask(s, 0.1));
      }
      score.dispose();
    });
  }
});

describe('_kthSmallest (the window\'s threshold among its collected keys)', () => {
  it('equals the sorted order at every rank, with duplicates, runs and one-value arrays, and leaves its input alone', () => {
    const rng = new Rng(31);
    const cases = [
      Int32Array.of(5),
      Int32Array.of(7, 7, 7, 7),
      Int32Array.from({ length: 40 }, (_, i) => i), // sorted
      Int32Array.from({ length: 40 }, (_, i) => 40 - i), // reversed
      ...[3, 17, 64, 301].map((n) => Int32Array.from({ length: n }, () => 0x3c000000 + rng.int(n >> 1))), // many ties
      Int32Array.from({ length: 1000 }, () => rng.int(0x7fffffff)),
    ];
    for (const keys of cases) {
      const before = keys.slice();
      const sorted = keys.slice().sort();
      for (let rank = 1; rank <= keys.length; rank++) assert.equal(_kthSmallest(keys, rank), sorted[rank - 1], `n ${keys.length}, rank ${rank}`);
      assert.deepEqual(keys, before);
    }
  });
});
