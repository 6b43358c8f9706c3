/**
 * Canonical Huffman coding over small integer alphabets (WSN mask compression, methods.md §1.9;
 * official code `utils_huffman.py`).
 *
 * - {@link huffmanCodeLengths}: optimal code lengths from a histogram. Ties are broken by the
 *   smallest symbol in a subtree, so the result is deterministic.
 * - {@link canonicalCodes}: DEFLATE-style canonical codes from the lengths (sorted by length,
 *   then symbol), so a decoder needs only the lengths.
 * - {@link huffmanEncode} / {@link huffmanDecode}: a lossless MSB-first bitstream.
 * - {@link huffmanEncodedBits}: the size count used for α.
 *
 * A one-symbol alphabet gets a 1-bit code so that the stream is decodable; the official WSN code
 * counts 0 bits for such a tensor, available as `singleSymbol: 'zero-bit'` in the size count.
 */
import { describeValue, InvalidArgumentError } from '../errors';
import { huffmanCodeLengths, MAX_CODE_LENGTH } from './huffman-code-lengths';

export { huffmanCodeLengths } from './huffman-code-lengths';

/** How a histogram with a single used symbol is counted by {@link huffmanEncodedBits}. */
export type SingleSymbolConvention = 'one-bit' | 'zero-bit';

/**
 * Canonical codes for the given code lengths: symbols sorted by (length, symbol) get
 * consecutive codes, the code growing by a left shift when the length grows (as in DEFLATE).
 * @returns `codes[s]`, the code of symbol s read as an unsigned integer of `lengths[s]` bits
 * @throws InvalidArgumentError when the lengths violate the Kraft inequality or exceed 52
 * @example
 * ```ts
 * canonicalCodes(Uint8Array.from([1, 2, 3, 3])); // [0b0, 0b10, 0b110, 0b111]
 * ```
 */
export function canonicalCodes(lengths: ArrayLike<number>): number[] {
  const { order, firstCode } = canonicalTable('canonicalCodes', lengths);
  const codes = new Array<number>(lengths.length).fill(0);
  const next = [...firstCode];
  for (const s of order) codes[s] = next[lengths[s]]++;
  return codes;
}

interface CanonicalTable {
  /** Used symbols sorted by (length, symbol). */
  order: number[];
  /** count[l] = number of codes of length l. */
  count: number[];
  /** firstCode[l] = first canonical code of length l. */
  firstCode: number[];
}

function canonicalTable(fn: string, lengths: ArrayLike<number>): CanonicalTable {
  const count = new Array<number>(MAX_CODE_LENGTH + 1).fill(0);
  let kraft = 0;
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s];
    if (!Number.isInteger(l) || l < 0 || l > MAX_CODE_LENGTH) {
      throw new InvalidArgumentError(`${fn}: lengths[${s}] must be a whole number in [0, ${MAX_CODE_LENGTH}]; got ${describeValue(l)}.`);
    }
    if (l > 0) {
      count[l]++;
      kraft += 2 ** -l;
    }
  }
  if (kraft > 1) {
    throw new InvalidArgumentError(
      `${fn}: the code lengths violate the Kraft inequality (Σ 2^-l = ${kraft} > 1), so no prefix code exists. ` +
        'Use lengths from huffmanCodeLengths.',
    );
  }
  const order = Array.from({ length: lengths.length }, (_, s) => s)
    .filter((s) => lengths[s] > 0)
    .sort((a, b) => lengths[a] - lengths[b] || a - b);
  const firstCode = new Array<number>(MAX_CODE_LENGTH + 1).fill(0);
  let code = 0;
  for (let l = 1; l <= MAX_CODE_LENGTH; l++) {
    code = (code + count[l - 1]) * 2;
    firstCode[l] = code;
  }
  return { order, count, firstCode };
}

/** A Huffman-encoded bitstream. */
export interface HuffmanStream {
  /** Bits packed MSB-first; the last byte is zero-padded. */
  readonly bytes: Uint8Array;
  /** Number of meaningful bits. */
  readonly bitLength: number;
  /** Number of encoded symbols. */
  readonly count: number;
}

/**
 * Encodes symbols with the canonical code given by `lengths`.
 * @throws InvalidArgumentError when a symbol has no code (length 0 or out of range)
 * @example
 * ```ts
 * const lengths = huffmanCodeLengths([5, 2, 1, 1]);
 * huffmanEncode([0, 1, 3], lengths).bitLength; // 1 + 2 + 3 = 6
 * ```
 */
export function huffmanEncode(symbols: ArrayLike<number>, lengths: ArrayLike<number>): HuffmanStream {
  const codes = canonicalCodes(lengths);
  let bitLength = 0;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i];
    const l = Number.isInteger(s) && s >= 0 && s < lengths.length ? lengths[s] : 0;
    if (l === 0) {
      throw new InvalidArgumentError(
        `huffmanEncode: symbols[${i}] = ${describeValue(s)} has no code. Build the lengths from a histogram that counts every symbol.`,
      );
    }
    bitLength += l;
  }
  const bytes = new Uint8Array(Math.ceil(bitLength / 8));
  let pos = 0;
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i];
    const code = codes[s];
    for (let b = lengths[s] - 1; b >= 0; b--) {
      // Math.floor division keeps codes above 32 bits exact (bitwise ops would truncate).
      if (Math.floor(code / 2 ** b) % 2 === 1) bytes[pos >> 3] |= 0x80 >> (pos & 7);
      pos++;
    }
  }
  return { bytes, bitLength, count: symbols.length };
}

/**
 * Decodes `stream.count` symbols from a canonical Huffman bitstream.
 * @param out optional output array of at least `stream.count` entries (e.g. a Uint8Array for
 *   masks); default a new Uint32Array
 * @throws InvalidArgumentError when the stream ends early or holds an invalid code
 * @example
 * ```ts
 * const lengths = huffmanCodeLengths([5, 2, 1, 1]);
 * huffmanDecode(huffmanEncode([0, 1, 3], lengths), lengths); // Uint32Array [0, 1, 3]
 * ```
 */
export function huffmanDecode<T extends Uint8Array | Uint16Array | Uint32Array = Uint32Array>(
  stream: HuffmanStream,
  lengths: ArrayLike<number>,
  out?: T,
): T {
  const { order, count, firstCode } = canonicalTable('huffmanDecode', lengths);
  const result = (out ?? new Uint32Array(stream.count)) as T;
  if (result.length < stream.count) {
    throw new InvalidArgumentError(`huffmanDecode: out holds ${result.length} entries; the stream has ${stream.count} symbols.`);
  }
  // offset[l] = index in `order` of the first symbol with code length l.
  const offset = new Array<number>(MAX_CODE_LENGTH + 1).fill(0);
  for (let l = 1; l <= MAX_CODE_LENGTH; l++) offset[l] = offset[l - 1] + count[l - 1];
  const { bytes, bitLength } = stream;
  let pos = 0;
  for (let i = 0; i < stream.count; i++) {
    let code = 0;
    let l = 0;
    for (;;) {
      if (pos >= bitLength || l >= MAX_CODE_LENGTH) {
        throw new InvalidArgumentError(
          `huffmanDecode: the stream ended or held an invalid code at symbol ${i} of ${stream.count} (bit ${pos}). ` +
            'Decode with the same code lengths used to encode.',
        );
      }
      code = code * 2 + ((bytes[pos >> 3] >> (7 - (pos & 7))) & 1);
      pos++;
      l++;
      if (count[l] > 0 && code - firstCode[l] < count[l] && code >= firstCode[l]) {
        result[i] = order[offset[l] + code - firstCode[l]];
        break;
      }
    }
  }
  return result;
}

/** Options of {@link huffmanEncodedBits}. */
export interface EncodedBitsOptions {
  /**
   * `'one-bit'` (default): a single used symbol costs 1 bit each (decodable stream).
   * `'zero-bit'`: it costs nothing, as counted by the official WSN code.
   */
  singleSymbol?: SingleSymbolConvention;
}

/**
 * Size in bits of the Huffman encoding of a histogram: `Σ_s count(s) · length(s)`.
 * The codebook is not counted (negligible, methods.md §1.9).
 * @throws InvalidArgumentError on invalid counts or convention
 * @example
 * ```ts
 * huffmanEncodedBits([5, 2, 1, 1]); // 15
 * huffmanEncodedBits([0, 9]); // 9
 * huffmanEncodedBits([0, 9], { singleSymbol: 'zero-bit' }); // 0
 * ```
 */
export function huffmanEncodedBits(histogram: ArrayLike<number>, options: EncodedBitsOptions = {}): number {
  const convention = options.singleSymbol ?? 'one-bit';
  if (convention !== 'one-bit' && convention !== 'zero-bit') {
    throw new InvalidArgumentError(
      `huffmanEncodedBits: singleSymbol must be 'one-bit' or 'zero-bit'; got ${describeValue(convention)}.`,
    );
  }
  const lengths = huffmanCodeLengths(histogram);
  let used = 0;
  let bits = 0;
  for (let s = 0; s < histogram.length; s++) {
    if (histogram[s] > 0) used++;
    bits += histogram[s] * lengths[s];
  }
  return used === 1 && convention === 'zero-bit' ? 0 : bits;
}
