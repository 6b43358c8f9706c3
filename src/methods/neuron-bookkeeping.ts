/**
 * CLNP's bookkeeping on the network's weights (Golkar, Kagan & Cho 2019; methods.md §3 items
 * 4–5). Per layer, a neuron is *active* (used by some task ≤ t: its incoming weights are frozen)
 * or *free* (trains on the next task). Invariants kept after every task:
 * - a connection from a non-active neuron into an active one is exactly 0 and frozen, so an
 *   active neuron computes the same function whatever the free neurons do;
 * - head j's rows from neurons that were not active after task j are 0 (heads are trained only
 *   on their own task), so old heads never read free neurons;
 * - free neurons' incoming weights (and biases) are freshly drawn, Kaiming-uniform
 *   U(−1/√fanIn, 1/√fanIn) as in src/models/init.ts, from a seed derived per task and layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOptions, Network, ParamInfo } from '../models/types';
import { initValues } from '../models/init';
import { deriveSeed } from '../random';
import { _columnMask, _forEachEntry, type NeuronLayer } from './neuron-layers';

/** What the current task trains: variables by name and their update masks (caller disposes). */
export interface TrainableSet {
  readonly variables: Map<string, tf.Variable>;
  /** 1 = may move, 0 = frozen exactly (Optimizer.setUpdateMask). Caller disposes. */
  readonly updateMasks: Map<string, tf.Tensor>;
}

function headParams(network: Network, task: number): ParamInfo[] {
  return network.paramInfo.filter((p) => p.kind === 'head' && p.head?.task === task);
}

/**
 * The body's kernels and biases, restricted by update masks to columns of free neurons, plus
 * head `task` of every branch (fully trainable). Old and future heads are left out.
 */
export function _trainableSet(network: Network, layers: readonly NeuronLayer[], active: readonly Uint8Array[], task: number): TrainableSet {
  const variables = new Map<string, tf.Variable>();
  const updateMasks = new Map<string, tf.Tensor>();
  layers.forEach((l, i) => {
    const free = active[i].map((a) => 1 - a);
    variables.set(l.kernel.name, network.params.get(l.kernel.name)!);
    updateMasks.set(l.kernel.name, tf.tensor(_columnMask(l.kernel.shape, free), [...l.kernel.shape]));
    if (l.bias) {
      variables.set(l.bias.name, network.params.get(l.bias.name)!);
      updateMasks.set(l.bias.name, tf.tensor(Float32Array.from(free), [l.neurons]));
    }
  });
  for (const p of headParams(network, task)) variables.set(p.name, network.params.get(p.name)!);
  return { variables, updateMasks };
}

/** A weight hook that silences neurons, and the tensors it holds. */
export interface PruneHook {
  readonly weight: NonNullable<ForwardOptions['weight']>;
  dispose(): void;
}

/**
 * A weight hook that zeroes the incoming kernel columns (and biases) of the flagged neurons,
 * so their pre-activation is exactly 0 and their ReLU output (also after batch-statistics norm)
 * is exactly 0: the network as if those neurons were pruned. `pruned[i][j] = 1` prunes neuron j
 * of layer i.
 */
export function _pruneHook(layers: readonly NeuronLayer[], pruned: readonly Uint8Array[]): PruneHook {
  const keep = new Map<string, tf.Tensor>(); // param name → [neurons] keep flags, broadcast over the last axis
  layers.forEach((l, i) => {
    if (!pruned[i].some((p) => p === 1)) return;
    const flags = tf.tensor(Float32Array.from(pruned[i], (p) => 1 - p), [l.neurons]);
    keep.set(l.kernel.name, flags);
    if (l.bias) keep.set(l.bias.name, flags);
  });
  return {
    weight: (info, variable) => {
      const k = keep.get(info.name);
      return k ? tf.mul(variable, k) : variable;
    },
    dispose: () => tf.dispose([...new Set(keep.values())]),
  };
}

function assignValues(variable: tf.Variable, values: Float32Array): void {
  const t = tf.tensor(values, variable.shape, 'float32');
  variable.assign(t);
  t.dispose();
}

/**
 * Applies the invariants after task `task` with the updated `active` sets: isolates active
 * neurons from non-active inputs, zeroes head `task`'s rows from non-active last-layer neurons,
 * and redraws free neurons' incoming weights and biases from `deriveSeed(seed, 'clnp-reinit',
 * task, name)`. Exact host arithmetic: kept entries keep their bits.
 */
export function _consolidate(network: Network, layers: readonly NeuronLayer[], active: readonly Uint8Array[], task: number, seed: number): void {
  layers.forEach((l, i) => {
    const variable = network.params.get(l.kernel.name)!;
    const values = Float32Array.from(variable.dataSync());
    const fresh = initValues('kaiming-uniform', values.length, l.kernel.fanIn, deriveSeed(seed, 'clnp-reinit', task, l.kernel.name));
    const below = l.below >= 0 ? active[l.below] : null;
    const outActive = active[i];
    _forEachEntry(l.kernel.shape, below?.length ?? 0, (e, inNeuron, outNeuron) => {
      if (outActive[outNeuron] === 0) values[e] = fresh[e];
      else if (below !== null && below[inNeuron] === 0) values[e] = 0;
    });
    assignValues(variable, values);
    if (l.bias) {
      const bias = network.params.get(l.bias.name)!;
      const b = Float32Array.from(bias.dataSync());
      const freshBias = initValues('kaiming-uniform', b.length, l.bias.fanIn, deriveSeed(seed, 'clnp-reinit', task, l.bias.name));
      outActive.forEach((a, j) => {
        if (a === 0) b[j] = freshBias[j];
      });
      assignValues(bias, b);
    }
  });
  const last = active[active.length - 1];
  for (const p of headParams(network, task)) {
    if (p.role !== 'kernel') continue;
    const head = network.params.get(p.name)!;
    const values = Float32Array.from(head.dataSync());
    _forEachEntry(p.shape, last.length, (e, inNeuron) => {
      if (last[inNeuron] === 0) values[e] = 0;
    });
    assignValues(head, values);
  }
}
