/**
 * CLNP's graceful forgetting (Golkar, Kagan & Cho 2019; methods.md §3 item 3): the activity
 * threshold θ is the largest value for which the task's validation accuracy, with every neuron
 * of activity a_j < θ pruned, stays within `marginPoints` of the unpruned accuracy.
 *
 * The pruning order is fixed by activity, so only the sorted distinct activity values
 * v_1 < … < v_n matter. Pruning the k lowest groups (all neurons with a_j ≤ v_k) is achieved by
 * any θ in (v_k, v_{k+1}]; the largest such θ is v_{k+1}, and +∞ for k = n (everything
 * pruned). Candidate k = 0 is the unpruned network (θ = v_1).
 *
 * Search: bisection over k, assuming accuracy does not increase as k grows. It evaluates the
 * baseline (k = 0), then k = n, then ⌈log₂ n⌉ midpoints: O(log n) evaluations instead of n.
 * Every accepted k was evaluated, so the answer is always within the margin; the bisection
 * ends with k accepted and k + 1 evaluated and rejected (the verification). If monotonicity
 * is violated, the answer is still within the margin and still a boundary (k passes, k + 1
 * fails) but may not be the largest passing k: a larger one beyond a dip can be missed.
 */
import { expectInRange, InvalidArgumentError } from '../errors';

/** The chosen threshold and how it was found. */
export interface ThresholdChoice {
  /** Prune neurons with activity < theta. +Infinity when every candidate is pruned. */
  readonly theta: number;
  /** Number of distinct activity groups pruned (0 = nothing pruned). */
  readonly prunedGroups: number;
  /** Accuracy (%) at k = 0 (unpruned). */
  readonly baselineAccuracy: number;
  /** Accuracy (%) at the chosen θ. */
  readonly accuracy: number;
  /** Accuracy evaluations made (each is one pass over the validation data). */
  readonly evaluations: number;
}

/** Options of {@link gracefulThreshold}. */
export interface GracefulThresholdOptions {
  /** Allowed accuracy loss in percentage points, ≥ 0. */
  readonly marginPoints: number;
}

/**
 * Sorted distinct activity values, then θ_k for k = 0..n: θ_k = v_{k+1}, θ_n = +∞.
 * @example
 * ```ts
 * thresholdCandidates([0.3, 0, 0.3, 1]); // [0, 0.3, 1, Infinity]
 * ```
 */
export function thresholdCandidates(activities: ArrayLike<number>): number[] {
  const values = [...new Set(Array.from(activities))].sort((a, b) => a - b);
  return [...values, Number.POSITIVE_INFINITY];
}

/**
 * Largest θ whose pruned accuracy stays within the margin of the unpruned one, by bisection
 * over the sorted distinct activities (see the module comment for the monotonicity caveat).
 * @param activities activity of every prunable neuron (any order, ties allowed)
 * @param accuracyAt accuracy (%) with every neuron of activity < θ pruned
 * @throws InvalidArgumentError for a negative or non-finite margin, or a NaN activity
 * @example
 * ```ts
 * const acc = (theta: number) => (theta <= 0.5 ? 90 : 80); // losing the 0.5-group costs 10 points
 * const choice = await gracefulThreshold([0.1, 0.5, 0.9], acc, { marginPoints: 1 });
 * choice.theta; // 0.5: neurons below 0.5 pruned
 * ```
 */
export async function gracefulThreshold(
  activities: ArrayLike<number>,
  accuracyAt: (theta: number) => number | Promise<number>,
  options: GracefulThresholdOptions,
): Promise<ThresholdChoice> {
  const margin = expectInRange('gracefulThreshold', 'marginPoints', options.marginPoints, {
    min: 0,
    max: 100,
    hint: 'The margin is the accuracy (percentage points) CLNP may give up to free neurons; use 0 for none.',
  });
  if (Array.from(activities).some((a) => Number.isNaN(a))) {
    throw new InvalidArgumentError('gracefulThreshold: activities contain NaN; the network diverged. Lower the learning rate or the L1 strength.');
  }
  const thetas = thresholdCandidates(activities);
  const n = thetas.length - 1; // number of distinct groups
  let evaluations = 0;
  const accuracyOf = async (k: number): Promise<number> => {
    evaluations++;
    return accuracyAt(thetas[k]);
  };
  const baselineAccuracy = await accuracyOf(0);
  const floor = baselineAccuracy - margin;
  const result = (k: number, accuracy: number): ThresholdChoice => ({
    theta: thetas[k],
    prunedGroups: k,
    baselineAccuracy,
    accuracy,
    evaluations,
  });
  if (n === 0) return result(0, baselineAccuracy);
  const all = await accuracyOf(n);
  if (all >= floor) return result(n, all);
  // Invariant: lo passes (accuracy ≥ floor), hi fails.
  let lo = 0;
  let loAccuracy = baselineAccuracy;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const accuracy = await accuracyOf(mid);
    if (accuracy >= floor) {
      lo = mid;
      loAccuracy = accuracy;
    } else {
      hi = mid;
    }
  }
  return result(lo, loAccuracy);
}
