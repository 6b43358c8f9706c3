/**
 * The pre-activation ResNet-18 of the lifelong-tickets code (Chen et al., ICLR 2021)
 * [methods.md §2.2]: 3×3 stem conv 3→64 (stride 1, pad 1); four stages of two PreActBlocks with
 * widths 64, 128, 256, 512 and first-block strides 1, 2, 2, 2. A block is
 * BN → ReLU → conv3×3 (stride s) → BN → ReLU → conv3×3, plus a shortcut: the input itself, or,
 * when the shape changes, a 1×1 conv (stride s) applied to the pre-activated input. Global
 * average pooling to 512 features, no final BN/ReLU. Convs are bias-free (11 159 232 maskable
 * weights); BN is ordinary affine BN with running averages (in {@link Network.state});
 * heads 512 → classes per task with bias, in two branches `main` and `random` by default.
 * Initialisation follows PyTorch defaults: Kaiming-uniform a = √5 for convs and heads, head
 * bias U(±1/√fanIn), BN gamma 1, beta 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerRunner } from './layer-runner';
import { NetworkBase, type NetworkOptions } from './network-base';
import type { Network } from './types';

interface Block {
  readonly name: string;
  readonly stride: number;
  readonly shortcut: boolean;
}

class PreactResnet18 extends NetworkBase {
  private readonly blocks: Block[] = [];

  constructor(options: NetworkOptions) {
    super(
      {
        architecture: 'preact-resnet18',
        inputShape: [32, 32, 3],
        featureSize: 512,
        defaults: { branches: ['main', 'random'], headBias: true },
      },
      options,
    );
    this.addConv('conv1', 3, 3, 64);
    let cin = 64;
    [64, 128, 256, 512].forEach((cout, stage) => {
      for (let b = 0; b < 2; b++) {
        const stride = b === 0 && stage > 0 ? 2 : 1;
        const name = `layer${stage + 1}.${b}`;
        const shortcut = stride !== 1 || cin !== cout;
        this.addBatchNorm(`${name}.bn1`, cin);
        this.addConv(`${name}.conv1`, 3, cin, cout);
        this.addBatchNorm(`${name}.bn2`, cout);
        this.addConv(`${name}.conv2`, 3, cout, cout);
        if (shortcut) this.addConv(`${name}.shortcut`, 1, cin, cout);
        this.blocks.push({ name, stride, shortcut });
        cin = cout;
      }
    });
    this.addInitialHeads(options);
  }

  protected body(x: tf.Tensor4D, run: LayerRunner): tf.Tensor2D {
    let h = run.conv('conv1', x, 1, 1); // [B, 32, 32, 64]
    for (const { name, stride, shortcut } of this.blocks) {
      const pre = run.relu(`${name}.bn1`, run.batchNorm(`${name}.bn1`, h));
      const s = shortcut ? run.conv(`${name}.shortcut`, pre, stride, 0) : h;
      const a = run.conv(`${name}.conv1`, pre, stride, 1);
      const b = run.conv(`${name}.conv2`, run.relu(`${name}.bn2`, run.batchNorm(`${name}.bn2`, a)), 1, 1);
      h = tf.add(b, s);
    } // [B, 4, 4, 512]
    return tf.mean(h, [1, 2]) as tf.Tensor2D; // [B, 512]
  }
}

/**
 * Builds the pre-activation ResNet-18 (layers `conv1`, `layer{1..4}.{0,1}.{bn1,conv1,bn2,conv2}`,
 * `layer{2..4}.0.shortcut`; x [B, 32, 32, 3]; activations named by the BN they follow).
 * Training passes update the BN running averages unless `updateNormStats: false`.
 * @example
 * ```ts
 * const net = preactResnet18({ seed: 1, heads: [2, 2] });
 * net.logits(tf.zeros([2, 32, 32, 3]), 1, { training: false, branch: 'random', concatUpTo: true }); // [2, 4]
 * ```
 */
export function preactResnet18(options: NetworkOptions): Network {
  return new PreactResnet18(options);
}
