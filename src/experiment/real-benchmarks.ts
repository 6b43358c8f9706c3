/**
 * The six WSN benchmarks on real data, with the official code's settings as defaults
 * (methods.md §1.10): architectures, epoch caps, batch sizes, lr → lr_min, validation splits
 * and label conventions (P5: global labels for CIFAR-100 Split, Superclass and TinyImageNet,
 * local for the others). Data are read from `dataDir/<dataset>/` with the src/data loaders.
 */
import * as path from 'node:path';
import { loadCifar10 } from '../data/datasets/cifar10';
import { loadCifar100 } from '../data/datasets/cifar100';
import { loadFashionMnist } from '../data/datasets/fashion-mnist';
import { loadMnist } from '../data/datasets/mnist';
import { loadNotMnist } from '../data/datasets/notmnist';
import { loadOmniglot } from '../data/datasets/omniglot';
import { loadSvhn } from '../data/datasets/svhn';
import { loadTinyImageNet } from '../data/datasets/tiny-imagenet';
import { fiveDatasets } from '../data/scenarios/multi-dataset';
import { permuted } from '../data/scenarios/permuted';
import { rotated } from '../data/scenarios/rotated';
import { superclassSplit } from '../data/scenarios/superclass-split';
import { taskSplit } from '../data/scenarios/task-split';
import type { DatasetSplits, ImageSet, Scenario } from '../data/types';
import { InvalidArgumentError } from '../errors';
import type { Benchmark, BenchmarkOptions } from './benchmark-types';

/** The last loaded dataset, kept so that several methods and seeds load it once. */
let lastLoaded: { key: string; data: Promise<DatasetSplits> } | null = null;

function load(name: string, dataDir: string | undefined, loader: (dir: string) => Promise<DatasetSplits>, benchmark: string): Promise<DatasetSplits> {
  if (!dataDir) {
    throw new InvalidArgumentError(
      `${benchmark}: this benchmark reads real data; pass dataDir (a folder holding ${name}/). Offline benchmarks: offline-permuted, offline-split.`,
    );
  }
  const dir = path.join(dataDir, name);
  const key = `${name}\u0000${path.resolve(dir)}`;
  if (lastLoaded?.key !== key) {
    const data = loader(dir);
    lastLoaded = { key, data };
    data.catch(() => (lastLoaded = lastLoaded?.key === key ? null : lastLoaded));
  }
  return lastLoaded!.data;
}

/** Keeps the first `n` tasks of a scenario with a fixed task list. */
export function _firstTasks(scenario: Scenario, n: number, benchmark: string): Scenario {
  if (!Number.isInteger(n) || n < 1 || n > scenario.tasks.length) {
    throw new InvalidArgumentError(`${benchmark}: numTasks must be an integer in [1, ${scenario.tasks.length}]; got ${n}.`);
  }
  return n === scenario.tasks.length ? scenario : { ...scenario, tasks: scenario.tasks.slice(0, n) };
}

/** Training protocol defaults shared by every WSN benchmark (§1.5). */
const protocol = { learningRate: 1e-3, patience: 6, augment: false } as const;

/** Permuted MNIST: 10 tasks, MLP 784-100-100 (option `hidden`), 5 epochs, batch 10, lr 1e-3 → 1e-6, val first 10 %. */
export const pmnistBenchmark: Benchmark = {
  name: 'pmnist',
  description: 'Permuted MNIST, 10 tasks × 10 classes, MLP 784-100-100 (WSN Table 1)',
  offline: false,
  inputShape: [28, 28, 1],
  defaults: { ...protocol, architecture: 'mlp', epochs: 5, batchSize: 10, testBatchSize: 10, lrMin: 1e-6, numTasks: 10, hidden: '100,100' },
  async scenario(o, seed, dataDir) {
    return permuted(await load('mnist', dataDir, loadMnist, 'pmnist'), { numTasks: o.numTasks, seed });
  },
};

/** 5-Datasets: CIFAR-10, MNIST, SVHN, Fashion-MNIST, notMNIST; reduced ResNet-18 (option `nf`, base width); 100 epochs, 64/64, lr → 1e-5. */
export const fiveDatasetsBenchmark: Benchmark = {
  name: 'five-datasets',
  description: '5-Datasets (CIFAR-10, MNIST, SVHN, Fashion-MNIST, notMNIST), reduced ResNet-18 (WSN Table 1)',
  offline: false,
  inputShape: [32, 32, 3],
  defaults: { ...protocol, architecture: 'resnet18-reduced', epochs: 100, batchSize: 64, testBatchSize: 64, lrMin: 1e-5, numTasks: 5, nf: 20 },
  async scenario(o, seed, dataDir) {
    const get = (name: string, loader: (dir: string) => Promise<DatasetSplits>): Promise<DatasetSplits> => {
      if (!dataDir) return load(name, dataDir, loader, 'five-datasets');
      return loader(path.join(dataDir, name)); // five different sets: not worth the one-entry cache
    };
    const [cifar10, mnist, svhn, fashionMnist, notMnist] = await Promise.all([
      get('cifar10', loadCifar10), get('mnist', loadMnist), get('svhn', loadSvhn),
      get('fashion-mnist', loadFashionMnist), get('notmnist', (dir) => loadNotMnist(dir)),
    ]);
    return _firstTasks(fiveDatasets({ cifar10, mnist, svhn, fashionMnist, notMnist }, { seed }), o.numTasks, 'five-datasets');
  },
};

/** All Omniglot characters (background then evaluation) as one labelled set. */
function allCharacters(data: DatasetSplits): ImageSet {
  const { train, test } = data;
  const images = new Uint8Array(train.images.length + test.images.length);
  images.set(train.images);
  images.set(test.images, train.images.length);
  const labels = new Int32Array(train.count + test.count);
  labels.set(train.labels);
  labels.set(test.labels, train.count);
  return { ...train, images, labels, count: train.count + test.count };
}

/** Omniglot Rotation: 100 tasks × 12 characters with 4 rotations; LeNet-large; validates on train. */
export const omniglotRotationBenchmark: Benchmark = {
  name: 'omniglot-rotation',
  description: 'Omniglot Rotation, 100 tasks × 12 rotated characters, LeNet-large (WSN Table 1)',
  offline: false,
  inputShape: [32, 32, 1],
  defaults: { ...protocol, architecture: 'lenet-large', epochs: 100, batchSize: 64, testBatchSize: 64, lrMin: 1e-6, numTasks: 100 },
  async scenario(o, seed, dataDir) {
    const data = await load('omniglot', dataDir, (dir) => loadOmniglot(dir), 'omniglot-rotation');
    return rotated(allCharacters(data), { numTasks: o.numTasks, classesPerTask: 12, seed });
  },
};

/** CIFAR-100 Split: 10 tasks by label id, AlexNet-like, global labels, 200 epochs, lr → 1e-6, 5 % val. */
export const cifar100SplitBenchmark: Benchmark = {
  name: 'cifar100-split',
  description: 'CIFAR-100 Split, 10 tasks × 10 classes, AlexNet-like, global labels (WSN Table 2)',
  offline: false,
  inputShape: [32, 32, 3],
  defaults: { ...protocol, architecture: 'alexnet', epochs: 200, batchSize: 64, testBatchSize: 64, lrMin: 1e-6, numTasks: 10 },
  async scenario(o, seed, dataDir) {
    const data = await load('cifar100', dataDir, loadCifar100, 'cifar100-split');
    return taskSplit(data, { numTasks: o.numTasks, classOrder: 'ids', labels: 'global', normalization: 'cifar100-split', seed, name: 'cifar100-split' });
  },
};

/** CIFAR-100 Superclass: 20 tasks × 5, LeNet 20-50-800-500, [0, 1] inputs, 50 epochs, 64/256, lr → 1e-5. */
export const cifar100SuperclassBenchmark: Benchmark = {
  name: 'cifar100-superclass',
  description: 'CIFAR-100 Superclass, 20 tasks × 5 classes, LeNet, global labels (WSN Table 2)',
  offline: false,
  inputShape: [32, 32, 3],
  defaults: { ...protocol, architecture: 'lenet', epochs: 50, batchSize: 64, testBatchSize: 256, lrMin: 1e-5, numTasks: 20 },
  async scenario(o, seed, dataDir) {
    const data = await load('cifar100', dataDir, loadCifar100, 'cifar100-superclass');
    return _firstTasks(superclassSplit(data, { labels: 'global', seed }), o.numTasks, 'cifar100-superclass');
  },
};

/** TinyImageNet: 40 tasks × 5 (seeded class order), TinyNet, global labels, 10 epochs, 10/64, crop+flip. */
export const tinyImageNetBenchmark: Benchmark = {
  name: 'tinyimagenet',
  description: 'TinyImageNet, 40 tasks × 5 classes, 4 conv + 3 FC TinyNet, global labels (WSN Table 2)',
  offline: false,
  inputShape: [64, 64, 3],
  defaults: { ...protocol, architecture: 'tinynet', epochs: 10, batchSize: 10, testBatchSize: 64, lrMin: 1e-6, augment: true, numTasks: 40 },
  async scenario(o, seed, dataDir) {
    const data = await load('tiny-imagenet', dataDir, loadTinyImageNet, 'tinyimagenet');
    return taskSplit(data, {
      numTasks: o.numTasks, classOrder: 'seeded', labels: 'global', normalization: 'imagenet', seed,
      validation: { kind: 'per-class-fraction', fraction: 0.1 }, name: 'tinyimagenet',
    });
  },
};

/** Shared by the option checks: the options every benchmark accepts. */
export const _commonOptionKeys: readonly (keyof BenchmarkOptions)[] = [
  'architecture', 'epochs', 'batchSize', 'testBatchSize', 'learningRate', 'lrMin', 'patience', 'augment', 'numTasks',
];
