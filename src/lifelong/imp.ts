/**
 * Iterative magnitude pruning (IMP; Frankle & Carbin 2019), the lifelong-tickets primitive
 * `prune(p)` (methods.md §2.4): remove the fraction p of the still-kept weights of the chosen
 * layer kinds (conv only by default) with the smallest |w|, ranked globally across layers or
 * within each layer; then rewind the survivors (to θ(0), to θ(k), random re-init, or not at all)
 * and retrain. Random pruning is the usual ablation.
 */
import { expectInRange, expectOneOf, expectThat } from '../errors';
import type { Network, ParamKind } from '../models/types';
import { magnitudePrune } from '../pruning/magnitude-prune';
import { fullMask, globalDensity, maskableNames, type Mask } from '../pruning/mask';
import { deriveSeed, Rng } from '../random';
import type { Snapshot } from '../train/snapshot';
import { applyMaskToNetwork, reinitWeights, rewindWeights } from './masked-network';

/** Options of {@link pruneNetwork}. */
export interface PruneOptions {
  /** Fraction p of the still-kept weights to remove, in [0, 1]. Default 0.2 (§2.4). */
  readonly pruneFractionOfRemaining?: number;
  /** Rank over all chosen layers at once (default, §2.4) or within each layer. */
  readonly scope?: 'global' | 'per-layer';
  /** `magnitude` (default) or `random` (ablation; needs `seed`). */
  readonly criterion?: 'magnitude' | 'random';
  /** Seed of random pruning. */
  readonly seed?: number;
  /**
   * Only these kept entries may be removed (e.g. BU's newly re-grown weights, §2.6); the other
   * kept entries are never touched. Default: every kept entry.
   */
  readonly candidates?: Mask;
}

/**
 * A full mask over the maskable parameters of `kinds` (default conv only, as lifelong tickets).
 * @example
 * ```ts
 * const mask = initialMask(net); // density 1 over conv kernels
 * ```
 */
export function initialMask(network: Network, kinds: readonly ParamKind[] = ['conv']): Mask {
  const mask = fullMask(network.paramInfo, 1, kinds);
  expectThat(Object.keys(mask).length > 0, `initialMask: ${network.architecture} has no maskable parameters of kinds ${kinds.join(', ')}.`);
  return mask;
}

/**
 * One pruning round: returns a new mask with the fraction p of the (candidate) kept weights of
 * the mask's layers removed, and zeroes the removed weights in the network. Magnitudes are read
 * from the network's current values.
 * @throws InvalidArgumentError for p outside [0, 1] or random pruning without a seed
 * @example
 * ```ts
 * mask = pruneNetwork(net, mask, { pruneFractionOfRemaining: 0.2 }); // density × 0.8
 * ```
 */
export function pruneNetwork(network: Network, mask: Mask, options: PruneOptions = {}): Mask {
  const fn = 'pruneNetwork';
  const p = expectInRange(fn, 'pruneFractionOfRemaining', options.pruneFractionOfRemaining ?? 0.2, { min: 0, max: 1, hint: 'It is the share of the still-kept weights to remove.' });
  const scope = expectOneOf('pruning scope', options.scope ?? 'global', ['global', 'per-layer'] as const);
  const criterion = expectOneOf('pruning criterion', options.criterion ?? 'magnitude', ['magnitude', 'random'] as const);
  const names = Object.keys(mask);
  const pool: Mask = options.candidates ?? mask;
  let pruned: Record<string, Uint8Array>;
  if (criterion === 'magnitude') {
    const values = new Map(names.map((n) => [n, network.params.get(n)!.dataSync() as Float32Array]));
    // Restrict the ranking to candidates: entries outside them are hidden (bit 0) and restored after.
    pruned = { ...magnitudePrune(values, _and(mask, pool), { pruneFractionOfRemaining: p, scope, layers: names }) };
  } else {
    expectThat(options.seed !== undefined, `${fn}: random pruning needs a seed; pass { criterion: 'random', seed }.`);
    pruned = _randomPrune(_and(mask, pool), p, scope, options.seed!);
  }
  const out: Record<string, Uint8Array> = {};
  for (const n of names) {
    const keep = mask[n].slice();
    const cand = pool[n];
    for (let i = 0; i < keep.length; i++) if (keep[i] && cand[i] && !pruned[n][i]) keep[i] = 0;
    out[n] = keep;
  }
  applyMaskToNetwork(network, out);
  return out;
}

function _and(a: Mask, b: Mask): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [n, x] of Object.entries(a)) out[n] = x.map((v, i) => v & (b[n]?.[i] ?? 0));
  return out;
}

/** Removes round(p · kept) uniformly random kept entries (globally or per layer). */
function _randomPrune(mask: Record<string, Uint8Array>, p: number, scope: 'global' | 'per-layer', seed: number): Record<string, Uint8Array> {
  const groups = scope === 'global' ? [Object.keys(mask)] : Object.keys(mask).map((n) => [n]);
  for (const group of groups) {
    const kept: [string, number][] = [];
    for (const n of group) mask[n].forEach((v, i) => v && kept.push([n, i]));
    const rng = new Rng(deriveSeed(seed, 'random-prune', group.join('|')));
    for (const j of rng.sample(kept.length, Math.round(p * kept.length))) mask[kept[j][0]][kept[j][1]] = 0;
  }
  return mask;
}

/** How survivors restart after a pruning round. */
export type Rewind =
  | { readonly to: 'init' | 'step'; readonly weights: Snapshot }
  | { readonly to: 'reinit'; readonly seed: number }
  | { readonly to: 'none' };

/**
 * Restarts the surviving masked weights: θ(0) or θ(k) ⊙ m (`init` / `step`, from a snapshot),
 * fresh random values (`reinit`, ablation) or the current values (`none`). Unmasked parameters
 * (heads, norms) keep their values.
 */
export function rewindSurvivors(network: Network, mask: Mask, rewind: Rewind): void {
  if (rewind.to === 'none') applyMaskToNetwork(network, mask);
  else if (rewind.to === 'reinit') reinitWeights(network, mask, rewind.seed);
  else rewindWeights(network, rewind.weights, mask);
}

/** Options of {@link iterativePruning}. */
export interface IterativePruningOptions extends PruneOptions {
  /** Pruning rounds. */
  readonly rounds: number;
  /** Trains the masked network; called before each prune (`round` 0-based). */
  readonly train: (mask: Mask, round: number) => Promise<void>;
  /** How survivors restart after each prune. Default `none`. */
  readonly rewind?: Rewind;
  /** Train once more after the last prune (the final ticket). Default true. */
  readonly trainFinal?: boolean;
}

/**
 * IMP: `rounds` × {train; prune p; rewind}, then (by default) one final training of the ticket.
 * Returns the final mask and the density after each round (conv only by default).
 * @example
 * ```ts
 * const theta0 = takeSnapshot(net.params);
 * const { mask } = await iterativePruning(net, initialMask(net), {
 *   rounds: 3, rewind: { to: 'init', weights: theta0 },
 *   train: (m) => trainCilTask(net, cil, 0, { seed: 1, mask: m }).then(() => undefined),
 * });
 * ```
 */
export async function iterativePruning(network: Network, mask: Mask, options: IterativePruningOptions): Promise<{ mask: Mask; densities: number[] }> {
  const rounds = expectInRange('iterativePruning', 'rounds', options.rounds, { min: 0, integer: true });
  const densities: number[] = [];
  let current = mask;
  for (let r = 0; r < rounds; r++) {
    await options.train(current, r);
    current = pruneNetwork(network, current, options);
    rewindSurvivors(network, current, options.rewind ?? { to: 'none' });
    densities.push(globalDensity(current).density);
  }
  if (options.trainFinal ?? true) await options.train(current, rounds);
  return { mask: current, densities };
}

/** Names of the maskable parameters of `kinds` (conv only by default). */
export function prunableNames(network: Network, kinds: readonly ParamKind[] = ['conv']): string[] {
  return maskableNames(network.paramInfo, kinds);
}
