/**
 * A pull-style reader over a stream of byte chunks (a file, a gunzip stream, a tar member or an
 * inflated MAT element). Loaders read headers with {@link ByteReader.readExact} and copy bulk
 * payloads straight into their preallocated split arrays with {@link ByteReader.readInto}, so no
 * file is ever held twice in memory.
 */
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { DataFormatError } from '../../errors';

/** Reads bytes in order from an async sequence of chunks; `file` names the source in errors. */
export class ByteReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Uint8Array>;
  /** Bytes consumed so far. */
  position = 0;

  /**
   * @param source chunks in order (a Node stream is one)
   * @param file the path or archive member shown in error messages
   */
  constructor(source: AsyncIterable<Uint8Array>, readonly file: string) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    while (this.offset >= this.chunk.length) {
      if (this.done) return false;
      let next: IteratorResult<Uint8Array>;
      try {
        next = await this.iterator.next();
      } catch (err) {
        throw new DataFormatError(this.file, 'a readable, intact file', `a read error (${(err as Error).message})`,
          'The file is corrupt or truncated; download it again.');
      }
      if (next.done) {
        this.done = true;
        return false;
      }
      this.chunk = next.value;
      this.offset = 0;
    }
    return true;
  }

  /**
   * Copies up to `target.length` bytes into `target`; returns how many were copied (fewer only
   * at the end of the stream).
   */
  async readInto(target: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < target.length && (await this.fill())) {
      const n = Math.min(target.length - filled, this.chunk.length - this.offset);
      target.set(this.chunk.subarray(this.offset, this.offset + n), filled);
      this.offset += n;
      filled += n;
    }
    this.position += filled;
    return filled;
  }

  /**
   * Reads exactly `n` bytes.
   * @throws DataFormatError naming `what` when the stream ends first
   */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    const start = this.position;
    const got = await this.readInto(out);
    if (got < n) {
      throw new DataFormatError(this.file, `${n} bytes of ${what} at byte ${start}`,
        `only ${got} (the file ends at byte ${start + got})`, 'The file is truncated; download it again.');
    }
    return out;
  }

  /** Skips `n` bytes; returns how many were skipped. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0 && (await this.fill())) {
      const k = Math.min(left, this.chunk.length - this.offset);
      this.offset += k;
      left -= k;
    }
    this.position += n - left;
    return n - left;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** Yields the next `n` bytes as chunks (for a nested stream such as a compressed element). */
  async *take(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0 && (await this.fill())) {
      const k = Math.min(left, this.chunk.length - this.offset);
      yield this.chunk.subarray(this.offset, this.offset + k);
      this.offset += k;
      this.position += k;
      left -= k;
    }
  }

  /** Releases the underlying stream early (closes the file). */
  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}

/**
 * Opens a file for reading, gunzipping on the fly when its name ends in `.gz`. Only use for
 * files known to exist.
 */
export function openByteReader(file: string, gzip = file.endsWith('.gz')): ByteReader {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (!gzip) return new ByteReader(raw, file);
  const gunzip = zlib.createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return new ByteReader(raw.pipe(gunzip), file);
}

/** Inflates (zlib format) the next `n` bytes of `outer` as a new reader. */
export function inflateReader(outer: ByteReader, n: number, file: string): ByteReader {
  const inflate = zlib.createInflate();
  const source = Readable.from(outer.take(n), { objectMode: false });
  source.on('error', (err) => inflate.destroy(err));
  return new ByteReader(source.pipe(inflate), file);
}
