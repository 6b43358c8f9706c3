/**
 * The Permuted-MNIST MLP of WSN [methods.md §1.10]: 784-100-100 with ReLU, bias-free, no norm,
 * no dropout; 88 400 maskable weights; heads 100 → 10 per task.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { expectThat } from '../errors';
import { flatten } from './layers';
import type { LayerRunner } from './layer-runner';
import { NetworkBase, type NetworkOptions } from './network-base';
import type { Network } from './types';

/** Options of {@link mlp}. */
export interface MlpOptions extends NetworkOptions {
  /** Hidden layer widths. Default `[100, 100]`. */
  readonly hidden?: readonly number[];
  /** Input images [H, W, C], flattened in NHWC order. Default `[28, 28, 1]` (784 inputs). */
  readonly inputShape?: readonly [number, number, number];
}

class Mlp extends NetworkBase {
  private readonly depth: number;

  constructor(options: MlpOptions) {
    const hidden = options?.hidden ?? [100, 100];
    const inputShape = options?.inputShape ?? [28, 28, 1];
    expectThat(
      hidden.length > 0 && hidden.every((h) => Number.isInteger(h) && h > 0),
      `mlp: hidden must be a non-empty list of positive integers; got ${JSON.stringify(hidden)}.`,
    );
    super({ architecture: 'mlp', inputShape, featureSize: hidden[hidden.length - 1] }, options);
    let units = inputShape[0] * inputShape[1] * inputShape[2];
    hidden.forEach((width, i) => {
      this.addDense(`fc${i + 1}`, units, width);
      units = width;
    });
    this.depth = hidden.length;
    this.addInitialHeads(options);
  }

  protected body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D {
    let h = flatten(x); // [B, 784]
    for (let i = 1; i <= this.depth; i++) h = run.relu(`fc${i}`, run.dense(`fc${i}`, h));
    return h; // [B, 100]
  }
}

/**
 * Builds the PMNIST MLP (layers `fc1`, `fc2`, ...; x [B, 28, 28, 1] is flattened).
 * @throws InvalidArgumentError on bad widths or seed
 * @example
 * ```ts
 * const net = mlp({ seed: 1, heads: Array(10).fill(10) });
 * const logits = net.logits(tf.zeros([4, 28, 28, 1]), 0, { training: false }); // [4, 10]
 * ```
 */
export function mlp(options: MlpOptions): Network {
  return new Mlp(options);
}
