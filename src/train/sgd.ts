/**
 * Stochastic gradient descent with momentum and L2 weight decay, PyTorch `torch.optim.SGD`
 * semantics (dampening 0, Nesterov off), as used by the lifelong-tickets base learner
 * (methods.md §2.2: lr 0.01, momentum 0.9, weight decay 5e-4):
 *
 *   g ← ∇W + λ·W;   b ← μ·b + g   (b starts at 0, so the first b = g);   W ← W − lr·b
 *
 * (b is stored as +0 where it falls below 2^−126, out of slow subnormal arithmetic: see
 * `_flushSubnormal`.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange } from '../errors';
import { _flushSubnormal, _slotOptimizer, type _UpdateRule, type Optimizer } from './optimizer';

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Step size, > 0. */
  readonly learningRate: number;
  /** Momentum μ in [0, 1). Default 0 (plain SGD, no slot). */
  readonly momentum?: number;
  /** L2 weight decay λ ≥ 0 added to the gradient. Default 0. */
  readonly weightDecay?: number;
}

/**
 * Creates an SGD optimizer over named variables. Dispose it when the task ends.
 * @throws InvalidArgumentError for an out-of-range option.
 * @example
 * ```ts
 * const opt = sgd(net.params, { learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4 });
 * ```
 */
export function sgd(variables: ReadonlyMap<string, tf.Variable>, options: SgdOptions): Optimizer {
  return _slotOptimizer('sgd', variables, _sgdRule(options), options.learningRate);
}

/**
 * SGD's update rule, as tensor ops and as one fused wasm kernel (validated options).
 * @internal
 */
export function _sgdRule(options: SgdOptions): _UpdateRule {
  const momentum = expectInRange('sgd', 'momentum', options.momentum ?? 0, { min: 0, max: 1, maxInclusive: false });
  const weightDecay = expectInRange('sgd', 'weightDecay', options.weightDecay ?? 0, { min: 0 });
  return {
    kind: 'sgd',
    slotNames: momentum > 0 ? ['momentum'] : [],
    hyper: { momentum, weightDecay },
    update(weight, grad, slots, _step, learningRate) {
      const g = weightDecay > 0 ? tf.add(grad, tf.mul(weight, weightDecay)) : grad;
      const direction = momentum > 0 ? _flushSubnormal(tf.add(tf.mul(slots[0], momentum), g)) : g;
      return {
        weight: tf.sub(weight, tf.mul(direction, learningRate)),
        slots: momentum > 0 ? [direction] : [],
      };
    },
    updateFused(kernels, io) {
      const decay = weightDecay > 0 ? 1 : 0;
      if (momentum > 0) {
        kernels.sgd_momentum(io.weight, io.grad, io.slots[0], io.outWeight, io.outSlots[0], io.mask, io.size, decay, weightDecay, momentum, io.learningRate);
      } else {
        kernels.sgd(io.weight, io.grad, io.outWeight, io.mask, io.size, decay, weightDecay, io.learningRate);
      }
    },
  };
}
