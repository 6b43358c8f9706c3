/**
 * An unlabeled image pool for lottery teaching (Chen et al., ICLR 2021, §2.3 of methods.md:
 * 150 000 32×32 images from 80 Million Tiny Images). Stored either as a raw NHWC uint8 file
 * with a JSON sidecar (`pool.json` + `pool.u8`), or as a folder of PNG/JPEG images.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFormatError, DatasetNotFoundError, expectPositiveInt, InvalidArgumentError } from '../../errors';
import { decodeImageFile, resizeInto } from './image-codec';
import { isDirectory, isFile, listFiles } from './locate';

/** Unlabeled images, NHWC uint8. */
export interface UnlabeledImages {
  readonly name: string;
  /** count·height·width·channels bytes. */
  readonly images: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The JSON sidecar of a raw pool: `{"shape": [N, H, W, C], "dtype": "uint8", "data": "pool.u8"}`. */
export interface PoolHeader {
  readonly shape: readonly [number, number, number, number];
  readonly dtype: 'uint8';
  /** Raw file name, relative to the sidecar. Default: the sidecar's name with `.u8`. */
  readonly data?: string;
}

/** Options of {@link loadUnlabeledPool} for image folders. */
export interface UnlabeledPoolOptions {
  /** Side length images are resized to (folders only). Default: the first image's size. */
  readonly size?: number;
  /** 1 or 3 channels (folders only). Default 3. */
  readonly channels?: 1 | 3;
}

/**
 * Writes `pool` as a raw `<base>.u8` file plus a `<base>.json` sidecar; returns the sidecar path.
 * @example
 * ```ts
 * savePool('data/tiny-images-150k', pool); // writes .u8 and .json
 * ```
 */
export function savePool(base: string, pool: UnlabeledImages): string {
  const header: PoolHeader = {
    shape: [pool.count, pool.height, pool.width, pool.channels], dtype: 'uint8', data: `${path.basename(base)}.u8`,
  };
  fs.writeFileSync(`${base}.u8`, pool.images);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(header)}\n`);
  return `${base}.json`;
}

function loadRaw(sidecar: string): UnlabeledImages {
  let header: PoolHeader;
  try {
    header = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as PoolHeader;
  } catch (err) {
    throw new DataFormatError(sidecar, 'JSON', `unparsable text (${(err as Error).message})`);
  }
  const shape = header?.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d <= 0) || header.dtype !== 'uint8') {
    throw new DataFormatError(sidecar, '{"shape": [N, H, W, C] (positive integers), "dtype": "uint8"}', JSON.stringify(header).slice(0, 120));
  }
  const dataFile = path.join(path.dirname(sidecar), header.data ?? `${path.basename(sidecar, '.json')}.u8`);
  if (!isFile(dataFile)) throw new DatasetNotFoundError(`unlabeled pool: ${sidecar} names ${JSON.stringify(dataFile)}, which is missing.`);
  const [count, height, width, channels] = shape;
  const expected = count * height * width * channels;
  const size = fs.statSync(dataFile).size;
  if (size !== expected) {
    throw new DataFormatError(dataFile, `${expected} bytes for shape [${shape.join(', ')}] in ${path.basename(sidecar)}`, `${size} bytes`);
  }
  const images = new Uint8Array(expected);
  const fd = fs.openSync(dataFile, 'r');
  try {
    for (let at = 0; at < expected;) at += fs.readSync(fd, images, at, Math.min(1 << 24, expected - at), at);
  } finally {
    fs.closeSync(fd);
  }
  return { name: path.basename(sidecar, '.json'), images, count, height, width, channels };
}

function loadFolder(dir: string, options: UnlabeledPoolOptions): UnlabeledImages {
  const files = listFiles(dir, ['.png', '.jpg', '.jpeg']);
  if (files.length === 0) throw new DatasetNotFoundError(`unlabeled pool: no PNG or JPEG files in ${JSON.stringify(path.resolve(dir))}.`);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new InvalidArgumentError(`loadUnlabeledPool: channels must be 1 or 3; got ${channels}.`);
  const first = decodeImageFile(path.join(dir, files[0]!), channels);
  const height = options.size === undefined ? first.height : expectPositiveInt('loadUnlabeledPool', 'size', options.size);
  const width = options.size === undefined ? first.width : height;
  const bytes = height * width * channels;
  const images = new Uint8Array(files.length * bytes);
  files.forEach((f, i) => {
    const img = i === 0 ? first : decodeImageFile(path.join(dir, f), channels);
    if (options.size === undefined && (img.width !== width || img.height !== height)) {
      throw new DataFormatError(path.join(dir, f), `${width}×${height} like the first image (or pass options.size)`, `${img.width}×${img.height}`);
    }
    resizeInto(img.data, img.height, img.width, channels, images.subarray(i * bytes, (i + 1) * bytes), height, width);
  });
  return { name: path.basename(path.resolve(dir)), images, count: files.length, height, width, channels };
}

/**
 * Loads an unlabeled image pool from a sidecar (`pool.json`), its raw file (`pool.u8`), or a
 * folder of PNG/JPEG images (sorted by name; resized to `options.size` when given).
 * @throws DatasetNotFoundError when nothing is at `location`
 * @throws DataFormatError on a bad sidecar, a raw file whose length disagrees with the shape,
 *   or images of mixed sizes without `options.size`
 * @example
 * ```ts
 * const pool = await loadUnlabeledPool('data/tiny-images-150k.json'); // pool.count === 150000
 * ```
 */
export async function loadUnlabeledPool(location: string, options: UnlabeledPoolOptions = {}): Promise<UnlabeledImages> {
  if (isDirectory(location)) return loadFolder(location, options);
  const sidecar = location.endsWith('.u8') ? `${location.slice(0, -3)}.json` : location;
  if (isFile(sidecar)) return loadRaw(sidecar);
  throw new DatasetNotFoundError(`unlabeled pool: ${JSON.stringify(path.resolve(sidecar))} does not exist. ` +
    'Give a folder of images, or a raw NHWC uint8 file with a JSON sidecar (see savePool).');
}
