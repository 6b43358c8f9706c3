/**
 * Finding dataset files on disk: every loader asks here, so a missing file always produces the
 * same kind of message: which dataset, which files were looked for, where, and what to do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetNotFoundError } from '../../errors';

/** True when `p` is an existing regular file. */
export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** True when `p` is an existing directory. */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Returns the first of `names` (relative to `dir`) that exists as a file.
 * @throws DatasetNotFoundError listing every name that was tried
 */
export function findFile(dataset: string, dir: string, names: readonly string[]): string {
  for (const name of names) {
    const p = path.join(dir, name);
    if (isFile(p)) return p;
  }
  throw new DatasetNotFoundError(
    `${dataset}: none of ${names.map((n) => JSON.stringify(n)).join(', ')} is in ${JSON.stringify(path.resolve(dir))}. ` +
      `Put the official files there, or call download(${JSON.stringify(dataset)}, dir).`,
  );
}

/**
 * Returns `dir/sub` when it is a directory, else `dir` itself when it holds `marker`, so users
 * may point at either the parent or the extracted folder.
 */
export function findFolder(dir: string, sub: string, marker: string): string | undefined {
  if (isDirectory(path.join(dir, sub))) return path.join(dir, sub);
  if (fs.existsSync(path.join(dir, marker))) return dir;
  return undefined;
}

/** Sorted names of the sub-directories of `dir` (dot-files skipped). */
export function listDirectories(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** Sorted names of the regular files in `dir` whose lower-cased name ends in one of `exts`. */
export function listFiles(dir: string, exts: readonly string[]): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && exts.some((x) => e.name.toLowerCase().endsWith(x)))
    .map((e) => e.name)
    .sort();
}
