/**
 * A minimal ZIP extractor (PKWARE APPNOTE 6.3: end of central directory, ZIP64 locator,
 * central directory, local headers; methods 0 stored and 8 deflate), for the Omniglot and
 * Tiny-ImageNet archives. Node has no built-in unzip and the project adds no dependency for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DataFormatError } from '../../errors';

function findEocd(buf: Buffer, file: string): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new DataFormatError(file, 'a ZIP end-of-central-directory record', 'none (truncated or not a ZIP file)');
}

/**
 * Extracts every file of the ZIP archive `file` under `dest` (created as needed); refuses
 * entries whose paths leave `dest`. Returns the number of files written.
 * @throws DataFormatError on a malformed archive, an unsupported method or a CRC-free size mismatch
 */
export function extractZip(file: string, dest: string): number {
  const buf = fs.readFileSync(file);
  const eocd = findEocd(buf, file);
  let entries = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the classic record and points at the ZIP64 record.
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) throw new DataFormatError(file, 'a ZIP64 locator', 'none');
    const rec = Number(buf.readBigUInt64LE(loc + 8));
    entries = Number(buf.readBigUInt64LE(rec + 32));
    cdOffset = Number(buf.readBigUInt64LE(rec + 48));
  }
  const root = path.resolve(dest);
  let written = 0;
  let p = cdOffset;
  for (let i = 0; i < entries; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new DataFormatError(file, `central directory entry ${i}`, `bad signature at byte ${p}`);
    const method = buf.readUInt16LE(p + 10);
    let compressed = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    // ZIP64 extra field (id 1): the 64-bit values present are those whose 32-bit field is saturated.
    for (let e = p + 46 + nameLen; e < p + 46 + nameLen + extraLen; e += 4 + buf.readUInt16LE(e + 2)) {
      if (buf.readUInt16LE(e) !== 1) continue;
      let q = e + 4;
      if (size === 0xffffffff) { size = Number(buf.readBigUInt64LE(q)); q += 8; }
      if (compressed === 0xffffffff) { compressed = Number(buf.readBigUInt64LE(q)); q += 8; }
      if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(q));
    }
    p += 46 + nameLen + extraLen + commentLen;
    const target = path.resolve(root, name);
    if (target !== root && !target.startsWith(root + path.sep)) {
      throw new DataFormatError(file, 'entry paths inside the destination', JSON.stringify(name));
    }
    if (name.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new DataFormatError(file, `a local header for ${name}`, `bad signature at byte ${local}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = zlib.inflateRawSync(raw);
      } catch (err) {
        throw new DataFormatError(file, `deflate data for ${name}`, `corrupt data (${(err as Error).message})`);
      }
    } else throw new DataFormatError(file, 'compression method 0 (stored) or 8 (deflate)', `method ${method} for ${name}`);
    if (data.length !== size) throw new DataFormatError(file, `${size} bytes for ${name}`, `${data.length}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
    written++;
  }
  return written;
}
