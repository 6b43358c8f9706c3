// Helpers that write tiny dataset files in the exact official formats, for loader tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** A fresh temporary directory. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ticketlab-data-'));
}

/** Deterministic bytes 0..255 for fixtures: value = (seed + 7·i) mod 256. */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed + 7 * i) & 0xff;
  return out;
}

/** Bytes of an IDX ubyte file with the given dims. */
export function idxBytes(magic: number, dims: readonly number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

/** Writes `bytes` to `dir/name`, gzipped when the name ends in `.gz`; returns the path. */
export function writeFile(dir: string, name: string, bytes: Uint8Array): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, name.endsWith('.gz') ? zlib.gzipSync(bytes) : bytes);
  return p;
}
