/**
 * Stateless layer ops on NHWC tensors: the building blocks of every architecture. Each takes
 * the parameter tensors explicitly (already passed through the forward pass's `weight` hook), so
 * masks and frozen copies apply without the op knowing. All returned tensors belong to the
 * caller's tidy scope.
 */
import * as tf from '@tensorflow/tfjs-core';
import { _hostKernels } from '../backend/host-kernels/index';
import { _dropoutKeepFused } from './_dropout-fused';
import { Rng } from '../random';
import { _batchStatNormFused } from './_batch-stat-norm-fused';

/** Zero padding of a conv or pool: one number for all sides, or [top, bottom, left, right]. */
export type Padding = number | readonly [number, number, number, number];

function explicit(pad: Padding): number | [[number, number], [number, number], [number, number], [number, number]] {
  if (typeof pad === 'number') return pad;
  return [[0, 0], [pad[0], pad[1]], [pad[2], pad[3]], [0, 0]];
}

/**
 * 2-D convolution, x [B, H, W, Ci] with kernel [kh, kw, Ci, Co] → [B, Ho, Wo, Co],
 * Ho = ⌊(H + padTop + padBottom − kh) / stride⌋ + 1 (PyTorch's rule), plus an optional bias [Co].
 * @example
 * ```ts
 * conv2d(tf.zeros([1, 32, 32, 3]) as tf.Tensor4D, tf.zeros([3, 3, 3, 8]), undefined, 2, 1); // [1, 16, 16, 8]
 * ```
 */
export function conv2d(x: tf.Tensor4D, kernel: tf.Tensor, bias?: tf.Tensor, stride = 1, pad: Padding = 0): tf.Tensor4D {
  const y = tf.conv2d(x, kernel as tf.Tensor4D, stride, explicit(pad));
  return bias ? tf.add(y, bias) : y;
}

/**
 * Fully connected layer: x [B, in] · kernel [in, out] (+ bias [out]) → [B, out].
 * @example
 * ```ts
 * dense(tf.ones([2, 4]) as tf.Tensor2D, tf.ones([4, 3])); // [[4, 4, 4], [4, 4, 4]]
 * ```
 */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor2D {
  const y = tf.matMul(x, kernel) as tf.Tensor2D;
  return bias ? (tf.add(y, bias) as tf.Tensor2D) : y;
}

function statAxes(rank: number): number[] {
  return Array.from({ length: rank - 1 }, (_, i) => i); // every axis but the channel axis
}

/**
 * WSN's batch-statistics normalisation (PyTorch `BatchNorm(affine=False,
 * track_running_stats=False)`): per channel (last axis), subtract the batch mean and divide by
 * √(population variance + eps), in training and at test time alike [methods.md §1.8, P3].
 * Forward from mean/variance ops; the gradient is written out in closed form (the standard
 * batch-norm backward) from fast elementwise ops and two channel means. On wasm both run on
 * TicketLab's fused channel kernels (no transposes, float64 channel sums).
 * @param x [B, C] or [B, H, W, C]
 * @example
 * ```ts
 * batchStatNorm(tf.tensor2d([[1], [3]])); // ≈ [[-1], [1]]
 * ```
 */
export function batchStatNorm<T extends tf.Tensor>(x: T, eps = 1e-5): T {
  const kernels = _hostKernels();
  if (kernels !== null && x.dtype === 'float32') return _batchStatNormFused(kernels, x, eps);
  const axes = statAxes(x.rank);
  const forward = (input: tf.Tensor, save: tf.GradSaveFunc) => {
    const mean = tf.mean(input, axes, true); // [1, ..., C]
    const centered = tf.sub(input, mean);
    const inv = tf.rsqrt(tf.add(tf.mean(tf.square(centered), axes, true), eps)); // [1, ..., C]
    const y = tf.mul(centered, inv);
    save([y, inv]);
    // ∂L/∂x = inv · (dy − mean(dy) − y · mean(dy ⊙ y)): 5 full-size ops instead of autodiff's ~12.
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [yS, invS] = saved;
      const meanDy = tf.mean(dy, axes, true);
      const meanDyY = tf.mean(tf.mul(dy, yS), axes, true);
      return tf.mul(tf.sub(dy, tf.add(tf.mul(yS, meanDyY), meanDy)), invS);
    };
    return { value: y, gradFunc };
  };
  // customGrad's declared type mixes tensors and the save function in one rest parameter.
  return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(x) as T;
}

/** Running averages of an affine batch norm (non-trainable variables of shape [C]). */
export interface BatchNormStats {
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Normalise with batch statistics (true) or with the running averages (false). */
  readonly training: boolean;
  /** Update the running averages from this batch (only when training). */
  readonly update: boolean;
  /** PyTorch momentum: new = (1 − momentum)·old + momentum·batch. Default 0.1. */
  readonly momentum?: number;
  /** Default 1e-5. */
  readonly eps?: number;
}

/**
 * Ordinary batch norm with affine gamma/beta and running averages, as PyTorch's `BatchNorm2d`:
 * training normalises with the batch's population variance and moves the running variance
 * towards the unbiased batch variance; inference uses the running averages.
 * @param x [B, C] or [B, H, W, C]; gamma, beta [C]
 * @example
 * ```ts
 * const stats = { movingMean: tf.variable(tf.zeros([1]), false), movingVariance: tf.variable(tf.ones([1]), false) };
 * batchNorm(tf.tensor2d([[1], [3]]), tf.ones([1]), tf.zeros([1]), stats, { training: true, update: true });
 * // ≈ [[-1], [1]]; stats.movingMean is now [0.2], stats.movingVariance [1.1]
 * ```
 */
export function batchNorm<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  stats: BatchNormStats,
  options: BatchNormOptions,
): T {
  const eps = options.eps ?? 1e-5;
  if (!options.training) {
    const inv = tf.rsqrt(tf.add(stats.movingVariance, eps));
    return tf.add(tf.mul(tf.sub(x, stats.movingMean), tf.mul(inv, gamma)), beta) as T;
  }
  const axes = statAxes(x.rank);
  const mean = tf.mean(x, axes, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), axes, true);
  if (options.update) {
    const momentum = options.momentum ?? 0.1;
    const count = x.size / x.shape[x.rank - 1];
    const channels = [x.shape[x.rank - 1]];
    const unbiased = tf.mul(tf.reshape(variance, channels), count / Math.max(count - 1, 1));
    stats.movingMean.assign(tf.add(tf.mul(stats.movingMean, 1 - momentum), tf.mul(tf.reshape(mean, channels), momentum)));
    stats.movingVariance.assign(tf.add(tf.mul(stats.movingVariance, 1 - momentum), tf.mul(unbiased, momentum)));
  }
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta) as T;
}

/**
 * Inverted dropout with a seeded mask: each entry is zeroed with probability `rate` and the
 * rest scaled by 1/(1 − rate). The mask comes from {@link Rng}(seed), so the same seed gives the
 * same mask on every backend. Call it only in training; at evaluation dropout is the identity.
 * @example
 * ```ts
 * dropout(tf.ones([2, 4]), 0.5, 7); // entries 0 or 2, the same ones for seed 7 every time
 * ```
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  if (rate <= 0) return x;
  const fused = _dropoutKeepFused(x.shape, rate, seed);
  if (fused !== null) return tf.mul(x, fused) as T;
  const keep = _dropoutKeep(x.size, rate, seed);
  return tf.mul(x, tf.tensor(keep, x.shape, 'float32')) as T;
}

/**
 * The keep-and-scale factors of {@link dropout}: entry i is 0 when the i-th draw of
 * `new Rng(seed).next()` is below `rate`, else 1/(1 − rate). The generator (xoshiro128**, see
 * random.ts) runs inline on local state, so the stream is exactly Rng's, ~10× faster than one
 * `next()` call per entry. `next() < rate` ⇔ `(u >>> 8) < rate·2^24`, exactly (u the uint32 draw).
 */
export function _dropoutKeep(size: number, rate: number, seed: number): Float32Array {
  const keep = new Float32Array(size);
  const scale = 1 / (1 - rate);
  const cut = rate * 16777216;
  let [s0, s1, s2, s3] = new Rng(seed).getState().words.map((w) => w | 0);
  for (let i = 0; i < size; i++) {
    const m = Math.imul(s1, 5);
    const u = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    keep[i] = u >>> 8 < cut ? 0 : scale;
  }
  return keep;
}

/**
 * Max pooling over windows of `size` with `stride`; padded positions never win (PyTorch's
 * −∞ padding), e.g. LeNet's maxpool(3, stride 2, pad 1): 32 → 16 → 8.
 * @example
 * ```ts
 * maxPool(tf.zeros([1, 32, 32, 20]) as tf.Tensor4D, 3, 2, 1); // [1, 16, 16, 20]
 * ```
 */
export function maxPool(x: tf.Tensor4D, size: number, stride = size, pad: Padding = 0): tf.Tensor4D {
  return tf.maxPool(x, size, stride, explicit(pad));
}

/**
 * Average pooling over windows of `size` with `stride`, no padding.
 * @example
 * ```ts
 * avgPool(tf.zeros([1, 4, 4, 160]) as tf.Tensor4D, 2); // [1, 2, 2, 160]
 * ```
 */
export function avgPool(x: tf.Tensor4D, size: number, stride = size): tf.Tensor4D {
  return tf.avgPool(x, size, stride, 'valid');
}

/**
 * Flattens [B, ...] to [B, rest] in NHWC (row-major) order. Note that PyTorch flattens NCHW,
 * so weights ported from PyTorch need their input rows permuted.
 * @example
 * ```ts
 * flatten(tf.zeros([2, 2, 2, 256])); // [2, 1024]
 * ```
 */
export function flatten(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0], x.size / x.shape[0]]);
}
