/**
 * The common shape of the baselines that keep one shared multi-head network (Finetune, EWC,
 * PackNet, SupSup, Multitask): network built from the setup, one head per task, inference
 * through head `taskIndex`, dense CAP, and state I/O of the network plus method extras.
 * A method subclasses it and implements `learnTask` (and overrides what differs).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Task } from '../data/types';
import type { WeightInit } from '../models/init';
import type { Network } from '../models/types';
import { maskedWeight } from '../pruning/mask';
import { denseCap } from '../metrics/cap';
import type { JsonValue } from '../train/checkpoint';
import { _expectLearnedTask, _expectScenario } from './learner-network';
import { networkForSetup } from './network-for-setup';
import { _jsonInts, _loadNetwork, _putNetwork, _stateJson } from './learner-state';
import type { CapacityReport, Learner, LearnerSetup, LearnerState, ScenarioKind, TaskContext, TaskSummary } from './types';

/** Base class of single-network multi-head learners. @internal */
export abstract class _MultiHeadLearner implements Learner {
  protected readonly network: Network;
  /** Number of tasks learned so far (tasks 0..learned−1). */
  protected learned = 0;

  protected constructor(
    protected readonly method: string,
    protected readonly setup: LearnerSetup,
    scenarios: readonly ScenarioKind[],
    init: WeightInit = 'kaiming-uniform',
  ) {
    _expectScenario(method, setup, scenarios);
    this.network = networkForSetup(setup, { init });
  }

  abstract learnTask(task: Task, context: TaskContext): Promise<TaskSummary>;

  /** Inference masks of the last predicted task (built once, reused across test batches). */
  private cache: { readonly task: number; readonly masks: Map<string, tf.Tensor> } | null = null;

  /**
   * 0/1 float masks (by parameter name) applied as `W ⊙ m` when predicting task `taskIndex`;
   * null (default) = the plain weights. The base class owns, caches and disposes them.
   */
  protected inferenceMasks(_taskIndex: number): Map<string, tf.Tensor> | null {
    return null;
  }

  /** Drops cached inference masks; call whenever what {@link inferenceMasks} returns changes. */
  protected clearInferenceCache(): void {
    if (this.cache) tf.dispose([...this.cache.masks.values()]);
    this.cache = null;
  }

  predict(x: tf.Tensor4D, taskIndex: number): tf.Tensor2D {
    _expectLearnedTask(this.method, taskIndex, this.learned);
    if (this.cache?.task !== taskIndex) {
      this.clearInferenceCache();
      const masks = this.inferenceMasks(taskIndex);
      // predict may run inside a caller's tidy (evaluateLearner): keep the cached masks alive.
      if (masks) this.cache = { task: taskIndex, masks: new Map([...masks].map(([k, m]) => [k, tf.keep(m)])) };
    }
    const weight = this.cache ? maskedWeight(this.cache.masks) : undefined;
    return tf.tidy(() => this.network.logits(x, taskIndex, { training: false, weight }));
  }

  capacity(): CapacityReport {
    return { capPercent: denseCap() };
  }

  /** Method-specific JSON for {@link getState}. */
  protected extraJson(): Record<string, JsonValue> {
    return {};
  }

  /** Adds method-specific tensors (clones) for {@link getState}. */
  protected putExtraTensors(_into: Map<string, tf.Tensor>): void {}

  /** Restores method-specific parts after the network is restored. */
  protected loadExtra(_state: LearnerState, _json: Readonly<Record<string, JsonValue>>): void {}

  getState(): LearnerState {
    const tensors = new Map<string, tf.Tensor>();
    _putNetwork(tensors, 'net/', this.network);
    this.putExtraTensors(tensors);
    const json: Record<string, JsonValue> = {
      method: this.method,
      learned: this.learned,
      headWidths: [...this.network.headWidths],
      ...this.extraJson(),
    };
    return { json, tensors };
  }

  setState(state: LearnerState): void {
    const json = _stateJson(this.method, state);
    const heads = _jsonInts(this.method, json, 'headWidths');
    const [learned] = _jsonInts(this.method, { learned: [json.learned] }, 'learned');
    _loadNetwork(this.method, state, 'net/', this.network, heads);
    this.learned = learned;
    this.clearInferenceCache();
    this.loadExtra(state, json);
  }

  dispose(): void {
    this.clearInferenceCache();
    this.network.dispose();
  }
}
