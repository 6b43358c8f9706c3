/**
 * What WSN's stored masks say about a run (Kang et al., ICML 2022, §3.3 and §5.4; methods.md
 * §1.9): per task and layer, weights reused from earlier tasks versus newly allocated and the
 * capacity still free; mask IoU between tasks; the Huffman-compressed size of the masks and
 * CAP with the measured α and with the paper's α = 0.78. Pure functions over host masks.
 */
import { wsnCapacity, type WsnCapacity } from '../metrics/cap';
import { maskOverlap } from '../metrics/mask-overlap';
import { maskReuse, type TaskReuse } from '../metrics/mask-reuse';
import type { Mask } from '../pruning/mask';

/** Diagnostics of a sequence of WSN task masks. */
export interface WsnDiagnostics {
  /** Per task (0-based): kept, reused, newly allocated, used and free weights, also per layer. */
  readonly reuse: readonly TaskReuse[];
  /** IoU of every pair of task masks over all maskable weights, T × T. */
  readonly overlap: readonly (readonly number[])[];
  /** IoU per layer, T × T each. */
  readonly overlapPerLayer: Readonly<Record<string, readonly (readonly number[])[]>>;
  /** Union density, measured α, encoded/raw bits and CAP (measured α and α = 0.78). */
  readonly capacity: WsnCapacity;
  /** Compressed size of all stored masks in bytes (Σ Huffman bits / 8). */
  readonly compressedBytes: number;
  /** Size of the same masks at one bit per weight per task, in bytes. */
  readonly rawBytes: number;
}

/**
 * Diagnostics of WSN task masks, in training order.
 * @throws InvalidArgumentError | ShapeMismatchError for no masks or masks of different layouts
 * @example
 * ```ts
 * const d = wsnDiagnostics(learner.taskMasks());
 * d.reuse[2].perLayer['fc1/kernel'].allocated; // weights task 2 took from the free pool
 * d.capacity.capPaper; // CAP (%) with α = 0.78
 * ```
 */
export function wsnDiagnostics(masks: readonly Mask[]): WsnDiagnostics {
  const capacity = wsnCapacity(masks);
  const overlapPerLayer: Record<string, number[][]> = {};
  for (const layer of Object.keys(masks[0] ?? {})) overlapPerLayer[layer] = maskOverlap(masks, { layer });
  return {
    reuse: maskReuse(masks),
    overlap: maskOverlap(masks),
    overlapPerLayer,
    capacity,
    compressedBytes: capacity.encodedBits / 8,
    rawBytes: (masks.length * Object.values(masks[0]).reduce((n, m) => n + m.length, 0)) / 8,
  };
}
