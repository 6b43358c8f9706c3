/**
 * WSN's LeNet family [methods.md §1.10]: conv k5 pad 2 → ReLU → maxpool(3, stride 2, pad 1),
 * twice (32 → 16 → 8), flatten → fc → ReLU → fc → ReLU → head. Bias-free, no norm, no dropout.
 * Small (CIFAR-100 Superclass, code): 20-50-800-500 on 3 channels, 2 986 500 weights.
 * Large (Omniglot; also the Superclass paper text): 64-128-2500-1500 on 1 channel, 24 436 400.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { expectInRange } from '../errors';
import { flatten, maxPool } from './layers';
import type { LayerRunner } from './layer-runner';
import { NetworkBase, type NetworkOptions } from './network-base';
import type { Network } from './types';

/** Options of {@link lenet} and {@link lenetLarge}. */
export interface LenetOptions extends NetworkOptions {
  /** Input channels. Default 3 (lenet) or 1 (lenet-large). */
  readonly inputChannels?: number;
}

class Lenet extends NetworkBase {
  constructor(architecture: string, widths: readonly [number, number, number, number], options: LenetOptions, channels: number) {
    const inputChannels = expectInRange(architecture, 'inputChannels', options?.inputChannels ?? channels, { min: 1, integer: true });
    const [c1, c2, f1, f2] = widths;
    super({ architecture, inputShape: [32, 32, inputChannels], featureSize: f2 }, options);
    this.addConv('conv1', 5, inputChannels, c1);
    this.addConv('conv2', 5, c1, c2);
    this.addDense('fc1', c2 * 8 * 8, f1);
    this.addDense('fc2', f1, f2);
    this.addInitialHeads(options);
  }

  protected body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D {
    const h1 = maxPool(run.relu('conv1', run.conv('conv1', x, 1, 2)), 3, 2, 1); // [B, 16, 16, c1]
    const h2 = maxPool(run.relu('conv2', run.conv('conv2', h1, 1, 2)), 3, 2, 1); // [B, 8, 8, c2]
    const f1 = run.relu('fc1', run.dense('fc1', flatten(h2)));
    return run.relu('fc2', run.dense('fc2', f1));
  }
}

/**
 * Builds the small LeNet 20-50-800-500 (layers `conv1..2`, `fc1..2`; x [B, 32, 32, 3]).
 * @example
 * ```ts
 * const net = lenet({ seed: 1, heads: Array(20).fill(100) });
 * net.logits(tf.zeros([2, 32, 32, 3]), 19, { training: false }); // [2, 100]
 * ```
 */
export function lenet(options: LenetOptions): Network {
  return new Lenet('lenet', [20, 50, 800, 500], options, 3);
}

/**
 * Builds the large LeNet 64-128-2500-1500 (x [B, 32, 32, 1] by default).
 * @example
 * ```ts
 * const net = lenetLarge({ seed: 1, heads: [12] });
 * net.logits(tf.zeros([2, 32, 32, 1]), 0, { training: false }); // [2, 12]
 * ```
 */
export function lenetLarge(options: LenetOptions): Network {
  return new Lenet('lenet-large', [64, 128, 2500, 1500], options, 1);
}
