/**
 * Greedy de-duplicated nearest-neighbour query of lottery teaching (Chen et al., ICLR 2021),
 * methods.md §2.3 step 2: each exemplar in turn takes its `perExemplar` nearest pool rows by
 * squared Euclidean distance that no earlier exemplar took.
 *
 * Ranking by ‖q − p‖² = ‖q‖² − (2q·p − ‖p‖²) per query row q is ranking by the score
 * 2q·p − ‖p‖² (larger = nearer). The pool side is built once as B = [pᵀ; ‖p‖²] [d+1, n], the
 * query side per chunk as [2q, −1] [rows, d+1], so each chunk is ONE untransposed matMul
 * (XNNPACK's fast path; B's packed weights are cached across chunks) followed by `tf.topk`:
 * no transposes and no elementwise passes over the [rows, n] block inside the loop. Only the
 * greedy de-duplication runs on the host, over a short candidate list per row.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, ShapeMismatchError } from '../errors';

/** Options of {@link queryNearest}. */
export interface QueryOptions {
  /** Pool images taken per exemplar (`unlabel_num`). Default 50. */
  readonly perExemplar?: number;
  /** Bytes of one chunk's score block [rows, n] (float32). Default 64 MiB (111 rows on a 150k pool). */
  readonly chunkBytes?: number;
  /** Exemplar rows per chunk; overrides `chunkBytes`. */
  readonly chunkRows?: number;
  /** Candidates kept per row before the exact fallback. Default 2 × perExemplar. */
  readonly candidates?: number;
}

/** A pool prepared for {@link queryNearest}: the operand [pᵀ; ‖p‖²] on the backend. */
export interface QueryPool {
  /** [d + 1, n]: the transposed pool with the squared row norms as a last row. */
  readonly operand: tf.Tensor2D;
  readonly size: number;
  readonly width: number;
  dispose(): void;
}

/**
 * Builds the pool side of the query once. The caller may dispose `pool` right after, so only
 * one backend copy of the pool is alive during the query; dispose the result when done.
 * @throws ShapeMismatchError when `pool` is not [n, d]
 * @example
 * ```ts
 * const prepared = prepareQueryPool(poolFeatures); // [513, 150000]
 * poolFeatures.dispose();
 * const rows = await queryNearest(exemplarFeatures, prepared);
 * prepared.dispose();
 * ```
 */
export function prepareQueryPool(pool: tf.Tensor2D): QueryPool {
  if (pool.rank !== 2) throw new ShapeMismatchError(`prepareQueryPool: pool features must be [n, d]; got [${pool.shape}].`);
  const [n, d] = pool.shape;
  // Norms first, in their own tidy, so the [n, d] square is freed before the transpose exists.
  const norms = tf.tidy(() => tf.reshape(tf.sum(tf.square(pool), 1), [1, n])); // [1, n]
  const poolT = tf.transpose(pool); // [d, n]
  const operand = tf.concat([poolT, norms], 0) as tf.Tensor2D; // [d + 1, n]
  tf.dispose([poolT, norms]);
  return { operand, size: n, width: d, dispose: () => operand.dispose() };
}

/**
 * Greedy de-duplicated nearest-neighbour query (§2.3 step 2). Returns the selected pool row
 * indices (distinct, grouped by exemplar, ascending distance within a group); length ≤
 * perExemplar × exemplars (less only when the pool runs out). Each row keeps `candidates`
 * nearest rows from its chunk's top-k; a row whose candidates are exhausted by earlier
 * exemplars is re-queried alone with a doubling k, which stays exact (the first free rows of
 * a sorted top-k are the nearest free rows).
 * @param pool pool features [n, d] (prepared once here, then freed) or a {@link QueryPool}
 * @throws ShapeMismatchError when feature widths differ; InvalidArgumentError for bad options
 * @example
 * ```ts
 * const rows = await queryNearest(exemplarFeatures, poolFeatures, { perExemplar: 50 });
 * ```
 */
export async function queryNearest(exemplars: tf.Tensor2D, pool: tf.Tensor2D | QueryPool, options: QueryOptions = {}): Promise<Int32Array> {
  const fn = 'queryNearest';
  const width = pool instanceof tf.Tensor ? pool.shape[1] : pool.width;
  if (exemplars.rank !== 2 || (pool instanceof tf.Tensor && pool.rank !== 2) || exemplars.shape[1] !== width) {
    const shape = pool instanceof tf.Tensor ? pool.shape : [pool.size, pool.width];
    throw new ShapeMismatchError(`${fn}: exemplar features [${exemplars.shape}] and pool features [${shape}] must be [m, d] and [n, d].`);
  }
  const per = expectInRange(fn, 'perExemplar', options.perExemplar ?? 50, { min: 1, integer: true });
  const prepared = pool instanceof tf.Tensor ? prepareQueryPool(pool) : pool;
  const [m] = exemplars.shape;
  const n = prepared.size;
  const bytes = expectInRange(fn, 'chunkBytes', options.chunkBytes ?? 2 ** 26, { min: 1 });
  const chunk = expectInRange(fn, 'chunkRows', options.chunkRows ?? Math.max(1, Math.min(m, Math.floor(bytes / (4 * n)))), { min: 1, integer: true });
  const wide = Math.min(n, expectInRange(fn, 'candidates', options.candidates ?? 2 * per, { min: 1, integer: true }));
  const taken = new Uint8Array(n);
  const selected: number[] = [];
  try {
    for (let start = 0; start < m && selected.length < n; start += chunk) {
      const rows = Math.min(chunk, m - start);
      const q = _queryOperand(exemplars, start, rows); // [rows, d + 1]
      try {
        const candidates = await _topScores(q, prepared.operand, wide);
        for (let r = 0; r < rows && selected.length < n; r++) {
          const want = Math.min(per, n - selected.length);
          let got = _takeFree(candidates.subarray(r * wide, (r + 1) * wide), taken, want, selected);
          // Exhausted: earlier exemplars took too many of this row's candidates. The top
          // (want + taken) rows surely hold `want` free ones; doubling usually stops far sooner.
          for (let k = Math.min(n, 2 * wide); got < want; k = Math.min(n, 2 * k)) {
            const row = tf.slice(q, [r, 0], [1, -1]);
            const exact = await _topScores(row, prepared.operand, Math.min(k, want + selected.length));
            row.dispose();
            // Re-scan from the start: rows this exemplar took are now marked taken and skipped.
            got += _takeFree(exact, taken, want - got, selected);
          }
        }
      } finally {
        q.dispose();
      }
    }
  } finally {
    if (prepared !== pool) prepared.dispose();
  }
  return Int32Array.from(selected);
}

/** [2q, −1] for rows start..start+rows of the exemplars: scores = this · [pᵀ; ‖p‖²]. */
function _queryOperand(exemplars: tf.Tensor2D, start: number, rows: number): tf.Tensor2D {
  return tf.tidy(() => tf.concat([tf.mul(tf.slice(exemplars, [start, 0], [rows, -1]), 2), tf.fill([rows, 1], -1)], 1) as tf.Tensor2D);
}

/** Indices [rows · k] of the k highest scores 2q·p − ‖p‖² (nearest first) of each query row. */
async function _topScores(q: tf.Tensor2D, operand: tf.Tensor2D, k: number): Promise<Int32Array> {
  const idx = tf.tidy(() => tf.topk(tf.matMul(q, operand), k, true).indices); // [rows, k]
  const out = (await idx.data()) as Int32Array;
  idx.dispose();
  return out;
}

/** Appends up to `want` candidates not yet taken (in order) to `selected`; returns how many. */
function _takeFree(candidates: Int32Array, taken: Uint8Array, want: number, selected: number[]): number {
  let got = 0;
  for (let i = 0; i < candidates.length && got < want; i++) {
    const c = candidates[i];
    if (taken[c]) continue;
    taken[c] = 1;
    selected.push(c);
    got++;
  }
  return got;
}
