/**
 * Lottery teaching (Chen et al., ICLR 2021), methods.md §2.3: before task k, distil the current
 * model on external unlabeled images that look like the stored exemplars.
 * 1. Pooled features (inference mode, no augmentation) of the pool and of the exemplars.
 * 2. Greedy de-duplicated query: for each exemplar in turn, its `perExemplar` (50) nearest pool
 *    images by squared Euclidean distance not taken by an earlier exemplar.
 * 3. Fixed teacher logits of both branches over the k−1 learned tasks, on the selected images
 *    with the training augmentation applied once.
 * The query itself lives in nearest-query.ts (one matMul + `tf.topk` per chunk of exemplars).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { InputTransform, Scenario, TaskSplit } from '../data/types';
import { expectThat } from '../errors';
import { deriveSeed, expectSeed } from '../random';
import type { ForwardOptions, Network } from '../models/types';
import type { TeacherLogits } from './cil-train';
import { prepareQueryPool, queryNearest } from './nearest-query';

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
  let rows: Int32Array;
  try {
    const p = extractFeatures(network, pool, transform, { weight: options.weight });
    // One backend copy of the pool during the query: the prepared operand, not the features.
    const prepared = (() => {
      try {
        return prepareQueryPool(p);
      } finally {
        p.dispose();
      }
    })();
    try {
      rows = await queryNearest(e, prepared, { perExemplar: options.perExemplar });
    } finally {
      prepared.dispose();
    }
  } finally {
    e.dispose();
  }
  const split: TaskSplit = {
    source: pool.source,
    indices: Int32Array.from(rows, (r) => pool.indices[r]),
    targets: new Int32Array(rows.length).fill(-1),
    count: rows.length,
  };
  return teacherLogits(network, split, transform, learnedTasks, { seed: options.seed, weight: options.weight });
}
