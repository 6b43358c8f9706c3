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
  /** Candidates per row before the exact fallback. Default 2 × perExemplar, widened as the pool fills; a value here fixes it. */
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
 * perExemplar × exemplars (less only when the pool runs out). Each row keeps a candidate list
 * from its chunk's top-k (2 × perExemplar, widened by 1 / (1 − share of the pool taken)); the
 * first free rows of a sorted list are the nearest free rows, so a row is exact unless its list
 * runs out, and then it is scored alone against the whole pool and chosen on the host. Once half
 * of the scored columns are taken they are dropped (one gather), so a filling pool gets cheaper.
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
  const minWide = expectInRange(fn, 'candidates', options.candidates ?? 2 * per, { min: 1, integer: true });
  const taken = new Uint8Array(n);
  const selected: number[] = [];
  // The columns still scored: all of the pool at first, only its free rows after a compaction.
  let live: _Live = { operand: prepared.operand, rows: null, size: n, takenBefore: 0 };
  try {
    for (let start = 0; start < m && selected.length < n; start += chunk) {
      if (live.size - (selected.length - live.takenBefore) < live.size / 2) live = _compact(live, taken, selected.length, prepared.operand);
      const rows = Math.min(chunk, m - start);
      // Widen the lists by the share of live columns taken, so `per` free ones usually remain.
      const free = (live.size - (selected.length - live.takenBefore)) / live.size;
      const wide = Math.min(live.size, options.candidates ?? Math.max(minWide, Math.ceil((2 * per) / Math.max(1e-3, free))));
      const q = _queryOperand(exemplars, start, rows); // [rows, d + 1]
      try {
        const candidates = await _topScores(q, live.operand, wide);
        for (let r = 0; r < rows && selected.length < n; r++) {
          const want = Math.min(per, n - selected.length);
          let got = _takeFree(candidates.subarray(r * wide, (r + 1) * wide), live.rows, taken, want, selected);
          if (got < want) {
            // Exhausted: earlier exemplars took this row's candidates. Score the row against
            // every live column and pick the nearest free rows on the host (exact).
            const row = tf.slice(q, [r, 0], [1, -1]);
            const scores = tf.matMul(row, live.operand); // [1, live.size]
            row.dispose();
            const values = (await scores.data()) as Float32Array;
            scores.dispose();
            got += _takeBestFree(values, live.rows, taken, want - got, selected);
          }
        }
      } finally {
        q.dispose();
      }
    }
  } finally {
    if (live.operand !== prepared.operand) live.operand.dispose();
    if (prepared !== pool) prepared.dispose();
  }
  return Int32Array.from(selected);
}

/** Live columns of the query: the operand, its pool rows (null: identity) and when it was cut. */
interface _Live {
  readonly operand: tf.Tensor2D;
  readonly rows: Int32Array | null;
  readonly size: number;
  /** selected.length when this operand was built (every live column was free then). */
  readonly takenBefore: number;
}

/**
 * Keeps only the free columns (order kept, so ties still break by pool row): once half the live
 * pool is taken, every later product and top-k runs over at most half as many columns.
 */
function _compact(live: _Live, taken: Uint8Array, takenNow: number, original: tf.Tensor2D): _Live {
  const cols: number[] = [];
  const rows: number[] = [];
  for (let c = 0; c < live.size; c++) {
    const row = live.rows ? live.rows[c] : c;
    if (!taken[row]) {
      cols.push(c);
      rows.push(row);
    }
  }
  const operand = tf.tidy(() => tf.gather(live.operand, tf.tensor1d(cols, 'int32'), 1) as tf.Tensor2D); // [d + 1, free]
  if (live.operand !== original) live.operand.dispose();
  return { operand, rows: Int32Array.from(rows), size: rows.length, takenBefore: takenNow };
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

/** Appends the `want` highest-scoring free rows (ties: lower index first) to `selected`; returns how many. */
function _takeBestFree(scores: Float32Array, rows: Int32Array | null, taken: Uint8Array, want: number, selected: number[]): number {
  const best: number[] = []; // row indices, best first; at most `want`
  for (let i = 0; i < scores.length; i++) {
    if (taken[rows ? rows[i] : i]) continue;
    const v = scores[i];
    if (best.length === want && !(v > scores[best[want - 1]])) continue;
    let at = best.length; // after every kept row scoring ≥ v: equal scores keep index order
    while (at > 0 && scores[best[at - 1]] < v) at--;
    best.splice(at, 0, i);
    if (best.length > want) best.pop();
  }
  for (const i of best) {
    const row = rows ? rows[i] : i;
    taken[row] = 1;
    selected.push(row);
  }
  return best.length;
}

/** Appends up to `want` candidates (live columns, mapped to pool rows) not yet taken, in order, to `selected`; returns how many. */
function _takeFree(candidates: Int32Array, rows: Int32Array | null, taken: Uint8Array, want: number, selected: number[]): number {
  let got = 0;
  for (let i = 0; i < candidates.length && got < want; i++) {
    const c = rows ? rows[candidates[i]] : candidates[i];
    if (taken[c]) continue;
    taken[c] = 1;
    selected.push(c);
    got++;
  }
  return got;
}
