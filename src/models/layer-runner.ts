/**
 * One forward pass's view of a network: looks parameters up by layer name, routes each use
 * through the caller's `weight` hook, reports post-ReLU activations and derives per-layer
 * dropout seeds. Architectures describe their body with it, so they read like the paper.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors';
import { deriveSeed } from '../random';
import * as layers from './layers';
import type { ForwardOptions, ParamInfo } from './types';

/** What a {@link LayerRunner} needs from its network. */
export interface ParamLookup {
  readonly architecture: string;
  param(name: string): { readonly info: ParamInfo; readonly variable: tf.Variable } | undefined;
  stats(layer: string): layers.BatchNormStats | undefined;
  readonly normMomentum: number;
}

/** Runs named layers for one forward pass. Internal to src/models. */
export class LayerRunner {
  constructor(
    private readonly net: ParamLookup,
    private readonly options: ForwardOptions,
  ) {}

  /** The tensor to use for parameter `name`, after the `weight` hook; undefined if absent. */
  use(name: string): tf.Tensor | undefined {
    const found = this.net.param(name);
    if (!found) return undefined;
    return this.options.weight ? this.options.weight(found.info, found.variable) : found.variable;
  }

  private need(name: string): tf.Tensor {
    const t = this.use(name);
    if (!t) throw new InvalidArgumentError(`${this.net.architecture}: no parameter "${name}".`);
    return t;
  }

  /** Conv layer `layer` (kernel, optional bias) with stride and zero padding. */
  conv(layer: string, x: tf.Tensor4D, stride = 1, pad: layers.Padding = 0): tf.Tensor4D {
    return layers.conv2d(x, this.need(`${layer}/kernel`), this.use(`${layer}/bias`), stride, pad);
  }

  /** Dense layer `layer` (kernel, optional bias). */
  dense(layer: string, x: tf.Tensor2D): tf.Tensor2D {
    return layers.dense(x, this.need(`${layer}/kernel`), this.use(`${layer}/bias`));
  }

  /** ReLU, then hands the result to `onActivation` under `layer`. */
  relu<T extends tf.Tensor>(layer: string, x: T): T {
    const y = tf.relu(x);
    this.options.onActivation?.(layer, y);
    return y;
  }

  /** WSN batch-statistics normalisation (no parameters, no state). */
  batchStatNorm<T extends tf.Tensor>(x: T): T {
    return layers.batchStatNorm(x);
  }

  /** Affine batch norm `layer` with running averages (updated in training by default). */
  batchNorm<T extends tf.Tensor>(layer: string, x: T): T {
    const stats = this.net.stats(layer);
    if (!stats) throw new InvalidArgumentError(`${this.net.architecture}: no batch-norm state for "${layer}".`);
    const training = this.options.training;
    return layers.batchNorm(x, this.need(`${layer}/gamma`), this.need(`${layer}/beta`), stats, {
      training,
      update: training && this.options.updateNormStats !== false,
      momentum: this.net.normMomentum,
    });
  }

  /** Seeded dropout after `layer`, only in training. */
  dropout<T extends tf.Tensor>(layer: string, x: T, rate: number): T {
    if (!this.options.training || rate <= 0) return x;
    const seed = this.options.dropoutSeed;
    if (seed === undefined) {
      throw new InvalidArgumentError(
        `${this.net.architecture}.features: training with dropout needs options.dropoutSeed; got undefined. ` +
          'Pass a per-step seed, e.g. deriveSeed(runSeed, "dropout", step).',
      );
    }
    return layers.dropout(x, rate, deriveSeed(seed, layer));
  }
}
