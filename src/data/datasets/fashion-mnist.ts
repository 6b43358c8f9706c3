/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): a drop-in MNIST replacement of 28×28 greyscale
 * clothing images, 10 classes, in the same IDX files and names as MNIST.
 */
import type { DatasetSplits } from '../types';
import { _loadIdxDataset } from './mnist';

/** The ten Fashion-MNIST class names, by label id. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/**
 * Loads Fashion-MNIST from the four official IDX files in `dir` (each plain or gzipped).
 * Images are NHWC uint8 `[N, 28, 28, 1]`, labels 0–9.
 * @throws DatasetNotFoundError when a file is missing
 * @throws DataFormatError on a wrong magic number, truncated file or label count mismatch
 * @example
 * ```ts
 * const { train } = await loadFashionMnist('data/fashion-mnist'); // train.count === 60000
 * ```
 */
export function loadFashionMnist(dir: string): Promise<DatasetSplits> {
  return _loadIdxDataset('fashion-mnist', dir, FASHION_MNIST_CLASS_NAMES);
}
