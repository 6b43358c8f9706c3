/**
 * Neuron-level view of a plain feed-forward network for CLNP (Golkar, Kagan & Cho 2019): the
 * body's conv and dense layers in forward order, each with its output neurons (dense units or
 * conv filters = output channels) and the layer whose neurons feed it. Also the host-side
 * index arithmetic that maps neuron sets onto kernel entries.
 *
 * Plain chains: every body layer reads the previous one's post-ReLU output (through pooling,
 * dropout, batch-statistics norm or flatten, which keep channels apart). The reduced ResNet-18
 * is supported with tied neurons (see neuron-layers-residual.ts): an identity shortcut adds
 * channel c of the block input to channel c of conv2, so those layers' channels c form one
 * neuron, active or free together. Other residual nets are refused.
 */
import { expectThat, InvalidArgumentError } from '../errors';
import type { Network, ParamInfo } from '../models/types';
import { residualNeuronLayers } from './neuron-layers-residual';

/** Architectures whose body is a plain chain of conv/dense layers (CLNP-ready). */
export const neuronChainArchitectures = Object.freeze(['alexnet', 'lenet', 'lenet-large', 'mlp', 'tinynet'] as const);

/** Every architecture CLNP supports: the plain chains and the reduced ResNet-18 (tied neurons). */
export const neuronArchitectures = Object.freeze([...neuronChainArchitectures, 'resnet18-reduced'] as const);

/** One body layer seen as a set of neurons. */
export interface NeuronLayer {
  /** Layer name, as in `onActivation` (`fc1`, `conv2`). */
  readonly layer: string;
  readonly kernel: ParamInfo;
  readonly bias?: ParamInfo;
  /** Output neurons: dense units or conv filters (kernel's last dimension). */
  readonly neurons: number;
  /** Index of the layer whose neurons feed this kernel; -1 for the input image. */
  readonly below: number;
  /** `onActivation` name of the post-ReLU output these neurons produce (`fc1`; `layer2.0` for a block's conv2). */
  readonly activation: string;
  /**
   * Index of the first layer of this layer's tied group (itself when untied). Layers of one group
   * have the same neuron count and channel c of each is one neuron: one active/free status, one
   * activity (the mean over the group's distinct activations).
   */
  readonly group: number;
}

/**
 * The body's neuron layers in forward order.
 * @throws InvalidArgumentError for an architecture that is neither a plain chain nor resnet18-reduced,
 *   or when kernel shapes do not chain (a custom network).
 * @example
 * ```ts
 * neuronLayers(createNetwork('mlp', { seed: 0, heads: [10] })).map((l) => l.neurons); // [100, 100]
 * ```
 */
export function neuronLayers(network: Network): NeuronLayer[] {
  if (!(neuronArchitectures as readonly string[]).includes(network.architecture)) {
    throw new InvalidArgumentError(
      `clnp: architecture "${network.architecture}" is neither a plain chain of conv/dense layers nor the reduced ResNet-18 ` +
        `(its residual sums are not mapped to tied neurons), so neurons cannot be frozen one by one. ` +
        `Use one of: ${neuronArchitectures.join(', ')} (e.g. --set architecture=resnet18-reduced or architecture=alexnet).`,
    );
  }
  const kernels = network.paramInfo.filter((p) => (p.kind === 'conv' || p.kind === 'dense') && p.role === 'kernel');
  const out: NeuronLayer[] =
    network.architecture === 'resnet18-reduced'
      ? residualNeuronLayers(kernels)
      : kernels.map((kernel, i) => {
          const bias = network.paramInfo.find((p) => p.layer === kernel.layer && p.role === 'bias');
          const neurons = kernel.shape[kernel.shape.length - 1];
          return { layer: kernel.layer, kernel, ...(bias ? { bias } : {}), neurons, below: i - 1, activation: kernel.layer, group: i };
        });
  out.forEach((l) => {
    if (l.below < 0) return;
    const fanInRows = l.kernel.shape[l.kernel.shape.length - 2];
    const below = out[l.below];
    expectThat(fanInRows % below.neurons === 0, `clnp: layer "${l.layer}" has ${fanInRows} inputs, not a multiple of the ${below.neurons} neurons of "${below.layer}".`);
  });
  const last = out[out.length - 1];
  expectThat(
    last !== undefined && network.featureSize % last.neurons === 0,
    `clnp: the heads read ${network.featureSize} features, not a multiple of the ${last?.neurons ?? 0} neurons of the last body layer.`,
  );
  return out;
}

/** Indices of the layers that stand for a neuron set: each untied layer and the first layer of each tied group. */
export function _groupHeads(layers: readonly NeuronLayer[]): number[] {
  return layers.flatMap((l, i) => (l.group === i ? [i] : []));
}

/**
 * For a kernel of `shape` ([..., in, out]) whose input rows come from `belowNeurons` neurons
 * (flattened NHWC: row r reads channel r mod belowNeurons), calls `visit(i, inNeuron, outNeuron)`
 * for every flat entry i. `belowNeurons` 0 means the input image (inNeuron −1).
 */
export function _forEachEntry(
  shape: readonly number[],
  belowNeurons: number,
  visit: (i: number, inNeuron: number, outNeuron: number) => void,
): void {
  const outN = shape[shape.length - 1];
  const inN = shape[shape.length - 2];
  const size = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < size; i++) {
    const row = Math.floor(i / outN) % inN;
    visit(i, belowNeurons > 0 ? row % belowNeurons : -1, i % outN);
  }
}

/** 1 where the entry's output neuron is set in `outSet`, else 0 (e.g. the trainable columns). */
export function _columnMask(shape: readonly number[], outSet: Uint8Array): Float32Array {
  const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const outN = shape[shape.length - 1];
  for (let i = 0; i < mask.length; i++) mask[i] = outSet[i % outN];
  return mask;
}

/**
 * 0 on connections from a neuron outside `belowActive` into a neuron in `active` (they must stay
 * zero so active neurons never read free ones), 1 elsewhere. For the first layer (input image)
 * every input counts as active.
 */
export function _isolationMask(shape: readonly number[], belowActive: Uint8Array | null, active: Uint8Array): Float32Array {
  const mask = new Float32Array(shape.reduce((a, b) => a * b, 1));
  _forEachEntry(shape, belowActive?.length ?? 0, (i, inNeuron, outNeuron) => {
    mask[i] = active[outNeuron] === 1 && belowActive !== null && belowActive[inNeuron] === 0 ? 0 : 1;
  });
  return mask;
}

/** Host copy of a per-neuron flag array: neurons of `layer` with `flags[j]` set, as indices. */
export function _indices(flags: Uint8Array): number[] {
  const out: number[] = [];
  flags.forEach((f, j) => {
    if (f) out.push(j);
  });
  return out;
}
