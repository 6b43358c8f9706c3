/**
 * WSN — Winning SubNetworks (Kang et al., ICML 2022; methods.md §1). One dense body W is shared
 * by all tasks; every maskable weight tensor owns a real-valued score tensor s of its shape.
 * - Init once (§1.2): W, heads and scores Kaiming-uniform U(±1/√fan_in); scores are never
 *   re-initialised unless `reinitScores` (paper Table 3 ablation).
 * - Forward while learning task t (§1.3, Eq. 3): per layer, m = top-c of |s| (layer-wise c),
 *   W_eff = W ⊙ m, head t.
 * - Backward (§1.4): straight-through, ∂L/∂s = sign(s) ⊙ W ⊙ ∂L/∂W_eff; ∂L/∂W = m ⊙ ∂L/∂W_eff.
 *   W_eff is a derived weight of the step (`topCDerivedWeights`): the tape differentiates with
 *   respect to it and the optimizer updates W and s from that gradient, never writing ∂L/∂W or ∂L/∂s.
 *   Weights in the union M_{t−1} of earlier masks are frozen exactly (Eq. 4, Alg. 1 line 6) by
 *   optimizer update masks: frozen entries and their Adam slots never move (pitfall P1).
 *   Scores are never frozen (Alg. 1 line 7).
 * - Protocol (§1.5): `trainOnTask` — fresh Adam per task over body, scores and head t, plateau
 *   lr rule on the validation loss, best snapshot (weights, scores, heads) restored.
 * - End of task (§1.6): m_t = top-c of the *restored* scores (the recommended variant; the
 *   official code keeps the last mini-batch's mask), stored on the host; M_t = M_{t−1} ∨ m_t.
 * - Inference on task j (§1.7): W ⊙ m_j and head j. W ⊙ m_j is computed once per task and
 *   reused across batches (no per-batch weight re-packing); since m_j ⊆ M_j is frozen, the
 *   logits of task j never change (BWT = 0 exactly).
 * Batch-statistics norm lives in the networks (§1.8). CAP (§1.9) from the stored masks.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../data/types';
import { CheckpointError, expectInRange, expectOneOf, expectThat, InvalidArgumentError } from '../errors';
import { kaimingUniform } from '../models/init';
import type { Network, ParamInfo } from '../models/types';
import { fullMask, globalDensity, maskFromTensor, maskOr, maskToTensor, type Mask } from '../pruning/mask';
import { topCMask } from '../pruning/top-c';
import { topCDerivedWeights } from '../pruning/top-c-derived';
import { deriveSeed } from '../random';
import { networkForSetup } from './network-for-setup';
import { trainOnTask } from './train-on-task';
import type { CapacityReport, ContinualMethod, Learner, LearnerSetup, LearnerState, TaskContext, TaskSummary } from './types';
import { wsnDiagnostics, type WsnDiagnostics } from './wsn-diagnostics';
import { _ValidationWeights } from './wsn-validation-weights';

/** Options of {@link wsn}. */
export interface WsnOptions {
  /**
   * c ∈ (0, 1]: fraction of every maskable layer's weights a task selects (the official
   * `--sparsity` flag; paper grid 0.03, 0.05, 0.1, 0.3, 0.5). Default 0.5.
   */
  readonly keepFraction: number;
  /** Re-initialise the scores before every task after the first (Table 3 ablation). Default false. */
  readonly reinitScores: boolean;
}

const DEFAULTS: WsnOptions = Object.freeze({ keepFraction: 0.5, reinitScores: false });

/** A WSN learner: the {@link Learner} contract plus read access to its masks and diagnostics. */
export interface WsnLearner extends Learner {
  readonly network: Network;
  readonly options: WsnOptions;
  /** Stored task masks m_0..m_t (host copies). */
  taskMasks(): Mask[];
  /** Union M_t of the task masks (all zeros before the first task). */
  unionMask(): Mask;
  /** Reuse, free capacity, IoU, compressed size and CAP of the stored masks. @throws before the first task */
  diagnostics(): WsnDiagnostics;
}

const SCORE = 'score:';

class Wsn implements WsnLearner {
  readonly network: Network;
  private readonly setup: LearnerSetup;
  private readonly maskable: readonly ParamInfo[];
  private readonly scores = new Map<string, tf.Variable>();
  private masks: Mask[] = [];
  private union: Mask;
  /** W ⊙ m_j of the task last predicted on, reused across its batches. */
  private predictCache: { task: number; weights: Map<string, tf.Tensor> } | null = null;

  constructor(setup: LearnerSetup, readonly options: WsnOptions) {
    this.setup = setup;
    this.network = networkForSetup(setup);
    this.maskable = this.network.paramInfo.filter((p) => p.maskable);
    for (const p of this.maskable) {
      const initial = this.freshScore(p, 0);
      this.scores.set(p.name, tf.variable(initial, true));
      initial.dispose(); // the variable keeps the data
    }
    this.union = fullMask(this.network.paramInfo, 0);
  }

  private freshScore(p: ParamInfo, round: number): tf.Tensor {
    const seed = round === 0 ? deriveSeed(this.setup.seed, 'wsn-score', p.name) : deriveSeed(this.setup.seed, 'wsn-score', p.name, round);
    return tf.tidy(() => kaimingUniform(p.shape, p.fanIn, seed));
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    const t = this.masks.length;
    expectThat(task.index === t, `wsn.learnTask: expected task ${t} next (tasks are learned in order); got task ${task.index}.`);
    this.dropPredictCache();
    if (this.options.reinitScores && t > 0) {
      for (const p of this.maskable) {
        const fresh = this.freshScore(p, t);
        this.scores.get(p.name)!.assign(fresh);
        fresh.dispose();
      }
    }
    const c = this.options.keepFraction;
    const variables = new Map<string, tf.Variable>();
    for (const p of this.network.paramInfo) {
      if (p.kind !== 'head' || p.head?.task === t) variables.set(p.name, this.network.params.get(p.name)!);
    }
    for (const [name, s] of this.scores) variables.set(SCORE + name, s);
    // 1 = may move, 0 = in M_{t−1}: frozen exactly, Adam slots included (P1).
    const updateMasks = new Map(this.maskable.map((p) => [p.name, maskToTensor(this.union[p.name].map((b) => 1 - b), p.shape, p.name)]));
    const validation = new _ValidationWeights(this.scores, c);
    // W ⊙ m computed before each step's tape; W and s updated from its gradient in one pass.
    const masked = topCDerivedWeights(this.maskable.map((p) => ({ weight: p.name, score: SCORE + p.name })), variables, c);
    let result;
    try {
      result = await trainOnTask({
        network: this.network,
        task,
        training: this.setup.training,
        context,
        variables,
        updateMasks,
        derivedWeights: masked,
        weight: (info, w) => {
          if (!info.maskable) return w;
          validation.stale = true;
          return masked.weight(info, w);
        },
        validationWeight: (info, w) => (info.maskable ? validation.get(info.name, w) : w),
      });
    } finally {
      validation.dispose();
      tf.dispose([...updateMasks.values()]);
    }
    // §1.6: the stored mask is the top-c of the restored scores, per layer.
    const mask: Record<string, Uint8Array> = {};
    for (const p of this.maskable) mask[p.name] = topCMask(this.scores.get(p.name)!.dataSync() as Float32Array, c);
    const before = globalDensity(this.union);
    this.masks.push(mask);
    this.union = maskOr(this.union, mask);
    const reuse = wsnDiagnostics(this.masks).reuse[t];
    return {
      epochs: result.history.length,
      seconds: result.seconds,
      interrupted: result.stopped === 'interrupted',
      details: {
        taskDensity: globalDensity(mask).density,
        reusedWeights: reuse.reused,
        allocatedWeights: reuse.allocated,
        unionDensityBefore: before.density,
        unionDensity: reuse.usedFraction,
        freeFraction: reuse.freeFraction,
        bestEpoch: result.bestEpoch ?? -1,
      },
    };
  }

  predict(x: tf.Tensor4D, taskIndex: number): tf.Tensor2D {
    const learned = this.masks.length;
    if (!Number.isInteger(taskIndex) || taskIndex < 0 || taskIndex >= learned) {
      throw new InvalidArgumentError(
        `wsn.predict: taskIndex must be an integer in [0, ${learned - 1}] (the tasks learned so far); got ${taskIndex}.${learned === 0 ? ' Call learnTask first.' : ''}`,
      );
    }
    if (this.predictCache?.task !== taskIndex) {
      this.dropPredictCache();
      const mask = this.masks[taskIndex];
      const weights = new Map<string, tf.Tensor>();
      for (const p of this.maskable) {
        // kept: predict usually runs inside the caller's tidy, which must not free the cache
        weights.set(p.name, tf.keep(tf.tidy(() => tf.mul(this.network.params.get(p.name)!, maskToTensor(mask[p.name], p.shape, p.name)))));
      }
      this.predictCache = { task: taskIndex, weights };
    }
    const weights = this.predictCache!.weights;
    return tf.tidy(() => this.network.logits(x, taskIndex, { training: false, weight: (info, w) => weights.get(info.name) ?? w }));
  }

  private dropPredictCache(): void {
    if (this.predictCache) tf.dispose([...this.predictCache.weights.values()]);
    this.predictCache = null;
  }

  taskMasks(): Mask[] {
    return this.masks.map((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.slice()])));
  }

  unionMask(): Mask {
    return Object.fromEntries(Object.entries(this.union).map(([k, v]) => [k, v.slice()]));
  }

  diagnostics(): WsnDiagnostics {
    expectThat(this.masks.length > 0, 'wsn.diagnostics: no task learned yet. Call learnTask first.');
    return wsnDiagnostics(this.masks);
  }

  capacity(): CapacityReport {
    if (this.masks.length === 0) return { capPercent: 0, capPaperPercent: 0, density: 0 };
    const cap = wsnDiagnostics(this.masks).capacity;
    return { capPercent: cap.capMeasured, capPaperPercent: cap.capPaper, density: cap.unionDensity };
  }

  getState(): LearnerState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, v] of this.network.params) tensors.set(`param/${name}`, tf.clone(v));
    for (const [name, s] of this.scores) tensors.set(`score/${name}`, tf.clone(s));
    this.masks.forEach((mask, t) => {
      for (const p of this.maskable) tensors.set(`mask/${t}/${p.name}`, tf.tensor(mask[p.name], [...p.shape], 'bool'));
    });
    const { keepFraction, reinitScores } = this.options;
    return { json: { method: 'wsn', keepFraction, reinitScores, tasks: this.masks.length }, tensors };
  }

  setState(state: LearnerState): void {
    const json = state.json as { method?: unknown; keepFraction?: unknown; tasks?: unknown } | null;
    const tasks = json?.tasks;
    if (json?.method !== 'wsn' || typeof tasks !== 'number' || !Number.isInteger(tasks) || tasks < 0) {
      throw new CheckpointError(`wsn.setState: expected the JSON of a WSN learner's getState(); got ${JSON.stringify(json)?.slice(0, 120)}.`);
    }
    if (json.keepFraction !== this.options.keepFraction) {
      throw new CheckpointError(`wsn.setState: the state was saved with keepFraction ${json.keepFraction}; this learner uses ${this.options.keepFraction}. Create the learner with the saved options.`);
    }
    const take = (name: string): tf.Tensor => {
      const t = state.tensors.get(name);
      if (!t) throw new CheckpointError(`wsn.setState: the state lacks tensor "${name}". Was it saved by a WSN learner on the same architecture?`);
      return t;
    };
    const masks: Mask[] = [];
    for (let t = 0; t < tasks; t++) {
      const m: Record<string, Uint8Array> = {};
      for (const p of this.maskable) m[p.name] = maskFromTensor(take(`mask/${t}/${p.name}`));
      masks.push(m);
    }
    for (const [name, v] of this.network.params) v.assign(take(`param/${name}`));
    for (const [name, s] of this.scores) s.assign(take(`score/${name}`));
    this.dropPredictCache();
    this.masks = masks;
    this.union = masks.reduce((u, m) => maskOr(u, m), fullMask(this.network.paramInfo, 0));
  }

  dispose(): void {
    this.dropPredictCache();
    tf.dispose([...this.scores.values()]);
    this.network.dispose();
  }
}

/**
 * The WSN method: options `{ keepFraction: c, reinitScores }`, task-incremental scenarios.
 * @example
 * ```ts
 * const options = wsn.resolveOptions({ keepFraction: 0.1 });
 * const learner = wsn.create({ scenario, architecture: 'mlp', training, seed: 0 }, options);
 * await learner.learnTask(scenario.tasks[0], { seed: 1 });
 * learner.capacity(); // { capPercent, capPaperPercent, density }
 * ```
 */
export const wsn: Omit<ContinualMethod<WsnOptions>, 'create'> & { create(setup: LearnerSetup, options: WsnOptions): WsnLearner } = {
  name: 'wsn',
  description: 'Winning SubNetworks (Kang et al., ICML 2022): per-task top-c subnetworks of one frozen-as-used dense net',
  scenarios: ['task-il'],
  defaults: DEFAULTS,
  resolveOptions(options: Partial<WsnOptions> = {}): WsnOptions {
    for (const key of Object.keys(options)) expectOneOf('wsn option', key, Object.keys(DEFAULTS) as (keyof WsnOptions)[]);
    const merged = { ...DEFAULTS, ...options };
    expectInRange('wsn', 'keepFraction', merged.keepFraction, { min: 0, max: 1, minInclusive: false });
    expectThat(typeof merged.reinitScores === 'boolean', `wsn: reinitScores must be true or false; got ${JSON.stringify(merged.reinitScores)}.`);
    return Object.freeze(merged);
  },
  create(setup: LearnerSetup, options: WsnOptions): WsnLearner {
    const resolved = wsn.resolveOptions(options);
    if (setup.scenario.kind !== 'task-il') {
      throw new InvalidArgumentError(`wsn.create: scenario "${setup.scenario.name}" is ${setup.scenario.kind}; WSN needs task ids at test time (task-il).`);
    }
    return new Wsn(setup, resolved);
  },
};
