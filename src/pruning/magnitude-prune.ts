/**
 * Unstructured magnitude pruning of what remains (L1, PyTorch `prune.l1_unstructured` /
 * `global_unstructured` semantics) [methods.md §2.4, P4]: among the weights still kept by the
 * mask, remove round(p · remaining) (Python round, halves to even) with the smallest |w|, ranked
 * over all chosen layers at once (`global`, the lifelong-tickets `prune(0.2)` over conv weights)
 * or within each layer (`per-layer`, PackNet-style). Ties at the threshold are broken by
 * position: the first ones in layer order, then row-major order, go first, so the count is exact.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, expectOneOf, ShapeMismatchError, UnknownNameError } from '../errors';
import type { Mask } from './mask';
import { roundHalfEven } from './round-half-even';
import { selectKth } from './select-kth';

/** Options of {@link magnitudePrune}. */
export interface MagnitudePruneOptions {
  /** Fraction p of the still-kept weights to remove, in [0, 1] (PyTorch `amount`). */
  readonly pruneFractionOfRemaining: number;
  /** Rank over all chosen layers at once (default) or within each layer. */
  readonly scope?: 'global' | 'per-layer';
  /** Layers to prune (e.g. `maskableNames(net.paramInfo, ['conv'])`). Default: every mask layer. */
  readonly layers?: readonly string[];
}

type Weights = Readonly<Record<string, Float32Array | tf.Tensor>> | ReadonlyMap<string, Float32Array | tf.Tensor>;

function valuesOf(weights: Weights, name: string): Float32Array | undefined {
  const w = weights instanceof Map ? weights.get(name) : (weights as Record<string, Float32Array | tf.Tensor>)[name];
  if (w === undefined) return undefined;
  return w instanceof Float32Array ? w : (w.dataSync() as Float32Array);
}

/** Removes round(fraction · kept) kept entries of the given layers, smallest |w| first (bits modified in place). */
function pruneGroup(values: Float32Array[], bits: Uint8Array[], fraction: number): void {
  let remaining = 0;
  for (const b of bits) for (let i = 0; i < b.length; i++) remaining += b[i];
  const toRemove = roundHalfEven(fraction * remaining); // PyTorch: round(amount · unpruned)
  if (toRemove === 0) return;
  const alive = new Float32Array(remaining);
  let j = 0;
  bits.forEach((b, l) => {
    const v = values[l];
    for (let i = 0; i < b.length; i++) if (b[i]) alive[j++] = Math.abs(v[i]);
  });
  const tau = selectKth(alive, toRemove); // the largest magnitude that goes
  let below = 0;
  bits.forEach((b, l) => {
    const v = values[l];
    for (let i = 0; i < b.length; i++) if (b[i] && Math.abs(v[i]) < tau) below++;
  });
  let tiesToRemove = toRemove - below;
  bits.forEach((b, l) => {
    const v = values[l];
    for (let i = 0; i < b.length; i++) {
      if (!b[i]) continue;
      const a = Math.abs(v[i]);
      if (a < tau) b[i] = 0;
      else if (a === tau && tiesToRemove > 0) {
        b[i] = 0;
        tiesToRemove--;
      }
    }
  });
}

/**
 * Returns a new mask with the fraction p of the still-kept weights of the chosen layers removed,
 * smallest |w| first; other layers are copied unchanged. `weights` maps parameter names to
 * values (Float32Array or tensors, read once to the host).
 * @throws InvalidArgumentError for p outside [0, 1]; UnknownNameError for a layer missing from
 *   the mask or the weights; ShapeMismatchError when sizes differ
 * @example
 * ```ts
 * const convs = maskableNames(net.paramInfo, ['conv']);
 * mask = magnitudePrune(net.params, mask, { pruneFractionOfRemaining: 0.2, layers: convs });
 * ```
 */
export function magnitudePrune(weights: Weights, mask: Mask, options: MagnitudePruneOptions): Mask {
  const fn = 'magnitudePrune';
  const p = expectInRange(fn, 'pruneFractionOfRemaining', options?.pruneFractionOfRemaining, {
    min: 0,
    max: 1,
    hint: 'It is the share of the still-kept weights to remove, e.g. 0.2 per lifelong-tickets round.',
  });
  const scope = expectOneOf('pruning scope', options.scope ?? 'global', ['global', 'per-layer'] as const);
  const names = options.layers ?? Object.keys(mask);
  const out: Record<string, Uint8Array> = {};
  for (const [k, b] of Object.entries(mask)) out[k] = b.slice();
  const values = names.map((name) => {
    if (!(name in mask)) throw new UnknownNameError(`${fn}: the mask has no layer "${name}". Its layers: ${Object.keys(mask).join(', ')}.`);
    const v = valuesOf(weights, name);
    if (!v) throw new UnknownNameError(`${fn}: no weights for "${name}". Pass net.params or a record with every pruned layer.`);
    if (v.length !== mask[name].length) {
      throw new ShapeMismatchError(`${fn}: weights for "${name}" have ${v.length} entries; the mask has ${mask[name].length}.`);
    }
    return v;
  });
  if (scope === 'global') pruneGroup(values, names.map((n) => out[n]), p);
  else names.forEach((n, i) => pruneGroup([values[i]], [out[n]], p));
  return out;
}
