/**
 * STL, single-task learning, the upper bound of the WSN tables (Kang et al., ICML 2022,
 * Table 1; methods.md §4): one independent network per task (same architecture, one head),
 * trained from scratch with the WSN-paper per-task protocol ({@link trainOnTask}). Nothing is
 * shared, so nothing is forgotten. CAP = T × 100 %.
 *
 * Network t is initialised from `deriveSeed(seed, 'stl', t)`. Defaults: Adam at the benchmark's
 * rate. Deviations: none known.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../data/types';
import { InvalidArgumentError } from '../errors';
import { stlCap } from '../metrics/cap';
import type { Network } from '../models/types';
import { deriveSeed } from '../random';
import { _expectLearnedTask, _expectScenario } from './learner-network';
import { _jsonInts, _loadNetwork, _putNetwork, _stateJson } from './learner-state';
import { _checkOptimizerOptions, _mergeOptions, _optimizerFields, type OptimizerOptions } from './method-options';
import { networkForSetup } from './network-for-setup';
import { trainOnTask } from './train-on-task';
import type { CapacityReport, ContinualMethod, Learner, LearnerSetup, LearnerState, TaskContext, TaskSummary } from './types';

/** Options of {@link stl}. */
export interface StlOptions extends OptimizerOptions {}

const defaults: StlOptions = Object.freeze({ optimizer: 'adam', learningRate: null });

class StlLearner implements Learner {
  private readonly networks: Network[] = [];

  constructor(
    private readonly setup: LearnerSetup,
    private readonly options: StlOptions,
  ) {
    _expectScenario('stl', setup, stl.scenarios);
  }

  /** A fresh headless network for task `t`. */
  private build(t: number): Network {
    return networkForSetup({ ...this.setup, seed: deriveSeed(this.setup.seed, 'stl', t), scenario: { ...this.setup.scenario, tasks: [] } });
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    if (task.index > this.networks.length) {
      throw new InvalidArgumentError(`stl.learnTask: task ${task.index} arrived after only ${this.networks.length} task(s); learn tasks in order from 0.`);
    }
    this.networks[task.index]?.dispose();
    const network = this.build(task.index);
    network.addHead(task.headWidth);
    this.networks[task.index] = network;
    // The network has a single head, index 0; seeds still come from the runner's per-task context.
    const result = await trainOnTask({ network, task: { ...task, index: 0 }, training: this.setup.training, context, ..._optimizerFields(this.options, this.setup.training) });
    return { epochs: result.history.length, seconds: result.seconds, interrupted: result.stopped === 'interrupted' };
  }

  predict(x: tf.Tensor4D, taskIndex: number): tf.Tensor2D {
    _expectLearnedTask('stl', taskIndex, this.networks.length);
    return tf.tidy(() => this.networks[taskIndex].logits(x, 0, { training: false }));
  }

  capacity(): CapacityReport {
    return { capPercent: this.networks.length === 0 ? 0 : stlCap(this.networks.length) };
  }

  getState(): LearnerState {
    const tensors = new Map<string, tf.Tensor>();
    this.networks.forEach((net, t) => _putNetwork(tensors, `net/${t}/`, net));
    return { json: { method: 'stl', headWidths: this.networks.map((n) => n.headWidths[0]) }, tensors };
  }

  setState(state: LearnerState): void {
    const widths = _jsonInts('stl', _stateJson('stl', state), 'headWidths');
    const built: Network[] = [];
    try {
      widths.forEach((w, t) => {
        built.push(this.build(t));
        _loadNetwork('stl', state, `net/${t}/`, built[t], [w]);
      });
    } catch (error) {
      built.forEach((n) => n.dispose());
      throw error;
    }
    this.networks.forEach((n) => n.dispose());
    this.networks.splice(0, this.networks.length, ...built);
  }

  dispose(): void {
    this.networks.forEach((n) => n.dispose());
    this.networks.length = 0;
  }
}

/**
 * STL: an independent network per task (upper bound, CAP = T · 100 %).
 * @example
 * ```ts
 * const learner = stl.create(setup, stl.resolveOptions());
 * ```
 */
export const stl: ContinualMethod<StlOptions> = Object.freeze({
  name: 'stl',
  description: 'Single-task learning: one independent network per task (upper bound)',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions(options?: Partial<StlOptions>): StlOptions {
    const merged = _mergeOptions('stl', defaults, options);
    _checkOptimizerOptions('stl', merged);
    return merged;
  },
  create(setup: LearnerSetup, options: StlOptions) {
    return new StlLearner(setup, stl.resolveOptions(options));
  },
});
