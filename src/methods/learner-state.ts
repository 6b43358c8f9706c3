/**
 * Checkpoint plumbing shared by the baseline learners: copy named tensors into a
 * {@link LearnerState} under a prefix, read them back with checks that name what is missing,
 * and read the JSON part safely. Unchecked internals: leading underscore.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../errors';
import type { JsonValue } from '../train/checkpoint';
import type { Network } from '../models/types';
import type { LearnerState } from './types';

/** Copies every tensor of `source` into `into` as `prefix + name` (clones; caller owns them). */
export function _putTensors(into: Map<string, tf.Tensor>, prefix: string, source: ReadonlyMap<string, tf.Tensor>): void {
  for (const [name, t] of source) into.set(prefix + name, tf.clone(t));
}

/**
 * The tensor saved as `key`, checked against `shape`.
 * @throws CheckpointError naming the method, the key and what to do.
 */
export function _takeTensor(method: string, state: LearnerState, key: string, shape: readonly number[]): tf.Tensor {
  const t = state.tensors.get(key);
  if (t === undefined) {
    throw new CheckpointError(`${method}.setState: the state has no tensor "${key}". Restore a state saved by ${method} with the same architecture.`);
  }
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new CheckpointError(`${method}.setState: tensor "${key}" has shape [${t.shape.join(',')}]; expected [${shape.join(',')}]. Use the architecture the state was saved with.`);
  }
  return t;
}

/** Saves every parameter of `network` as `prefix + name`. */
export function _putNetwork(into: Map<string, tf.Tensor>, prefix: string, network: Network): void {
  _putTensors(into, prefix, network.params);
  _putTensors(into, `${prefix}state:`, network.state);
}

/**
 * Restores a network saved by {@link _putNetwork}, first adding heads of `headWidths` that it
 * lacks. Validates every tensor before assigning any.
 * @throws CheckpointError on a missing tensor, a shape mismatch or a network with more heads.
 */
export function _loadNetwork(method: string, state: LearnerState, prefix: string, network: Network, headWidths: readonly number[]): void {
  const have = network.headWidths;
  if (have.length > headWidths.length || have.some((w, i) => w !== headWidths[i])) {
    throw new CheckpointError(
      `${method}.setState: the learner has heads [${have.join(',')}] but the state has [${headWidths.join(',')}]. Restore into a fresh learner.`,
    );
  }
  for (let t = have.length; t < headWidths.length; t++) network.addHead(headWidths[t]);
  const pairs: [tf.Variable, tf.Tensor][] = [];
  for (const [name, v] of network.params) pairs.push([v, _takeTensor(method, state, prefix + name, v.shape)]);
  for (const [name, v] of network.state) pairs.push([v, _takeTensor(method, state, `${prefix}state:${name}`, v.shape)]);
  for (const [v, t] of pairs) v.assign(t);
}

/**
 * The JSON object of a state, checked to come from `method`.
 * @throws CheckpointError when the state is not an object of that method.
 */
export function _stateJson(method: string, state: LearnerState): Readonly<Record<string, JsonValue>> {
  const json = state?.json;
  if (json === null || typeof json !== 'object' || Array.isArray(json) || (json as Record<string, JsonValue>).method !== method) {
    const got = json !== null && typeof json === 'object' && !Array.isArray(json) ? String((json as Record<string, JsonValue>).method) : typeof json;
    throw new CheckpointError(`${method}.setState: the state was saved by "${got}", not ${method}. Restore it with the method that saved it.`);
  }
  return json as Readonly<Record<string, JsonValue>>;
}

/**
 * A list of positive integers from the state's JSON (head widths).
 * @throws CheckpointError when missing or malformed.
 */
export function _jsonInts(method: string, json: Readonly<Record<string, JsonValue>>, key: string): number[] {
  const value = json[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    throw new CheckpointError(`${method}.setState: "${key}" must be a list of whole numbers; got ${JSON.stringify(value)}.`);
  }
  return value as number[];
}
