/**
 * IDX files (LeCun's MNIST format, also used by Fashion-MNIST): a big-endian header of magic
 * number `0x0000 08 nd` (unsigned bytes, `nd` dimensions), `nd` uint32 sizes, then the bytes in
 * row-major order. Images have magic 2051 (3 dims), labels 2049 (1 dim). Plain or gzipped.
 */
import { DataFormatError } from '../../errors';
import { openByteReader } from './byte-reader';

/** A decoded IDX array of unsigned bytes. */
export interface IdxArray {
  /** Sizes, outermost first: `[count, rows, cols]` for images, `[count]` for labels. */
  readonly dims: readonly number[];
  /** The payload, row-major, preallocated from the header. */
  readonly data: Uint8Array;
}

/** Magic number of IDX image files (ubyte, 3 dimensions). */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of IDX label files (ubyte, 1 dimension). */
export const IDX_LABELS_MAGIC = 2049;

/**
 * Reads an IDX file of unsigned bytes, gunzipping when the name ends in `.gz`, and checks the
 * magic number and that the file holds exactly the bytes its header announces.
 * @param file path to the file
 * @param magic the expected magic number ({@link IDX_IMAGES_MAGIC} or {@link IDX_LABELS_MAGIC})
 * @throws DataFormatError on a wrong magic number, a truncated file or trailing bytes
 * @example
 * ```ts
 * const { dims, data } = await readIdx('mnist/t10k-labels-idx1-ubyte.gz', IDX_LABELS_MAGIC);
 * ```
 */
export async function readIdx(file: string, magic: number): Promise<IdxArray> {
  const reader = openByteReader(file);
  try {
    const head = await reader.readExact(4, 'the IDX magic number');
    const found = new DataView(head.buffer).getUint32(0, false);
    if (found !== magic) {
      const what = magic === IDX_IMAGES_MAGIC ? 'images' : 'labels';
      throw new DataFormatError(file, `IDX ${what} magic number ${magic}`, `${found}`,
        'Is this the right file (images vs labels), and gunzipped correctly?');
    }
    const nd = found & 0xff;
    const sizes = await reader.readExact(4 * nd, 'the IDX dimension sizes');
    const view = new DataView(sizes.buffer);
    const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 * i, false));
    const total = dims.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(total) || total > 2 ** 32) {
      throw new DataFormatError(file, 'plausible IDX dimension sizes', `[${dims.join(', ')}]`);
    }
    const data = new Uint8Array(total);
    const got = await reader.readInto(data);
    const headerBytes = 4 + 4 * nd;
    if (got < total) {
      throw new DataFormatError(file, `${headerBytes + total} bytes for dimensions [${dims.join(', ')}]`,
        `${headerBytes + got} bytes`, 'The file is truncated; download it again.');
    }
    if (!(await reader.atEnd())) {
      throw new DataFormatError(file, `${headerBytes + total} bytes for dimensions [${dims.join(', ')}]`,
        'more bytes after the payload', 'The header and the payload disagree; the file is corrupt.');
    }
    return { dims, data };
  } finally {
    await reader.close();
  }
}
