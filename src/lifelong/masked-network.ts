/**
 * Holding a network to a binary mask during training (methods.md §2.4: "a pruned weight is held
 * at zero and receives no update"). Two guards, because either alone leaks:
 * - the forward `weight` hook uses `W ⊙ m`, so pruned entries contribute nothing and get a zero
 *   loss gradient;
 * - optimizer update masks freeze pruned entries and their momentum, so weight decay and stale
 *   momentum cannot regrow them (the classic lottery-ticket bug, pitfall P1).
 * Rewinding (Frankle & Carbin 2019; lifelong tickets §2.5 step 3) loads saved values into the
 * surviving entries only.
 */
import * as tf from '@tensorflow/tfjs-core';
import { UnknownNameError } from '../errors';
import { initValues } from '../models/init';
import { deriveSeed } from '../random';
import type { Network, ParamInfo } from '../models/types';
import { maskTensors, maskedWeight, type Mask } from '../pruning/mask';
import type { Optimizer } from '../train/optimizer';
import type { Snapshot } from '../train/snapshot';

/** A mask turned into tensors once, with its forward hook. Dispose when training ends. */
export interface MaskBinding {
  /** Forward `weight` hook: `W ⊙ m` for masked parameters, identity for the others. */
  readonly weight: (info: ParamInfo, variable: tf.Variable) => tf.Tensor;
  /** Freezes the pruned entries (and their slots) of every masked parameter in `optimizer`. */
  attach(optimizer: Optimizer): void;
  /** Frees the mask tensors. */
  dispose(): void;
}

/**
 * Binds `mask` to `network`: a forward hook and optimizer update masks over the same tensors.
 * @throws UnknownNameError when the mask names a parameter the network lacks
 * @example
 * ```ts
 * const bound = bindMask(net, mask);
 * const opt = sgd(net.params, { learningRate: 0.01 }); bound.attach(opt);
 * net.logits(x, 0, { training: true, weight: bound.weight });
 * ```
 */
export function bindMask(network: Network, mask: Mask): MaskBinding {
  const tensors = maskTensors(mask, network.paramInfo);
  return {
    weight: maskedWeight(tensors),
    attach(optimizer) {
      for (const [name, m] of tensors) optimizer.setUpdateMask(name, m);
    },
    dispose() {
      tf.dispose([...tensors.values()]);
    },
  };
}

function paramOf(fn: string, network: Network, name: string): tf.Variable {
  const v = network.params.get(name);
  if (!v) throw new UnknownNameError(`${fn}: the network has no parameter "${name}". Build masks with fullMask(net.paramInfo, 1, kinds).`);
  return v;
}

/**
 * Sets every masked weight of the network to exactly zero (`W ← W ⊙ m`), e.g. right after a
 * pruning round.
 * @throws UnknownNameError when the mask names a parameter the network lacks
 */
export function applyMaskToNetwork(network: Network, mask: Mask): void {
  for (const [name, bits] of Object.entries(mask)) {
    const v = paramOf('applyMaskToNetwork', network, name);
    tf.tidy(() => v.assign(tf.mul(v, tf.tensor(Float32Array.from(bits), v.shape))));
  }
}

/**
 * Rewinds the masked parameters to saved values: `W ← θ_saved ⊙ m` (θ(0) for lottery tickets,
 * θ(k) for late rewinding). Other parameters (heads, norms, unmasked layers) keep their values.
 * @throws UnknownNameError when the snapshot lacks a masked parameter
 * @example
 * ```ts
 * const theta0 = takeSnapshot(net.params); // before training
 * rewindWeights(net, theta0, mask);        // after pruning
 * ```
 */
export function rewindWeights(network: Network, saved: Snapshot, mask: Mask): void {
  for (const [name, bits] of Object.entries(mask)) {
    const v = paramOf('rewindWeights', network, name);
    const value = saved.get(name);
    if (!value) throw new UnknownNameError(`rewindWeights: the saved weights lack "${name}". Snapshot net.params (takeSnapshot) before training.`);
    tf.tidy(() => v.assign(tf.mul(value, tf.tensor(Float32Array.from(bits), v.shape))));
  }
}

/**
 * Random re-initialisation ablation (Frankle & Carbin 2019): the masked parameters get fresh
 * Kaiming-uniform values from `deriveSeed(seed, 'reinit', name)`, then `⊙ m`.
 * @throws UnknownNameError when the mask names a parameter the network lacks
 */
export function reinitWeights(network: Network, mask: Mask, seed: number): void {
  const infos = new Map(network.paramInfo.map((p) => [p.name, p]));
  for (const [name, bits] of Object.entries(mask)) {
    const v = paramOf('reinitWeights', network, name);
    const info = infos.get(name)!;
    const values = initValues('kaiming-uniform', bits.length, info.fanIn, deriveSeed(seed, 'reinit', name));
    for (let i = 0; i < bits.length; i++) if (!bits[i]) values[i] = 0;
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  }
}

