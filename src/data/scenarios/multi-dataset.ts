/**
 * Multi-dataset sequences (5-Datasets, WSN, methods.md §1.10): one task per dataset, local
 * labels, each with its own normalisation. Smaller images are zero-padded to the common size
 * (MNIST 28→32 by 2 on each side) and grey images copied to every channel, when a batch is made.
 *
 * {@link fiveDatasets} fixes the paper's order (CIFAR-10, MNIST, SVHN, Fashion-MNIST, notMNIST)
 * and normalisations (WSN five_datasets.py; MNIST/FMNIST statistics include the padding);
 * validation 5 % random (seeded) per dataset.
 */
import { expectThat } from '../../errors';
import { expectSeed } from '../../random';
import { resolveNormalization, type NormalizationName } from '../normalizations';
import type { DatasetSplits, InputTransform, Normalization, Scenario, Task } from '../types';
import { _buildTask, _checkSplits, _checkValidation, type ValidationPolicy } from './task-builder';

/** One dataset of a sequence. */
export interface DatasetEntry {
  readonly data: DatasetSplits;
  readonly normalization: NormalizationName | Normalization;
  /** Task name. Default the dataset name. */
  readonly name?: string;
}

/** Options of {@link multiDataset}. */
export interface MultiDatasetOptions {
  /** Default 5 % random. */
  readonly validation?: ValidationPolicy;
  /** Seed of the validation draws. Default 0. */
  readonly seed?: number;
  /** Scenario name. Default `multi-dataset`. */
  readonly name?: string;
}

/**
 * Builds a task-incremental sequence of whole datasets at a common input shape
 * (largest height/width and channel count among them).
 * @throws InvalidArgumentError when padding cannot reach the common size evenly, for
 *   non-square size differences or channel counts other than 1 or the common count.
 * @example
 * ```ts
 * const seq = multiDataset([{ data: rgb, normalization: 'cifar10-5datasets' }, { data: grey, normalization: 'mnist-5datasets' }]);
 * ```
 */
export function multiDataset(entries: readonly DatasetEntry[], options: MultiDatasetOptions = {}): Scenario {
  const fn = 'multiDataset';
  expectThat(Array.isArray(entries) && entries.length > 0, `${fn}: expected a non-empty list of datasets; got ${JSON.stringify(entries)}.`);
  const seed = expectSeed(fn, options.seed ?? 0);
  const policy = _checkValidation(fn, options.validation ?? { kind: 'random-fraction', fraction: 0.05 });
  entries.forEach((e) => _checkSplits(fn, e.data));
  const H = Math.max(...entries.map((e) => e.data.train.height));
  const W = Math.max(...entries.map((e) => e.data.train.width));
  const C = Math.max(...entries.map((e) => e.data.train.channels));
  const tasks: Task[] = entries.map((entry, t) => {
    const { height, width, channels, numClasses, name } = entry.data.train;
    const pad = (H - height) / 2;
    expectThat(
      Number.isInteger(pad) && W - width === H - height,
      `${fn}: "${name}" is ${height}x${width}; the common size ${H}x${W} needs equal, even padding on every side.`,
    );
    expectThat(channels === C || channels === 1, `${fn}: "${name}" has ${channels} channels; expected 1 or ${C}.`);
    const transform: InputTransform = {
      outputShape: [H, W, C],
      normalization: resolveNormalization(fn, entry.normalization, C),
      ...(pad > 0 ? { pad } : {}),
    };
    const classes = Array.from({ length: numClasses }, (_, i) => i);
    const targetOf = Int32Array.from(classes);
    return _buildTask(entry.data, { index: t, name: entry.name ?? name, classes, targetOf, headWidth: numClasses, transform }, policy, seed);
  });
  return { name: options.name ?? 'multi-dataset', kind: 'task-il', inputShape: [H, W, C], tasks, seed };
}

/** The five datasets of 5-Datasets. */
export interface FiveDatasetsInput {
  readonly cifar10: DatasetSplits;
  readonly mnist: DatasetSplits;
  readonly svhn: DatasetSplits;
  readonly fashionMnist: DatasetSplits;
  readonly notMnist: DatasetSplits;
}

/**
 * 5-Datasets in the paper's order and normalisations, at 32×32×3.
 * @throws InvalidArgumentError as {@link multiDataset}.
 * @example
 * ```ts
 * const five = fiveDatasets({ cifar10, mnist, svhn, fashionMnist, notMnist }, { seed: 0 });
 * ```
 */
export function fiveDatasets(data: FiveDatasetsInput, options: MultiDatasetOptions = {}): Scenario {
  return multiDataset(
    [
      { data: data.cifar10, normalization: 'cifar10-5datasets', name: 'cifar10' },
      { data: data.mnist, normalization: 'mnist-5datasets', name: 'mnist' },
      { data: data.svhn, normalization: 'svhn-5datasets', name: 'svhn' },
      { data: data.fashionMnist, normalization: 'fashion-mnist-5datasets', name: 'fashion-mnist' },
      { data: data.notMnist, normalization: 'notmnist-5datasets', name: 'notmnist' },
    ],
    { name: '5-datasets', ...options },
  );
}
