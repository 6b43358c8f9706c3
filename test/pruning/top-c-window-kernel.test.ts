import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { _heapTensor, _heapView, _hostKernels } from '../../src/backend/host-kernels/index';
import { _heapPointer } from '../../src/backend/wasm-heap';
import { Rng } from '../../src/random';
import { useTestBackend } from '../helpers/backend';

/** What the window pass must give, one entry at a time (the rule in top-c-kernels.ts). */
function reference(s: Int32Array, w: Int32Array | null, lo: number, hi: number, capacity: number) {
  const out = new Int32Array(s.length);
  const keys: number[] = [];
  const index: number[] = [];
  let below = 0;
  let inside = 0;
  s.forEach((bits, i) => {
    const key = bits & 0x7fffffff;
    if (key < lo) below++;
    out[i] = w === null ? (key > hi ? 0x3f800000 : 0) : w[i] & (key > hi ? -1 : 0x80000000);
    if (key >= lo && key <= hi) {
      if (inside < capacity) keys.push(key), index.push(i);
      inside++;
    }
  });
  return { out, keys, index, below, inside };
}

test('the wasm window pass equals the entry-by-entry rule: tails, crowded and empty windows, overflow, W ⊙ m', async () => {
  await useTestBackend('wasm');
  const kernels = _hostKernels();
  assert.ok(kernels, 'fused kernels installed');
  const rng = new Rng(31);
  const cases = [1, 3, 4, 15, 16, 17, 31, 33, 64, 1000, 4099];
  for (const n of cases) {
    for (const [width, capacity] of [[0, 8], [0.002, 1024], [0.05, 1024], [0.05, 5], [1, 7]] as const) {
      const values = rng.fillUniform(new Float32Array(n), -0.1, 0.1);
      if (n > 5) values[5] = -values[2]; // the same key with either sign
      const s = new Int32Array(values.buffer);
      const tau = Math.abs(values[Math.floor(n / 2)]);
      const lo = new Int32Array(Float32Array.of(Math.max(0, tau - width)).buffer)[0];
      const hi = new Int32Array(Float32Array.of(tau + width).buffer)[0];
      const w = new Int32Array(rng.fillUniform(new Float32Array(n), -1, 1).buffer);
      for (const weighted of [false, true]) {
        const want = reference(s, weighted ? w : null, lo, hi, capacity);
        const [sT, wT, outT, scratch] = [_heapTensor([n]), _heapTensor([n]), _heapTensor([n]), _heapTensor([2 * capacity + 2])];
        const [pS, pW, pOut, pScratch] = [sT, wT, outT, scratch].map((t) => _heapPointer(t));
        _heapView(Int32Array, pS, n).set(s);
        _heapView(Int32Array, pW, n).set(w);
        kernels.topc_window(pS, weighted ? pW : 0, pOut, n, lo, hi, capacity, pScratch, pScratch + 4 * capacity, pScratch + 8 * capacity);
        const ints = _heapView(Int32Array, pScratch, 2 * capacity + 2);
        const label = `n=${n} width=${width} capacity=${capacity} weighted=${weighted}`;
        assert.deepEqual([ints[2 * capacity], ints[2 * capacity + 1]], [want.below, want.inside], label);
        const kept = Math.min(want.inside, capacity);
        assert.deepEqual(Array.from(ints.subarray(0, kept)), want.keys, label);
        assert.deepEqual(Array.from(ints.subarray(capacity, capacity + kept)), want.index, label);
        assert.deepEqual(_heapView(Int32Array, pOut, n), want.out, label);
        tf.dispose([sT, wT, outT, scratch]);
      }
    }
  }
});
