/**
 * CIFAR-10 (Krizhevsky, 2009), binary version: 50 000 train + 10 000 test 32×32 RGB images,
 * 10 classes, in `cifar-10-batches-bin/data_batch_{1..5}.bin`, `test_batch.bin` and
 * `batches.meta.txt` (or the official `cifar-10-binary.tar.gz`).
 */
import type { DatasetSplits } from '../types';
import { type CifarLayout, _loadCifarBinary } from './cifar-binary';

/** Files and record layout of the CIFAR-10 binary version. */
export const CIFAR10_LAYOUT: CifarLayout = {
  dataset: 'cifar10',
  folder: 'cifar-10-batches-bin',
  archive: 'cifar-10-binary.tar.gz',
  labelClasses: [10],
  trainFiles: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testFiles: ['test_batch.bin'],
  metaFiles: ['batches.meta.txt'],
};

/**
 * Loads CIFAR-10 from `dir` (the extracted `cifar-10-batches-bin` folder, its parent, or a
 * folder holding `cifar-10-binary.tar.gz`, read without extracting). Images are NHWC uint8
 * `[N, 32, 32, 3]`; class names come from `batches.meta.txt`.
 * @throws DatasetNotFoundError when files are missing
 * @throws DataFormatError on a truncated file, a partial record or a label ≥ 10
 * @example
 * ```ts
 * const { train, test } = await loadCifar10('data'); // train.count === 50000
 * ```
 */
export function loadCifar10(dir: string): Promise<DatasetSplits> {
  return _loadCifarBinary(dir, CIFAR10_LAYOUT);
}
