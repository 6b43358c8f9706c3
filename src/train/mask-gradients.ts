/**
 * Gradient masking: multiply gradients by a mask before the optimizer step. WSN zeroes the
 * weight gradients wherever the union of earlier tasks' masks is 1 (paper Eq. 4, methods.md
 * §1.4). This alone does not freeze a weight under momentum or Adam with stale state (pitfall
 * P1): use an update mask ({@link Optimizer.setUpdateMask}) or a fresh optimizer for that.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectSameShape } from '../errors';

/** Options of {@link maskGradients}. */
export interface MaskGradientsOptions {
  /**
   * `'keep-ones'` (default): gradient × mask, so 0 entries are zeroed. `'zero-ones'`: gradient
   * × (1 − mask), e.g. WSN's union mask of frozen weights.
   */
  readonly mode?: 'keep-ones' | 'zero-ones';
}

/**
 * Returns a new gradient map with each masked gradient multiplied by its mask (any dtype,
 * values 0/1, same shape). Names without a mask are passed through as the same tensor.
 * New tensors belong to the caller's tidy scope (call it inside the training step's tidy).
 * @throws ShapeMismatchError when a mask's shape differs from its gradient's.
 * @example
 * ```ts
 * const masked = maskGradients(grads, unionMasks, { mode: 'zero-ones' });
 * ```
 */
export function maskGradients(
  grads: ReadonlyMap<string, tf.Tensor>,
  masks: ReadonlyMap<string, tf.Tensor>,
  options: MaskGradientsOptions = {},
): Map<string, tf.Tensor> {
  const zeroOnes = options.mode === 'zero-ones';
  const out = new Map<string, tf.Tensor>();
  for (const [name, grad] of grads) {
    const mask = masks.get(name);
    if (mask === undefined) {
      out.set(name, grad);
      continue;
    }
    expectSameShape('maskGradients', `mask for "${name}"`, mask.shape, grad.shape);
    const keep = tf.cast(mask, grad.dtype);
    out.set(name, tf.mul(grad, zeroOnes ? tf.sub(1, keep) : keep));
  }
  return out;
}
