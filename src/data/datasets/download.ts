/**
 * Downloading a dataset's official files into a folder: verify checksums, skip files already
 * present and verified, write atomically (temporary file, then rename), unpack archives that
 * need it. Offline it fails fast with the list of files to put in place by hand.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import { DataFormatError, DatasetNotFoundError, expectInRange, expectOneOf, warnOnce } from '../../errors';
import { type DownloadableDataset, type RemoteFile, datasetSources } from './dataset-sources';
import { isDirectory, isFile } from './locate';
import { extractZip } from './unzip';

/** Options of {@link download}. */
export interface DownloadOptions {
  /** The fetch function (inject one in tests or behind a proxy). Default: global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Milliseconds to wait for a server's response headers before giving up. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Unpack archives that need it (Omniglot, Tiny-ImageNet, notMNIST). Default true. */
  readonly extract?: boolean;
  /** Replace the dataset's files (a mirror, or other checksums). Default: {@link datasetSources}. */
  readonly sources?: readonly RemoteFile[];
  /** Called after each file with its path and whether it was downloaded or already cached. */
  readonly onFile?: (file: string, status: 'downloaded' | 'cached') => void;
}

async function hashFile(file: string, algorithm: 'md5' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks a file against its published checksums; returns a mismatch description or null. */
async function mismatch(file: string, remote: RemoteFile): Promise<string | null> {
  for (const algorithm of ['sha256', 'md5'] as const) {
    const expected = remote[algorithm];
    if (!expected) continue;
    const found = await hashFile(file, algorithm);
    if (found !== expected.toLowerCase()) return `${algorithm.toUpperCase()} ${found}, expected ${expected}`;
  }
  return null;
}

function manualInstructions(dataset: string, dir: string, files: readonly RemoteFile[]): string {
  const lines = files.map((f) => `  ${f.url}\n    → ${path.join(path.resolve(dir), f.name)}${f.md5 ? ` (MD5 ${f.md5})` : ''}`);
  return `Download these files by hand and put them there, then load again:\n${lines.join('\n')}` +
    (files.some((f) => f.extract) ? `\nThen unpack the archives in ${JSON.stringify(path.resolve(dir))}.` : '');
}

async function fetchTo(remote: RemoteFile, dest: string, options: DownloadOptions): Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const controller = new AbortController();
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const timer = setTimeout(() => controller.abort(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
  let response: Response;
  try {
    response = await doFetch(remote.url, { signal: controller.signal, redirect: 'follow' });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const tmp = `${dest}.${process.pid}.part`;
  const out = fs.createWriteStream(tmp);
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const bad = await mismatch(tmp, remote);
    if (bad) {
      throw new DataFormatError(`${dest} (from ${remote.url})`, 'the published checksum', bad,
        'The download is corrupt or the server sent something else (a proxy error page?); it was discarded. Try again.');
    }
    fs.renameSync(tmp, dest);
  } finally {
    out.destroy();
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Downloads the official files of `name` into `dir` (created as needed), ready for the
 * dataset's loader. Files already present and matching their checksums are kept; others are
 * fetched, verified and moved into place atomically; archives that loaders cannot read
 * directly are unpacked. Returns the paths of the dataset's files.
 * @throws UnknownNameError for a dataset without known sources
 * @throws DatasetNotFoundError when a server cannot be reached (after `connectTimeoutMs`),
 *   listing each file's URL and where to put it by hand
 * @throws DataFormatError when a download (or a cached file) does not match its checksum
 * @example
 * ```ts
 * await download('cifar100', 'data');
 * const { train } = await loadCifar100('data');
 * ```
 */
export async function download(name: string, dir: string, options: DownloadOptions = {}): Promise<string[]> {
  const dataset = expectOneOf('dataset', name, Object.keys(datasetSources) as DownloadableDataset[]);
  if (options.connectTimeoutMs !== undefined) {
    expectInRange('download', 'connectTimeoutMs', options.connectTimeoutMs, { min: 1 });
  }
  const files = options.sources ?? datasetSources[dataset];
  fs.mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const [i, remote] of files.entries()) {
    const dest = path.join(dir, remote.name);
    paths.push(dest);
    if (!remote.md5 && !remote.sha256) {
      warnOnce(`download-unverified:${dataset}`, `download: no checksum is published for ${remote.url}; it is used unverified.`);
    }
    if (isFile(dest)) {
      const bad = await mismatch(dest, remote);
      if (!bad) {
        options.onFile?.(dest, 'cached');
        await unpack(remote, dest, dir, options);
        continue;
      }
      warnOnce(`download-refetch:${dest}`, `download: ${dest} does not match its checksum (${bad}); downloading it again.`);
    }
    try {
      await fetchTo(remote, dest, options);
    } catch (err) {
      if (err instanceof DataFormatError) throw err;
      const left = files.slice(i).filter((f) => !isFile(path.join(dir, f.name)));
      throw new DatasetNotFoundError(
        `download(${JSON.stringify(dataset)}): cannot fetch ${remote.url} (${(err as Error).message}). ` +
          manualInstructions(dataset, dir, left),
      );
    }
    options.onFile?.(dest, 'downloaded');
    await unpack(remote, dest, dir, options);
  }
  return paths;
}

async function unpack(remote: RemoteFile, file: string, dir: string, options: DownloadOptions): Promise<void> {
  if (!remote.extract || options.extract === false) return;
  if (remote.extractsTo && isDirectory(path.join(dir, remote.extractsTo))) return;
  // Unpack beside the target, then rename, so an interrupted run never leaves a half folder.
  const tmp = path.join(dir, `.unpack-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  try {
    if (remote.extract === 'zip') extractZip(file, tmp);
    else await tar.x({ file, cwd: tmp, strict: true });
    for (const entry of fs.readdirSync(tmp)) {
      if (entry.startsWith('__MACOSX')) continue;
      fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      fs.renameSync(path.join(tmp, entry), path.join(dir, entry));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
