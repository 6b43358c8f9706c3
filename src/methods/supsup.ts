/**
 * SupSup, Supermasks in Superposition (Wortsman et al., NeurIPS 2020, §3, scenario GG: task
 * id known at train and test) as compared in the WSN tables (Kang et al., ICML 2022; methods.md
 * §4). The body weights are fixed at random "signed constant" values (sign of a Kaiming draw ×
 * √2/√fan_in) and never trained. Each task t learns one real score tensor per maskable layer
 * (Kaiming-uniform init, seeded per task and layer); the forward pass uses
 * `W ⊙ topk(|s_t|)` per layer (edge-popup, Ramanujan et al. 2020) with the straight-through
 * gradient ({@link topCMaskedWeight}). After the task the binary mask of the restored best scores is
 * stored and the scores are dropped; task t is evaluated with `W ⊙ m_t` and head t, so BWT = 0.
 *
 * Defaults: Adam lr 1e-3 (official SplitCIFAR-100 GG config), the benchmark's epochs and
 * plateau rule, keepFraction 0.5 (edge-popup's k = 0.5; SupSup's GG configs sweep
 * Erdős–Rényi-scaled densities instead, not reproduced). Norms: the WSN networks' batch-
 * statistics norm has no parameters or state, which is exactly a per-task non-affine BN;
 * networks with affine norms are refused.
 * Deviations: heads are trained per task (plain linear, like WSN's) where SupSup masks a fixed
 * output layer too.
 *
 * CAP: the fixed weights (100 %) plus one bit per maskable weight and task,
 * `capPercent` = 100 · (1 + T/32). `capPaperPercent` charges the masks at the measured α of
 * WSN's 7-task Huffman code, 100 · (1 + (1 − α) · T/32): the paper's SupSup CAPs imply
 * compressed masks, convention unstated (methods.md O3).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../data/types';
import { expectInRange, InvalidArgumentError } from '../errors';
import { encodeTaskMasks } from '../metrics/mask-codec';
import { kaimingUniform } from '../models/init';
import { maskTensors, type Mask } from '../pruning/mask';
import { topCMask, topCMaskedWeight } from '../pruning/top-c';
import { deriveSeed } from '../random';
import type { JsonValue } from '../train/checkpoint';
import { _bodyAndHead, _ensureHead, _withParams } from './learner-network';
import { _takeTensor } from './learner-state';
import { _checkOptimizerOptions, _mergeOptions, _optimizerFields, type OptimizerOptions } from './method-options';
import { _MultiHeadLearner } from './multi-head-learner';
import { trainOnTask } from './train-on-task';
import type { CapacityReport, ContinualMethod, LearnerSetup, LearnerState, TaskContext, TaskSummary } from './types';

/** Options of {@link supsup}. */
export interface SupsupOptions extends OptimizerOptions {
  /** Kept fraction k of each layer's weights per task, in (0, 1]. Default 0.5. */
  readonly keepFraction: number;
}

const defaults: SupsupOptions = Object.freeze({ optimizer: 'adam', learningRate: 1e-3, keepFraction: 0.5 });

class SupsupLearner extends _MultiHeadLearner {
  /** Stored binary mask of every learned task. */
  private masks: Mask[] = [];

  constructor(
    setup: LearnerSetup,
    private readonly options: SupsupOptions,
  ) {
    super('supsup', setup, supsup.scenarios, 'signed-constant');
    if (this.network.paramInfo.some((p) => p.kind === 'norm') || this.network.state.size > 0) {
      this.network.dispose();
      throw new InvalidArgumentError(
        `supsup.create: architecture "${setup.architecture}" has affine batch norm; SupSup needs per-task non-affine norms. Use a WSN architecture (mlp, alexnet, resnet18-reduced, lenet, tinynet).`,
      );
    }
  }

  private maskable(): { name: string; shape: readonly number[]; fanIn: number }[] {
    return this.network.paramInfo.filter((p) => p.maskable);
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    _ensureHead(this.method, this.network, task);
    const { keepFraction } = this.options;
    const scores = new Map<string, tf.Variable>();
    for (const p of this.maskable()) {
      const init = kaimingUniform(p.shape, p.fanIn, deriveSeed(this.setup.seed, 'supsup-score', task.index, p.name));
      scores.set(`score/${p.name}`, tf.variable(init, true));
      init.dispose();
    }
    try {
      const variables = new Map([...scores, ..._bodyAndHead(this.network, task.index, () => false)]);
      const result = await trainOnTask({
        network: _withParams(this.network, scores),
        task,
        training: this.setup.training,
        context,
        variables,
        weight: (info, w) => {
          const s = scores.get(`score/${info.name}`);
          return s ? topCMaskedWeight(w, s, keepFraction) : w;
        },
        ..._optimizerFields(this.options, this.setup.training),
      });
      const mask: Record<string, Uint8Array> = {};
      for (const p of this.maskable()) mask[p.name] = topCMask(scores.get(`score/${p.name}`)!.dataSync() as Float32Array, keepFraction);
      this.masks[task.index] = mask;
      this.learned = Math.max(this.learned, task.index + 1);
      this.clearInferenceCache();
      return { epochs: result.history.length, seconds: result.seconds, interrupted: result.stopped === 'interrupted' };
    } finally {
      tf.dispose([...scores.values()]);
    }
  }

  protected override inferenceMasks(taskIndex: number): Map<string, tf.Tensor> {
    return maskTensors(this.masks[taskIndex], this.network.paramInfo);
  }

  override capacity(): CapacityReport {
    const T = this.masks.length;
    if (T === 0) return { capPercent: 100, density: 0 };
    const alpha = Math.max(0, encodeTaskMasks(this.masks).alpha);
    let used = 0;
    let total = 0;
    for (const name of Object.keys(this.masks[0])) {
      const n = this.masks[0][name].length;
      for (let i = 0; i < n; i++) used += this.masks.some((m) => m[name][i] === 1) ? 1 : 0;
      total += n;
    }
    return { capPercent: 100 * (1 + T / 32), capPaperPercent: 100 * (1 + ((1 - alpha) * T) / 32), density: used / total };
  }

  protected override extraJson(): Record<string, JsonValue> {
    return { keepFraction: this.options.keepFraction, masks: this.masks.length };
  }

  protected override putExtraTensors(into: Map<string, tf.Tensor>): void {
    const shapes = new Map(this.maskable().map((p) => [p.name, p.shape]));
    this.masks.forEach((mask, t) => {
      for (const [name, bits] of Object.entries(mask)) into.set(`mask/${t}/${name}`, tf.tensor(Int32Array.from(bits), [...shapes.get(name)!], 'int32'));
    });
  }

  protected override loadExtra(state: LearnerState): void {
    const masks: Mask[] = [];
    for (let t = 0; t < this.learned; t++) {
      const mask: Record<string, Uint8Array> = {};
      for (const p of this.maskable()) mask[p.name] = Uint8Array.from(_takeTensor(this.method, state, `mask/${t}/${p.name}`, p.shape).dataSync());
      masks.push(mask);
    }
    this.masks = masks;
  }
}

/**
 * SupSup: one learned supermask per task over fixed signed-constant weights; zero forgetting.
 * @throws InvalidArgumentError from `resolveOptions` for keepFraction outside (0, 1].
 * @example
 * ```ts
 * const learner = supsup.create(setup, supsup.resolveOptions({ keepFraction: 0.3 }));
 * ```
 */
export const supsup: ContinualMethod<SupsupOptions> = Object.freeze({
  name: 'supsup',
  description: 'SupSup: per-task supermasks over fixed signed-constant weights (k = 0.5, Adam 1e-3)',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions(options?: Partial<SupsupOptions>): SupsupOptions {
    const merged = _mergeOptions('supsup', defaults, options);
    _checkOptimizerOptions('supsup', merged);
    expectInRange('supsup', 'keepFraction', merged.keepFraction, { min: 0, max: 1, minInclusive: false, hint: 'k is the kept share of each layer, e.g. 0.5.' });
    return merged;
  },
  create(setup: LearnerSetup, options: SupsupOptions) {
    return new SupsupLearner(setup, supsup.resolveOptions(options));
  },
});
