import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../helpers/backend';
import { kdLoss } from '../../src/lifelong/kd-loss';
import { prepareQueryPool, queryNearest } from '../../src/lifelong/nearest-query';
import { Rng } from '../../src/random';

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

test('kd loss matches a hand computation at temperature 2', async () => {
  await useTestBackend('wasm');
  const s = [[1, 2, 0.5], [-1, 0, 3]];
  const t = [[0.3, 1.5, -2], [2, 2, 0]];
  const T = 2;
  let sum = 0;
  for (let i = 0; i < 2; i++) {
    const p = softmax(t[i].map((v) => v / T));
    const q = softmax(s[i].map((v) => v / T));
    sum += -p.reduce((a, pj, j) => a + pj * Math.log(q[j]), 0);
  }
  const expected = (T * T * sum) / 2;
  const before = tf.memory().numTensors;
  const got = tf.tidy(() => kdLoss(tf.tensor2d(s), tf.tensor2d(t)).dataSync()[0]);
  assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => kdLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D, 0), /temperature/);
});

/** Brute force: per exemplar in order, the nearest `per` pool rows not yet taken (float64, ties by index). */
function bruteForce(e: Float32Array, p: Float32Array, m: number, n: number, d: number, per: number): number[] {
  const taken = new Set<number>();
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    const dist = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let c = 0; c < d; c++) s += (e[i * d + c] - p[j * d + c]) ** 2;
      return [s, j] as const;
    }).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let got = 0;
    for (const [, j] of dist) {
      if (got === per) break;
      if (taken.has(j)) continue;
      taken.add(j);
      out.push(j);
      got++;
    }
  }
  return out;
}

test('the greedy query returns distinct pool rows and matches a brute-force reference', async () => {
  await useTestBackend('wasm');
  const rng = new Rng(5);
  const [m, n, d, per] = [12, 300, 6, 10];
  const e = rng.fillNormal(new Float32Array(m * d));
  // Exemplars in clumps so later exemplars find their neighbours taken (exercises the exact fallback).
  for (let i = 1; i < m; i += 2) for (let c = 0; c < d; c++) e[i * d + c] = e[(i - 1) * d + c] + 0.01 * rng.normal();
  const p = rng.fillNormal(new Float32Array(n * d));
  const before = tf.memory().numTensors;
  const ex = tf.tensor2d(e, [m, d]);
  const pool = tf.tensor2d(p, [n, d]);
  const expected = bruteForce(e, p, m, n, d, per);
  const rows = await queryNearest(ex, pool, { perExemplar: per, chunkRows: 5 });
  assert.equal(rows.length, m * per);
  assert.equal(new Set(rows).size, rows.length);
  assert.deepEqual(Array.from(rows), expected);
  // Candidates = perExemplar: every clumped second exemplar exhausts its list and falls back.
  const prepared = prepareQueryPool(pool);
  assert.deepEqual(prepared.operand.shape, [d + 1, n]);
  assert.deepEqual(Array.from(await queryNearest(ex, prepared, { perExemplar: per, candidates: per, chunkBytes: 4 * n * 7 })), expected);
  // 20 per exemplar fills 240 of 300 rows: the live columns are compacted once half are taken.
  assert.deepEqual(Array.from(await queryNearest(ex, prepared, { perExemplar: 20, chunkRows: 5 })), bruteForce(e, p, m, n, d, 20));
  // 30 per exemplar asks for 360: the pool runs out mid-way and every row is still exact.
  const out = await queryNearest(ex, prepared, { perExemplar: 30, chunkRows: 3 });
  assert.equal(out.length, n);
  assert.deepEqual(Array.from(out), bruteForce(e, p, m, n, d, 30));
  prepared.dispose();
  tf.dispose([ex, pool]);
  assert.equal(tf.memory().numTensors, before);
});

test('the query stops when the pool runs out and checks its inputs', async () => {
  await useTestBackend('wasm');
  const rows = await queryNearest(tf.ones([3, 2]) as tf.Tensor2D, tf.tensor2d([[0, 0], [1, 1], [2, 2], [3, 3]]), { perExemplar: 3 });
  assert.deepEqual(Array.from(rows).sort(), [0, 1, 2, 3]);
  await assert.rejects(queryNearest(tf.ones([3, 2]) as tf.Tensor2D, tf.ones([4, 3]) as tf.Tensor2D), /must be \[m, d\]/);
});
