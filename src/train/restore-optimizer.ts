/** Rebuilds an optimizer from a saved {@link OptimizerState} (e.g. one read from a checkpoint). */
import type * as tf from '@tensorflow/tfjs-core';
import { expectOneOf } from '../errors';
import { adam } from './adam';
import type { Optimizer, OptimizerState } from './optimizer';
import { sgd } from './sgd';

/**
 * Creates an optimizer of `state.kind` with `state`'s hyper-parameters over `variables` and
 * loads its slots, step counts and learning rate. Copies the tensors; the caller still owns
 * `state.slots`.
 * @throws UnknownNameError for an unknown kind; InvalidArgumentError / ShapeMismatchError when
 * the state does not fit the variables.
 * @example
 * ```ts
 * const opt = restoreOptimizer(net.params, savedState);
 * ```
 */
export function restoreOptimizer(variables: ReadonlyMap<string, tf.Variable>, state: OptimizerState): Optimizer {
  const kind = expectOneOf('optimizer', state.kind, ['sgd', 'adam'] as const);
  const h = state.hyper;
  const optimizer =
    kind === 'sgd'
      ? sgd(variables, { learningRate: state.learningRate, momentum: h.momentum, weightDecay: h.weightDecay })
      : adam(variables, { learningRate: state.learningRate, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon, weightDecay: h.weightDecay });
  try {
    optimizer.setState(state);
  } catch (error) {
    optimizer.dispose();
    throw error;
  }
  return optimizer;
}
