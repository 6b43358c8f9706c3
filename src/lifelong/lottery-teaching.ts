/**
 * Lottery teaching (Chen et al., ICLR 2021), methods.md §2.3: before task k, distil the current
 * model on external unlabeled images that look like the stored exemplars.
 * 1. Pooled features (inference mode, no augmentation) of the pool and of the exemplars.
 * 2. Greedy de-duplicated query: for each exemplar in turn, its `perExemplar` (50) nearest pool
 *    images by squared Euclidean distance not taken by an earlier exemplar.
 * 3. Fixed teacher logits of both branches over the k−1 learned tasks, on the selected images
 *    with the training augmentation applied once.
 * The distances run batched on the backend, ‖a‖² − 2a·b + ‖b‖² by matMul in chunks of
 * exemplars, with `tf.topk` per row; only the greedy de-duplication runs on the host.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { InputTransform, Scenario, TaskSplit } from '../data/types';
import { expectInRange, expectThat, ShapeMismatchError } from '../errors';
import { deriveSeed, expectSeed } from '../random';
import type { ForwardOptions, Network } from '../models/types';
import type { TeacherLogits } from './cil-train';

/**
 * Pooled body features [N, featureSize] of a split, inference mode, no augmentation. Caller
 * disposes.
 * @example
 * ```ts
 * const f = extractFeatures(net, cil.unlabeled!, cil.tasks[0].transform);
 * ```
 */
export function extractFeatures(
  network: Network,
  split: TaskSplit,
  transform: InputTransform,
  options: { readonly weight?: ForwardOptions['weight']; readonly batchSize?: number } = {},
): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  try {
    for (const b of batches(split, transform, { batchSize: options.batchSize ?? 256 })) {
      parts.push(tf.tidy(() => network.features(b.x, { training: false, weight: options.weight })));
      tf.dispose([b.x, b.y]);
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  } finally {
    if (parts.length > 1) tf.dispose(parts);
  }
}

/** Options of {@link queryNearest}. */
export interface QueryOptions {
  /** Pool images taken per exemplar (`unlabel_num`). Default 50. */
  readonly perExemplar?: number;
  /** Distance rows (exemplars) per backend chunk; default so that a chunk holds ≤ 2^24 distances. */
  readonly chunkRows?: number;
}

/** Squared distances ‖a‖² − 2ab + ‖b‖² of rows of `a` [m, d] to rows of `b` [n, d]; [m, n]. */
function _squaredDistances(a: tf.Tensor2D, b: tf.Tensor2D, bNorms: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const aNorms = tf.sum(tf.square(a), 1, true); // [m, 1]
    // (b·aᵀ)ᵀ: on wasm, XNNPACK is ~2× faster with the small operand transposed than with b's.
    const cross = tf.transpose(tf.matMul(b, a, false, true)); // [m, n]
    return tf.add(tf.sub(aNorms, tf.mul(cross, 2)), bNorms) as tf.Tensor2D; // bNorms [1, n]
  });
}

/** Top-`k` nearest pool rows (ascending distance) of each query row, as host arrays. */
async function _nearest(queries: tf.Tensor2D, pool: tf.Tensor2D, poolNorms: tf.Tensor, k: number): Promise<Int32Array> {
  const idx = tf.tidy(() => tf.topk(tf.neg(_squaredDistances(queries, pool, poolNorms)), k, true).indices);
  const out = (await idx.data()) as Int32Array;
  idx.dispose();
  return out;
}

/**
 * Greedy de-duplicated nearest-neighbour query (§2.3 step 2): exemplars in order, each takes its
 * `perExemplar` nearest pool rows by squared Euclidean distance that no earlier exemplar took.
 * Returns the selected pool row indices (distinct, grouped by exemplar, ascending distance
 * within a group); length ≤ perExemplar × exemplars (less only when the pool runs out).
 * Candidates come from one batched top-(2·perExemplar) per exemplar; an exemplar whose
 * candidates were mostly taken is re-queried alone with a top-k wide enough to be exact.
 * @throws ShapeMismatchError when feature widths differ; InvalidArgumentError for bad options
 * @example
 * ```ts
 * const rows = await queryNearest(exemplarFeatures, poolFeatures, { perExemplar: 50 });
 * ```
 */
export async function queryNearest(exemplars: tf.Tensor2D, pool: tf.Tensor2D, options: QueryOptions = {}): Promise<Int32Array> {
  const fn = 'queryNearest';
  if (exemplars.rank !== 2 || pool.rank !== 2 || exemplars.shape[1] !== pool.shape[1]) {
    throw new ShapeMismatchError(`${fn}: exemplar features [${exemplars.shape}] and pool features [${pool.shape}] must be [m, d] and [n, d].`);
  }
  const per = expectInRange(fn, 'perExemplar', options.perExemplar ?? 50, { min: 1, integer: true });
  const [m] = exemplars.shape;
  const n = pool.shape[0];
  const chunk = expectInRange(fn, 'chunkRows', options.chunkRows ?? Math.max(1, Math.min(m, Math.floor(2 ** 24 / Math.max(1, n)))), { min: 1, integer: true });
  const wide = Math.min(n, 2 * per);
  const taken = new Uint8Array(n);
  const selected: number[] = [];
  const poolNorms = tf.tidy(() => tf.reshape(tf.sum(tf.square(pool), 1), [1, n]));
  try {
    for (let start = 0; start < m && selected.length < n; start += chunk) {
      const rows = Math.min(chunk, m - start);
      const q = tf.slice(exemplars, [start, 0], [rows, -1]);
      const candidates = await _nearest(q, pool, poolNorms, wide);
      for (let r = 0; r < rows && selected.length < n; r++) {
        const want = Math.min(per, n - selected.length);
        let got = _takeFree(candidates.subarray(r * wide, (r + 1) * wide), taken, want, selected);
        if (got < want) {
          // Rare: earlier exemplars took most candidates. Exact: the top (want + taken) rows hold ≥ want free ones.
          const row = tf.slice(q, [r, 0], [1, -1]);
          const exact = await _nearest(row, pool, poolNorms, Math.min(n, want + selected.length));
          row.dispose();
          got += _takeFree(exact, taken, want - got, selected);
        }
      }
      q.dispose();
    }
  } finally {
    poolNorms.dispose();
  }
  return Int32Array.from(selected);
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

/**
 * Fixed teacher logits (§2.3 step 3) of both branches over the first `learnedTasks` heads on
 * `split`, computed once with the training augmentation (crop + flip, seeded). The returned
 * tensors belong to the caller.
 */
export function teacherLogits(
  network: Network,
  split: TaskSplit,
  transform: InputTransform,
  learnedTasks: number,
  options: { readonly seed: number; readonly weight?: ForwardOptions['weight']; readonly augment?: boolean; readonly batchSize?: number },
): TeacherLogits {
  const seed = expectSeed('teacherLogits', options.seed);
  const main: tf.Tensor2D[] = [];
  const random: tf.Tensor2D[] = [];
  const augment = options.augment ?? true ? { augment: { seed: deriveSeed(seed, 'teacher-augment') } } : {};
  try {
    for (const b of batches(split, transform, { batchSize: options.batchSize ?? 256, ...augment })) {
      tf.tidy(() => {
        const f = network.features(b.x, { training: false, weight: options.weight });
        for (const [branch, out] of [['main', main], ['random', random]] as const) {
          out.push(tf.keep(network.headLogits(f, learnedTasks - 1, { branch, concatUpTo: true, weight: options.weight })));
        }
      });
      tf.dispose([b.x, b.y]);
    }
    return { split, main: tf.concat(main, 0), random: tf.concat(random, 0) };
  } finally {
    tf.dispose([...main, ...random]);
  }
}

/** Options of {@link lotteryTeacher}. */
export interface LotteryTeacherOptions {
  readonly seed: number;
  /** Pool images per exemplar. Default 50. */
  readonly perExemplar?: number;
  /** Forward hook of the teacher (e.g. a ticket's mask). */
  readonly weight?: ForwardOptions['weight'];
}

/**
 * The whole §2.3 pipeline before task `learnedTasks + 1`: features of the exemplars of the
 * learned tasks and of the scenario's unlabeled pool, greedy query, teacher logits. Returns null
 * without a pool. Caller disposes `main` and `random`.
 * @throws InvalidArgumentError when a learned task has no exemplars
 * @example
 * ```ts
 * const teacher = await lotteryTeacher(net, cil, 1, { seed: 3 });
 * await trainCilTask(net, cil, 1, { seed: 4, teacher: teacher ?? undefined });
 * ```
 */
export async function lotteryTeacher(network: Network, scenario: Scenario, learnedTasks: number, options: LotteryTeacherOptions): Promise<TeacherLogits | null> {
  const pool = scenario.unlabeled;
  if (!pool) return null;
  const tasks = scenario.tasks.slice(0, learnedTasks);
  expectThat(tasks.every((t) => t.exemplars), `lotteryTeacher: every learned task needs exemplars; build the scenario with lifelongCil.`);
  const transform = scenario.tasks[0].transform;
  const indices = tasks.flatMap((t) => Array.from(t.exemplars!.indices));
  const exemplarSplit: TaskSplit = { source: tasks[0].exemplars!.source, indices: Int32Array.from(indices), targets: new Int32Array(indices.length), count: indices.length };
  const e = extractFeatures(network, exemplarSplit, transform, { weight: options.weight });
  const p = extractFeatures(network, pool, transform, { weight: options.weight });
  let rows: Int32Array;
  try {
    rows = await queryNearest(e, p, { perExemplar: options.perExemplar });
  } finally {
    tf.dispose([e, p]);
  }
  const split: TaskSplit = {
    source: pool.source,
    indices: Int32Array.from(rows, (r) => pool.indices[r]),
    targets: new Int32Array(rows.length).fill(-1),
    count: rows.length,
  };
  return teacherLogits(network, split, transform, learnedTasks, { seed: options.seed, weight: options.weight });
}
