/**
 * EWC, Elastic Weight Consolidation (Kirkpatrick et al., PNAS 2017, Eq. 3), as compared in the
 * WSN tables (Kang et al., ICML 2022, Table 1 and Table 5; methods.md §4):
 *
 *   L(θ) = L_t(θ) + (λ/2) Σ_i F_i (θ_i − θ*_i)²
 *
 * over the shared body parameters (heads are per task and never penalised). θ* = the body
 * after the previous task. F = diagonal Fisher, computed after each task and summed over tasks
 * (F ← F + F_t). F_t is the *empirical* Fisher: squared gradients of the log-likelihood of the
 * true labels on the task's training split, in mini-batches as in the HAT/GPM EWC code:
 * F_t = (1/N) Σ_batches b · g_b², g_b the gradient of the batch's mean cross-entropy
 * (`fisherBatchSize` 1 gives the exact per-sample empirical Fisher). Inference mode (no dropout).
 *
 * Defaults: WSN Table 5 for PMNIST, SGD lr 0.03 and λ = 1000; the plateau rule and epochs of
 * the benchmark; Fisher batch 20 (HAT code `sbatch`).
 * Deviations: the HAT/GPM code averages Fishers over tasks ((t·F + F_t)/(t+1)); methods.md
 * asks for the accumulated sum, which we use.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { Task } from '../data/types';
import { expectInRange, expectPositiveInt } from '../errors';
import type { Network } from '../models/types';
import type { JsonValue } from '../train/checkpoint';
import { crossEntropy } from '../train/cross-entropy';
import { _bodyAndHead, _ensureHead } from './learner-network';
import { _putTensors, _takeTensor } from './learner-state';
import { _checkOptimizerOptions, _mergeOptions, _optimizerFields, type OptimizerOptions } from './method-options';
import { _MultiHeadLearner } from './multi-head-learner';
import { trainOnTask } from './train-on-task';
import type { ContinualMethod, LearnerSetup, LearnerState, TaskContext, TaskSummary } from './types';

/** Options of {@link ewc}. */
export interface EwcOptions extends OptimizerOptions {
  /** Penalty strength λ ≥ 0. Default 1000 (WSN Table 5, PMNIST). */
  readonly lambda: number;
  /** Mini-batch size of the Fisher estimate. Default 20. */
  readonly fisherBatchSize: number;
}

const defaults: EwcOptions = Object.freeze({ optimizer: 'sgd', learningRate: 0.03, lambda: 1000, fisherBatchSize: 20 });

/**
 * The EWC penalty (λ/2) Σ F (θ − θ*)² over the parameters named in `fisher`. Differentiable in
 * `params`; the result belongs to the caller (or the enclosing tidy).
 * @example
 * ```ts
 * ewcPenalty(new Map([['w', w]]), new Map([['w', f]]), new Map([['w', w0]]), 1000);
 * ```
 */
export function ewcPenalty(
  params: ReadonlyMap<string, tf.Tensor>,
  fisher: ReadonlyMap<string, tf.Tensor>,
  anchor: ReadonlyMap<string, tf.Tensor>,
  lambda: number,
): tf.Scalar {
  return tf.tidy(() => {
    const terms = [...fisher].map(([name, f]) => tf.sum(tf.mul(f, tf.square(tf.sub(params.get(name)!, anchor.get(name)!)))));
    return tf.mul(lambda / 2, terms.length === 0 ? tf.scalar(0) : tf.addN(terms)) as tf.Scalar;
  });
}

/**
 * Empirical diagonal Fisher of the body parameters on `task`'s training split, unshuffled, in
 * batches of `batchSize`: (1/N) Σ_b b · g_b² (see the file header). Caller disposes the map.
 * @example
 * ```ts
 * const f = fisherDiagonal(net, task, 20); // Map 'fc1/kernel' → [64, 100], ...
 * ```
 */
export function fisherDiagonal(network: Network, task: Task, batchSize: number): Map<string, tf.Tensor> {
  const body = new Map([...network.params].filter(([name]) => network.paramInfo.find((p) => p.name === name)?.kind !== 'head'));
  const names = new Map([...body].map(([name, v]) => [v.name, name]));
  let sums = new Map([...body].map(([name, v]) => [name, tf.zerosLike(v) as tf.Tensor]));
  for (const batch of batches(task.train, task.transform, { batchSize })) {
    try {
      // tidy keeps tensors in arrays, not in Maps: return a list in `sums` order.
      const next = tf.tidy(() => {
        const { grads } = tf.variableGrads(() => crossEntropy(network.logits(batch.x, task.index, { training: false }), batch.y), [...body.values()]);
        const byName = new Map(Object.entries(grads).map(([key, g]) => [names.get(key)!, g]));
        const size = batch.x.shape[0];
        return [...sums].map(([name, s]) => {
          const g = byName.get(name);
          return g ? tf.add(s, tf.mul(size, tf.square(g))) : tf.clone(s);
        });
      });
      const keys = [...sums.keys()];
      tf.dispose([...sums.values()]);
      sums = new Map(keys.map((name, i) => [name, next[i]]));
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
  }
  const count = Math.max(1, task.train.count);
  const out = new Map([...sums].map(([name, s]) => [name, tf.div(s, count) as tf.Tensor]));
  tf.dispose([...sums.values()]);
  return out;
}

class EwcLearner extends _MultiHeadLearner {
  private fisher = new Map<string, tf.Tensor>();
  private anchor = new Map<string, tf.Tensor>();

  constructor(
    setup: LearnerSetup,
    private readonly options: EwcOptions,
  ) {
    super('ewc', setup, ewc.scenarios);
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    _ensureHead(this.method, this.network, task);
    const penalise = this.fisher.size > 0 && this.options.lambda > 0;
    const result = await trainOnTask({
      network: this.network,
      task,
      training: this.setup.training,
      context,
      variables: _bodyAndHead(this.network, task.index),
      extraLoss: penalise ? () => ewcPenalty(this.network.params, this.fisher, this.anchor, this.options.lambda) : undefined,
      ..._optimizerFields(this.options, this.setup.training),
    });
    const fresh = fisherDiagonal(this.network, task, this.options.fisherBatchSize);
    for (const [name, f] of fresh) {
      const old = this.fisher.get(name);
      this.fisher.set(name, old ? tf.add(old, f) : tf.clone(f));
      tf.dispose([old ?? [], f, this.anchor.get(name) ?? []]);
      this.anchor.set(name, tf.clone(this.network.params.get(name)!));
    }
    this.learned = Math.max(this.learned, task.index + 1);
    return { epochs: result.history.length, seconds: result.seconds, interrupted: result.stopped === 'interrupted' };
  }

  protected override extraJson(): Record<string, JsonValue> {
    return { fisherNames: [...this.fisher.keys()] };
  }

  protected override putExtraTensors(into: Map<string, tf.Tensor>): void {
    _putTensors(into, 'fisher/', this.fisher);
    _putTensors(into, 'anchor/', this.anchor);
  }

  protected override loadExtra(state: LearnerState, json: Readonly<Record<string, JsonValue>>): void {
    const names = Array.isArray(json.fisherNames) ? (json.fisherNames as string[]) : [];
    const fisher = new Map<string, tf.Tensor>();
    const anchor = new Map<string, tf.Tensor>();
    for (const name of names) {
      const shape = this.network.params.get(name)?.shape ?? [];
      fisher.set(name, tf.clone(_takeTensor(this.method, state, `fisher/${name}`, shape)));
      anchor.set(name, tf.clone(_takeTensor(this.method, state, `anchor/${name}`, shape)));
    }
    this.disposeConsolidation();
    this.fisher = fisher;
    this.anchor = anchor;
  }

  private disposeConsolidation(): void {
    tf.dispose([...this.fisher.values(), ...this.anchor.values()]);
  }

  override dispose(): void {
    this.disposeConsolidation();
    super.dispose();
  }
}

/**
 * EWC: quadratic penalty towards the previous weights, weighted by the summed diagonal Fisher.
 * @throws InvalidArgumentError from `resolveOptions` for a negative λ or a bad batch size.
 * @example
 * ```ts
 * const learner = ewc.create(setup, ewc.resolveOptions({ lambda: 5000 }));
 * ```
 */
export const ewc: ContinualMethod<EwcOptions> = Object.freeze({
  name: 'ewc',
  description: 'Elastic Weight Consolidation: summed diagonal Fisher penalty (λ = 1000, SGD 0.03)',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions(options?: Partial<EwcOptions>): EwcOptions {
    const merged = _mergeOptions('ewc', defaults, options);
    _checkOptimizerOptions('ewc', merged);
    expectInRange('ewc', 'lambda', merged.lambda, { min: 0, hint: 'λ weighs the Fisher penalty; WSN used 1000 on PMNIST.' });
    expectPositiveInt('ewc', 'fisherBatchSize', merged.fisherBatchSize);
    return merged;
  },
  create(setup: LearnerSetup, options: EwcOptions) {
    return new EwcLearner(setup, ewc.resolveOptions(options));
  },
});
