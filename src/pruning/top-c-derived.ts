/**
 * WSN's masked weights W_eff = W ⊙ m, m = top-c of |s| per layer (methods.md §1.3–1.4), as a
 * training step's derived weights (`trainTask`'s `derivedWeights`): each step computes W ⊙ m
 * once before the gradient tape (the windowed selection of {@link topCMaskedWeight}), the tape
 * differentiates the loss with respect to W ⊙ m itself, and the optimizer turns that gradient
 * into the updates of W (∂L/∂W = m ⊙ g, update masks included) and of s (straight-through
 * ∂L/∂s = sign(s) ⊙ W ⊙ g) with {@link Optimizer.applyTopCGradients}: with Adam on wasm each
 * update pass makes its gradient on the fly, so neither is written to memory. The numbers are those of
 * training with the hook `topCMaskedWeight(W, s, c)`, bit for bit.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { expectInRange, InvalidArgumentError, ShapeMismatchError } from '../errors';
import type { ParamInfo } from '../models/types';
import type { Optimizer } from '../train/optimizer';
import type { DerivedWeights } from '../train/train-task';
import { _topCMaskedWeightForward, topCMaskedWeight } from './top-c';

/** A weight and its score tensor, by their names in the trained variables. */
export interface TopCLayer {
  readonly weight: string;
  readonly score: string;
}

/** {@link DerivedWeights} of WSN's masked weights, with the forward hook that reads them. */
export interface TopCDerivedWeights extends DerivedWeights {
  /**
   * The forward `weight` hook: inside a step, that step's W ⊙ m of a derived layer; outside
   * one (no `compute` yet), `topCMaskedWeight(W, s, c)`; other parameters unchanged.
   */
  weight(info: ParamInfo, w: tf.Variable): tf.Tensor;
}

/**
 * WSN's masked weights of `layers` for `trainTask({ derivedWeights, loss })`, whose loss runs
 * the network forward with this object's `weight` hook. The variables must be those the
 * optimizer trains (same map).
 * @throws InvalidArgumentError for an unknown name or c outside (0, 1]; ShapeMismatchError when a score's shape is not its weight's
 * @example
 * ```ts
 * const masked = topCDerivedWeights([{ weight: 'fc1/kernel', score: 'score:fc1/kernel' }], variables, 0.1);
 * await trainTask({ ..., variables, derivedWeights: masked,
 *   loss: (b) => crossEntropy(net.logits(b.x, 0, { training: true, weight: (i, w) => masked.weight(i, w) }), b.y) });
 * ```
 */
export function topCDerivedWeights(
  layers: readonly TopCLayer[],
  variables: ReadonlyMap<string, tf.Variable>,
  keepFraction: number,
): TopCDerivedWeights {
  expectInRange('topCDerivedWeights', 'keepFraction', keepFraction, { min: 0, max: 1, minInclusive: false });
  const find = (name: string): tf.Variable => {
    const v = variables.get(name);
    if (!v) throw new InvalidArgumentError(`topCDerivedWeights: no variable named "${name}". Known: ${[...variables.keys()].slice(0, 6).join(', ')}…`);
    return v;
  };
  const pairs = layers.map((layer) => {
    const weight = find(layer.weight);
    const score = find(layer.score);
    if (weight.shape.join(',') !== score.shape.join(',')) {
      throw new ShapeMismatchError(`topCDerivedWeights: "${layer.score}" has shape [${score.shape}] but "${layer.weight}" has [${weight.shape}]; a score has its weight's shape.`);
    }
    return { ...layer, weightVar: weight, scoreVar: score };
  });
  const byWeight = new Map(pairs.map((p) => [p.weight, p]));
  /** This step's W ⊙ m and τ key per weight name (cleared by `update`). */
  const current = new Map<string, { masked: tf.Tensor; tauKey: number }>();
  return {
    compute() {
      current.clear();
      for (const p of pairs) current.set(p.weight, _topCMaskedWeightForward(p.weightVar, p.scoreVar, p.scoreVar, keepFraction));
      return new Map([...current].map(([name, { masked }]) => [name, masked]));
    },
    update(grads: ReadonlyMap<string, tf.Tensor>, optimizer: Optimizer) {
      const gradients = [];
      for (const [name, grad] of grads) {
        const step = current.get(name);
        if (!step) throw new InvalidArgumentError(`topCDerivedWeights.update: "${name}" is not a weight computed by this step's compute().`);
        const threshold = new Float32Array(Int32Array.of(step.tauKey).buffer)[0];
        gradients.push({ weight: name, score: byWeight.get(name)!.score, grad, threshold });
      }
      current.clear();
      optimizer.applyTopCGradients(gradients);
    },
    weight(info: ParamInfo, w: tf.Variable) {
      const step = current.get(info.name);
      if (step && !step.masked.isDisposed) return step.masked;
      const pair = byWeight.get(info.name);
      return pair ? topCMaskedWeight(w, pair.scoreVar, keepFraction) : w;
    },
  };
}
