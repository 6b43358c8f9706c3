/**
 * SVHN cropped digits (Netzer et al., 2011): 73 257 train + 26 032 test 32×32 RGB house-number
 * digits, 10 classes, in the official `train_32x32.mat` and `test_32x32.mat` (MAT level 5):
 * `X` is uint8 32×32×3×N column-major, `y` is double N×1 with label 10 meaning digit 0.
 */
import * as path from 'node:path';
import { DataFormatError } from '../../errors';
import type { DatasetSplits, ImageSet } from '../types';
import { findFile } from './locate';
import { readMat5 } from './mat5';

/** The ten SVHN class names: label k is digit k (the files' label 10 becomes 0). */
export const SVHN_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Turns column-major 32×32×3×N bytes into NHWC in place, one image at a time: each image
 * occupies the same 3072 bytes in both layouts, so one scratch image is enough.
 */
function columnMajorToNhwc(data: Uint8Array, h: number, w: number, c: number, n: number): void {
  const size = h * w * c;
  const scratch = new Uint8Array(size);
  for (let i = 0; i < n; i++) {
    const image = data.subarray(i * size, (i + 1) * size);
    scratch.set(image);
    for (let ch = 0; ch < c; ch++) {
      for (let x = 0; x < w; x++) {
        const src = ch * h * w + x * h; // column-major: row index fastest
        for (let y = 0; y < h; y++) image[(y * w + x) * c + ch] = scratch[src + y]!;
      }
    }
  }
}

async function loadSplit(dir: string, split: 'train' | 'test'): Promise<ImageSet> {
  const file = findFile('svhn', dir, [`${split}_32x32.mat`]);
  const vars = await readMat5(file, { names: ['X', 'y'] });
  const x = vars.get('X');
  const y = vars.get('y');
  if (!x || !y) {
    throw new DataFormatError(file, 'numeric variables "X" and "y"', `variables [${[...vars.keys()].join(', ')}]`);
  }
  if (x.className !== 'uint8' || x.dims.length !== 4 || x.dims[2] !== 3) {
    throw new DataFormatError(file, 'X as uint8 H×W×3×N', `${x.className} [${x.dims.join('×')}]`);
  }
  const [height, width, channels, count] = x.dims as [number, number, number, number];
  if (y.data.length !== count) {
    throw new DataFormatError(file, `${count} labels in y, one per image in X`, `${y.data.length} (y is [${y.dims.join('×')}])`);
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = y.data[i]!;
    if (!Number.isInteger(v) || v < 1 || v > 10) {
      throw new DataFormatError(file, 'labels in y between 1 and 10', `${v} at index ${i}`);
    }
    labels[i] = v % 10;
  }
  const images = x.data as Uint8Array;
  columnMajorToNhwc(images, height, width, channels, count);
  return { name: 'svhn', images, labels, count, height, width, channels, numClasses: 10, classNames: SVHN_CLASS_NAMES };
}

/**
 * Loads SVHN (cropped digits) from `train_32x32.mat` and `test_32x32.mat` in `dir`.
 * Images are NHWC uint8 `[N, 32, 32, 3]`; labels are digits 0–9 (the files' 10 becomes 0).
 * @throws DatasetNotFoundError when a file is missing
 * @throws DataFormatError on a non-MAT or v7.3 file, missing X / y, or mismatched counts
 * @example
 * ```ts
 * const { train } = await loadSvhn('data/svhn'); // train.count === 73257
 * ```
 */
export async function loadSvhn(dir: string): Promise<DatasetSplits> {
  const resolved = path.resolve(dir);
  return { train: await loadSplit(resolved, 'train'), test: await loadSplit(resolved, 'test') };
}
