/**
 * notMNIST (Bulatov, 2011): 28×28 greyscale glyphs of the letters A–J in many fonts, one folder
 * of PNG files per letter. The public archive contains some unreadable (empty or corrupt) PNGs;
 * they are skipped and counted. There is no official split: `train/` and `test/` sub-folders
 * are used when present, else a seeded random fraction of the files becomes the test split.
 */
import * as path from 'node:path';
import { DataFormatError, DatasetNotFoundError, expectInRange, warnOnce } from '../../errors';
import { Rng, expectSeed } from '../../random';
import type { DatasetSplits, ImageSet } from '../types';
import { decodeImageFile } from './image-codec';
import { isDirectory, listFiles } from './locate';

/** The ten notMNIST classes, by label id. */
export const NOTMNIST_CLASS_NAMES: readonly string[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];

/** Options of {@link loadNotMnist}. */
export interface NotMnistOptions {
  /** Fraction of files held out as test when the folder has no `train/`/`test/` split. Default 0.1. */
  readonly testFraction?: number;
  /** Seed of that hold-out draw. Default 0. */
  readonly seed?: number;
}

/** notMNIST splits plus the files that could not be read (skipped). */
export interface NotMnistSplits extends DatasetSplits {
  /** Paths of unreadable or wrongly sized PNG files that were skipped. */
  readonly skipped: readonly string[];
}

interface Item { file: string; label: number }

function listLetters(root: string): Item[] {
  const missing = NOTMNIST_CLASS_NAMES.filter((l) => !isDirectory(path.join(root, l)));
  if (missing.length > 0) {
    throw new DatasetNotFoundError(`notmnist: ${JSON.stringify(path.resolve(root))} lacks the letter folders ` +
      `${missing.join(', ')}. Point at the folder holding A/ … J/ (e.g. the extracted notMNIST_small).`);
  }
  return NOTMNIST_CLASS_NAMES.flatMap((letter, label) =>
    listFiles(path.join(root, letter), ['.png']).map((f) => ({ file: path.join(root, letter, f), label })));
}

function decodeAll(items: readonly Item[], skipped: string[]): ImageSet {
  const images = new Uint8Array(items.length * 784);
  const labels = new Int32Array(items.length);
  let count = 0;
  for (const item of items) {
    try {
      const img = decodeImageFile(item.file, 1);
      if (img.width !== 28 || img.height !== 28) throw new DataFormatError(item.file, '28×28', `${img.width}×${img.height}`);
      images.set(img.data, count * 784);
      labels[count++] = item.label;
    } catch (err) {
      if (!(err instanceof DataFormatError)) throw err;
      skipped.push(item.file);
    }
  }
  return {
    name: 'notmnist', images: images.subarray(0, count * 784), labels: labels.subarray(0, count), count,
    height: 28, width: 28, channels: 1, numClasses: 10, classNames: NOTMNIST_CLASS_NAMES,
  };
}

/**
 * Loads notMNIST from `dir`: either `dir/train/{A..J}` and `dir/test/{A..J}`, or `dir/{A..J}`
 * (also found inside `dir/notMNIST_small` or `dir/notMNIST_large`)
 * (then a seeded `testFraction` of the files is the test split; same seed, same split).
 * Images are NHWC uint8 `[N, 28, 28, 1]`, labels 0–9 for A–J. Unreadable PNGs are skipped,
 * listed in `skipped` and reported once with a warning.
 * @throws DatasetNotFoundError when letter folders are missing
 * @throws InvalidArgumentError on a bad `testFraction` or `seed`
 * @example
 * ```ts
 * const { train, test, skipped } = await loadNotMnist('data/notMNIST_small', { seed: 1 });
 * ```
 */
export async function loadNotMnist(dir: string, options: NotMnistOptions = {}): Promise<NotMnistSplits> {
  const testFraction = expectInRange('loadNotMnist', 'testFraction', options.testFraction ?? 0.1,
    { min: 0, max: 1, minInclusive: false, maxInclusive: false });
  const seed = expectSeed('loadNotMnist', options.seed ?? 0);
  let trainItems: Item[];
  let testItems: Item[];
  if (isDirectory(path.join(dir, 'train')) && isDirectory(path.join(dir, 'test'))) {
    trainItems = listLetters(path.join(dir, 'train'));
    testItems = listLetters(path.join(dir, 'test'));
  } else {
    // The official archive unpacks to notMNIST_small/ (what download() fetches) or notMNIST_large/.
    const nested = ['notMNIST_small', 'notMNIST_large'].map((f) => path.join(dir, f)).find(isDirectory);
    const all = listLetters(!isDirectory(path.join(dir, 'A')) && nested ? nested : dir);
    const order = new Rng(seed).permutation(all.length);
    const isTest = new Uint8Array(all.length);
    const nTest = Math.round(all.length * testFraction);
    for (let i = 0; i < nTest; i++) isTest[order[i]!] = 1;
    trainItems = all.filter((_, i) => !isTest[i]);
    testItems = all.filter((_, i) => isTest[i]);
  }
  const skipped: string[] = [];
  const train = decodeAll(trainItems, skipped);
  const test = decodeAll(testItems, skipped);
  if (skipped.length > 0) {
    warnOnce(`notmnist-skipped:${path.resolve(dir)}`,
      `loadNotMnist: skipped ${skipped.length} unreadable PNG files in ${dir} (e.g. ${skipped[0]}); see the result's "skipped".`);
  }
  return { train, test, skipped };
}
