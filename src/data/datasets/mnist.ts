/**
 * MNIST (LeCun et al., 1998): 60 000 train + 10 000 test 28×28 greyscale digits, 10 classes, in
 * the official IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`), plain or `.gz`.
 */
import { DataFormatError } from '../../errors';
import type { DatasetSplits, ImageSet } from '../types';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdx } from './idx';
import { findFile } from './locate';

/** The ten MNIST class names. */
export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The IDX file names of one split, without `.gz`. */
export function idxFileNames(split: 'train' | 'test'): { images: string; labels: string } {
  const prefix = split === 'train' ? 'train' : 't10k';
  return { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

async function loadIdxSplit(
  name: string,
  dir: string,
  split: 'train' | 'test',
  classNames: readonly string[],
): Promise<ImageSet> {
  const names = idxFileNames(split);
  const imageFile = findFile(name, dir, [names.images, `${names.images}.gz`]);
  const labelFile = findFile(name, dir, [names.labels, `${names.labels}.gz`]);
  const images = await readIdx(imageFile, IDX_IMAGES_MAGIC);
  const labels = await readIdx(labelFile, IDX_LABELS_MAGIC);
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new DataFormatError(labelFile, `${count} labels, one per image in ${imageFile}`, `${labels.dims[0]}`);
  }
  const numClasses = classNames.length;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = labels.data[i]!;
    if (y >= numClasses) {
      throw new DataFormatError(labelFile, `labels in [0, ${numClasses})`, `label ${y} at index ${i}`);
    }
    out[i] = y;
  }
  return { name, images: images.data, labels: out, count, height, width, channels: 1, numClasses, classNames };
}

/** Loads an IDX-format dataset (MNIST layout) from `dir`; shared by MNIST and Fashion-MNIST. */
export async function _loadIdxDataset(name: string, dir: string, classNames: readonly string[]): Promise<DatasetSplits> {
  const train = await loadIdxSplit(name, dir, 'train', classNames);
  const test = await loadIdxSplit(name, dir, 'test', classNames);
  return { train, test };
}

/**
 * Loads MNIST from the four official IDX files in `dir` (each plain or gzipped).
 * Images are NHWC uint8 `[N, 28, 28, 1]`, labels 0–9.
 * @throws DatasetNotFoundError when a file is missing
 * @throws DataFormatError on a wrong magic number, truncated file or label count mismatch
 * @example
 * ```ts
 * const { train, test } = await loadMnist('data/mnist'); // train.count === 60000
 * ```
 */
export function loadMnist(dir: string): Promise<DatasetSplits> {
  return _loadIdxDataset('mnist', dir, MNIST_CLASS_NAMES);
}
