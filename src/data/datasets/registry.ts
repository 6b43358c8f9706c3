/**
 * Real datasets by name: one line per dataset, giving its loader and what it holds. Keys match
 * `ImageSet.name` of the loaded data and the names {@link download} accepts.
 *
 * @example
 * ```ts
 * const info = realDatasets['cifar100'];
 * const data = await info.load('data'); // DatasetSplits
 * info.inputShape; // [32, 32, 3]
 * ```
 */
import { expectOneOf } from '../../errors';
import type { DatasetSplits } from '../types';
import { loadCifar10 } from './cifar10';
import { loadCifar100 } from './cifar100';
import { loadFashionMnist } from './fashion-mnist';
import { loadMnist } from './mnist';
import { loadNotMnist } from './notmnist';
import { loadOmniglot } from './omniglot';
import { loadSvhn } from './svhn';
import { loadTinyImageNet } from './tiny-imagenet';

/** What the registry knows about one real dataset. */
export interface RealDatasetInfo {
  /** Loads the splits from a folder the user points to (default options). */
  readonly load: (dir: string) => Promise<DatasetSplits>;
  /** Stored image shape [H, W, C] (Omniglot: after the default resize to 32). */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Official split sizes, for checks and progress bars. */
  readonly trainCount: number;
  readonly testCount: number;
  /** One line on where the data comes from and its layout. */
  readonly description: string;
}

/** The real datasets, by registry name. */
export const realDatasets = Object.freeze({
  mnist: { load: loadMnist, inputShape: [28, 28, 1], numClasses: 10, trainCount: 60000, testCount: 10000, description: 'MNIST digits, IDX files' },
  'fashion-mnist': { load: loadFashionMnist, inputShape: [28, 28, 1], numClasses: 10, trainCount: 60000, testCount: 10000, description: 'Fashion-MNIST clothing, IDX files' },
  cifar10: { load: loadCifar10, inputShape: [32, 32, 3], numClasses: 10, trainCount: 50000, testCount: 10000, description: 'CIFAR-10, binary version' },
  cifar100: { load: loadCifar100, inputShape: [32, 32, 3], numClasses: 100, trainCount: 50000, testCount: 10000, description: 'CIFAR-100, binary version, fine + coarse labels' },
  svhn: { load: loadSvhn, inputShape: [32, 32, 3], numClasses: 10, trainCount: 73257, testCount: 26032, description: 'SVHN cropped digits, MAT files' },
  notmnist: { load: (dir: string) => loadNotMnist(dir), inputShape: [28, 28, 1], numClasses: 10, trainCount: 16851, testCount: 1873, description: 'notMNIST letters A–J, PNG folders (counts approximate: small set less unreadable files, 10 % seeded test split)' },
  omniglot: { load: (dir: string) => loadOmniglot(dir), inputShape: [32, 32, 1], numClasses: 1623, trainCount: 19280, testCount: 13180, description: 'Omniglot characters, background (train) / evaluation (test) PNG folders' },
  'tiny-imagenet': { load: loadTinyImageNet, inputShape: [64, 64, 3], numClasses: 200, trainCount: 100000, testCount: 10000, description: 'Tiny-ImageNet-200 JPEGs, val folder as test' },
} satisfies Record<string, RealDatasetInfo>) as Readonly<Record<RealDatasetName, RealDatasetInfo>>;

/** A key of {@link realDatasets}. */
export type RealDatasetName = 'mnist' | 'fashion-mnist' | 'cifar10' | 'cifar100' | 'svhn' | 'notmnist' | 'omniglot' | 'tiny-imagenet';

/**
 * Loads a real dataset by name from `dir`.
 * @throws UnknownNameError listing the known names, or what the dataset's loader throws
 * @example
 * ```ts
 * const { train, test } = await loadDataset('svhn', 'data/svhn');
 * ```
 */
export async function loadDataset(name: string, dir: string): Promise<DatasetSplits> {
  const key = expectOneOf('dataset', name, Object.keys(realDatasets) as RealDatasetName[]);
  return realDatasets[key].load(dir);
}
