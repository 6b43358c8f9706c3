/**
 * Times lottery teaching's greedy nearest-neighbour query (methods.md §2.3 step 2) on a
 * paper-sized pool: 150 000 × 512 features, 500 and 5 000 exemplars, 50 images per exemplar.
 * Not a test: prints one line per run (wall and process CPU time, GFLOP/s of the distance
 * products on both clocks, memory). On a shared machine wall time includes waiting for a core,
 * so the CPU-time rate is the one to compare between runs.
 *   npx tsx bench/lifelong-query.ts                    # 500 and 5000 exemplars, wasm, 2 threads
 *   npx tsx bench/lifelong-query.ts 500 1 baseline     # 500 only, 1 thread, plus the previous formula
 * Exemplars are pool rows plus noise, so neighbourhoods overlap and the greedy de-duplication
 * and its exact fallback are exercised as with real features. The bench keeps its own 293 MiB
 * host array of the pool to draw exemplars from; that is in `rss`, not in the query's footprint.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/index';
import { prepareQueryPool, queryNearest } from '../src/lifelong/nearest-query';
import { Rng } from '../src/random';

const [n, d, per] = [150_000, 512, 50];

function clock(): () => { wallMs: number; cpuMs: number } {
  const t = performance.now();
  const c = process.cpuUsage();
  return () => {
    const u = process.cpuUsage(c);
    return { wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 };
  };
}

function wasmHeapMiB(): number | null {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return wasm?.HEAPU8 ? wasm.HEAPU8.length / 2 ** 20 : null;
}

function line(label: string, flop: number, t: { wallMs: number; cpuMs: number }, extra = ''): void {
  const rate = (ms: number) => (flop / (ms / 1000) / 1e9).toFixed(1);
  console.log(
    `${label.padEnd(34)} wall ${t.wallMs.toFixed(0).padStart(7)} ms  cpu ${t.cpuMs.toFixed(0).padStart(7)} ms  ` +
      `${rate(t.wallMs).padStart(6)} GFLOP/s wall  ${rate(t.cpuMs).padStart(6)} GFLOP/s cpu  ` +
      `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB  wasm heap ${wasmHeapMiB()?.toFixed(0) ?? '-'} MiB${extra}`,
  );
}

/** The previous formula for one chunk: transpose(pool·qᵀ), then ‖q‖² − 2x + ‖p‖², negated, topk. */
async function baselineChunk(pool: tf.Tensor2D, norms: tf.Tensor, q: tf.Tensor2D): Promise<void> {
  const idx = tf.tidy(() => {
    const cross = tf.transpose(tf.matMul(pool, q, false, true));
    const dist = tf.add(tf.sub(tf.sum(tf.square(q), 1, true), tf.mul(cross, 2)), norms);
    return tf.topk(tf.neg(dist), 2 * per, true).indices;
  });
  await idx.data();
  idx.dispose();
}

async function main(): Promise<void> {
  const counts = (process.argv[2] ?? '500,5000').split(',').map(Number);
  const threads = Number(process.argv[3] ?? 2);
  const baseline = process.argv[4] === 'baseline';
  const report = await initBackend({ backend: 'wasm', threads, quiet: true });
  console.log(`backend ${report.tfjsName}, ${report.threads} thread(s); pool ${n} × ${d}, ${per} per exemplar`);
  const rng = new Rng(7);
  const host = rng.fillNormal(new Float32Array(n * d));
  for (let i = 0; i < host.length; i++) host[i] = Math.abs(host[i]); // ReLU-pooled features are ≥ 0
  const pool = tf.tensor2d(host, [n, d]);
  const exemplarsOf = (m: number): tf.Tensor2D => {
    const e = new Float32Array(m * d);
    for (let i = 0; i < m; i++) {
      const j = rng.int(n);
      for (let c = 0; c < d; c++) e[i * d + c] = host[j * d + c] + 0.5 * rng.normal();
    }
    return tf.tensor2d(e, [m, d]);
  };

  if (baseline) {
    const norms = tf.tidy(() => tf.reshape(tf.sum(tf.square(pool), 1), [1, n]));
    const q = exemplarsOf(Math.floor(2 ** 24 / n));
    for (let r = 0; r < 2; r++) {
      const stop = clock();
      await baselineChunk(pool, norms, q);
      line(`previous formula, ${q.shape[0]}-row chunk`, 2 * q.shape[0] * n * d, stop());
    }
    tf.dispose([norms, q]);
  }

  let stop = clock();
  const prepared = prepareQueryPool(pool);
  line('prepare [pᵀ; ‖p‖²]', 3 * n * d, stop());
  pool.dispose();
  for (const m of counts) {
    const exemplars = exemplarsOf(m);
    stop = clock();
    const rows = await queryNearest(exemplars, prepared, { perExemplar: per });
    line(`query ${m} exemplars`, 2 * m * n * (d + 1), stop(), `  selected ${rows.length}`);
    exemplars.dispose();
  }
  prepared.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
