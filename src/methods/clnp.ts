/**
 * CLNP, Continual Learning via Neural Pruning (Golkar, Kagan & Cho 2019, arXiv 1903.04476;
 * methods.md §3). Task-incremental, multi-head, one dense network of fixed size:
 *
 * 1. Train task t on the free neurons only: weights into active neurons are frozen exactly by
 *    optimizer update masks (Optimizer.setUpdateMask, whatever Adam's state, pitfall P1); the
 *    connections from free into active neurons were set to 0 at consolidation and are among
 *    those frozen entries, and old heads are not trained at all, so no weight hook is needed
 *    in training. The loss is CE + α·Σ|W| over the trainable body weights (§3 item 1). The
 *    WSN-paper per-task protocol of {@link trainOnTask} (fresh Adam, plateau rule, best val snapshot).
 * 2. Activity a_j = mean |h_j| over the task's validation data (training data without a
 *    validation split); for conv filters also over spatial positions (§3 item 2).
 * 3. Graceful forgetting: θ = the largest value keeping validation accuracy within m points of
 *    the unpruned accuracy, by bisection over the sorted distinct activities (§3 item 3;
 *    {@link gracefulThreshold}). Neurons with a_j < θ are pruned and return to the free pool.
 * 4. Consolidate (§3 item 4): trained neurons with a_j ≥ θ become active and frozen; every
 *    connection from a non-active neuron into an active one, and head t's rows from non-active
 *    neurons, are set to 0 and stay 0; free neurons' incoming weights are redrawn
 *    (Kaiming-uniform, seeded). So later tasks cannot change any old task's outputs: after the
 *    task's own pruning step its accuracy is frozen bit for bit (BWT exactly 0).
 * 5. Task t + 1 trains the free neurons, which read active neurons below (reuse, §3 item 5).
 * A task stopped through `shouldStop` is still scored, pruned and consolidated, so the learner
 * stays consistent. `details.theta` is +Infinity when every trained neuron could be pruned.
 *
 * Source status: no official code exists; methods.md gives the mechanism from the abstract and
 * the WSN paper and marks the details [unverified]. Those could not be checked against the
 * paper in this environment (no access to arXiv 1903.04476 here); what methods.md states and
 * what is chosen here:
 * - α: methods.md "[unverified: exact α; a third-party port uses 1e-5]" → default `l1Strength`
 *   1e-5. Applied to conv/dense kernels of the body only (not heads, not biases), and only to
 *   entries that train this task (frozen entries would add a constant).
 * - m: methods.md "[unverified: m values; small, fractions of a percent to ~1 %]" → default
 *   `marginPoints` 1 (percentage points of validation accuracy).
 * - One global θ for all layers (methods.md speaks of one θ), compared with raw activities.
 * - No retraining after pruning (methods.md describes none).
 * - Setup and result numbers (methods.md §3 item 6) are [unverified] and not reproduced here.
 * Deviations by design: validation accuracy drives θ (never test). Architectures: the plain
 * chains (alexnet, lenet, lenet-large, mlp, tinynet) and the reduced ResNet-18 of 5-Datasets,
 * whose identity shortcuts tie channel c of a stage's layers (stem, block outputs) into one
 * neuron: a union-find over the tied layers gives groups that are active or free together,
 * scored by the mean of the group's activations (neuron-layers-residual.ts); inner block convs
 * are neurons of their own. Isolation stays exact (BWT 0, tested bit for bit). preact-resnet18
 * is refused. The paper's wide MLPs: `LearnerSetup.network.hidden` (benchmark option `hidden`).
 *
 * CAP = 100 %: one dense network; the neuron sets are a few bits per neuron. `density` in
 * {@link CapacityReport} is the fraction of body neurons active (not of weights).
 */
import { expectInRange, InvalidArgumentError } from '../errors';
import { _ClnpLearner, type ClnpLearner, type ClnpOptions } from './clnp-learner';
import type { ContinualMethod, LearnerSetup } from './types';

export type { ClnpLearner, ClnpOptions } from './clnp-learner';

/** Defaults: α = 1e-5 and m = 1 point (both [unverified] in methods.md §3; see the header). */
const defaults: ClnpOptions = Object.freeze({ l1Strength: 1e-5, marginPoints: 1 });

/**
 * Merges options over the defaults and validates them.
 * @throws InvalidArgumentError for an unknown key, a negative or non-finite α or m.
 */
function resolveOptions(options?: Partial<ClnpOptions>): ClnpOptions {
  for (const key of Object.keys(options ?? {})) {
    if (!(key in defaults)) {
      throw new InvalidArgumentError(`clnp: unknown option "${key}". Known options: ${Object.keys(defaults).sort().join(', ')}.`);
    }
  }
  const merged = { ...defaults, ...(options ?? {}) };
  expectInRange('clnp', 'l1Strength', merged.l1Strength, { min: 0, hint: 'Use 0 to train without the L1 penalty.' });
  expectInRange('clnp', 'marginPoints', merged.marginPoints, {
    min: 0,
    max: 100,
    hint: 'The margin is how many accuracy points pruning may cost; use 0 to prune only what costs nothing.',
  });
  return merged;
}

/**
 * CLNP: per-task neuron pruning by activity with graceful forgetting, zero forgetting after it.
 * @example
 * ```ts
 * const learner = clnp.create(setup, clnp.resolveOptions({ marginPoints: 0.5 })) as ClnpLearner;
 * for (const task of setup.scenario.tasks) await learner.learnTask(task, { seed: task.index });
 * clnpCapacityFigure(learner.neuronRows());
 * ```
 */
export const clnp: ContinualMethod<ClnpOptions> = Object.freeze({
  name: 'clnp',
  description: 'Continual Learning via Neural Pruning: L1-sparse neurons, activity threshold with graceful forgetting, frozen active neurons',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions,
  create(setup: LearnerSetup, options: ClnpOptions): ClnpLearner {
    if (setup.scenario.kind !== 'task-il') {
      throw new InvalidArgumentError(
        `clnp.create: scenario "${setup.scenario.name}" is ${setup.scenario.kind}; clnp is multi-head and supports task-il only. Use a task-incremental scenario.`,
      );
    }
    return new _ClnpLearner(setup, resolveOptions(options));
  },
});
