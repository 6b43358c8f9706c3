/**
 * Reading members of a (gzipped) tar archive as streams, without extracting to disk: the CIFAR
 * binary tarballs are read this way. One pass over the archive per call.
 */
import * as fs from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { DataFormatError } from '../../errors';
import { ByteReader } from './byte-reader';

/** Streams `archive` through a tar parser, calling `onEntry` for each regular file. */
async function walkTar(archive: string, onEntry: (entry: ReadEntry) => Promise<void> | void): Promise<void> {
  const pending: Promise<void>[] = [];
  let failure: unknown;
  const parser = new Parser({
    strict: true,
    noResume: true,
    onReadEntry: (entry: ReadEntry) => {
      if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
        entry.resume();
        return;
      }
      const job = Promise.resolve()
        .then(() => onEntry(entry))
        .catch((err: unknown) => {
          failure ??= err;
          entry.resume();
        });
      pending.push(job);
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', (err: Error) => reject(err));
  });
  const input = fs.createReadStream(archive, { highWaterMark: 1 << 20 });
  input.on('error', (err) => parser.emit('error', err));
  input.pipe(parser as unknown as NodeJS.WritableStream);
  try {
    await done;
  } catch (err) {
    if (failure) throw failure;
    throw new DataFormatError(archive, 'an intact tar or tar.gz archive', `a read error (${(err as Error).message})`,
      'The archive is truncated or corrupt; download it again.');
  }
  await Promise.all(pending);
  if (failure) throw failure;
}

/**
 * Lists the regular files of a tar or tar.gz archive with their sizes in bytes.
 * @throws DataFormatError when the archive is corrupt or truncated
 */
export async function listTarMembers(archive: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  await walkTar(archive, (entry) => {
    sizes.set(entry.path, entry.size);
    entry.resume();
  });
  return sizes;
}

/**
 * Reads the members named in `handlers` (archive paths) in one pass: each handler gets a
 * {@link ByteReader} over its member, named `archive:member` in errors. Other members are skipped.
 * @throws DataFormatError when the archive is corrupt, or whatever a handler throws
 */
export async function readTarMembers(
  archive: string,
  handlers: ReadonlyMap<string, (reader: ByteReader) => Promise<void>>,
): Promise<void> {
  await walkTar(archive, async (entry) => {
    const handler = handlers.get(entry.path);
    if (!handler) {
      entry.resume();
      return;
    }
    const reader = new ByteReader(entry as unknown as AsyncIterable<Uint8Array>, `${archive}:${entry.path}`);
    await handler(reader);
    // Drain what the handler left so the parser moves on to the next member.
    while (!(await reader.atEnd())) await reader.skip(1 << 20);
  });
}
