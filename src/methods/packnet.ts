/**
 * PackNet (Mallya & Lazebnik, CVPR 2018, §3) as run in the WSN comparison (Kang et al., ICML
 * 2022, Tables 1–2; methods.md §4). Every maskable body weight stores the id of the task that
 * owns it (0 = free, tasks 1..T). Task t:
 * 1. trains the free weights and head t (owned weights are read but frozen exactly through
 *    update masks, pitfall P1);
 * 2. per layer, keeps the largest-|w| new weights so that task t owns round(c · n_layer) of the
 *    layer's n_layer weights (or every free one if fewer are left); the rest return to the free
 *    pool and are zeroed;
 * 3. retrains the kept weights (and head t) for half the epochs, everything else frozen.
 * Inference on task j uses the weights owned by tasks 1..j (`W ⊙ [1 ≤ owner ≤ j]`) and head j,
 * so earlier tasks' logits never change (BWT = 0 exactly).
 *
 * Defaults (WSN setup): Adam at the benchmark's rate, c = 1/T (T = the scenario's task count).
 * Non-maskable body parameters (biases, affine norms) train with task 1 only and are frozen
 * after it, and running norm statistics are reset to their task-1 values after each later task,
 * as original PackNet freezes biases and batch norm after the first task.
 *
 * CAP (the WSN paper's convention is unstated, methods.md O3). Ours (`capPercent`): the dense
 * weights plus one owner id of ⌈log2(T + 1)⌉ bits per maskable weight,
 * 100 · (1 + ⌈log2(T + 1)⌉ / 32). `capPaperPercent`: used-weight density plus one uncompressed
 * bit per weight and task, 100 · (density + T / 32) — our reading of the tables, whose PackNet
 * CAPs grow by ≈ 3.1 points per task [derived: 96.38 at T = 10, 126.65 at 20, 188.67 at 40].
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../data/types';
import { expectInRange } from '../errors';
import { magnitudePrune } from '../pruning/magnitude-prune';
import type { JsonValue } from '../train/checkpoint';
import { disposeSnapshot, restoreSnapshot, takeSnapshot, type Snapshot } from '../train/snapshot';
import { _bodyAndHead, _ensureHead } from './learner-network';
import { _putTensors, _takeTensor } from './learner-state';
import { _checkOptimizerOptions, _mergeOptions, _optimizerFields, type OptimizerOptions } from './method-options';
import { _MultiHeadLearner } from './multi-head-learner';
import { trainOnTask } from './train-on-task';
import type { CapacityReport, ContinualMethod, Learner, LearnerSetup, LearnerState, TaskContext, TaskSummary } from './types';

/** Options of {@link packnet}. */
export interface PacknetOptions extends OptimizerOptions {
  /** Fraction c of each layer a task keeps, in (0, 1]; `null` (default) = 1 / T. */
  readonly keepFraction: number | null;
  /** Retraining epochs as a fraction of the benchmark's epochs, in (0, 1]. Default 0.5. */
  readonly retrainEpochFraction: number;
}

/** A PackNet learner: a {@link Learner} that also reports weight ownership. */
export interface PacknetLearner extends Learner {
  /** Per maskable layer, `counts[id]` = weights owned by task id (1-based; index 0 = free). */
  ownership(): Record<string, number[]>;
}

const defaults: PacknetOptions = Object.freeze({ optimizer: 'adam', learningRate: null, keepFraction: null, retrainEpochFraction: 0.5 });

/**
 * The new owner ids after pruning task `id`'s weights of one layer: among the free entries
 * (owner 0), the `keep` largest |w| get `id`, ties broken by position. Pure; returns a copy.
 * @example
 * ```ts
 * packnetAssign(Float32Array.of(0.1, -0.9, 0.5, 0.2), Int32Array.of(1, 0, 0, 0), 2, 1); // [1, 2, 0, 0]
 * ```
 */
export function packnetAssign(values: Float32Array, owners: Int32Array, id: number, keep: number): Int32Array {
  const free = Uint8Array.from(owners, (o) => (o === 0 ? 1 : 0));
  let freeCount = 0;
  for (const f of free) freeCount += f;
  const out = owners.slice();
  if (freeCount === 0 || keep <= 0) return out;
  const fraction = Math.max(0, freeCount - keep) / freeCount;
  const kept = magnitudePrune({ w: values }, { w: free }, { pruneFractionOfRemaining: fraction, scope: 'per-layer' }).w;
  for (let i = 0; i < out.length; i++) if (kept[i]) out[i] = id;
  return out;
}

class PacknetLearnerImpl extends _MultiHeadLearner implements PacknetLearner {
  /** Owner id per maskable weight (0 = free), host copies. */
  private owners = new Map<string, Int32Array>();
  private readonly keepFraction: number;
  /** Running norm statistics after task 1 (empty for nets without them). */
  private normState: Snapshot | null = null;

  constructor(
    setup: LearnerSetup,
    private readonly options: PacknetOptions,
  ) {
    super('packnet', setup, packnet.scenarios);
    this.keepFraction = options.keepFraction ?? 1 / Math.max(1, setup.scenario.tasks.length);
    for (const info of this.network.paramInfo) if (info.maskable) this.owners.set(info.name, new Int32Array(this.network.params.get(info.name)!.size));
  }

  /** 0/1 float masks of the entries whose owner satisfies `test`. Caller disposes. */
  private ownerMasks(test: (owner: number) => boolean): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [name, owners] of this.owners) {
      out.set(name, tf.tensor(Float32Array.from(owners, (o) => (test(o) ? 1 : 0)), this.network.params.get(name)!.shape));
    }
    return out;
  }

  private async phase(task: Task, context: TaskContext, trainable: (owner: number) => boolean, epochs: number): Promise<{ epochs: number; interrupted: boolean }> {
    const first = task.index === 0;
    const masks = this.ownerMasks(trainable);
    try {
      const result = await trainOnTask({
        network: this.network,
        task,
        training: this.setup.training,
        context,
        epochs,
        variables: _bodyAndHead(this.network, task.index, (name) => first || this.owners.has(name)),
        updateMasks: masks,
        ..._optimizerFields(this.options, this.setup.training),
      });
      return { epochs: result.history.length, interrupted: result.stopped === 'interrupted' };
    } finally {
      tf.dispose([...masks.values()]);
    }
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    const started = Date.now();
    _ensureHead(this.method, this.network, task);
    const id = task.index + 1;
    const train = await this.phase(task, context, (o) => o === 0, this.setup.training.epochs);
    let kept = 0;
    for (const [name, owners] of this.owners) {
      const variable = this.network.params.get(name)!;
      const next = packnetAssign(variable.dataSync() as Float32Array, owners, id, Math.round(this.keepFraction * owners.length));
      this.owners.set(name, next);
      for (const o of next) if (o === id) kept++;
      const used = tf.tensor(Float32Array.from(next, (o) => (o === 0 ? 0 : 1)), variable.shape);
      tf.tidy(() => variable.assign(tf.mul(variable, used)));
      used.dispose();
    }
    const retrainEpochs = Math.max(1, Math.round(this.options.retrainEpochFraction * this.setup.training.epochs));
    const retrain = train.interrupted ? { epochs: 0, interrupted: true } : await this.phase(task, context, (o) => o === id, retrainEpochs);
    if (task.index === 0) this.normState = takeSnapshot(this.network.state);
    else if (this.normState) restoreSnapshot(this.network.state, this.normState);
    this.learned = Math.max(this.learned, id);
    this.clearInferenceCache();
    return {
      epochs: train.epochs + retrain.epochs,
      seconds: (Date.now() - started) / 1000,
      interrupted: retrain.interrupted,
      details: { keptWeights: kept, density: this.density() },
    };
  }

  /** Fraction of maskable weights owned by some task. */
  private density(): number {
    let used = 0;
    let total = 0;
    for (const owners of this.owners.values()) {
      for (const o of owners) if (o !== 0) used++;
      total += owners.length;
    }
    return total === 0 ? 0 : used / total;
  }

  /** Owner counts per layer: `counts[name][id]` weights owned by task id (0 = free). */
  ownership(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [name, owners] of this.owners) {
      const counts = new Array<number>(this.learned + 1).fill(0);
      for (const o of owners) counts[o]++;
      out[name] = counts;
    }
    return out;
  }

  protected override inferenceMasks(taskIndex: number): Map<string, tf.Tensor> {
    return this.ownerMasks((o) => o >= 1 && o <= taskIndex + 1);
  }

  override capacity(): CapacityReport {
    const T = Math.max(1, this.learned);
    const density = this.density();
    return { capPercent: 100 * (1 + Math.ceil(Math.log2(T + 1)) / 32), capPaperPercent: 100 * (density + T / 32), density };
  }

  protected override extraJson(): Record<string, JsonValue> {
    return { keepFraction: this.keepFraction };
  }

  protected override putExtraTensors(into: Map<string, tf.Tensor>): void {
    for (const [name, owners] of this.owners) into.set(`owner/${name}`, tf.tensor(owners, this.network.params.get(name)!.shape, 'int32'));
    if (this.normState) _putTensors(into, 'normState/', this.normState);
  }

  protected override loadExtra(state: LearnerState): void {
    const owners = new Map<string, Int32Array>();
    for (const name of this.owners.keys()) {
      const t = _takeTensor(this.method, state, `owner/${name}`, this.network.params.get(name)!.shape);
      owners.set(name, Int32Array.from(t.dataSync()));
    }
    this.owners = owners;
    if (this.normState) disposeSnapshot(this.normState);
    this.normState = null;
    if (this.learned > 0) {
      const norm = new Map<string, tf.Tensor>();
      for (const [name, v] of this.network.state) norm.set(name, tf.clone(_takeTensor(this.method, state, `normState/${name}`, v.shape)));
      this.normState = norm;
    }
  }

  override dispose(): void {
    if (this.normState) disposeSnapshot(this.normState);
    super.dispose();
  }
}

/**
 * PackNet: iterative per-task magnitude pruning with weight ownership; zero forgetting.
 * @throws InvalidArgumentError from `resolveOptions` for c or the retrain fraction outside (0, 1].
 * @example
 * ```ts
 * const learner = packnet.create(setup, packnet.resolveOptions({ keepFraction: 0.1 }));
 * ```
 */
export const packnet: Omit<ContinualMethod<PacknetOptions>, 'create'> & { create(setup: LearnerSetup, options: PacknetOptions): PacknetLearner } = Object.freeze({
  name: 'packnet',
  description: 'PackNet: per-task magnitude pruning, owned weights frozen (c = 1/T, Adam)',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions(options?: Partial<PacknetOptions>): PacknetOptions {
    const merged = _mergeOptions('packnet', defaults, options);
    _checkOptimizerOptions('packnet', merged);
    if (merged.keepFraction !== null) {
      expectInRange('packnet', 'keepFraction', merged.keepFraction, { min: 0, max: 1, minInclusive: false, hint: 'c is the kept share of each layer per task; null = 1/T.' });
    }
    expectInRange('packnet', 'retrainEpochFraction', merged.retrainEpochFraction, { min: 0, max: 1, minInclusive: false });
    return merged;
  },
  create(setup: LearnerSetup, options: PacknetOptions) {
    return new PacknetLearnerImpl(setup, packnet.resolveOptions(options));
  },
});
