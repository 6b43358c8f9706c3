import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { _nativeBlas, _nativeBlasStatus } from '../../src/backend/native-blas';
import { data, expectSameOnWasm } from './_compare';

const required = process.env.TICKETLAB_REQUIRE_NATIVE_BLAS === '1';
const blas = _nativeBlas();

test('the native BLAS binding is loaded where it is required (CI builds it)', { skip: !required && blas === null ? `not built here: ${_nativeBlasStatus()}` : false }, () => {
  assert.ok(blas !== null, _nativeBlasStatus());
  assert.match(_nativeBlasStatus(), /OpenBLAS/);
  assert.match(_nativeBlasStatus(), /Adam (avx2|scalar)/, 'the binding has the native Adam kernels');
});

test('native sgemm multiplies with each transpose flag, in place in any Float32Array memory', { skip: blas === null ? 'not built here' : false }, () => {
  const shared = new Float32Array(new SharedArrayBuffer(4 * 14));
  const a = shared.subarray(0, 6); // [2, 3]
  const b = shared.subarray(6, 12); // [3, 2]
  const c = shared.subarray(12, 14);
  a.set([1, 2, 3, 4, 5, 6]);
  b.set([1, 0, 0, 1, 1, 1]);
  const full = new Float32Array(4);
  blas!.sgemm(a, b, full, 2, 2, 3, 0, 0);
  assert.deepEqual([...full], [4, 5, 10, 11]); // hand computation
  blas!.sgemm(a, a, full, 2, 2, 3, 0, 1); // A·Aᵀ
  assert.deepEqual([...full], [14, 32, 32, 77]);
  blas!.sgemm(a, b, c, 1, 2, 3, 0, 0); // first row only, written into shared memory
  assert.deepEqual([...c], [4, 5]);
  assert.throws(() => blas!.sgemm([1] as unknown as Float32Array, b, c, 1, 1, 1, 0, 0), /expected Float32Array/);
});

test('native sgemm splits large products over threads (by rows or by columns) with the one-thread result', { skip: blas === null ? 'not built here' : false }, () => {
  for (const [m, n, k] of [[400, 90, 260], [90, 400, 260]]) { // ≥ 2^23 multiply-adds: split
    for (const [ta, tb] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const a = Float32Array.from(data([m * k], m + ta));
      const b = Float32Array.from(data([k * n], n + tb));
      const at = (i: number, p: number) => (ta ? a[p * m + i] : a[i * k + p]);
      const bt = (p: number, j: number) => (tb ? b[j * k + p] : b[p * n + j]);
      const split = new Float32Array(m * n);
      blas!.sgemm(a, b, split, m, n, k, ta, tb, 2);
      for (let i = 0; i < m; i += 7) {
        for (let j = 0; j < n; j += 3) {
          let exact = 0;
          for (let p = 0; p < k; p++) exact += at(i, p) * bt(p, j);
          assert.ok(Math.abs(split[i * n + j] - exact) <= 1e-4 * (1 + Math.abs(exact)), `[${m}, ${n}, ${k}] ta=${ta} tb=${tb} at (${i}, ${j}): ${split[i * n + j]} vs ${exact}`);
        }
      }
      const single = new Float32Array(m * n);
      blas!.sgemm(a, b, single, m, n, k, ta, tb, 1);
      const worst = single.reduce((w, v, q) => Math.max(w, Math.abs(v - split[q]) / (1 + Math.abs(v))), 0);
      assert.ok(worst <= 1e-5, `one thread and two agree to rounding: ${worst}`);
    }
  }
});

test('native convolutions: a hand-computed 2×2 case on 1 and 2 threads, and operands that do not fit the geometry are refused', { skip: blas === null ? 'not built here' : false }, () => {
  // x [2, 2, 2, 1] (two images), filter [2, 2, 1, 1] = [[1, 2], [3, 4]], padding 0 → y [2, 1, 1, 1].
  const g = Int32Array.of(2, 2, 2, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1);
  const x = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const w = Float32Array.of(1, 2, 3, 4);
  for (const threads of [1, 2]) {
    const y = new Float32Array(2);
    blas!.conv2dForward(g, x, w, y, threads);
    assert.deepEqual([...y], [1 + 4 + 9 + 16, 5 + 12 + 21 + 32]);
    const dy = Float32Array.of(1, -2);
    const dx = new Float32Array(8).fill(99); // must be overwritten, not added to
    blas!.conv2dInputGrad(g, dy, w, dx, threads);
    assert.deepEqual([...dx], [1, 2, 3, 4, -2, -4, -6, -8]);
    const dw = new Float32Array(4).fill(99);
    blas!.conv2dFilterGrad(g, x, dy, dw, threads);
    assert.deepEqual([...dw], [1 - 10, 2 - 12, 3 - 14, 4 - 16]);
  }
  assert.throws(() => blas!.conv2dForward(g, x.subarray(0, 7), w, new Float32Array(2), 2), /smaller than the geometry/);
  assert.throws(() => blas!.conv2dFilterGrad(g, x, Float32Array.of(1), new Float32Array(4), 2), /smaller than the geometry/);
  assert.throws(() => blas!.conv2dForward(Int32Array.of(2, 2, 2, 1, 2, 2, 0, 1, 0, 0, 1, 1, 1), x, w, new Float32Array(2), 1), /must be positive/);
  assert.throws(() => blas!.conv2dForward(Int32Array.of(1, 2, 3), x, w, new Float32Array(2), 1), /13 fields/);
});

test('BatchMatMul on the native path matches cpu, including empty and broadcast batches', { skip: blas === null ? 'not built here' : false }, async () => {
  for (const [i, [sa, sb, ta, tb]] of ([
    [[0, 4], [4, 3], false, false], [[3, 0], [0, 2], false, false], [[2, 5, 3], [1, 3, 4], false, false], [[7, 5], [6, 5], false, true], [[5, 7], [5, 6], true, false],
  ] as [number[], number[], boolean, boolean][]).entries()) {
    await expectSameOnWasm(`native matMul ${sa} ${sb} ${ta} ${tb}`, () => [tf.matMul(tf.tensor(data(sa, i), sa), tf.tensor(data(sb, i + 5), sb), ta, tb)]);
  }
});

test('without the native binding the wasm kernels alone match cpu (matmul, conv and optimizer tests, TICKETLAB_NATIVE_BLAS=0)', { timeout: 300_000 }, () => {
  const files = [
    'test/backend/matmul-segment-kernels.test.ts', 'test/backend/conv-kernels.test.ts',
    'test/train/fused-update.test.ts', 'test/train/top-c-gradients.test.ts',
  ];
  // A fresh test run of its own: without NODE_TEST_CONTEXT it reports to stdout, not to us.
  const { NODE_TEST_CONTEXT: _ignored, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], {
    env: { ...env, TICKETLAB_NATIVE_BLAS: '0', TICKETLAB_REQUIRE_NATIVE_BLAS: '0' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stdout.slice(-2000) + run.stderr.slice(-2000));
  assert.match(run.stdout, /# fail 0/);
});
