/**
 * WSN per-task mask storage (methods.md §1.9, paper §3.3, code `utils_huffman.py`):
 * for every maskable tensor (row-major) and every group g of up to 7 consecutive tasks, the
 * 7 task bits of each weight are packed into one symbol `z = Σ_b bit_{task 7g+b} · 2^b`
 * (b = 0 for the group's earliest task, z ∈ [0, 127]); the symbols are Huffman-coded per
 * tensor and group. Raw size is 7 bits per weight per group, even for a partial last group.
 */
import { expectInRange, expectOneOf, InvalidArgumentError } from '../errors';
import {
  type EncodedBitsOptions,
  huffmanCodeLengths,
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedBits,
  type HuffmanStream,
} from './huffman';
import { type HostMasks, validateTaskMasks } from './mask-density';

/** Tasks packed into one symbol (the paper's "N-bit binary digit mask", N = 7). */
export const TASKS_PER_SYMBOL = 7;

/**
 * Packs the bits of tasks `7·group … 7·group+6` (those that exist) of one tensor into symbols.
 * @param taskMasks one 0/1 array per task for the same tensor, all of one length
 * @param group 0-based group index
 * @returns one symbol in [0, 127] per weight
 * @throws InvalidArgumentError when the group has no task or the lengths differ
 * @example
 * ```ts
 * packTaskSymbols([Uint8Array.of(1, 0), Uint8Array.of(1, 1)], 0); // Uint8Array [3, 2]
 * ```
 */
export function packTaskSymbols(taskMasks: readonly Uint8Array[], group: number): Uint8Array {
  const groups = Math.ceil(taskMasks.length / TASKS_PER_SYMBOL);
  expectInRange('packTaskSymbols', 'group', group, { min: 0, max: groups - 1, integer: true, hint: `There are ${taskMasks.length} tasks.` });
  const n = taskMasks[0].length;
  if (taskMasks.some((m) => m.length !== n)) {
    throw new InvalidArgumentError('packTaskSymbols: every task mask of one tensor must have the same length.');
  }
  const out = new Uint8Array(n);
  const first = group * TASKS_PER_SYMBOL;
  const last = Math.min(first + TASKS_PER_SYMBOL, taskMasks.length);
  for (let t = first; t < last; t++) {
    const m = taskMasks[t];
    const bit = 1 << (t - first);
    for (let k = 0; k < n; k++) if (m[k]) out[k] |= bit;
  }
  return out;
}

/** The encoding of one tensor and task group. */
export interface EncodedMaskBlock {
  /** Parameter name. */
  readonly name: string;
  /** 0-based group: tasks 7·group … 7·group + 6. */
  readonly group: number;
  /** Huffman code length per symbol 0..127 (the codebook). */
  readonly codeLengths: Uint8Array;
  /** The decodable bitstream (one-bit convention for a single symbol). */
  readonly stream: HuffmanStream;
  /** Size counted for α under the chosen single-symbol convention. */
  readonly encodedBits: number;
  /** 7 bits per weight. */
  readonly rawBits: number;
}

/** {@link encodeTaskMasks} result. */
export interface EncodedTaskMasks {
  readonly numTasks: number;
  /** Weights per parameter, to rebuild the arrays. */
  readonly sizes: Readonly<Record<string, number>>;
  /** One block per tensor and group, tensors in key order, groups ascending. */
  readonly blocks: readonly EncodedMaskBlock[];
  /** Σ encodedBits. */
  readonly encodedBits: number;
  /** Σ rawBits. */
  readonly rawBits: number;
  /** Measured compression rate α = 1 − encodedBits / rawBits. */
  readonly alpha: number;
}

/**
 * Encodes a sequence of per-task masks the WSN way and measures α.
 * @param masksPerTask one mask set per task in training order (same layers and lengths)
 * @param options `singleSymbol`: how a tensor/group with one distinct symbol is counted in
 *   `encodedBits` (default `'one-bit'`; the official code's `'zero-bit'`). Streams always use 1 bit.
 * @throws InvalidArgumentError | ShapeMismatchError on invalid masks
 * @example
 * ```ts
 * const enc = encodeTaskMasks([{ fc1: Uint8Array.of(1, 0, 0, 0) }, { fc1: Uint8Array.of(1, 1, 0, 0) }]);
 * enc.alpha; // 1 − 6 / 28 (symbols 3, 2, 0, 0 → code lengths 2, 2, 1, 1)
 * ```
 */
export function encodeTaskMasks(masksPerTask: readonly HostMasks[], options: EncodedBitsOptions = {}): EncodedTaskMasks {
  validateTaskMasks('encodeTaskMasks', masksPerTask);
  const singleSymbol = expectOneOf('singleSymbol convention', options.singleSymbol ?? 'one-bit', ['one-bit', 'zero-bit'] as const);
  const T = masksPerTask.length;
  const groups = Math.ceil(T / TASKS_PER_SYMBOL);
  const sizes: Record<string, number> = {};
  const blocks: EncodedMaskBlock[] = [];
  let encodedBits = 0;
  let rawBits = 0;
  for (const name of Object.keys(masksPerTask[0])) {
    const taskMasks = masksPerTask.map((m) => m[name]);
    sizes[name] = taskMasks[0].length;
    for (let group = 0; group < groups; group++) {
      const symbols = packTaskSymbols(taskMasks, group);
      const histogram = new Array<number>(1 << TASKS_PER_SYMBOL).fill(0);
      for (let k = 0; k < symbols.length; k++) histogram[symbols[k]]++;
      const codeLengths = huffmanCodeLengths(histogram);
      const block: EncodedMaskBlock = {
        name,
        group,
        codeLengths,
        stream: huffmanEncode(symbols, codeLengths),
        encodedBits: huffmanEncodedBits(histogram, { singleSymbol }),
        rawBits: TASKS_PER_SYMBOL * symbols.length,
      };
      blocks.push(block);
      encodedBits += block.encodedBits;
      rawBits += block.rawBits;
    }
  }
  return { numTasks: T, sizes, blocks, encodedBits, rawBits, alpha: rawBits === 0 ? 0 : 1 - encodedBits / rawBits };
}

/**
 * Decodes {@link encodeTaskMasks} output back to one mask set per task (lossless).
 * @throws InvalidArgumentError when a stream does not decode
 * @example
 * ```ts
 * const masks = [{ fc1: Uint8Array.of(1, 0) }, { fc1: Uint8Array.of(0, 1) }];
 * decodeTaskMasks(encodeTaskMasks(masks)); // equal to masks
 * ```
 */
export function decodeTaskMasks(encoded: EncodedTaskMasks): Record<string, Uint8Array>[] {
  const out: Record<string, Uint8Array>[] = [];
  for (let t = 0; t < encoded.numTasks; t++) {
    const masks: Record<string, Uint8Array> = {};
    for (const [name, n] of Object.entries(encoded.sizes)) masks[name] = new Uint8Array(n);
    out.push(masks);
  }
  for (const block of encoded.blocks) {
    const n = encoded.sizes[block.name];
    if (block.stream.count !== n) {
      throw new InvalidArgumentError(
        `decodeTaskMasks: block "${block.name}" group ${block.group} holds ${block.stream.count} symbols; the tensor has ${n} weights.`,
      );
    }
    const symbols = huffmanDecode(block.stream, block.codeLengths, new Uint8Array(n));
    const first = block.group * TASKS_PER_SYMBOL;
    const last = Math.min(first + TASKS_PER_SYMBOL, encoded.numTasks);
    for (let t = first; t < last; t++) {
      const m = out[t][block.name];
      const shift = t - first;
      for (let k = 0; k < n; k++) m[k] = (symbols[k] >> shift) & 1;
    }
  }
  return out;
}
