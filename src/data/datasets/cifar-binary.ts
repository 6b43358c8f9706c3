/**
 * The CIFAR binary format shared by CIFAR-10 and CIFAR-100 (Krizhevsky, 2009): fixed-size
 * records of label byte(s) then 3072 pixel bytes, channel-major (1024 R, 1024 G, 1024 B, each
 * row-major 32×32). Read from the extracted folder or straight from the official `.tar.gz`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataFormatError, DatasetNotFoundError, warnOnce } from '../../errors';
import type { DatasetSplits, ImageSet } from '../types';
import { type ByteReader, openByteReader } from './byte-reader';
import { isDirectory, isFile } from './locate';
import { listTarMembers, readTarMembers } from './tar-members';

/** Pixel bytes of one CIFAR record: 3 × 32 × 32. */
export const CIFAR_PIXELS = 3072;

/** Where the files of one CIFAR variant live and how its records look. */
export interface CifarLayout {
  readonly dataset: string;
  /** Folder inside the archive, e.g. `cifar-10-batches-bin`. */
  readonly folder: string;
  /** Official archive name, e.g. `cifar-10-binary.tar.gz`. */
  readonly archive: string;
  /** Label bytes before the pixels, with the class count of each (CIFAR-100: coarse then fine). */
  readonly labelClasses: readonly number[];
  readonly trainFiles: readonly string[];
  readonly testFiles: readonly string[];
  /** Text files of class names, one per line; the last one names the main labels. */
  readonly metaFiles: readonly string[];
}

/** Decoded labels and pixels of one split, before they become an {@link ImageSet}. */
interface SplitArrays {
  images: Uint8Array;
  labels: Int32Array[];
  count: number;
}

type Source = { kind: 'folder'; folder: string } | { kind: 'archive'; archive: string };

function locate(dir: string, layout: CifarLayout): Source {
  if (isFile(dir) && dir.endsWith('.tar.gz')) return { kind: 'archive', archive: dir };
  const marker = layout.trainFiles[0]!;
  for (const folder of [path.join(dir, layout.folder), dir]) {
    if (isDirectory(folder) && isFile(path.join(folder, marker))) return { kind: 'folder', folder };
  }
  const archive = path.join(dir, layout.archive);
  if (isFile(archive)) return { kind: 'archive', archive };
  throw new DatasetNotFoundError(
    `${layout.dataset}: found neither ${JSON.stringify(path.join(layout.folder, marker))} nor ` +
      `${JSON.stringify(layout.archive)} in ${JSON.stringify(path.resolve(dir))}. Put the official binary ` +
      `archive there (or its extracted folder), or call download(${JSON.stringify(layout.dataset)}, dir).`,
  );
}

function recordBytes(layout: CifarLayout): number {
  return layout.labelClasses.length + CIFAR_PIXELS;
}

function countRecords(file: string, size: number, layout: CifarLayout): number {
  const r = recordBytes(layout);
  if (size === 0 || size % r !== 0) {
    throw new DataFormatError(file, `a whole number of ${r}-byte records`, `${size} bytes`,
      'The file is truncated or not the binary version; download it again.');
  }
  return size / r;
}

function allocate(total: number, layout: CifarLayout): SplitArrays {
  return {
    images: new Uint8Array(total * CIFAR_PIXELS),
    labels: layout.labelClasses.map(() => new Int32Array(total)),
    count: total,
  };
}

/** Reads `count` records into `out` from row `start`, converting CHW to HWC. */
async function decodeRecords(
  reader: ByteReader, count: number, start: number, out: SplitArrays, layout: CifarLayout,
): Promise<void> {
  const r = recordBytes(layout);
  const nl = layout.labelClasses.length;
  const block = new Uint8Array(r * 1024);
  for (let done = 0; done < count;) {
    const n = Math.min(1024, count - done);
    const got = await reader.readInto(block.subarray(0, n * r));
    if (got < n * r) {
      throw new DataFormatError(reader.file, `${count * r} bytes (${count} records)`, `${(done * r) + got} bytes`,
        'The file is truncated; download it again.');
    }
    for (let k = 0; k < n; k++) {
      const rec = k * r;
      const row = start + done + k;
      for (let j = 0; j < nl; j++) {
        const y = block[rec + j]!;
        if (y >= layout.labelClasses[j]!) {
          throw new DataFormatError(reader.file, `label byte ${j} in [0, ${layout.labelClasses[j]})`,
            `${y} in record ${done + k}`, 'The file is corrupt or not this CIFAR variant.');
        }
        out.labels[j]![row] = y;
      }
      // CHW → HWC: pixel p of channel c moves to p·3 + c.
      const dst = row * CIFAR_PIXELS;
      const src = rec + nl;
      for (let p = 0; p < 1024; p++) {
        out.images[dst + 3 * p] = block[src + p]!;
        out.images[dst + 3 * p + 1] = block[src + 1024 + p]!;
        out.images[dst + 3 * p + 2] = block[src + 2048 + p]!;
      }
    }
    done += n;
  }
  if (!(await reader.atEnd())) {
    throw new DataFormatError(reader.file, `${count * r} bytes (${count} records)`, 'more bytes');
  }
}

function parseNames(file: string, text: string, expected: number): string[] {
  const names = text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length !== expected) {
    throw new DataFormatError(file, `${expected} class names, one per line`, `${names.length} non-empty lines`);
  }
  return names;
}

async function readText(reader: ByteReader): Promise<string> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const buf = new Uint8Array(1 << 16);
    const n = await reader.readInto(buf);
    parts.push(buf.subarray(0, n));
    if (n < buf.length) break;
  }
  return Buffer.concat(parts).toString('utf8');
}

function toImageSet(arrays: SplitArrays, layout: CifarLayout, names: (string[] | undefined)[]): ImageSet {
  const main = layout.labelClasses.length - 1;
  const classNames = names[names.length - 1];
  return {
    name: layout.dataset,
    images: arrays.images,
    labels: arrays.labels[main]!,
    count: arrays.count,
    height: 32,
    width: 32,
    channels: 3,
    numClasses: layout.labelClasses[main]!,
    ...(classNames ? { classNames } : {}),
    ...(main > 0 ? { coarseLabels: arrays.labels[0]! } : {}),
  };
}

/** Class counts of the meta files: the last label byte's classes for the last file, and so on. */
function metaClassCounts(layout: CifarLayout): number[] {
  const k = layout.metaFiles.length;
  return layout.metaFiles.map((_, i) => layout.labelClasses[layout.labelClasses.length - k + i]!);
}

async function loadFromFolder(folder: string, layout: CifarLayout): Promise<DatasetSplits> {
  const splits: SplitArrays[] = [];
  for (const files of [layout.trainFiles, layout.testFiles]) {
    const paths = files.map((f) => path.join(folder, f));
    const missing = paths.filter((p) => !isFile(p));
    if (missing.length > 0) {
      throw new DatasetNotFoundError(`${layout.dataset}: missing ${missing.map((p) => JSON.stringify(p)).join(', ')}. ` +
        `Extract the complete official archive ${layout.archive}.`);
    }
    const counts = paths.map((p) => countRecords(p, fs.statSync(p).size, layout));
    const arrays = allocate(counts.reduce((a, b) => a + b, 0), layout);
    let start = 0;
    for (let i = 0; i < paths.length; i++) {
      const reader = openByteReader(paths[i]!, false);
      try {
        await decodeRecords(reader, counts[i]!, start, arrays, layout);
      } finally {
        await reader.close();
      }
      start += counts[i]!;
    }
    splits.push(arrays);
  }
  const classCounts = metaClassCounts(layout);
  const names = layout.metaFiles.map((f, i) => {
    const p = path.join(folder, f);
    if (!isFile(p)) {
      warnOnce(`${layout.dataset}-meta`, `${layout.dataset}: ${p} is missing; class names are left out.`);
      return undefined;
    }
    return parseNames(p, fs.readFileSync(p, 'utf8'), classCounts[i]!);
  });
  return { train: toImageSet(splits[0]!, layout, names), test: toImageSet(splits[1]!, layout, names) };
}

async function loadFromArchive(archive: string, layout: CifarLayout): Promise<DatasetSplits> {
  const sizes = await listTarMembers(archive);
  const member = (f: string): string => `${layout.folder}/${f}`;
  const missing = [...layout.trainFiles, ...layout.testFiles].map(member).filter((m) => !sizes.has(m));
  if (missing.length > 0) {
    throw new DatasetNotFoundError(`${layout.dataset}: the archive ${JSON.stringify(archive)} lacks ` +
      `${missing.map((m) => JSON.stringify(m)).join(', ')}. Is it the official binary version ${layout.archive}?`);
  }
  const handlers = new Map<string, (reader: ByteReader) => Promise<void>>();
  const splits = [layout.trainFiles, layout.testFiles].map((files) => {
    const counts = files.map((f) => countRecords(`${archive}:${member(f)}`, sizes.get(member(f))!, layout));
    const arrays = allocate(counts.reduce((a, b) => a + b, 0), layout);
    let start = 0;
    files.forEach((f, i) => {
      const at = start;
      handlers.set(member(f), (reader) => decodeRecords(reader, counts[i]!, at, arrays, layout));
      start += counts[i]!;
    });
    return arrays;
  });
  const classCounts = metaClassCounts(layout);
  const names: (string[] | undefined)[] = layout.metaFiles.map(() => undefined);
  layout.metaFiles.forEach((f, i) => {
    if (!sizes.has(member(f))) {
      warnOnce(`${layout.dataset}-meta`, `${layout.dataset}: ${archive} lacks ${member(f)}; class names are left out.`);
      return;
    }
    handlers.set(member(f), async (reader) => {
      names[i] = parseNames(reader.file, await readText(reader), classCounts[i]!);
    });
  });
  await readTarMembers(archive, handlers);
  return { train: toImageSet(splits[0]!, layout, names), test: toImageSet(splits[1]!, layout, names) };
}

/**
 * Loads a CIFAR variant from `dir`: the extracted folder, its parent, a folder holding the
 * official `.tar.gz`, or the `.tar.gz` path itself (read in memory, nothing extracted).
 */
export async function _loadCifarBinary(dir: string, layout: CifarLayout): Promise<DatasetSplits> {
  const source = locate(dir, layout);
  return source.kind === 'folder' ? loadFromFolder(source.folder, layout) : loadFromArchive(source.archive, layout);
}
