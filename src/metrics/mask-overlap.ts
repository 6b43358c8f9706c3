/**
 * Overlap between tasks' masks: intersection over union (Jaccard index) of the sets of
 * weights each task selected, over all maskable weights or over one layer.
 */
import { expectOneOf } from '../errors';
import { type HostMasks, validateTaskMasks } from './mask-density';

/** Options of {@link maskOverlap}. */
export interface MaskOverlapOptions {
  /** Restrict to one parameter name; default: all layers pooled. */
  layer?: string;
}

/**
 * IoU of every pair of task masks: `iou[a][b] = |m_a ∩ m_b| / |m_a ∪ m_b|` (0–1, symmetric,
 * 1 on the diagonal). Two empty masks are identical sets, so their IoU is defined as 1.
 * @param masksPerTask one mask set per task (same layers and lengths)
 * @returns a T × T matrix, 0-based task indices
 * @throws InvalidArgumentError | ShapeMismatchError on invalid masks; UnknownNameError for an unknown layer
 * @example
 * ```ts
 * maskOverlap([{ a: new Uint8Array([1, 1, 0]) }, { a: new Uint8Array([0, 1, 1]) }]); // [[1, 1/3], [1/3, 1]]
 * ```
 */
export function maskOverlap(masksPerTask: readonly HostMasks[], options: MaskOverlapOptions = {}): number[][] {
  validateTaskMasks('maskOverlap', masksPerTask);
  const names = Object.keys(masksPerTask[0]);
  const layers = options.layer === undefined ? names : [expectOneOf('layer', options.layer, names)];
  const T = masksPerTask.length;
  const iou: number[][] = Array.from({ length: T }, () => new Array<number>(T).fill(1));
  for (let a = 0; a < T; a++) {
    for (let b = a + 1; b < T; b++) {
      let inter = 0;
      let union = 0;
      for (const name of layers) {
        const ma = masksPerTask[a][name];
        const mb = masksPerTask[b][name];
        for (let k = 0; k < ma.length; k++) {
          inter += ma[k] & mb[k];
          union += ma[k] | mb[k];
        }
      }
      iou[a][b] = iou[b][a] = union === 0 ? 1 : inter / union;
    }
  }
  return iou;
}
