/**
 * CLNP's neuron view of the reduced ResNet-18 (src/models/resnet18-reduced.ts): which kernels
 * write into which neurons, and which channels are one neuron.
 *
 * A block computes relu(norm(conv2(a)) + s) with s the block input h (identity shortcut) or
 * norm(shortcut(h)) (1×1 conv). Batch-statistics norm treats channels apart, so output channel c
 * is a function of channel c of conv2 and of s only. With an identity shortcut, channel c of the
 * block output is therefore tied to channel c of the block input: one neuron that cannot be
 * active in one layer and free in the other. A union-find over the layers ties
 * - each block's conv2 to the layer that produced its input (identity shortcut), or
 * - each block's conv2 to its own 1×1 shortcut conv (the shortcut starts a new group),
 * so the groups are the residual stream of each stage: {stem conv1, layer1.*.conv2},
 * {layer2.0.conv2, layer2.0.shortcut, layer2.1.conv2}, ... Inner convs (`layerS.B.conv1`) are
 * independent neuron sets. Channel c of every layer in a group shares one active/free status;
 * its activity is the mean of the group's distinct post-ReLU activations (the stem's `conv1`
 * and the block outputs `layerS.B`), each a mean |h| over samples and positions.
 *
 * Why isolation stays exact: an active group channel c is computed from active kernel columns
 * only (conv2 column c, shortcut column c, and through the identity the same channel of the
 * group's earlier layers), and those columns read active inputs only (connections from free
 * inputs are held at 0). Pruning channel c zeroes every tied column, so every block output
 * channel c is relu(norm(0) + 0) = 0.
 */
import { expectThat, InvalidArgumentError } from '../errors';
import type { ParamInfo } from '../models/types';
import type { NeuronLayer } from './neuron-layers';

/** Union-find over layer indices; the root is the smallest index of the set. */
class TiedLayers {
  private readonly parent: number[] = [];

  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }

  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }

  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const neuronsOf = (kernel: ParamInfo): number => kernel.shape[kernel.shape.length - 1];

/**
 * The neuron layers of a reduced ResNet-18 from its body kernels in registration order
 * (`conv1`, then per block `conv1`, `conv2` and an optional `shortcut`).
 * @throws InvalidArgumentError when the kernels do not follow that naming (a changed model).
 */
export function residualNeuronLayers(kernels: readonly ParamInfo[]): NeuronLayer[] {
  const fail = (got: string): never => {
    throw new InvalidArgumentError(`clnp: resnet18-reduced kernel "${got}" does not follow conv1, layerS.B.{conv1,conv2,shortcut}; update neuron-layers-residual.ts to the model.`);
  };
  expectThat(kernels[0]?.layer === 'conv1', `clnp: resnet18-reduced should start with the stem "conv1"; got "${kernels[0]?.layer}". Update neuron-layers-residual.ts to the model.`);
  const tied = new TiedLayers();
  const drafts: Omit<NeuronLayer, 'group'>[] = [];
  const push = (kernel: ParamInfo, below: number, activation: string): number => {
    drafts.push({ layer: kernel.layer, kernel, neurons: neuronsOf(kernel), below, activation });
    return tied.add();
  };
  let stream = push(kernels[0], -1, 'conv1'); // the layer whose channels the next block reads
  for (let k = 1; k < kernels.length; ) {
    const block = /^(layer\d+\.\d+)\.conv1$/.exec(kernels[k].layer)?.[1] ?? fail(kernels[k].layer);
    if (kernels[k + 1]?.layer !== `${block}.conv2`) fail(kernels[k + 1]?.layer ?? '(none)');
    const inner = push(kernels[k], stream, `${block}.conv1`);
    const conv2 = push(kernels[k + 1], inner, block);
    if (kernels[k + 2]?.layer === `${block}.shortcut`) {
      tied.union(conv2, push(kernels[k + 2], stream, block));
      k += 3;
    } else {
      expectThat(drafts[stream].neurons === drafts[conv2].neurons, `clnp: ${block} has an identity shortcut but ${drafts[stream].neurons} → ${drafts[conv2].neurons} channels.`);
      tied.union(conv2, stream);
      k += 2;
    }
    stream = conv2;
  }
  return drafts.map((d, i) => ({ ...d, group: tied.find(i) }));
}
