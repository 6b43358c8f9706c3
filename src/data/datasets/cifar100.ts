/**
 * CIFAR-100 (Krizhevsky, 2009), binary version: 50 000 train + 10 000 test 32×32 RGB images,
 * 100 fine classes in 20 coarse superclasses, in `cifar-100-binary/train.bin`, `test.bin`,
 * `coarse_label_names.txt` and `fine_label_names.txt` (or the official
 * `cifar-100-binary.tar.gz`). Each record is coarse byte, fine byte, 3072 pixel bytes.
 */
import type { DatasetSplits } from '../types';
import { type CifarLayout, _loadCifarBinary } from './cifar-binary';

/** Files and record layout of the CIFAR-100 binary version. */
export const CIFAR100_LAYOUT: CifarLayout = {
  dataset: 'cifar100',
  folder: 'cifar-100-binary',
  archive: 'cifar-100-binary.tar.gz',
  labelClasses: [20, 100],
  trainFiles: ['train.bin'],
  testFiles: ['test.bin'],
  metaFiles: ['coarse_label_names.txt', 'fine_label_names.txt'],
};

/**
 * Loads CIFAR-100 from `dir` (the extracted `cifar-100-binary` folder, its parent, or a folder
 * holding `cifar-100-binary.tar.gz`, read without extracting). Images are NHWC uint8
 * `[N, 32, 32, 3]`; `labels` are the 100 fine classes, `coarseLabels` the 20 superclasses;
 * `classNames` come from `fine_label_names.txt`.
 * @throws DatasetNotFoundError when files are missing
 * @throws DataFormatError on a truncated file, a partial record or an out-of-range label
 * @example
 * ```ts
 * const { train } = await loadCifar100('data'); // train.coarseLabels![i] in 0..19
 * ```
 */
export function loadCifar100(dir: string): Promise<DatasetSplits> {
  return _loadCifarBinary(dir, CIFAR100_LAYOUT);
}
