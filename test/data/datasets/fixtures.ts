// Helpers that write tiny dataset files in the exact official formats, for loader tests.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

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

/** A MAT level-5 variable to write with {@link mat5Bytes}. */
export interface MatVar {
  name: string;
  /** mx class id: 6 double, 9 uint8, 4 char, ... */
  classId: number;
  dims: number[];
  /** mi type of the stored real part: 2 miUINT8, 9 miDOUBLE, 4 miUINT16, ... */
  miType: number;
  values: ArrayLike<number>;
}

const MI_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8 };

function element(type: number, data: Buffer, le: boolean): Buffer {
  if (data.length <= 4 && data.length > 0) {
    const small = Buffer.alloc(8);
    if (le) { small.writeUInt16LE(type, 0); small.writeUInt16LE(data.length, 2); }
    else { small.writeUInt16BE(data.length, 0); small.writeUInt16BE(type, 2); }
    data.copy(small, 4);
    return small;
  }
  const tag = Buffer.alloc(8);
  if (le) { tag.writeUInt32LE(type, 0); tag.writeUInt32LE(data.length, 4); }
  else { tag.writeUInt32BE(type, 0); tag.writeUInt32BE(data.length, 4); }
  const pad = Buffer.alloc((8 - (data.length % 8)) % 8);
  return Buffer.concat([tag, data, pad]);
}

function numeric(type: number, values: ArrayLike<number>, le: boolean): Buffer {
  const size = MI_SIZE[type]!;
  const b = Buffer.alloc(values.length * size);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = i * size;
    switch (type) {
      case 1: b.writeInt8(v, at); break;
      case 2: b.writeUInt8(v, at); break;
      case 4: le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at); break;
      case 5: le ? b.writeInt32LE(v, at) : b.writeInt32BE(v, at); break;
      case 9: le ? b.writeDoubleLE(v, at) : b.writeDoubleBE(v, at); break;
      default: throw new Error(`fixture: mi type ${type}`);
    }
  }
  return b;
}

/** Bytes of a MAT level-5 file holding `vars`, each optionally in an miCOMPRESSED element. */
export function mat5Bytes(vars: MatVar[], opts: { compressed?: boolean; bigEndian?: boolean } = {}): Buffer {
  const le = !opts.bigEndian;
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, Platform: test, Created on: today', 0, 'latin1');
  header.fill(0, 116, 124);
  if (le) { header.writeUInt16LE(0x0100, 124); header.write('IM', 126, 'latin1'); }
  else { header.writeUInt16BE(0x0100, 124); header.write('MI', 126, 'latin1'); }
  const parts = [header];
  for (const v of vars) {
    const flags = Buffer.alloc(8);
    le ? flags.writeUInt32LE(v.classId, 0) : flags.writeUInt32BE(v.classId, 0);
    const body = Buffer.concat([
      element(6, flags, le),
      element(5, numeric(5, v.dims, le), le),
      element(1, Buffer.from(v.name, 'latin1'), le),
      element(v.miType, numeric(v.miType, v.values, le), le),
    ]);
    const matrix = element(14, body, le);
    parts.push(opts.compressed ? element(15, zlib.deflateSync(matrix), le).subarray(0, 8 + zlib.deflateSync(matrix).length) : matrix);
  }
  return Buffer.concat(parts);
}

/** Writes a PNG of `channels` (1 grey or 3 RGB) HWC pixels; returns the path. */
export function writePng(file: string, width: number, height: number, channels: 1 | 3, pixels: Uint8Array): string {
  const png = new PNG({ width, height, colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false });
  png.data = Buffer.from(pixels);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: channels === 1 ? 0 : 2, inputColorType: channels === 1 ? 0 : 2, inputHasAlpha: false }));
  return file;
}

/** Writes a JPEG (quality 100) of RGB HWC pixels; returns the path. */
export function writeJpeg(file: string, width: number, height: number, rgb: Uint8Array): string {
  const rgba = Buffer.alloc(width * height * 4, 255);
  for (let p = 0; p < width * height; p++) rgb.subarray(3 * p, 3 * p + 3).forEach((v, k) => { rgba[4 * p + k] = v; });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, jpeg.encode({ width, height, data: rgba }, 100).data);
  return file;
}
