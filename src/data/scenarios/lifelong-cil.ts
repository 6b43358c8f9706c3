/**
 * The Lifelong-Tickets class-incremental protocol (Chen et al. 2021, methods.md §2.1):
 * - classes in a fixed order (CIFAR-10 code order 9, 8, 7, 1, 5, 0, 3, 4, 6, 2; otherwise a
 *   seeded permutation, as the code draws for CIFAR-100), cut into equal tasks;
 * - targets re-indexed by position in that order (task t holds t·k..t·k+k−1), no task id at test;
 * - per class: a seeded validation hold-out from train (10 %, i.e. 4 500 / 500 on CIFAR) and
 *   the official test images;
 * - per class a fixed exemplar set (seeded, drawn from the class's training rows, never
 *   re-selected; no herding) in `task.exemplars`, replayed while later tasks train. The code's
 *   file name `*_save_100` suggests 100 per class; the exact count is not stated (notes O6);
 * - an optional unlabeled pool in `scenario.unlabeled` (targets −1; the paper uses 150 000
 *   images from 80 Million Tiny Images).
 * Normalisation: the code's CIFAR-10 / CIFAR-100 statistics (by class count), augmentation is
 * the batch option (crop 32 pad 4 + flip).
 */
import { expectInRange, expectPositiveInt, expectThat } from '../../errors';
import { deriveSeed, expectSeed, Rng } from '../../random';
import { resolveNormalization, unitNormalization, type NormalizationName } from '../normalizations';
import type { DatasetSplits, ImageSet, Normalization, Scenario, Task } from '../types';
import { _resolveClassOrder } from './split-by-classes';
import { _divisorHint, _makeSplit, _rowsOfClasses } from './task-builder';

/** The Lifelong-Tickets code's CIFAR-10 class order. */
export const lifelongCifar10Order: readonly number[] = Object.freeze([9, 8, 7, 1, 5, 0, 3, 4, 6, 2]);

/** Options of {@link lifelongCil}. */
export interface LifelongCilOptions {
  /** Tasks. Default 5 for 10 classes, else 10. */
  readonly numTasks?: number;
  /** Explicit order, `'ids'` or `'seeded'`. Default the code's order for 10 classes, else seeded. */
  readonly classOrder?: readonly number[] | 'ids' | 'seeded';
  /** Fraction of each class's train images held out for validation. Default 0.1. */
  readonly valFraction?: number;
  /** Fixed exemplars per class (from its training rows). Default 100. */
  readonly exemplarsPerClass?: number;
  /** Unlabeled pool (same image shape). Default none. */
  readonly unlabeled?: ImageSet;
  /** Use only this many pool images (a seeded sample). Default all. */
  readonly unlabeledCount?: number;
  /** Default `'cifar10-lifelong'` for 10 classes, `'cifar100-lifelong'` for 100, else [0, 1]. */
  readonly normalization?: NormalizationName | Normalization;
  /** Seed of order, hold-outs, exemplars and pool sample. Default 0. */
  readonly seed?: number;
}

/**
 * Builds the Lifelong-Tickets class-incremental scenario.
 * @throws InvalidArgumentError when numTasks does not divide the classes, a class has fewer
 *   training images than exemplars, the pool's image shape differs, or for bad fractions.
 * @example
 * ```ts
 * const cil = lifelongCil(cifar10, { unlabeled: pool, exemplarsPerClass: 100, seed: 0 });
 * cil.tasks[1].exemplars?.count; // 200: exemplars of the 2 classes of task 2
 * ```
 */
export function lifelongCil(data: DatasetSplits, options: LifelongCilOptions = {}): Scenario {
  const fn = 'lifelongCil';
  const seed = expectSeed(fn, options.seed ?? 0);
  const { train, test } = data;
  const n = train.numClasses;
  const numTasks = expectPositiveInt(fn, 'numTasks', options.numTasks ?? (n <= 10 ? 5 : 10));
  expectThat(n % numTasks === 0, `${fn}: numTasks must divide the ${n} classes of "${train.name}"; got ${numTasks}. ${_divisorHint(n)}`);
  const valFraction = expectInRange(fn, 'valFraction', options.valFraction ?? 0.1, { min: 0, max: 1, maxInclusive: false });
  const exemplars = expectInRange(fn, 'exemplarsPerClass', options.exemplarsPerClass ?? 100, { min: 0, integer: true });
  const order = _resolveClassOrder(fn, options.classOrder ?? (n === 10 ? lifelongCifar10Order : 'seeded'), n, seed);
  const normName: NormalizationName | undefined = n === 10 ? 'cifar10-lifelong' : n === 100 ? 'cifar100-lifelong' : undefined;
  const normalization = resolveNormalization(fn, options.normalization ?? normName ?? unitNormalization(train.channels), train.channels);
  const transform = { outputShape: [train.height, train.width, train.channels] as const, normalization };
  const targetOf = _targetOfOrder(n, order);
  const k = n / numTasks;

  const tasks: Task[] = [];
  for (let t = 0; t < numTasks; t++) {
    const classes = order.slice(t * k, (t + 1) * k);
    const parts = { train: [] as number[], val: [] as number[], exemplars: [] as number[] };
    for (const c of classes) {
      const rows = Array.from(_rowsOfClasses(train, [c]));
      new Rng(deriveSeed(seed, 'class', c)).shuffle(rows);
      const nVal = Math.floor(valFraction * rows.length);
      const trainRows = rows.slice(nVal).sort((a, b) => a - b);
      expectThat(
        exemplars <= trainRows.length,
        `${fn}: class ${c} has ${trainRows.length} training images after validation; exemplarsPerClass is ${exemplars}. Lower exemplarsPerClass.`,
      );
      parts.val.push(...rows.slice(0, nVal).sort((a, b) => a - b));
      parts.train.push(...trainRows);
      const pick = new Rng(deriveSeed(seed, 'exemplars', c)).sample(trainRows.length, exemplars);
      parts.exemplars.push(...Array.from(pick, (i) => trainRows[i]).sort((a, b) => a - b));
    }
    tasks.push({
      index: t,
      name: train.classNames ? classes.map((c) => train.classNames![c]).join(', ') : `classes ${classes.join(', ')}`,
      classes,
      headWidth: k,
      train: _makeSplit(train, Int32Array.from(parts.train), targetOf),
      val: _makeSplit(train, Int32Array.from(parts.val), targetOf),
      test: _makeSplit(test, _rowsOfClasses(test, classes), targetOf),
      transform,
      exemplars: _makeSplit(train, Int32Array.from(parts.exemplars), targetOf),
    });
  }
  const scenario: Scenario = { name: `lifelong-cil-${train.name}`, kind: 'class-il', inputShape: transform.outputShape, tasks, seed };
  return options.unlabeled ? { ...scenario, unlabeled: _unlabeledPool(fn, options.unlabeled, train, options.unlabeledCount, seed) } : scenario;
}

function _targetOfOrder(n: number, order: readonly number[]): Int32Array {
  const table = new Int32Array(n);
  order.forEach((c, i) => (table[c] = i));
  return table;
}

function _unlabeledPool(fn: string, pool: ImageSet, like: ImageSet, count: number | undefined, seed: number) {
  expectThat(
    pool.height === like.height && pool.width === like.width && pool.channels === like.channels,
    `${fn}: unlabeled pool "${pool.name}" is ${pool.height}x${pool.width}x${pool.channels}; the data is ${like.height}x${like.width}x${like.channels}.`,
  );
  const n = count === undefined ? pool.count : expectInRange(fn, 'unlabeledCount', count, { min: 1, max: pool.count, integer: true });
  const indices = n === pool.count ? Int32Array.from({ length: n }, (_, i) => i) : new Rng(deriveSeed(seed, 'unlabeled')).sample(pool.count, n).sort();
  return { source: pool, indices, targets: new Int32Array(n).fill(-1), count: n };
}
