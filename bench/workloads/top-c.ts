/**
 * Top-c selection on the largest WSN layer: LeNet-large's fc1 for Omniglot Rotation
 * (128·8·8 = 8192 inputs → 2500 units, 20 480 000 weights; methods.md §1.10). One repetition is
 * one training step's selection, `topCMaskSTE(s, c)` forward: |s|, its copy to the host, the
 * quickselect threshold and the 0/1 mask (methods.md §1.3). A second, untimed-by-headline pass
 * splits the same work into its parts (read |s| to the host, select the threshold, build the
 * mask) so speed work knows which part to attack.
 */
import * as tf from '@tensorflow/tfjs-core';
import { kaimingUniform } from '../../src/models/init';
import { topCMaskSTE, topCThreshold } from '../../src/pruning/top-c';
import type { Prepared, Workload } from './types';

/** LeNet-large fc1 on Omniglot: [8192, 2500]. */
export const OMNIGLOT_FC1_SHAPE = Object.freeze([128 * 8 * 8, 2500] as const);

/** Kept fraction used for the selection (WSN's default c). */
export const TOP_C_KEEP = 0.5;

/** Milliseconds of the parts of one selection, measured separately. */
export interface TopCParts {
  readonly readToHostMs: number;
  readonly thresholdMs: number;
  readonly maskMs: number;
}

/**
 * Splits one selection into its parts (the same ops topCMaskSTE runs).
 * @returns milliseconds per part
 */
export function topCParts(score: tf.Tensor, keepFraction: number): TopCParts {
  return tf.tidy(() => {
    let t = performance.now();
    const magnitudes = tf.abs(score);
    const host = magnitudes.dataSync() as Float32Array;
    const readToHostMs = performance.now() - t;
    t = performance.now();
    const tau = topCThreshold(host, keepFraction);
    const thresholdMs = performance.now() - t;
    t = performance.now();
    tf.cast(tf.greaterEqual(magnitudes, tf.scalar(tau)), 'float32'); // wasm and cpu run ops synchronously
    const maskMs = performance.now() - t;
    return { readToHostMs, thresholdMs, maskMs };
  });
}

/** The top-c workload; its unit is ms per step (one selection). */
export const topCOmniglot: Workload = {
  name: 'top-c-omniglot',
  title: `top-c on lenet-large fc1 (${OMNIGLOT_FC1_SHAPE.join('×')} = 20.48 M weights, c = ${TOP_C_KEEP})`,
  unit: 'ms/step',
  torch: 'top-c-omniglot',
  async prepare(): Promise<Prepared> {
    const [rows, cols] = OMNIGLOT_FC1_SHAPE;
    const initial = kaimingUniform(OMNIGLOT_FC1_SHAPE, rows, 11);
    const score = tf.variable(initial, true);
    initial.dispose();
    const parts: TopCParts[] = [];
    return {
      async rep() {
        const t0 = performance.now();
        // wasm and cpu run ops synchronously: the mask is complete when topCMaskSTE returns.
        tf.tidy(() => topCMaskSTE(score, TOP_C_KEEP).dispose());
        const ms = performance.now() - t0;
        parts.push(topCParts(score, TOP_C_KEEP));
        return { samples: rows * cols, ms, parts: { ...parts[parts.length - 1] } };
      },
      dispose() {
        score.dispose();
      },
    };
  },
};
