/**
 * Tiny-ImageNet-200 (CS231n, Stanford): 200 ImageNet classes, 500 train and 50 validation
 * 64×64 RGB JPEGs each, laid out as `tiny-imagenet-200/wnids.txt`,
 * `train/<wnid>/images/*.JPEG`, `val/images/*.JPEG` and `val/val_annotations.txt`. The
 * official test images are unlabelled; as in WSN (methods.md §1.10) the val folder is the test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFormatError, DatasetNotFoundError } from '../../errors';
import type { DatasetSplits, ImageSet } from '../types';
import { decodeImageFile } from './image-codec';
import { findFolder, isDirectory, isFile, listFiles } from './locate';

const SIDE = 64;
const BYTES = SIDE * SIDE * 3;

interface Item { file: string; label: number }

function decodeSet(items: readonly Item[], wnids: readonly string[]): ImageSet {
  const images = new Uint8Array(items.length * BYTES);
  const labels = new Int32Array(items.length);
  items.forEach((item, i) => {
    // Greyscale JPEGs (a few hundred in the set) come back with R = G = B.
    const img = decodeImageFile(item.file, 3);
    if (img.width !== SIDE || img.height !== SIDE) {
      throw new DataFormatError(item.file, `a ${SIDE}×${SIDE} image`, `${img.width}×${img.height}`);
    }
    images.set(img.data, i * BYTES);
    labels[i] = item.label;
  });
  return {
    name: 'tiny-imagenet', images, labels, count: items.length, height: SIDE, width: SIDE, channels: 3,
    numClasses: wnids.length, classNames: wnids,
  };
}

/**
 * Loads Tiny-ImageNet-200 from `dir` (the `tiny-imagenet-200` folder or its parent): `train`
 * from `train/<wnid>/images`, `test` from the labelled `val` folder. Labels follow the line
 * order of `wnids.txt`; `classNames` are the WordNet ids. Images are NHWC uint8
 * `[N, 64, 64, 3]`; greyscale JPEGs are expanded to three equal channels.
 * @throws DatasetNotFoundError when a folder or file is missing
 * @throws DataFormatError on a bad annotation line, unknown wnid, or undecodable / wrongly
 *   sized JPEG
 * @example
 * ```ts
 * const { train, test } = await loadTinyImageNet('data'); // 100000 and 10000 images
 * ```
 */
export async function loadTinyImageNet(dir: string): Promise<DatasetSplits> {
  const root = findFolder(dir, 'tiny-imagenet-200', 'wnids.txt');
  if (!root) {
    throw new DatasetNotFoundError(`tiny-imagenet: found neither "tiny-imagenet-200/" nor "wnids.txt" in ` +
      `${JSON.stringify(path.resolve(dir))}. Extract tiny-imagenet-200.zip there.`);
  }
  const wnidsFile = path.join(root, 'wnids.txt');
  if (!isFile(wnidsFile)) throw new DatasetNotFoundError(`tiny-imagenet: missing ${JSON.stringify(wnidsFile)}.`);
  const wnids = fs.readFileSync(wnidsFile, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  const index = new Map(wnids.map((w, i) => [w, i]));
  if (index.size !== wnids.length || wnids.length === 0) {
    throw new DataFormatError(wnidsFile, 'distinct WordNet ids, one per line', `${wnids.length} lines, ${index.size} distinct`);
  }
  const trainItems = wnids.flatMap((wnid, label) => {
    const folder = path.join(root, 'train', wnid, 'images');
    if (!isDirectory(folder)) throw new DatasetNotFoundError(`tiny-imagenet: missing train folder ${JSON.stringify(folder)}.`);
    return listFiles(folder, ['.jpeg', '.jpg']).map((f) => ({ file: path.join(folder, f), label }));
  });
  const annotations = path.join(root, 'val', 'val_annotations.txt');
  if (!isFile(annotations)) throw new DatasetNotFoundError(`tiny-imagenet: missing ${JSON.stringify(annotations)}.`);
  const valItems = fs.readFileSync(annotations, 'utf8').split(/\r?\n/).filter((l) => l.trim().length > 0).map((line, i) => {
    const [name, wnid] = line.split('\t');
    const label = wnid === undefined ? undefined : index.get(wnid);
    if (!name || label === undefined) {
      throw new DataFormatError(annotations, 'lines "<file>\\t<wnid from wnids.txt>\\t<box>"', `line ${i + 1}: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const file = path.join(root, 'val', 'images', name);
    if (!isFile(file)) throw new DatasetNotFoundError(`tiny-imagenet: ${annotations} line ${i + 1} names ${JSON.stringify(file)}, which is missing.`);
    return { file, label };
  });
  return { train: decodeSet(trainItems, wnids), test: decodeSet(valItems, wnids) };
}
