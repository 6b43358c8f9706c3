/**
 * Adam (Kingma & Ba 2015, Algorithm 1) with PyTorch `torch.optim.Adam` semantics: per-parameter
 * step counts, bias correction folded into the step size, ε added after the square root, and
 * optional L2 weight decay added to the gradient (off by default; WSN uses none, methods.md
 * §1.5):
 *
 *   m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²
 *   W ← W − (lr / (1−β1^t)) · m / (√v · (1/√(1−β2^t)) + ε)
 *
 * (PyTorch divides √v by √(1−β2^t); multiplying by its float32 reciprocal saves a division per
 * entry and differs by at most one rounding. Moments below 2^−126 are stored as +0, which keeps
 * the arithmetic out of slow subnormals: see `_flushSubnormal`.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange } from '../errors';
import { _flushSubnormal, _slotOptimizer, type _UpdateRule, type Optimizer } from './optimizer';

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Step size, > 0. WSN: 1e-3. */
  readonly learningRate: number;
  /** Default 0.9. */
  readonly beta1?: number;
  /** Default 0.999. */
  readonly beta2?: number;
  /** Default 1e-8. */
  readonly epsilon?: number;
  /** L2 weight decay added to the gradient. Default 0. */
  readonly weightDecay?: number;
}

/**
 * Creates an Adam optimizer over named variables. WSN creates a fresh one per task (P1).
 * @throws InvalidArgumentError for an out-of-range option.
 * @example
 * ```ts
 * const opt = adam(net.params, { learningRate: 1e-3 });
 * ```
 */
export function adam(variables: ReadonlyMap<string, tf.Variable>, options: AdamOptions): Optimizer {
  return _slotOptimizer('adam', variables, _adamRule(options), options.learningRate);
}

/**
 * Adam's update rule, as tensor ops and as one fused wasm kernel (validated options).
 * @internal
 */
export function _adamRule(options: AdamOptions): _UpdateRule {
  const open = { min: 0, max: 1, maxInclusive: false } as const;
  const beta1 = expectInRange('adam', 'beta1', options.beta1 ?? 0.9, open);
  const beta2 = expectInRange('adam', 'beta2', options.beta2 ?? 0.999, open);
  const epsilon = expectInRange('adam', 'epsilon', options.epsilon ?? 1e-8, { min: 0, minInclusive: false });
  const weightDecay = expectInRange('adam', 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  return {
    kind: 'adam',
    slotNames: ['m', 'v'],
    hyper: { beta1, beta2, epsilon, weightDecay },
    update(weight, grad, [m0, v0], step, learningRate) {
      const g = weightDecay > 0 ? tf.add(grad, tf.mul(weight, weightDecay)) : grad;
      const m = _flushSubnormal(tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1)));
      const v = _flushSubnormal(tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const stepSize = learningRate / (1 - beta1 ** step);
      const denom = tf.add(tf.mul(tf.sqrt(v), 1 / Math.sqrt(1 - beta2 ** step)), epsilon);
      return { weight: tf.sub(weight, tf.mul(tf.div(m, denom), stepSize)), slots: [m, v] };
    },
    updateFused(kernels, io) {
      kernels.adam(
        io.weight, io.grad, io.slots[0], io.slots[1], io.outWeight, io.outSlots[0], io.outSlots[1], io.mask, io.size,
        weightDecay > 0 ? 1 : 0, weightDecay, beta1, 1 - beta1, beta2, 1 - beta2,
        1 / Math.sqrt(1 - beta2 ** io.step), epsilon, io.learningRate / (1 - beta1 ** io.step),
      );
    },
    updateTopCFused(kernels, { weight: w, score: s, tauKey, signFloorKey }) {
      kernels.adam_top_c(
        w.grad, s.weight, w.weight, w.slots[0], w.slots[1], s.slots[0], s.slots[1],
        w.outWeight, w.outSlots[0], w.outSlots[1], s.outWeight, s.outSlots[0], s.outSlots[1], w.mask, s.mask, w.size,
        weightDecay > 0 ? 1 : 0, tauKey, signFloorKey, weightDecay, beta1, 1 - beta1, beta2, 1 - beta2, epsilon,
        1 / Math.sqrt(1 - beta2 ** w.step), w.learningRate / (1 - beta1 ** w.step),
        1 / Math.sqrt(1 - beta2 ** s.step), s.learningRate / (1 - beta1 ** s.step),
      );
    },
  };
}
