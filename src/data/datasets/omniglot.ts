/**
 * Omniglot (Lake, Salakhutdinov & Tenenbaum, 2015): 1 623 handwritten characters from 50
 * alphabets, 20 drawings each, as 105×105 PNGs in `images_background/<alphabet>/<character>/`
 * (30 alphabets, 964 characters) and `images_evaluation/…` (20 alphabets, 659 characters).
 * Images are resized to `size`×`size` greyscale (WSN uses 32, methods.md §1.10).
 */
import * as path from 'node:path';
import { DataFormatError, DatasetNotFoundError, expectPositiveInt } from '../../errors';
import type { DatasetSplits, ImageSet } from '../types';
import { decodeImageFile, resizeInto } from './image-codec';
import { isDirectory, listDirectories, listFiles } from './locate';

/** Options of {@link loadOmniglot}. */
export interface OmniglotOptions {
  /** Output side length in pixels (area-averaged from 105). Default 32, as in WSN. */
  readonly size?: number;
}

interface Character { name: string; files: string[] }

function listCharacters(root: string): Character[] {
  return listDirectories(root).flatMap((alphabet) =>
    listDirectories(path.join(root, alphabet)).map((character) => {
      const dir = path.join(root, alphabet, character);
      return { name: `${alphabet}/${character}`, files: listFiles(dir, ['.png']).map((f) => path.join(dir, f)) };
    }));
}

function decodeSet(chars: readonly Character[], firstLabel: number, size: number, classNames: string[]): ImageSet {
  const count = chars.reduce((a, c) => a + c.files.length, 0);
  const images = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  let row = 0;
  chars.forEach((char, k) => {
    for (const file of char.files) {
      const img = decodeImageFile(file, 1);
      if (img.width !== img.height) throw new DataFormatError(file, 'a square image (105×105)', `${img.width}×${img.height}`);
      resizeInto(img.data, img.height, img.width, 1, images.subarray(row * size * size, (row + 1) * size * size), size, size);
      labels[row++] = firstLabel + k;
    }
  });
  return { name: 'omniglot', images, labels, count, height: size, width: size, channels: 1, numClasses: classNames.length, classNames };
}

/**
 * Loads Omniglot from `dir` (holding `images_background/` and `images_evaluation/`). Classes
 * are characters with global labels: background characters first (0–963 in the full set),
 * then evaluation characters, each in sorted alphabet/character order; `classNames[k]` is
 * `"<alphabet>/<character>"`. `train` holds the background set and `test` the evaluation set
 * (Omniglot's own split is by character, not by drawing: a scenario re-splits drawings).
 * Pixels are greyscale uint8 as in the files (strokes dark on a white 255 background).
 * @throws DatasetNotFoundError when a folder is missing
 * @throws DataFormatError on an undecodable or non-square PNG
 * @example
 * ```ts
 * const { train, test } = await loadOmniglot('data/omniglot', { size: 32 });
 * ```
 */
export async function loadOmniglot(dir: string, options: OmniglotOptions = {}): Promise<DatasetSplits> {
  const size = expectPositiveInt('loadOmniglot', 'size', options.size ?? 32);
  const roots = ['images_background', 'images_evaluation'].map((f) => path.join(dir, f));
  const missing = roots.filter((r) => !isDirectory(r));
  if (missing.length > 0) {
    throw new DatasetNotFoundError(`omniglot: missing ${missing.map((m) => JSON.stringify(m)).join(', ')}. ` +
      'Extract images_background.zip and images_evaluation.zip (github.com/brendenlake/omniglot) there.');
  }
  const [background, evaluation] = roots.map(listCharacters) as [Character[], Character[]];
  const classNames = [...background, ...evaluation].map((c) => c.name);
  return {
    train: decodeSet(background, 0, size, classNames),
    test: decodeSet(evaluation, background.length, size, classNames),
  };
}
