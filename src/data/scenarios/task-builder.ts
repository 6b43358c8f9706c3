/**
 * Shared pieces of the scenario builders: validation policies (methods.md §1.10) and the
 * assembly of a {@link Task} from class lists. Builders differ only in which classes form a
 * task, how labels map and which transform applies.
 */
import { expectInRange, expectThat } from '../../errors';
import { deriveSeed, Rng } from '../../random';
import type { DatasetSplits, ImageSet, InputTransform, Task, TaskSplit } from '../types';

/**
 * How a task's validation rows are taken from its training rows (methods.md §1.10):
 * - `first-fraction`: the first ⌊f·n⌋ rows in source order, unshuffled (Permuted MNIST, f = 0.1);
 * - `random-fraction`: ⌊f·n⌋ rows after a seeded shuffle (5-Datasets, CIFAR-100, f = 0.05);
 * - `per-class-fraction`: ⌊f·n_c⌋ rows of every class after a seeded shuffle (TinyImageNet,
 *   Lifelong Tickets, f = 0.1);
 * - `train`: no hold-out, validate on the training rows (Omniglot Rotation);
 * - `none`: an empty validation split.
 */
export type ValidationPolicy =
  | { readonly kind: 'first-fraction' | 'random-fraction' | 'per-class-fraction'; readonly fraction: number }
  | { readonly kind: 'train' }
  | { readonly kind: 'none' };

/** Checks a validation policy. @throws InvalidArgumentError */
export function _checkValidation(fn: string, policy: ValidationPolicy): ValidationPolicy {
  const kinds = ['first-fraction', 'random-fraction', 'per-class-fraction', 'train', 'none'];
  expectThat(
    typeof policy === 'object' && policy !== null && kinds.includes(policy.kind),
    `${fn}: validation.kind must be one of ${kinds.join(', ')}; got ${JSON.stringify(policy)}.`,
  );
  if ('fraction' in policy) {
    expectInRange(fn, 'validation.fraction', policy.fraction, {
      min: 0,
      max: 1,
      minInclusive: false,
      maxInclusive: false,
      hint: 'Use e.g. 0.05 for 5 %, or { kind: "none" } for no validation split.',
    });
  }
  return policy;
}

/**
 * Splits item positions 0..n−1 (item i has class `itemClass[i]`) into train and validation
 * positions by `policy`; both come back sorted ascending.
 */
export function _holdOut(itemClass: Int32Array, policy: ValidationPolicy, seed: number): { train: Int32Array; val: Int32Array } {
  const n = itemClass.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (policy.kind === 'none') return { train: all, val: new Int32Array(0) };
  if (policy.kind === 'train') return { train: all, val: all };
  const isVal = new Uint8Array(n);
  if (policy.kind === 'first-fraction') {
    isVal.fill(1, 0, Math.floor(policy.fraction * n));
  } else if (policy.kind === 'random-fraction') {
    const order = new Rng(seed).permutation(n);
    for (let i = 0; i < Math.floor(policy.fraction * n); i++) isVal[order[i]] = 1;
  } else {
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const list = byClass.get(itemClass[i]);
      if (list) list.push(i);
      else byClass.set(itemClass[i], [i]);
    }
    for (const [cls, items] of [...byClass].sort((a, b) => a[0] - b[0])) {
      new Rng(deriveSeed(seed, 'class', cls)).shuffle(items);
      for (let i = 0; i < Math.floor(policy.fraction * items.length); i++) isVal[items[i]] = 1;
    }
  }
  return { train: all.filter((i) => !isVal[i]), val: all.filter((i) => isVal[i] === 1) };
}

/** Source rows whose label is in `classes`, in source order. */
export function _rowsOfClasses(set: ImageSet, classes: readonly number[]): Int32Array {
  const wanted = new Uint8Array(set.numClasses);
  for (const c of classes) wanted[c] = 1;
  let count = 0;
  for (let i = 0; i < set.count; i++) count += wanted[set.labels[i]];
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < set.count; i++) if (wanted[set.labels[i]]) rows[k++] = i;
  return rows;
}

/** A TaskSplit over `source` rows with targets from a class → target table. */
export function _makeSplit(
  source: ImageSet,
  indices: Int32Array,
  targetOf: Int32Array,
  rotations?: Uint8Array,
): TaskSplit {
  const targets = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) targets[i] = targetOf[source.labels[indices[i]]];
  return rotations ? { source, indices, targets, rotations, count: indices.length } : { source, indices, targets, count: indices.length };
}

/** Picks positions `pick` out of `rows`. */
export function _pick(rows: Int32Array, pick: Int32Array): Int32Array {
  const out = new Int32Array(pick.length);
  for (let i = 0; i < pick.length; i++) out[i] = rows[pick[i]];
  return out;
}

/** What one task of a class-group scenario needs. */
export interface _TaskSpec {
  readonly index: number;
  readonly name: string;
  readonly classes: readonly number[];
  /** Target of each source class id (−1 for classes outside the task). */
  readonly targetOf: Int32Array;
  readonly headWidth: number;
  readonly transform: InputTransform;
}

/**
 * Builds a task whose train/val rows come from `data.train` and test rows from `data.test`,
 * with validation taken from train by `policy` (seeded per task).
 */
export function _buildTask(data: DatasetSplits, spec: _TaskSpec, policy: ValidationPolicy, seed: number): Task {
  const trainRows = _rowsOfClasses(data.train, spec.classes);
  const itemClass = Int32Array.from(trainRows, (r) => data.train.labels[r]);
  const { train, val } = _holdOut(itemClass, policy, deriveSeed(seed, 'validation', spec.index));
  const trainSplit = _makeSplit(data.train, _pick(trainRows, train), spec.targetOf);
  return {
    index: spec.index,
    name: spec.name,
    classes: spec.classes,
    headWidth: spec.headWidth,
    train: trainSplit,
    val: policy.kind === 'train' ? trainSplit : _makeSplit(data.train, _pick(trainRows, val), spec.targetOf),
    test: _makeSplit(data.test, _rowsOfClasses(data.test, spec.classes), spec.targetOf),
    transform: spec.transform,
  };
}

/** A class → target table of length `numClasses` filled with −1, then `classes[i]` → `offset + i`. */
export function _targetTable(numClasses: number, classes: readonly number[], offset = 0): Int32Array {
  const table = new Int32Array(numClasses).fill(-1);
  classes.forEach((c, i) => (table[c] = offset + i));
  return table;
}

/** Divisors of n, for error hints ("Try 5, 10 or 20."). */
export function _divisorHint(n: number): string {
  const d: number[] = [];
  for (let k = 2; k < n; k++) if (n % k === 0) d.push(k);
  if (d.length === 0) return `Try 1 or ${n}.`;
  const shown = d.slice(0, 6);
  return `Try ${shown.slice(0, -1).join(', ')}${shown.length > 1 ? ' or ' : ''}${shown[shown.length - 1]}.`;
}

/** Checks that train and test agree in image shape and class count. */
export function _checkSplits(fn: string, data: DatasetSplits): void {
  const a = data?.train;
  const b = data?.test;
  expectThat(!!a && !!b, `${fn}: expected DatasetSplits { train, test }; got ${typeof data}.`);
  expectThat(
    a.height === b.height && a.width === b.width && a.channels === b.channels && a.numClasses === b.numClasses,
    `${fn}: train and test of "${a.name}" disagree: ${a.height}x${a.width}x${a.channels}, ${a.numClasses} classes ` +
      `vs ${b.height}x${b.width}x${b.channels}, ${b.numClasses} classes.`,
  );
}
