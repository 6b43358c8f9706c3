/**
 * WSN's AlexNet-like network for CIFAR-100 Split [methods.md §1.10, WSN code]: three convs
 * (k4, k3, k2, no padding) and two 2048-unit dense layers, each followed by batch-statistics
 * norm (non-affine, no running stats, §1.8) → ReLU → dropout (.2, .2, .5, .5, .5), maxpool 2
 * after each conv. Spatial 32 → 29 → 14 → 12 → 6 → 5 → 2; flatten 256·2·2 = 1024.
 * Bias-free; 6 499 328 maskable weights; heads 2048 → width.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { flatten, maxPool } from './layers';
import type { LayerRunner } from './layer-runner';
import { NetworkBase, type NetworkOptions } from './network-base';
import type { Network } from './types';

/** Dropout rates after conv1, conv2, conv3, fc1, fc2 [WSN code]. */
export const alexnetDropout = Object.freeze([0.2, 0.2, 0.5, 0.5, 0.5] as const);

class AlexNet extends NetworkBase {
  constructor(options: NetworkOptions) {
    super({ architecture: 'alexnet', inputShape: [32, 32, 3], featureSize: 2048 }, options);
    this.addConv('conv1', 4, 3, 64);
    this.addConv('conv2', 3, 64, 128);
    this.addConv('conv3', 2, 128, 256);
    this.addDense('fc1', 1024, 2048);
    this.addDense('fc2', 2048, 2048);
    this.addInitialHeads(options);
  }

  protected body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D {
    let h = x;
    ['conv1', 'conv2', 'conv3'].forEach((layer, i) => {
      const a = run.relu(layer, run.batchStatNorm(run.conv(layer, h))); // 29, 12, 5
      h = maxPool(run.dropout(layer, a, alexnetDropout[i]), 2); // 14, 6, 2
    });
    let f = flatten(h); // [B, 1024]
    ['fc1', 'fc2'].forEach((layer, i) => {
      f = run.dropout(layer, run.relu(layer, run.batchStatNorm(run.dense(layer, f))), alexnetDropout[3 + i]);
    });
    return f; // [B, 2048]
  }
}

/**
 * Builds the AlexNet-like network (layers `conv1..3`, `fc1..2`; x [B, 32, 32, 3]).
 * Training passes need `dropoutSeed`.
 * @example
 * ```ts
 * const net = alexnet({ seed: 1, heads: Array(10).fill(100) });
 * net.logits(tf.zeros([2, 32, 32, 3]), 0, { training: true, dropoutSeed: 5 }); // [2, 100]
 * ```
 */
export function alexnet(options: NetworkOptions): Network {
  return new AlexNet(options);
}
