/**
 * CIFAR-100 Superclass (WSN, methods.md §1.10): one task per coarse superclass (order 0..19 by
 * default), holding its fine classes (5 each). Global labels by default (methods.md P5): target =
 * k·task + rank of the fine class inside its superclass (ranks by ascending fine id), head width
 * = class count (100). Images scaled to [0, 1], no mean/std; validation 5 % random (seeded).
 */
import { expectThat } from '../../errors';
import { expectSeed } from '../../random';
import { resolveNormalization, unitNormalization, type NormalizationName } from '../normalizations';
import type { DatasetSplits, InputTransform, Normalization, Scenario, Task } from '../types';
import { _buildTask, _checkSplits, _checkValidation, type ValidationPolicy } from './task-builder';

/** Options of {@link superclassSplit}. */
export interface SuperclassOptions {
  /** Order of the superclasses (a permutation of their ids). Default 0..S−1. */
  readonly superclassOrder?: readonly number[];
  /** `'global'` (default, WSN) or `'local'` targets 0..k−1 with head width k. */
  readonly labels?: 'local' | 'global';
  /** Default 5 % random. */
  readonly validation?: ValidationPolicy;
  /** Default [0, 1] scaling. */
  readonly normalization?: NormalizationName | Normalization;
  /** Seed of the validation draws. Default 0. */
  readonly seed?: number;
}

/**
 * Builds one task per superclass from data with `coarseLabels`.
 * @throws InvalidArgumentError without coarse labels, when a fine class sits in two
 *   superclasses, when superclasses differ in size, or for a bad order.
 * @example
 * ```ts
 * const sc = superclassSplit(offlineRgb({ seed: 1 })); // 20 tasks × 5 classes
 * ```
 */
export function superclassSplit(data: DatasetSplits, options: SuperclassOptions = {}): Scenario {
  const fn = 'superclassSplit';
  _checkSplits(fn, data);
  const seed = expectSeed(fn, options.seed ?? 0);
  const { train } = data;
  expectThat(
    !!train.coarseLabels && !!data.test.coarseLabels,
    `${fn}: "${train.name}" has no coarseLabels on train and test; load a dataset with superclasses (CIFAR-100, offline-rgb).`,
  );
  const coarseOf = new Int32Array(train.numClasses).fill(-1);
  for (const set of [train, data.test]) {
    for (let i = 0; i < set.count; i++) {
      const fine = set.labels[i];
      const coarse = set.coarseLabels![i];
      expectThat(
        coarseOf[fine] === -1 || coarseOf[fine] === coarse,
        `${fn}: fine class ${fine} of "${set.name}" appears in superclasses ${coarseOf[fine]} and ${coarse}.`,
      );
      coarseOf[fine] = coarse;
    }
  }
  const numSuper = Math.max(...coarseOf) + 1;
  const members: number[][] = Array.from({ length: numSuper }, () => []);
  coarseOf.forEach((s, fine) => s >= 0 && members[s].push(fine));
  const k = members[0].length;
  expectThat(
    members.every((m) => m.length === k && k > 0),
    `${fn}: superclasses must have equal sizes; got ${JSON.stringify(members.map((m) => m.length))}.`,
  );
  const order = options.superclassOrder ? [...options.superclassOrder] : members.map((_, s) => s);
  expectThat(
    order.length === numSuper && new Set(order).size === numSuper && order.every((s) => Number.isInteger(s) && s >= 0 && s < numSuper),
    `${fn}: superclassOrder must be a permutation of 0..${numSuper - 1}; got ${JSON.stringify(order)}.`,
  );
  const policy = _checkValidation(fn, options.validation ?? { kind: 'random-fraction', fraction: 0.05 });
  const global = (options.labels ?? 'global') === 'global';
  const transform: InputTransform = {
    outputShape: [train.height, train.width, train.channels],
    normalization: resolveNormalization(fn, options.normalization ?? unitNormalization(train.channels), train.channels),
  };
  const tasks: Task[] = order.map((s, t) => {
    const classes = members[s]; // ascending fine ids: rank = position
    const targetOf = new Int32Array(train.numClasses).fill(-1);
    classes.forEach((c, rank) => (targetOf[c] = (global ? k * t : 0) + rank));
    const name = `superclass ${s}${train.classNames ? ` (${classes.map((c) => train.classNames![c]).join(', ')})` : ''}`;
    return _buildTask(data, { index: t, name, classes, targetOf, headWidth: global ? train.numClasses : k, transform }, policy, seed);
  });
  return { name: `superclass-${train.name}`, kind: 'task-il', inputShape: transform.outputShape, tasks, seed };
}
