/**
 * Benchmarks on procedurally generated data (src/data/offline): they need no download and are
 * sized so the README's main job runs in minutes on a 2-core laptop. The protocol (fresh Adam
 * per task, plateau rule, best snapshot) is the WSN one; only sizes and epochs are smaller.
 */
import { offlineGrey } from '../data/offline/offline-grey';
import { offlineRgb } from '../data/offline/offline-rgb';
import { permuted } from '../data/scenarios/permuted';
import { taskSplit } from '../data/scenarios/task-split';
import type { DatasetSplits } from '../data/types';
import { expectInRange, expectPositiveInt } from '../errors';
import type { Benchmark } from './benchmark-types';

/** Generated data by option values: several methods and seeds share one copy. */
const generated = new Map<string, DatasetSplits>();

function memo(key: string, make: () => DatasetSplits): DatasetSplits {
  let data = generated.get(key);
  if (!data) {
    if (generated.size >= 4) generated.clear();
    data = make();
    generated.set(key, data);
  }
  return data;
}

/**
 * Offline Permuted MNIST: grey 28×28 glyphs (`offline-grey`), every task a seeded pixel
 * permutation of the same images, MLP 784-100-100, local labels, validation = first 10 % of
 * train (as PMNIST). Options: `trainCount`, `testCount` (images per task), `dataSeed`, `hidden`
 * (MLP widths, e.g. "2000,2000" for CLNP's wide MLP; network-options.ts).
 */
export const offlinePermutedBenchmark: Benchmark = {
  name: 'offline-permuted',
  description: 'Offline permuted glyphs (PMNIST-like), 28×28 grey, 10 tasks × 10 classes, MLP 784-100-100',
  offline: true,
  inputShape: [28, 28, 1],
  defaults: {
    architecture: 'mlp', epochs: 4, batchSize: 32, testBatchSize: 64, learningRate: 1e-3, lrMin: 1e-6, patience: 6,
    augment: false, numTasks: 10, trainCount: 2400, testCount: 400, dataSeed: 0, hidden: '100,100',
  },
  async scenario(o, seed) {
    const trainCount = expectPositiveInt('offline-permuted', 'trainCount', o.trainCount, 20);
    const testCount = expectPositiveInt('offline-permuted', 'testCount', o.testCount);
    const dataSeed = expectInRange('offline-permuted', 'dataSeed', o.dataSeed, { min: 0, integer: true });
    const data = memo(`grey/${trainCount}/${testCount}/${dataSeed}`, () => offlineGrey({ seed: dataSeed, trainCount, testCount }));
    return permuted(data, { numTasks: o.numTasks, seed });
  },
};

/**
 * Offline split (CIFAR-like): RGB 32×32 images of `numSuperclasses · classesPerSuperclass`
 * classes (`offline-rgb`), split by class id into `numTasks` tasks with local labels, LeNet
 * 20-50-800-500, validation 5 % random. Options: `trainCount`, `testCount` (whole dataset),
 * `numSuperclasses`, `classesPerSuperclass`, `dataSeed`.
 */
export const offlineSplitBenchmark: Benchmark = {
  name: 'offline-split',
  description: 'Offline CIFAR-like split, 32×32 RGB, 5 tasks × 4 classes, LeNet 20-50-800-500',
  offline: true,
  inputShape: [32, 32, 3],
  defaults: {
    architecture: 'lenet', epochs: 2, batchSize: 32, testBatchSize: 64, learningRate: 1e-3, lrMin: 1e-6, patience: 6,
    augment: false, numTasks: 5, trainCount: 1000, testCount: 300, numSuperclasses: 4, classesPerSuperclass: 5, dataSeed: 0,
  },
  async scenario(o, seed) {
    const fn = 'offline-split';
    const trainCount = expectPositiveInt(fn, 'trainCount', o.trainCount, 20);
    const testCount = expectPositiveInt(fn, 'testCount', o.testCount);
    const numSuperclasses = expectPositiveInt(fn, 'numSuperclasses', o.numSuperclasses);
    const classesPerSuperclass = expectPositiveInt(fn, 'classesPerSuperclass', o.classesPerSuperclass);
    const dataSeed = expectInRange(fn, 'dataSeed', o.dataSeed, { min: 0, integer: true });
    const key = `rgb/${trainCount}/${testCount}/${numSuperclasses}/${classesPerSuperclass}/${dataSeed}`;
    const data = memo(key, () => offlineRgb({ seed: dataSeed, trainCount, testCount, numSuperclasses, classesPerSuperclass }));
    return taskSplit(data, { numTasks: o.numTasks, classOrder: 'ids', labels: 'local', seed, name: 'offline-split' });
  },
};
