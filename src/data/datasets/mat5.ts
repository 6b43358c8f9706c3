/**
 * A small reader for MATLAB level-5 MAT-files (MathWorks, "MAT-File Format", R2019b, ch. 1):
 * a 128-byte header, then data elements. Only numeric arrays are decoded (real part, typed,
 * column-major); other variables are skipped. `miCOMPRESSED` (zlib) elements are inflated as a
 * stream, so large arrays such as SVHN's `X` are written straight into one preallocated array.
 * MAT v7.3 files are HDF5 and are not supported.
 */
import { DataFormatError } from '../../errors';
import { type ByteReader, inflateReader, openByteReader } from './byte-reader';

/** A typed array holding a MAT numeric class. */
export type MatNumericArray =
  | Float64Array | Float32Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** A decoded numeric MAT variable. */
export interface MatArray {
  readonly name: string;
  /** MATLAB class name: `double`, `single`, `int8`, `uint8`, … (`int64`/`uint64` become Float64Array). */
  readonly className: string;
  /** Sizes, first dimension fastest (column-major). */
  readonly dims: readonly number[];
  /** The real part in column-major order; its type follows the class. */
  readonly data: MatNumericArray;
  /** True when the variable had an imaginary part (it is not returned). */
  readonly complex: boolean;
}

/** Options of {@link readMat5}. */
export interface ReadMat5Options {
  /** Decode only these variables (others are skipped). Default: every numeric variable. */
  readonly names?: readonly string[];
}

const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
/** Bytes per element of each mi data type, with the DataView getter that reads it. */
const MI_TYPES: Record<number, [number, (v: DataView, at: number, le: boolean) => number]> = {
  1: [1, (v, at) => v.getInt8(at)],
  2: [1, (v, at) => v.getUint8(at)],
  3: [2, (v, at, le) => v.getInt16(at, le)],
  4: [2, (v, at, le) => v.getUint16(at, le)],
  5: [4, (v, at, le) => v.getInt32(at, le)],
  6: [4, (v, at, le) => v.getUint32(at, le)],
  7: [4, (v, at, le) => v.getFloat32(at, le)],
  9: [8, (v, at, le) => v.getFloat64(at, le)],
  12: [8, (v, at, le) => Number(v.getBigInt64(at, le))],
  13: [8, (v, at, le) => Number(v.getBigUint64(at, le))],
};
/** mx class id → [name, constructor]. */
const MX_CLASSES: Record<number, [string, new (n: number) => MatNumericArray]> = {
  6: ['double', Float64Array],
  7: ['single', Float32Array],
  8: ['int8', Int8Array],
  9: ['uint8', Uint8Array],
  10: ['int16', Int16Array],
  11: ['uint16', Uint16Array],
  12: ['int32', Int32Array],
  13: ['uint32', Uint32Array],
  14: ['int64', Float64Array],
  15: ['uint64', Float64Array],
};

interface Tag {
  type: number;
  nbytes: number;
  /** Bytes of the element after the 8 tag bytes (including padding; 0 for the small format). */
  bodyBytes: number;
  /** Data of a small element (≤ 4 bytes packed into the tag). */
  small?: Uint8Array;
}

async function readTag(reader: ByteReader, le: boolean, padded: boolean): Promise<Tag> {
  const raw = await reader.readExact(8, 'a data element tag');
  const view = new DataView(raw.buffer);
  const word = view.getUint32(0, le);
  if (word >>> 16 !== 0) {
    // Small data element format: nbytes in the upper half, data in the second word.
    const nbytes = word >>> 16;
    const small = raw.subarray(4, 4 + nbytes);
    return { type: word & 0xffff, nbytes, bodyBytes: 0, small };
  }
  const nbytes = view.getUint32(4, le);
  return { type: word, nbytes, bodyBytes: padded ? Math.ceil(nbytes / 8) * 8 : nbytes };
}

async function readSmallOrBody(reader: ByteReader, tag: Tag, what: string): Promise<Uint8Array> {
  if (tag.small) return tag.small;
  const data = await reader.readExact(tag.nbytes, what);
  await reader.skip(tag.bodyBytes - tag.nbytes);
  return data;
}

/** Reads a numeric sub-element of `count` values into `out` (converting the stored type). */
async function readNumeric(reader: ByteReader, tag: Tag, out: MatNumericArray | null, le: boolean): Promise<void> {
  const info = MI_TYPES[tag.type];
  if (!info) {
    throw new DataFormatError(reader.file, 'a numeric data type (miINT8 … miUINT64)', `data type ${tag.type}`);
  }
  const [size, get] = info;
  const count = out ? out.length : tag.nbytes / size;
  if (tag.nbytes !== count * size) {
    throw new DataFormatError(reader.file, `${count} values (${count * size} bytes) for the array dimensions`,
      `${tag.nbytes} bytes`);
  }
  if (tag.small) {
    const view = new DataView(tag.small.buffer, tag.small.byteOffset, tag.small.byteLength);
    for (let i = 0; out && i < count; i++) out[i] = get(view, i * size, le);
    return;
  }
  if (out === null) {
    await reader.skip(tag.bodyBytes);
    return;
  }
  if (out instanceof Uint8Array && tag.type === 2) {
    // Fast path for uint8 arrays stored as miUINT8 (SVHN's X): no conversion at all.
    const got = await reader.readInto(out);
    if (got < count) throw new DataFormatError(reader.file, `${count} bytes of array data`, `${got} (truncated)`);
  } else {
    const chunk = new Uint8Array(Math.max(size, (1 << 16) - ((1 << 16) % size)));
    const view = new DataView(chunk.buffer);
    for (let done = 0; done < count;) {
      const n = Math.min(chunk.length / size, count - done);
      const got = await reader.readInto(chunk.subarray(0, n * size));
      if (got < n * size) throw new DataFormatError(reader.file, `${count * size} bytes of array data`, 'fewer (truncated)');
      for (let i = 0; i < n; i++) out[done + i] = get(view, i * size, le);
      done += n;
    }
  }
  await reader.skip(tag.bodyBytes - tag.nbytes);
}

/** Parses the body of an miMATRIX element; returns the array, or null when skipped. */
async function readMatrix(
  reader: ByteReader, tag: Tag, le: boolean, wanted: (name: string) => boolean,
): Promise<MatArray | null> {
  const end = reader.position + tag.bodyBytes;
  if (tag.nbytes === 0) return null;
  const flagsTag = await readTag(reader, le, true);
  const flags = await readSmallOrBody(reader, flagsTag, 'array flags');
  const flagWord = new DataView(flags.buffer, flags.byteOffset, 8).getUint32(0, le);
  const classId = flagWord & 0xff;
  const complex = (flagWord & 0x800) !== 0;
  const dimsTag = await readTag(reader, le, true);
  const dimBytes = await readSmallOrBody(reader, dimsTag, 'dimensions');
  const dimView = new DataView(dimBytes.buffer, dimBytes.byteOffset, dimBytes.byteLength);
  const dims = Array.from({ length: dimBytes.byteLength / 4 }, (_, i) => dimView.getInt32(4 * i, le));
  const nameTag = await readTag(reader, le, true);
  const name = Buffer.from(await readSmallOrBody(reader, nameTag, 'array name')).toString('latin1');
  const cls = MX_CLASSES[classId];
  let result: MatArray | null = null;
  if (cls && wanted(name)) {
    const count = dims.reduce((a, b) => a * b, 1);
    const data = new cls[1](count);
    await readNumeric(reader, await readTag(reader, le, true), data, le);
    result = { name, className: cls[0], dims, data, complex };
  }
  // Skip the imaginary part, or the rest of a skipped / non-numeric variable.
  const left = end - reader.position;
  if ((await reader.skip(left)) < left) {
    throw new DataFormatError(reader.file, `${tag.nbytes} bytes for variable ${JSON.stringify(name)}`, 'fewer (truncated)');
  }
  return result;
}

/**
 * Reads the numeric variables of a level-5 MAT-file (compressed or not, either byte order).
 * @throws DataFormatError on a v7.3 (HDF5) or non-MAT file, or a truncated / corrupt element
 * @example
 * ```ts
 * const vars = await readMat5('svhn/test_32x32.mat', { names: ['y'] });
 * vars.get('y')!.data; // Float64Array of labels 1..10
 * ```
 */
export async function readMat5(file: string, options: ReadMat5Options = {}): Promise<Map<string, MatArray>> {
  const wanted = options.names ? (n: string) => options.names!.includes(n) : () => true;
  const reader = openByteReader(file, false);
  try {
    const header = await reader.readExact(128, 'the 128-byte MAT-file header');
    const text = Buffer.from(header.subarray(0, 116)).toString('latin1');
    const endian = Buffer.from(header.subarray(126, 128)).toString('latin1');
    if (text.startsWith('MATLAB 7.3')) {
      throw new DataFormatError(file, 'a level-5 MAT-file', 'a v7.3 (HDF5) MAT-file',
        'Re-save it in MATLAB/Octave with save(..., "-v7"), or use the official SVHN files.');
    }
    if (!text.startsWith('MATLAB 5.0 MAT-file') || (endian !== 'IM' && endian !== 'MI')) {
      throw new DataFormatError(file, 'a header starting "MATLAB 5.0 MAT-file" with byte-order mark IM or MI',
        JSON.stringify(text.slice(0, 24)));
    }
    const le = endian === 'IM';
    const out = new Map<string, MatArray>();
    while (!(await reader.atEnd())) {
      const tag = await readTag(reader, le, true);
      if (tag.type === MI_MATRIX) {
        const array = await readMatrix(reader, tag, le, wanted);
        if (array) out.set(array.name, array);
      } else if (tag.type === MI_COMPRESSED) {
        const start = reader.position;
        const inner = inflateReader(reader, tag.nbytes, file);
        const innerTag = await readTag(inner, le, true);
        if (innerTag.type === MI_MATRIX) {
          const array = await readMatrix(inner, innerTag, le, wanted);
          if (array) out.set(array.name, array);
        }
        // Drain the inflater so the outer stream is idle, then step over any unread bytes.
        while (!(await inner.atEnd())) await inner.skip(1 << 20);
        const left = start + tag.nbytes - reader.position;
        if ((await reader.skip(left)) < left) {
          throw new DataFormatError(file, `${tag.nbytes} bytes of compressed data`, 'fewer (truncated)');
        }
      } else {
        const skipped = await reader.skip(tag.bodyBytes);
        if (skipped < tag.bodyBytes) throw new DataFormatError(file, `${tag.bodyBytes} bytes of element data`, `${skipped}`);
      }
    }
    return out;
  } finally {
    await reader.close();
  }
}
