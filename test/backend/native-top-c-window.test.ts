import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { _heapTensor, _hostKernels, _wasmHostKernels, LANEWISE_SPLIT_MIN_LENGTH, type HostKernels } from '../../src/backend/host-kernels/index';
import { _nativeBlas } from '../../src/backend/native-blas';
import { _heapPointer } from '../../src/backend/wasm-heap';
import { Rng } from '../../src/random';

const binding = _nativeBlas();
const skip = binding?.topCWindow === undefined ? 'native binding (with the top-c window) not built here' : false;

const keyOf = (x: number): number => new Int32Array(Float32Array.of(x).buffer)[0] & 0x7fffffff;

/** Seeded scores with ±0, ±∞, NaN, subnormals and values exactly at the window's edges. */
function scores(n: number, seed: number, edges: readonly number[]): Float32Array {
  const rng = new Rng(seed);
  const special = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, ...edges, ...edges.map((x) => -x)];
  return Float32Array.from({ length: n }, () => (rng.next() < 0.1 ? special[rng.int(special.length)] : rng.next() * 2 - 1));
}

interface WindowResult {
  out: Int32Array;
  counts: Int32Array;
  keys: Int32Array;
  index: Int32Array;
}

/** One `topc_window` call of `kernels` over the whole range; the keys and positions it collected. */
function windowPass(kernels: HostKernels, s: tf.Tensor, w: tf.Tensor | null, lo: number, hi: number, capacity: number): WindowResult {
  return tf.tidy(() => {
    const n = s.size;
    const out = _heapTensor([n]);
    const scratch = _heapTensor([2 * capacity + 2]);
    const at = _heapPointer(scratch);
    kernels.topc_window(_heapPointer(s), w === null ? 0 : _heapPointer(w), _heapPointer(out), n, lo, hi, capacity, at, at + 4 * capacity, at + 8 * capacity);
    const bits = new Int32Array((scratch.dataSync() as Float32Array).buffer.slice(0));
    const counts = bits.slice(2 * capacity, 2 * capacity + 2);
    const collected = Math.min(counts[1], capacity);
    return {
      out: new Int32Array((out.dataSync() as Float32Array).slice().buffer),
      counts,
      keys: bits.slice(0, collected),
      index: bits.slice(capacity, capacity + collected),
    };
  });
}

test('the native top-c window pass gives the wasm kernel\'s output, counts, keys and positions: tails, edges, overflow, split passes', { skip }, async () => {
  await useTestBackend('wasm');
  const native = _hostKernels()!;
  const wasm = _wasmHostKernels()!;
  assert.notEqual(native.topc_window, wasm.topc_window, 'the native kernel replaces the wasm one');
  const lo = keyOf(0.3);
  const hi = keyOf(0.3001);
  for (const n of [0, 1, 7, 8, 9, 1029, LANEWISE_SPLIT_MIN_LENGTH + 1029]) {
    // A narrow window, a wide one that overflows a small capacity, one from key 0, and one whose
    // capacity the first of two split parts does not fill but both together overflow.
    for (const [low, high, capacity] of [[lo, hi, 1024], [keyOf(0.2), keyOf(0.5), 64], [0, keyOf(0.01), 4096], [0, keyOf(0.01), 10000]]) {
      for (const withWeight of [false, true]) {
        tf.tidy(() => {
          const s = tf.tensor(scores(n, n + 1, [0.3, 0.3001, 0.2, 0.5, 0.01]));
          const w = withWeight ? tf.tensor(scores(n, n + 2, [])) : null;
          const expected = windowPass(wasm, s, w, low, high, capacity);
          const actual = windowPass(native, s, w, low, high, capacity);
          const label = `n ${n}, window [${low}, ${high}], capacity ${capacity}, ${withWeight ? 'W ⊙ m' : 'mask'}`;
          assert.deepEqual(actual.counts, expected.counts, `${label}: [below, inside]`);
          assert.deepEqual(actual.keys, expected.keys, `${label}: keys`);
          assert.deepEqual(actual.index, expected.index, `${label}: positions`);
          assert.deepEqual(actual.out, expected.out, `${label}: output bits`);
        });
      }
    }
  }
});

test('the native window pass counts and splits as its contract says (hand-checked small case)', { skip }, async () => {
  await useTestBackend('wasm');
  const s = tf.tensor([0.5, -0.1, 0.3, -0.31, 0.29, 0.9, -0, 0.305]);
  const w = tf.tensor([1, 2, -3, 4, 5, 6, 7, -8]);
  const r = windowPass(_hostKernels()!, s, w, keyOf(0.3), keyOf(0.31), 8);
  // below 0.3: -0.1, 0.29, -0; inside [0.3, 0.31]: 0.3, -0.31, 0.305; kept above: 0.5, 0.9.
  assert.deepEqual([...r.counts], [3, 3]);
  assert.deepEqual([...r.index], [2, 3, 7]);
  assert.deepEqual([...r.keys], [keyOf(0.3), keyOf(0.31), keyOf(0.305)]);
  assert.deepEqual([...new Float32Array(r.out.buffer)], [1, 0, -0, 0, 0, 6, 0, -0]);
  tf.dispose([s, w]);
});

test('the native window pass refuses arrays outside the heap and negative keys, naming them', { skip }, () => {
  const heap = new Uint8Array(4096);
  const args = (patch: Record<number, number>) => {
    const a = Float64Array.from([0, 0, 1024, 64, 10, 20, 16, 2048, 2112, 2176, 1]);
    for (const [i, v] of Object.entries(patch)) a[Number(i)] = v;
    return a;
  };
  binding!.topCWindow!(heap, args({}));
  assert.throws(() => binding!.topCWindow!(heap, args({ 2: 4090 })), /topCWindow: out \(byte offset 4090, 64 entries\) lies outside the heap/);
  assert.throws(() => binding!.topCWindow!(heap, args({ 7: 4090 })), /topCWindow: keys \(byte offset 4090, 16 entries\)/);
  assert.throws(() => binding!.topCWindow!(heap, args({ 4: -1 })), /topCWindow: lo, hi and capacity must be int32 keys ≥ 0/);
  assert.throws(() => binding!.topCWindow!(heap, args({ 3: 1.5 })), /topCWindow: the entry count must be a non-negative integer/);
  assert.throws(() => binding!.topCWindow!(heap, new Float64Array(3)), /topCWindow: expected 11 arguments/);
});
