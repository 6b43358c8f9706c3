/**
 * Omniglot Rotation (WSN, methods.md §1.10): each of the first `numTasks·classesPerTask`
 * characters is one class holding its drawings and their 90/180/270° rotations (quarter turns
 * counter-clockwise, stored per row in `TaskSplit.rotations` and applied when a batch is made).
 * Per class the drawings×rotations are shuffled (seeded) and split into train and test
 * (20 drawings × 4 rotations → 60 train / 20 test). Task t holds classes t·k..t·k+k−1 with
 * local labels 0..k−1. The paper validates on the training set (`{ kind: 'train' }`).
 *
 * Input is one ImageSet of all characters (Omniglot background + evaluation in a fixed order);
 * images must be square. Images are scaled to [0, 1] by default.
 */
import { expectInRange, expectPositiveInt, expectThat } from '../../errors';
import { deriveSeed, expectSeed, Rng } from '../../random';
import { resolveNormalization, unitNormalization, type NormalizationName } from '../normalizations';
import type { ImageSet, InputTransform, Normalization, Scenario, Task, TaskSplit } from '../types';
import { _checkValidation, _divisorHint, _holdOut, type ValidationPolicy } from './task-builder';

/** Options of {@link rotated}. */
export interface RotatedOptions {
  /** Number of tasks. Default 100. */
  readonly numTasks?: number;
  /** Classes (characters) per task. Default 12. */
  readonly classesPerTask?: number;
  /** Drawings used per character (the first ones in source order). Default 20. */
  readonly drawingsPerClass?: number;
  /** Quarter turns making up a class. Default [0, 1, 2, 3]. */
  readonly rotations?: readonly number[];
  /** Fraction of a class's drawings×rotations used for training. Default 0.75 (60 of 80). */
  readonly trainFraction?: number;
  /** Validation split, taken from the training rows. Default `{ kind: 'train' }`. */
  readonly validation?: ValidationPolicy;
  /** Default [0, 1] scaling. */
  readonly normalization?: NormalizationName | Normalization;
  /** Seed of the per-class shuffles. Default 0. */
  readonly seed?: number;
}

/**
 * Builds a rotation scenario from one set of characters.
 * @throws InvalidArgumentError for too few classes or drawings, non-square images, bad
 *   rotations, fractions or seed.
 * @example
 * ```ts
 * const omni = rotated(offlineGrey({ seed: 1, numClasses: 24, trainCount: 480, testCount: 0, size: 32 }).train,
 *   { numTasks: 2, classesPerTask: 12 });
 * ```
 */
export function rotated(data: ImageSet, options: RotatedOptions = {}): Scenario {
  const fn = 'rotated';
  const seed = expectSeed(fn, options.seed ?? 0);
  const numTasks = expectPositiveInt(fn, 'numTasks', options.numTasks ?? 100);
  const k = expectPositiveInt(fn, 'classesPerTask', options.classesPerTask ?? 12);
  const drawings = expectPositiveInt(fn, 'drawingsPerClass', options.drawingsPerClass ?? 20);
  const turns = options.rotations ?? [0, 1, 2, 3];
  expectThat(
    turns.length > 0 && new Set(turns).size === turns.length && turns.every((r) => [0, 1, 2, 3].includes(r)),
    `${fn}: rotations must be distinct quarter-turn counts from 0..3; got ${JSON.stringify(turns)}.`,
  );
  const trainFraction = expectInRange(fn, 'trainFraction', options.trainFraction ?? 0.75, {
    min: 0,
    max: 1,
    minInclusive: false,
    maxInclusive: false,
  });
  const policy = _checkValidation(fn, options.validation ?? { kind: 'train' });
  const needed = numTasks * k;
  expectThat(
    data.numClasses >= needed,
    `${fn}: ${numTasks} tasks × ${k} classes need ${needed} classes; "${data.name}" has ${data.numClasses}. ` +
      `Lower numTasks or classesPerTask (${data.numClasses} = ${_divisorHint(data.numClasses)}).`,
  );
  expectThat(data.height === data.width, `${fn}: rotations need square images; "${data.name}" is ${data.height}x${data.width}.`);

  // First `drawings` rows of every used class, in source order.
  const rowsOf: number[][] = Array.from({ length: needed }, () => []);
  for (let i = 0; i < data.count; i++) {
    const c = data.labels[i];
    if (c < needed && rowsOf[c].length < drawings) rowsOf[c].push(i);
  }
  const short = rowsOf.findIndex((r) => r.length < drawings);
  expectThat(
    short < 0,
    `${fn}: class ${short} of "${data.name}" has ${rowsOf[Math.max(0, short)].length} images; drawingsPerClass is ${drawings}. Lower drawingsPerClass.`,
  );
  const perClass = drawings * turns.length;
  const nTrain = Math.round(trainFraction * perClass);
  expectThat(
    nTrain > 0 && nTrain < perClass,
    `${fn}: trainFraction ${trainFraction} of ${perClass} images per class leaves an empty train or test split.`,
  );
  const transform: InputTransform = {
    outputShape: [data.height, data.width, data.channels],
    normalization: resolveNormalization(fn, options.normalization ?? unitNormalization(data.channels), data.channels),
  };

  const tasks: Task[] = [];
  for (let t = 0; t < numTasks; t++) {
    const parts = { train: [] as number[][], test: [] as number[][] }; // [index, turns, target]
    for (let j = 0; j < k; j++) {
      const c = t * k + j;
      const items = rowsOf[c].flatMap((row) => turns.map((r) => [row, r, j]));
      new Rng(deriveSeed(seed, 'class', c)).shuffle(items);
      parts.train.push(...items.slice(0, nTrain));
      parts.test.push(...items.slice(nTrain));
    }
    const split = (items: number[][]): TaskSplit => ({
      source: data,
      indices: Int32Array.from(items, (it) => it[0]),
      rotations: Uint8Array.from(items, (it) => it[1]),
      targets: Int32Array.from(items, (it) => it[2]),
      count: items.length,
    });
    const { train, val } = _holdOut(Int32Array.from(parts.train, (it) => it[2]), policy, deriveSeed(seed, 'validation', t));
    const trainSplit = split(Array.from(train, (i) => parts.train[i]));
    const classes = Array.from({ length: k }, (_, j) => t * k + j);
    tasks.push({
      index: t,
      name: data.classNames ? classes.map((c) => data.classNames![c]).join(', ') : `characters ${t * k}–${t * k + k - 1}`,
      classes,
      headWidth: k,
      train: trainSplit,
      val: policy.kind === 'train' ? trainSplit : split(Array.from(val, (i) => parts.train[i])),
      test: split(parts.test),
      transform,
    });
  }
  return { name: `rotated-${data.name}`, kind: 'task-il', inputShape: transform.outputShape, tasks, seed };
}
