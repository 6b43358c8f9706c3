/**
 * WSN's TinyImageNet network [methods.md §1.10]: four conv3×3 stride 2 pad 1 with 160 channels
 * (64 → 32 → 16 → 8 → 4), ReLU after each, flatten 160·4·4 = 2560 → fc 640 → ReLU → fc 640 →
 * ReLU → head. No norm, no dropout, bias-free; 2 743 520 maskable weights.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { flatten } from './layers';
import type { LayerRunner } from './layer-runner';
import { NetworkBase, type NetworkOptions } from './network-base';
import type { Network } from './types';

class TinyNet extends NetworkBase {
  constructor(options: NetworkOptions) {
    super({ architecture: 'tinynet', inputShape: [64, 64, 3], featureSize: 640 }, options);
    [3, 160, 160, 160].forEach((cin, i) => this.addConv(`conv${i + 1}`, 3, cin, 160));
    this.addDense('fc1', 2560, 640);
    this.addDense('fc2', 640, 640);
    this.addInitialHeads(options);
  }

  protected body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D {
    let h = x;
    for (let i = 1; i <= 4; i++) h = run.relu(`conv${i}`, run.conv(`conv${i}`, h, 2, 1)); // 32, 16, 8, 4
    const f1 = run.relu('fc1', run.dense('fc1', flatten(h))); // [B, 640]
    return run.relu('fc2', run.dense('fc2', f1));
  }
}

/**
 * Builds TinyNet (layers `conv1..4`, `fc1..2`; x [B, 64, 64, 3]).
 * @example
 * ```ts
 * const net = tinynet({ seed: 1, heads: Array(40).fill(200) });
 * net.logits(tf.zeros([2, 64, 64, 3]), 0, { training: false }); // [2, 200]
 * ```
 */
export function tinynet(options: NetworkOptions): Network {
  return new TinyNet(options);
}
