/**
 * Top-c selection on the largest WSN layer: LeNet-large's fc1 for Omniglot Rotation
 * (128·8·8 = 8192 inputs → 2500 units, 20 480 000 weights; methods.md §1.10). One repetition is
 * what a WSN training step's forward does for that layer (methods.md §1.3), exactly as
 * src/methods/wsn.ts calls it: `topCMaskedWeight(W, s, c)`, the top-c selection of |s| fused
 * with W ⊙ m in one host pass (threshold bracketed by the previous step's τ, split over the host
 * threads on threaded wasm). The scores stay put between repetitions, so every timed step takes
 * the window path, as slowly moving scores do in training. A second, untimed-by-headline set of
 * calls times its relatives so speed work knows where the time goes:
 * - `maskOnlyMs`: the selection alone, `topCMaskSTE(s, c)` (the 0/1 mask, no weight);
 * - `windowMissMs`: the fused forward when no bracket applies (first step of a score tensor,
 *   or τ jumped): full two-pass radix selection, then the write pass;
 * - `forwardBackwardMs`: the fused forward plus its backward (∂W and the straight-through ∂s
 *   in one pass), i.e. the layer's whole masking cost in a step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kaimingUniform } from '../../src/models/init';
import { topCMaskedWeight, topCMaskSTE } from '../../src/pruning/top-c';
import type { Prepared, Workload } from './types';

/** LeNet-large fc1 on Omniglot: [8192, 2500]. */
export const OMNIGLOT_FC1_SHAPE = Object.freeze([128 * 8 * 8, 2500] as const);

/** Kept fraction used for the selection (WSN's default c). */
export const TOP_C_KEEP = 0.5;

/** Milliseconds of the relatives of one step's selection, measured separately. */
export interface TopCParts {
  readonly maskOnlyMs: number;
  readonly windowMissMs: number;
  readonly forwardBackwardMs: number;
}

/** Milliseconds `run` takes (wasm and cpu run ops synchronously: results are complete on return). */
function timed(run: () => unknown): number {
  const t = performance.now();
  tf.tidy(() => {
    run(); // its tensors are disposed with the scope
  });
  return performance.now() - t;
}

/**
 * Times the relatives of one step's selection (see the module comment) on `weight` and `score`.
 * @returns milliseconds per part
 */
export function topCParts(weight: tf.Tensor, score: tf.Tensor, dy: tf.Tensor, keepFraction: number): TopCParts {
  const maskOnlyMs = timed(() => topCMaskSTE(score, keepFraction));
  const fresh = score.clone(); // a new tensor has no bracket yet
  const windowMissMs = timed(() => topCMaskedWeight(weight, fresh, keepFraction));
  fresh.dispose();
  const forwardBackwardMs = timed(() => tf.grads((w: tf.Tensor, s: tf.Tensor) => topCMaskedWeight(w, s, keepFraction))([weight, score], dy));
  return { maskOnlyMs, windowMissMs, forwardBackwardMs };
}

/** The top-c workload; its unit is ms per step (one layer's selection fused with W ⊙ m). */
export const topCOmniglot: Workload = {
  name: 'top-c-omniglot',
  title: `top-c + W⊙m on lenet-large fc1 (${OMNIGLOT_FC1_SHAPE.join('×')} = 20.48 M weights, c = ${TOP_C_KEEP})`,
  unit: 'ms/step',
  torch: 'top-c-omniglot',
  async prepare(): Promise<Prepared> {
    const [rows, cols] = OMNIGLOT_FC1_SHAPE;
    const [score, weight] = [11, 12].map((seed) => {
      const initial = kaimingUniform(OMNIGLOT_FC1_SHAPE, rows, seed);
      const variable = tf.variable(initial, true);
      initial.dispose();
      return variable;
    });
    const dy = kaimingUniform(OMNIGLOT_FC1_SHAPE, rows, 13);
    return {
      async rep() {
        const ms = timed(() => topCMaskedWeight(weight, score, TOP_C_KEEP));
        return { samples: rows * cols, ms, parts: { ...topCParts(weight, score, dy, TOP_C_KEEP) } };
      },
      dispose() {
        tf.dispose([score, weight, dy]);
      },
    };
  },
};
