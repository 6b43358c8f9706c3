/**
 * The reduced ResNet-18 of GPM/WSN for 5-Datasets [methods.md §1.10]: conv3×3 3→nf (stride 1,
 * pad 1) → norm → ReLU; four stages of two BasicBlocks with widths nf, 2nf, 4nf, 8nf and
 * first-block strides 1, 2, 2, 2. A block is conv3×3 → norm → ReLU → conv3×3 → norm, plus a
 * shortcut (identity, or conv1×1 stride s → norm when the shape changes), then ReLU. Then
 * average-pool 2×2 on the 4×4 map → 8nf·2·2 features (640 for nf = 20). Every norm is WSN's
 * batch-statistics norm (§1.8); all convs, 1×1 shortcuts included, are maskable and bias-free:
 * 1 090 140 weights for nf = 20.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange } from '../errors';
import { avgPool, flatten } from './layers';
import type { LayerRunner } from './layer-runner';
import { NetworkBase, type NetworkOptions } from './network-base';
import type { Network } from './types';

/** Options of {@link resnet18Reduced}. */
export interface Resnet18ReducedOptions extends NetworkOptions {
  /** Base width nf. Default 20. */
  readonly nf?: number;
}

interface Block {
  readonly name: string;
  readonly stride: number;
  readonly shortcut: boolean;
}

class Resnet18Reduced extends NetworkBase {
  private readonly blocks: Block[] = [];

  constructor(options: Resnet18ReducedOptions) {
    const nf = expectInRange('resnet18-reduced', 'nf', options?.nf ?? 20, { min: 1, integer: true });
    super({ architecture: 'resnet18-reduced', inputShape: [32, 32, 3], featureSize: 8 * nf * 4 }, options);
    this.addConv('conv1', 3, 3, nf);
    let cin = nf;
    [1, 2, 4, 8].forEach((mult, stage) => {
      const cout = nf * mult;
      for (let b = 0; b < 2; b++) {
        const stride = b === 0 && stage > 0 ? 2 : 1;
        const name = `layer${stage + 1}.${b}`;
        const shortcut = stride !== 1 || cin !== cout;
        this.addConv(`${name}.conv1`, 3, cin, cout);
        this.addConv(`${name}.conv2`, 3, cout, cout);
        if (shortcut) this.addConv(`${name}.shortcut`, 1, cin, cout);
        this.blocks.push({ name, stride, shortcut });
        cin = cout;
      }
    });
    this.addInitialHeads(options);
  }

  protected body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D {
    let h = run.relu('conv1', run.batchStatNorm(run.conv('conv1', x, 1, 1))); // [B, 32, 32, nf]
    for (const { name, stride, shortcut } of this.blocks) {
      const a = run.relu(`${name}.conv1`, run.batchStatNorm(run.conv(`${name}.conv1`, h, stride, 1)));
      const b = run.batchStatNorm(run.conv(`${name}.conv2`, a, 1, 1));
      const s = shortcut ? run.batchStatNorm(run.conv(`${name}.shortcut`, h, stride, 0)) : h;
      h = run.relu(name, tf.add(b, s));
    } // [B, 4, 4, 8nf]
    return flatten(avgPool(h, 2)); // [B, 8nf·4]
  }
}

/**
 * Builds the reduced ResNet-18 (layers `conv1`, `layer{1..4}.{0,1}.conv{1,2}`,
 * `layer{2..4}.0.shortcut`; x [B, 32, 32, 3]; activations of block outputs as `layer2.0`).
 * @example
 * ```ts
 * const net = resnet18Reduced({ seed: 1, heads: Array(5).fill(10) });
 * net.logits(tf.zeros([2, 32, 32, 3]), 4, { training: false }); // [2, 10]
 * ```
 */
export function resnet18Reduced(options: Resnet18ReducedOptions): Network {
  return new Resnet18Reduced(options);
}
