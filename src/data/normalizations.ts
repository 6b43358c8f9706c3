/**
 * Per-channel normalisations used by the papers' data pipelines (methods.md §1.10, §2.1), as
 * mean/std of u8/255. Keys say the dataset and, where two protocols disagree, the protocol.
 *
 * Sources: WSN `dataloader/five_datasets.py` (5-Datasets: MNIST and Fashion-MNIST statistics
 * include the 2-pixel zero padding), `pmnist.py` (MNIST), `cifar100.py` (CIFAR-100 Split),
 * Lifelong-Learning-LTH (CIFAR-10/100 with augmentation), torchvision (ImageNet).
 *
 * @example
 * ```ts
 * const norm = normalizations['mnist']; // { mean: [0.1307], std: [0.3081] }
 * ```
 */
import { expectOneOf, expectThat } from '../errors';
import type { Normalization } from './types';

const cifarSplit = Object.freeze({
  mean: [125.3 / 255, 123.0 / 255, 113.9 / 255],
  std: [63.0 / 255, 62.1 / 255, 66.7 / 255],
});

/** Known normalisations, keyed by `<dataset>[-<protocol>]`. */
export const normalizations = Object.freeze({
  /** MNIST, Permuted MNIST (WSN pmnist.py). */
  mnist: Object.freeze({ mean: [0.1307], std: [0.3081] }),
  /** MNIST zero-padded 28→32, statistics including the padding (5-Datasets). */
  'mnist-5datasets': Object.freeze({ mean: [0.1], std: [0.2752] }),
  /** Fashion-MNIST zero-padded 28→32, including the padding (5-Datasets). */
  'fashion-mnist-5datasets': Object.freeze({ mean: [0.219], std: [0.3318] }),
  /** notMNIST A–J (5-Datasets). */
  'notmnist-5datasets': Object.freeze({ mean: [0.4254], std: [0.4501] }),
  /** SVHN (5-Datasets). */
  'svhn-5datasets': Object.freeze({ mean: [0.4377, 0.4438, 0.4728], std: [0.198, 0.201, 0.197] }),
  /** CIFAR-10 in 5-Datasets: the CIFAR-100 Split statistics. */
  'cifar10-5datasets': cifarSplit,
  /** CIFAR-100 Split (WSN): mean (125.3, 123.0, 113.9)/255, std (63.0, 62.1, 66.7)/255. */
  'cifar100-split': cifarSplit,
  /** CIFAR-10 in the Lifelong-Tickets code. */
  'cifar10-lifelong': Object.freeze({ mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] }),
  /** CIFAR-100 in the Lifelong-Tickets code. */
  'cifar100-lifelong': Object.freeze({ mean: [0.5071, 0.4866, 0.4409], std: [0.2009, 0.1984, 0.2023] }),
  /** ImageNet statistics (TinyImageNet in WSN). */
  imagenet: Object.freeze({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }),
} satisfies Record<string, Normalization>);

/** A key of {@link normalizations}. */
export type NormalizationName = keyof typeof normalizations;

/** Scaling to [0, 1] only (mean 0, std 1), e.g. CIFAR-100 Superclass and Omniglot. */
export function unitNormalization(channels: number): Normalization {
  return { mean: new Array<number>(channels).fill(0), std: new Array<number>(channels).fill(1) };
}

/**
 * Looks up a normalisation by name, or checks a given one.
 * @throws UnknownNameError for an unknown name; InvalidArgumentError for a std ≤ 0 or a length
 *   that is neither 1 nor `channels`.
 */
export function resolveNormalization(
  fn: string,
  value: NormalizationName | Normalization,
  channels: number,
): Normalization {
  const norm: Normalization =
    typeof value === 'string'
      ? normalizations[expectOneOf('normalization', value, Object.keys(normalizations) as NormalizationName[])]
      : value;
  const ok = (a: readonly number[]) => Array.isArray(a) && (a.length === 1 || a.length === channels);
  expectThat(
    ok(norm.mean) && ok(norm.std) && norm.mean.length === norm.std.length,
    `${fn}: normalization mean and std must both have 1 or ${channels} entries; got mean ${JSON.stringify(norm.mean)}, std ${JSON.stringify(norm.std)}.`,
  );
  expectThat(
    norm.std.every((s) => Number.isFinite(s) && s > 0) && norm.mean.every(Number.isFinite),
    `${fn}: normalization std must be positive and mean finite; got std ${JSON.stringify(norm.std)}.`,
  );
  return norm;
}
