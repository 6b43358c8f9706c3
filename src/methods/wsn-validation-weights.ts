/**
 * WSN's validation-pass weights (methods.md §1.5), unchecked internal helper of wsn.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { maskToTensor } from '../pruning/mask';
import { topCMask } from '../pruning/top-c';

/**
 * Validation-pass weights W ⊙ top-c(s): computed once after each run of training steps (the
 * official code also re-uses the last training mask for validation, §1.5) and kept across
 * the validation batches instead of re-selecting per batch.
 */
export class _ValidationWeights {
  stale = true;
  private readonly cache = new Map<string, tf.Tensor>();

  constructor(
    private readonly scores: ReadonlyMap<string, tf.Variable>,
    private readonly keepFraction: number,
  ) {}

  get(name: string, w: tf.Variable): tf.Tensor {
    if (this.stale) {
      this.dispose();
      this.stale = false;
    }
    let out = this.cache.get(name);
    if (!out) {
      const s = this.scores.get(name)!;
      out = tf.keep(tf.tidy(() => tf.mul(w, maskToTensor(topCMask(s.dataSync() as Float32Array, this.keepFraction), s.shape))));
      this.cache.set(name, out);
    }
    return out;
  }

  dispose(): void {
    tf.dispose([...this.cache.values()]);
    this.cache.clear();
  }
}
