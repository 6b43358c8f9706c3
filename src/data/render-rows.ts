/**
 * The pixel pipeline: stored uint8 rows of a task split → normalised float32 network input,
 * on typed arrays (no tensors). Order per output pixel (read backwards from the output):
 *
 * 1. zero-pad by `transform.pad` on each side (MNIST 28→32: 2) and copy a grey source to every
 *    output channel;
 * 2. rotate by the row's quarter turns, counter-clockwise like `np.rot90` (square images only);
 * 3. augmentation, as torchvision's RandomCrop(padding p) then RandomHorizontalFlip: output
 *    (y, x) reads (y + dy, x' + dx) with x' = W−1−x when flipped, zero outside;
 * 4. normalise `(u8/255 − mean[c]) / std[c]` (pixels from padding read u8 0, as in torchvision);
 * 5. pixel permutation: output position p takes position `pixelPermutation[p]`.
 *
 * @example
 * ```ts
 * const x = renderRows(task.train, task.transform, Int32Array.of(0, 1)); // 2·H·W·C floats
 * ```
 */
import { expectThat } from '../errors';
import type { InputTransform, TaskSplit } from './types';

/** Explicit per-row augmentation draws (see {@link renderRows}). */
export interface RowAugmentation {
  /** Crop shift per row, [dy0, dx0, dy1, dx1, …], each in [−padding, padding]. */
  readonly shifts?: Int8Array | Int32Array;
  /** 1 = flip this row horizontally. */
  readonly flips?: Uint8Array;
}

/**
 * Checks that a transform fits a split's source; called once at public boundaries.
 * @throws InvalidArgumentError naming `fn`, what does not fit and how to fix it.
 */
export function checkTransform(fn: string, split: TaskSplit, transform: InputTransform): void {
  const src = split.source;
  const [H, W, C] = transform.outputShape;
  const pad = transform.pad ?? 0;
  expectThat(
    src.height + 2 * pad === H && src.width + 2 * pad === W,
    `${fn}: source "${src.name}" is ${src.height}x${src.width} and pad is ${pad}, which gives ` +
      `${src.height + 2 * pad}x${src.width + 2 * pad}; the transform's outputShape is ${H}x${W}. ` +
      `Set pad to (output − input) / 2.`,
  );
  expectThat(
    src.channels === C || src.channels === 1,
    `${fn}: source "${src.name}" has ${src.channels} channels; outputShape wants ${C}. ` +
      `Only equal counts or grey → ${C} copies are supported.`,
  );
  const { mean, std } = transform.normalization;
  expectThat(
    (mean.length === 1 || mean.length === C) && mean.length === std.length,
    `${fn}: normalization needs 1 or ${C} entries; got ${mean.length} means and ${std.length} stds.`,
  );
  const perm = transform.pixelPermutation;
  if (perm) {
    expectThat(perm.length === H * W, `${fn}: pixelPermutation has ${perm.length} entries; expected ${H}·${W} = ${H * W}.`);
  }
  if (split.rotations && split.rotations.some((r) => r !== 0)) {
    expectThat(H === W, `${fn}: quarter-turn rotations need square images; got ${H}x${W}.`);
  }
}

/** Lookup table `lut[c·256 + v]` = normalised value of byte v in output channel c. */
export function _normalizationTable(transform: InputTransform): Float32Array {
  const C = transform.outputShape[2];
  const { mean, std } = transform.normalization;
  const lut = new Float32Array(C * 256);
  for (let c = 0; c < C; c++) {
    const m = mean.length === 1 ? mean[0] : mean[c];
    const s = std.length === 1 ? std[0] : std[c];
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - m) / s;
  }
  return lut;
}

/**
 * Renders rows of a split into a float32 NHWC array, `rows.length·H·W·C` long.
 * `rows` are positions in the split (0..split.count−1), not source indices.
 * @param out optional array to fill (reused between batches); a new one otherwise.
 * @throws InvalidArgumentError when the transform does not fit the source.
 */
export function renderRows(
  split: TaskSplit,
  transform: InputTransform,
  rows: ArrayLike<number>,
  augmentation: RowAugmentation = {},
  out?: Float32Array,
): Float32Array {
  checkTransform('renderRows', split, transform);
  return _renderRows(split, transform, _normalizationTable(transform), rows, augmentation, out);
}

/** {@link renderRows} without checks, with a precomputed normalisation table. */
export function _renderRows(
  split: TaskSplit,
  transform: InputTransform,
  lut: Float32Array,
  rows: ArrayLike<number>,
  augmentation: RowAugmentation,
  out?: Float32Array,
): Float32Array {
  const src = split.source;
  const u8 = src.images;
  const h = src.height;
  const w = src.width;
  const sc = src.channels;
  const [H, W, C] = transform.outputShape;
  const pad = transform.pad ?? 0;
  const perm = transform.pixelPermutation;
  const { shifts, flips } = augmentation;
  const rowSize = H * W * C;
  const result = out && out.length >= rows.length * rowSize ? out : new Float32Array(rows.length * rowSize);
  const imageBytes = h * w * sc;
  const zeros = new Float32Array(C);
  for (let c = 0; c < C; c++) zeros[c] = lut[c * 256];
  const grey = sc === 1;

  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const base = split.indices[row] * imageBytes;
    const turns = split.rotations ? split.rotations[row] & 3 : 0;
    const dy = shifts ? shifts[2 * i] : 0;
    const dx = shifts ? shifts[2 * i + 1] : 0;
    const flip = flips ? flips[i] === 1 : false;
    let o = i * rowSize;
    for (let p = 0; p < H * W; p++, o += C) {
      const q = perm ? perm[p] : p;
      // Augmentation: crop shift and flip (step 3).
      let y = ((q / W) | 0) + dy;
      let x = (flip ? W - 1 - (q % W) : q % W) + dx;
      let inside = y >= 0 && y < H && x >= 0 && x < W;
      if (inside && turns !== 0) {
        // Undo np.rot90(img, k): rot90 k=1 maps R[y][x] = I[x][N−1−y] (step 2).
        const n1 = H - 1;
        const ry = y;
        if (turns === 1) {
          y = x;
          x = n1 - ry;
        } else if (turns === 2) {
          y = n1 - y;
          x = n1 - x;
        } else {
          y = n1 - x;
          x = ry;
        }
      }
      y -= pad;
      x -= pad;
      inside = inside && y >= 0 && y < h && x >= 0 && x < w;
      if (!inside) {
        for (let c = 0; c < C; c++) result[o + c] = zeros[c];
        continue;
      }
      const at = base + (y * w + x) * sc;
      if (grey) {
        const v = u8[at];
        for (let c = 0; c < C; c++) result[o + c] = lut[c * 256 + v];
      } else {
        for (let c = 0; c < C; c++) result[o + c] = lut[c * 256 + u8[at + c]];
      }
    }
  }
  return result;
}
