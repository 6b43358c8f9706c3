/**
 * Puts an {@link OptimizerState} into checkpoint form (JSON + named tensors) and back, so a
 * resumed run continues with the same momentum buffers / Adam moments and step counts.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors';
import type { JsonValue } from './checkpoint';
import type { OptimizerState } from './optimizer';

/**
 * Splits an optimizer state into JSON (`kind`, learning rate, hyper-parameters, step counts,
 * slot keys) and tensors named `prefix/slot/param`. The tensors are `state.slots`' own (not
 * copies): dispose them once, after saving.
 * @example
 * ```ts
 * const packed = packOptimizerState('optimizer', opt.getState());
 * await saveCheckpoint(dir, { ...rest, extra: { optimizer: packed.json }, tensors: new Map([...weights, ...packed.tensors]) });
 * ```
 */
export function packOptimizerState(prefix: string, state: OptimizerState): { json: JsonValue; tensors: Map<string, tf.Tensor> } {
  const tensors = new Map<string, tf.Tensor>();
  for (const [key, t] of state.slots) tensors.set(`${prefix}/${key}`, t);
  return {
    json: { kind: state.kind, learningRate: state.learningRate, hyper: { ...state.hyper }, steps: { ...state.steps }, slots: [...state.slots.keys()] },
    tensors,
  };
}

/**
 * Rebuilds an optimizer state from {@link packOptimizerState}'s JSON and a loaded tensor map.
 * The slots are the map's tensors (not copies); {@link restoreOptimizer} copies them.
 * @throws CheckpointError when the JSON is malformed or a slot tensor is missing.
 */
export function unpackOptimizerState(prefix: string, json: JsonValue | undefined, tensors: ReadonlyMap<string, tf.Tensor>): OptimizerState {
  const j = json as { kind?: unknown; learningRate?: unknown; hyper?: unknown; steps?: unknown; slots?: unknown } | null;
  if (!j || typeof j !== 'object' || (j.kind !== 'sgd' && j.kind !== 'adam') || typeof j.learningRate !== 'number' || !Array.isArray(j.slots) || typeof j.hyper !== 'object' || typeof j.steps !== 'object') {
    throw new CheckpointError(`unpackOptimizerState: the saved optimizer state under "${prefix}" is malformed; got ${JSON.stringify(json)?.slice(0, 120)}. Was it written by packOptimizerState?`);
  }
  const slots = new Map<string, tf.Tensor>();
  for (const key of j.slots as string[]) {
    const t = tensors.get(`${prefix}/${key}`);
    if (t === undefined) throw new CheckpointError(`unpackOptimizerState: tensor "${prefix}/${key}" is missing from the checkpoint.`);
    slots.set(key, t);
  }
  return { kind: j.kind, learningRate: j.learningRate, hyper: j.hyper as Record<string, number>, steps: j.steps as Record<string, number>, slots };
}
