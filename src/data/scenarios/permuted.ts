/**
 * Permuted MNIST (WSN, methods.md §1.10): every task holds all classes of the dataset under its
 * own seeded pixel permutation, stored in `transform.pixelPermutation` and applied when a batch
 * is made. Every task is permuted (no identity task). The permutations are our own seeded
 * shuffles, not numpy's (methods.md §1.10 data details).
 *
 * Defaults follow the paper: 10 tasks, validation = first 10 % of train unshuffled (6 000 of
 * 60 000), normalisation MNIST (0.1307, 0.3081), local labels, head width = class count.
 */
import { expectPositiveInt, expectThat } from '../../errors';
import { deriveSeed, expectSeed, Rng } from '../../random';
import { resolveNormalization, type NormalizationName } from '../normalizations';
import type { DatasetSplits, Normalization, Scenario, Task } from '../types';
import { _buildTask, _checkSplits, _checkValidation, _targetTable, type ValidationPolicy } from './task-builder';

/** Options of {@link permuted}. */
export interface PermutedOptions {
  /** Number of tasks. Default 10. */
  readonly numTasks?: number;
  /** Validation split. Default first 10 % of train, unshuffled. */
  readonly validation?: ValidationPolicy;
  /** Default `'mnist'` (0.1307, 0.3081). */
  readonly normalization?: NormalizationName | Normalization;
  /** Seed of the permutations (and random validation). Default 0. */
  readonly seed?: number;
}

/** True when `p` is the identity or equals one of `others`. */
function _rejected(p: Int32Array, others: readonly Int32Array[]): boolean {
  if (p.every((v, i) => v === i)) return true;
  return others.some((o) => o.every((v, i) => v === p[i]));
}

/**
 * Builds a permuted-pixels scenario: task t = the whole dataset under permutation π_t.
 * @throws InvalidArgumentError for a bad numTasks, seed, validation or normalisation.
 * @example
 * ```ts
 * const pmnist = permuted(offlineGrey({ seed: 1 }), { numTasks: 10, seed: 7 });
 * pmnist.tasks[3].transform.pixelPermutation; // Int32Array(784)
 * ```
 */
export function permuted(data: DatasetSplits, options: PermutedOptions = {}): Scenario {
  const fn = 'permuted';
  _checkSplits(fn, data);
  const seed = expectSeed(fn, options.seed ?? 0);
  const numTasks = expectPositiveInt(fn, 'numTasks', options.numTasks ?? 10);
  const policy = _checkValidation(fn, options.validation ?? { kind: 'first-fraction', fraction: 0.1 });
  const { height, width, channels, numClasses } = data.train;
  expectThat(height * width > 2, `${fn}: images must have more than 2 pixels to permute; got ${height}x${width}.`);
  const normalization = resolveNormalization(fn, options.normalization ?? 'mnist', channels);
  const classes = Array.from({ length: numClasses }, (_, i) => i);
  const targetOf = _targetTable(numClasses, classes);
  const perms: Int32Array[] = [];
  const tasks: Task[] = [];
  for (let t = 0; t < numTasks; t++) {
    const rng = new Rng(deriveSeed(seed, 'permutation', t));
    let perm = rng.permutation(height * width);
    while (_rejected(perm, perms)) perm = rng.permutation(height * width);
    perms.push(perm);
    const transform = { outputShape: [height, width, channels] as const, normalization, pixelPermutation: perm };
    // With the default first-fraction policy every task validates on the same rows, as in the paper.
    tasks.push(_buildTask(data, { index: t, name: `permutation ${t}`, classes, targetOf, headWidth: numClasses, transform }, policy, seed));
  }
  return { name: `permuted-${data.train.name}`, kind: 'task-il', inputShape: [height, width, channels], tasks, seed };
}
