/**
 * CLNP's activity score (Golkar, Kagan & Cho 2019; methods.md §3 item 2): for each hidden
 * neuron j, a_j = mean over samples x of |h_j(x)|, the post-ReLU output; for a conv filter the
 * mean runs over samples and spatial positions. Read through the network's `onActivation` hook
 * in inference mode (dropout off), at a fixed batch size (batch-statistics norm depends on it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { Task, TaskSplit } from '../data/types';
import { expectPositiveInt, InvalidArgumentError } from '../errors';
import type { ForwardOptions, Network } from '../models/types';

/** Options of {@link neuronActivity}. */
export interface NeuronActivityOptions {
  /** Layers to score (e.g. `['fc1', 'fc2']`); others are ignored. */
  readonly layers: readonly string[];
  /** Evaluation batch size. Default 64. */
  readonly batchSize?: number;
  /** Weight hook of the forward pass (e.g. a pruning mask). Default none. */
  readonly weight?: ForwardOptions['weight'];
}

/**
 * Mean |activation| per neuron of each requested layer over `split` (default: the task's
 * validation split, or its training split when it has no validation split).
 * @returns one Float32Array per layer, length = the layer's neurons (units or filters)
 * @throws InvalidArgumentError for a bad batch size, an empty split, or a requested layer the
 *   forward pass never reports.
 * @example
 * ```ts
 * const a = await neuronActivity(net, task, { layers: ['fc1', 'fc2'] });
 * a.get('fc1')!.length; // 100
 * ```
 */
export async function neuronActivity(
  network: Pick<Network, 'logits'>,
  task: Task,
  options: NeuronActivityOptions,
  split: TaskSplit = task.val.count > 0 ? task.val : task.train,
): Promise<Map<string, Float32Array>> {
  const batchSize = expectPositiveInt('neuronActivity', 'batchSize', options.batchSize ?? 64);
  if (split.count === 0) {
    throw new InvalidArgumentError(`neuronActivity: task ${task.index} has no samples to score activity on; give it a validation or training split.`);
  }
  const wanted = new Set(options.layers);
  const sums = new Map<string, tf.Tensor>(); // layer → [neurons], summed |h| over samples·positions
  const positions = new Map<string, number>();
  try {
    for (const batch of batches(split, task.transform, { batchSize })) {
      try {
        tf.tidy(() => {
          network.logits(batch.x, task.index, {
            training: false,
            weight: options.weight,
            onActivation: (layer, h) => {
              if (!wanted.has(layer)) return;
              const channels = h.shape[h.rank - 1];
              const axes = Array.from({ length: h.rank - 1 }, (_, i) => i);
              const summed = tf.sum(tf.abs(h), axes); // [neurons]
              const previous = sums.get(layer);
              sums.set(layer, tf.keep(previous ? tf.add(previous, summed) : summed));
              previous?.dispose();
              positions.set(layer, (positions.get(layer) ?? 0) + h.size / channels);
            },
          });
        });
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
    }
    const out = new Map<string, Float32Array>();
    for (const layer of options.layers) {
      const sum = sums.get(layer);
      if (!sum) {
        throw new InvalidArgumentError(`neuronActivity: the forward pass never reported layer "${layer}"; check the layer names.`);
      }
      const values = (await sum.data()) as Float32Array;
      const count = positions.get(layer)!;
      out.set(layer, Float32Array.from(values, (v) => v / count));
    }
    return out;
  } finally {
    tf.dispose([...sums.values()]);
  }
}
