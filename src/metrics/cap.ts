/**
 * CAP, the memory capacity metric of WSN (paper §4 "Performance metrics"; methods.md §1.9):
 *
 *   `CAP(%) = 100 · [ (1 − S) + (1 − α) · T / 32 ]`
 *
 * S = sparsity of the final union mask M_T over all maskable weights (heads excluded),
 * α = compression rate of the 7-task Huffman mask encoding, T = number of tasks; 1/32 turns a
 * mask bit into the size of a 32-bit float weight. The paper's tables are consistent with
 * α = 0.78 held constant ({@link PAPER_ALPHA}); we report that value and the measured α.
 * Baselines without masks: STL = T · 100 %, Finetune / EWC / GPM / MTL = 100 %.
 */
import { expectInRange } from '../errors';
import type { EncodedBitsOptions } from './huffman';
import { encodeTaskMasks } from './mask-codec';
import { _countOnes, type HostMasks, _unionUnchecked } from './mask-density';

/** α used to reproduce the paper's CAP columns ("≈ 78 %", 7-bit Huffman encoding). */
export const PAPER_ALPHA = 0.78;

/** Inputs of {@link capPercent}. */
export interface CapInputs {
  /** Sparsity S of the final union mask, 0–1. */
  sparsity: number;
  /** Compression rate α of the mask encoding, 0–1 (use {@link PAPER_ALPHA} for the tables). */
  alpha: number;
  /** Number of tasks T ≥ 1. */
  numTasks: number;
}

/**
 * CAP in percent from S, α and T.
 * @throws InvalidArgumentError when an input is out of range or NaN
 * @example
 * ```ts
 * // PMNIST c = 0.03 reading aid: union density 13.0 %, α = 0.78, T = 10.
 * capPercent({ sparsity: 0.87, alpha: 0.78, numTasks: 10 }); // 19.875
 * ```
 */
export function capPercent(inputs: CapInputs): number {
  const S = expectInRange('capPercent', 'sparsity', inputs.sparsity, { min: 0, max: 1 });
  const alpha = expectInRange('capPercent', 'alpha', inputs.alpha, { min: 0, max: 1 });
  const T = expectInRange('capPercent', 'numTasks', inputs.numTasks, { min: 1, integer: true });
  return 100 * (1 - S + ((1 - alpha) * T) / 32);
}

/** {@link wsnCapacity} result. */
export interface WsnCapacity {
  /** T, the number of task masks. */
  readonly numTasks: number;
  /** Density of the union mask M_T over all maskable weights, 0–1. */
  readonly unionDensity: number;
  /** S = 1 − unionDensity. */
  readonly unionSparsity: number;
  /** Measured α of our 7-task Huffman encoding. */
  readonly alpha: number;
  /** Σ encoded bits and Σ raw bits behind α. */
  readonly encodedBits: number;
  readonly rawBits: number;
  /** CAP (%) with the measured α. */
  readonly capMeasured: number;
  /** CAP (%) with α = 0.78, comparable with the paper's tables. */
  readonly capPaper: number;
}

/**
 * CAP of a WSN-style run from its per-task masks: union sparsity, measured α (7-task symbols,
 * Huffman per tensor and group) and CAP with measured and paper α.
 * @param masksPerTask one mask set per task in training order (maskable layers only)
 * @param options `singleSymbol` convention for α's size count (default `'one-bit'`)
 * @throws InvalidArgumentError | ShapeMismatchError on invalid masks
 * @example
 * ```ts
 * const cap = wsnCapacity(taskMasks);
 * console.log(cap.capPaper.toFixed(2), cap.capMeasured.toFixed(2), cap.alpha.toFixed(3));
 * ```
 */
export function wsnCapacity(masksPerTask: readonly HostMasks[], options: EncodedBitsOptions = {}): WsnCapacity {
  const encoded = encodeTaskMasks(masksPerTask, options); // validates the masks
  const union = _unionUnchecked(masksPerTask);
  let kept = 0;
  let total = 0;
  for (const m of Object.values(union)) {
    kept += _countOnes(m);
    total += m.length;
  }
  const unionDensity = total === 0 ? 0 : kept / total;
  const numTasks = masksPerTask.length;
  const sparsity = 1 - unionDensity;
  return {
    numTasks,
    unionDensity,
    unionSparsity: sparsity,
    alpha: encoded.alpha,
    encodedBits: encoded.encodedBits,
    rawBits: encoded.rawBits,
    capMeasured: capPercent({ sparsity, alpha: Math.max(0, encoded.alpha), numTasks }),
    capPaper: capPercent({ sparsity, alpha: PAPER_ALPHA, numTasks }),
  };
}

/**
 * CAP (%) of single-task learning: one full network per task, `T · 100`.
 * @throws InvalidArgumentError when numTasks is not a whole number ≥ 1
 * @example
 * ```ts
 * stlCap(10); // 1000
 * ```
 */
export function stlCap(numTasks: number): number {
  return 100 * expectInRange('stlCap', 'numTasks', numTasks, { min: 1, integer: true });
}

/**
 * CAP (%) of methods that keep one dense network and no masks (Finetune, EWC, GPM, MTL): 100.
 * @example
 * ```ts
 * denseCap(); // 100
 * ```
 */
export function denseCap(): number {
  return 100;
}
