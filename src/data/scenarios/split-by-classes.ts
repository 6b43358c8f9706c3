/**
 * The common core of class-split scenarios: a class order cut into equal groups, one task per
 * group. Task- and class-incremental builders differ only in label mapping and head width.
 */
import { expectInRange, expectPositiveInt, expectThat } from '../../errors';
import { deriveSeed, expectSeed, Rng } from '../../random';
import { resolveNormalization, unitNormalization, type NormalizationName } from '../normalizations';
import type { DatasetSplits, InputTransform, Normalization, Scenario, Task } from '../types';
import { _buildTask, _checkSplits, _checkValidation, _divisorHint, _targetTable, type ValidationPolicy } from './task-builder';

/** Options shared by {@link taskSplit} and {@link classSplit}. */
export interface ClassSplitOptions {
  /** Number of tasks; must divide the class count. Default 5 for ≤ 10 classes, else 10. */
  readonly numTasks?: number;
  /**
   * Class order: explicit class ids (a permutation of all classes), `'ids'` (0..n−1, WSN's
   * CIFAR-100 Split) or `'seeded'` (a seeded shuffle). Default `'ids'`.
   */
  readonly classOrder?: readonly number[] | 'ids' | 'seeded';
  /** Validation split. Default: taskSplit 5 % random (WSN CIFAR-100 Split), classSplit 10 % per class. */
  readonly validation?: ValidationPolicy;
  /** Normalisation (a name from `normalizations` or explicit). Default [0, 1] scaling. */
  readonly normalization?: NormalizationName | Normalization;
  /** Seed of the class order (when seeded) and validation draws. Default 0. */
  readonly seed?: number;
  /** Scenario name. Default `<kind>-split-<dataset>`. */
  readonly name?: string;
}

/** Checks and returns a class order over `n` classes. */
export function _resolveClassOrder(fn: string, order: ClassSplitOptions['classOrder'], n: number, seed: number): number[] {
  if (order === undefined || order === 'ids') return Array.from({ length: n }, (_, i) => i);
  if (order === 'seeded') return Array.from(new Rng(deriveSeed(seed, 'class-order')).permutation(n));
  expectThat(
    Array.isArray(order) &&
      order.length === n &&
      new Set(order).size === n &&
      order.every((c) => Number.isInteger(c) && c >= 0 && c < n),
    `${fn}: classOrder must be a permutation of the ${n} class ids 0..${n - 1}; got ${JSON.stringify(order)?.slice(0, 80)}. ` +
      `Or pass 'ids' or 'seeded'.`,
  );
  return [...order];
}

/** Builds the tasks of a class split. Internal: the public builders call it. */
export function _splitByClasses(
  fn: string,
  data: DatasetSplits,
  options: ClassSplitOptions,
  kind: 'task-il' | 'class-il',
  labels: 'local' | 'global',
  defaults: { numTasks?: number; validation: ValidationPolicy },
): Scenario {
  _checkSplits(fn, data);
  const seed = expectSeed(fn, options.seed ?? 0);
  const n = data.train.numClasses;
  const numTasks = expectPositiveInt(fn, 'numTasks', options.numTasks ?? defaults.numTasks ?? (n <= 10 ? 5 : 10));
  expectInRange(fn, 'numTasks', numTasks, { max: n, integer: true, hint: `"${data.train.name}" has ${n} classes.` });
  expectThat(
    n % numTasks === 0,
    `${fn}: numTasks must divide the ${n} classes of "${data.train.name}"; got ${numTasks}. ${_divisorHint(n)}`,
  );
  const policy = _checkValidation(fn, options.validation ?? defaults.validation);
  const order = _resolveClassOrder(fn, options.classOrder, n, seed);
  const { height, width, channels } = data.train;
  const transform: InputTransform = {
    outputShape: [height, width, channels],
    normalization: resolveNormalization(fn, options.normalization ?? unitNormalization(channels), channels),
  };
  const k = n / numTasks;
  const tasks: Task[] = [];
  for (let t = 0; t < numTasks; t++) {
    const classes = order.slice(t * k, (t + 1) * k);
    // Class-IL and global-label task-IL: target = position in the class order.
    const targetOf =
      labels === 'local' ? _targetTable(n, classes) : _targetTable(n, order.slice(0, (t + 1) * k));
    const headWidth = kind === 'class-il' ? k : labels === 'local' ? k : n;
    const name = data.train.classNames ? classes.map((c) => data.train.classNames![c]).join(', ') : `classes ${classes.join(', ')}`;
    tasks.push(_buildTask(data, { index: t, name, classes, targetOf, headWidth, transform }, policy, seed));
  }
  return {
    name: options.name ?? `${kind === 'task-il' ? 'task' : 'class'}-split-${data.train.name}`,
    kind,
    inputShape: transform.outputShape,
    tasks,
    seed,
  };
}
