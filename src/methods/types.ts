/**
 * The continual-method contract: one small interface every strategy (WSN, Finetune, EWC,
 * PackNet, SupSup, STL, Multitask, CLNP, lifelong tickets) satisfies, so the experiment runner,
 * the CLI and the notebooks can run any of them on any benchmark with one call.
 *
 * Adding a method: one file `src/methods/<name>.ts` exporting a {@link ContinualMethod}, one
 * line in `src/methods/registry.ts`, one test file (style.md, "Adding a continual method").
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Scenario, Task } from '../data/types';
import type { ArchitectureName } from '../models/architectures';
import type { JsonValue } from '../train/checkpoint';
import type { ProgressCallback } from '../train/progress';

/** The scenario kinds a method supports. */
export type ScenarioKind = Scenario['kind'];

/**
 * Training settings of a benchmark (methods.md §1.10), shared by every method run on it.
 * A method may override them through its own options.
 */
export interface TrainingSettings {
  /** Maximum epochs per task (the plateau rule may stop earlier). */
  readonly epochs: number;
  readonly batchSize: number;
  /** Fixed evaluation batch size (batch-statistics norm depends on it; P3). */
  readonly testBatchSize: number;
  /** Initial learning rate. */
  readonly learningRate: number;
  /** The plateau rule stops a task when the lr falls below this. */
  readonly lrMin: number;
  /** Plateau patience in epochs (WSN: 6). */
  readonly patience: number;
  /** Data augmentation on training batches (random crop with padding 4 and flip). */
  readonly augment: boolean;
}

/** Everything a method needs to build its learner. */
export interface LearnerSetup {
  readonly scenario: Scenario;
  readonly architecture: ArchitectureName;
  readonly training: TrainingSettings;
  /** Seed of initialisation and of everything random in this run, in [0, 2^32). */
  readonly seed: number;
  /** Architecture sizes other than the defaults (see {@link NetworkSizes}). Default none. */
  readonly network?: NetworkSizes;
}

/**
 * Sizes of the architecture a method builds, where the architecture has them: `hidden` for
 * `mlp` (widths of the hidden layers, default [100, 100]; CLNP's paper uses wide MLPs such as
 * [2000, 2000]) and `nf` for `resnet18-reduced` (base width, default 20). Giving one to an
 * architecture without it is an error.
 */
export interface NetworkSizes {
  readonly hidden?: readonly number[];
  readonly nf?: number;
}

/** Per-task context given by the runner. */
export interface TaskContext {
  /** Seed of this task's shuffles, dropout and sampling. */
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
  /** Polled between steps; true ends training cleanly (kernel interrupt, abort). */
  readonly shouldStop?: () => boolean;
}

/** What {@link Learner.learnTask} reports. */
export interface TaskSummary {
  /** Epochs actually run (all phases). */
  readonly epochs: number;
  /** Wall time of the task in seconds. */
  readonly seconds: number;
  /** True when stopped through `shouldStop`. */
  readonly interrupted: boolean;
  /** Method-specific numbers worth logging (e.g. `density`, `reusedWeights`, `theta`). */
  readonly details?: Readonly<Record<string, number>>;
}

/** Memory cost of what a learner stores, in % of one dense network (the papers' CAP). */
export interface CapacityReport {
  /** CAP (%) by the method's own accounting (measured α for WSN). */
  readonly capPercent: number;
  /** CAP (%) with the paper's conventions (WSN: α = 0.78), when they differ. */
  readonly capPaperPercent?: number;
  /** Fraction of maskable body weights in use by any task, when meaningful. */
  readonly density?: number;
}

/** Serialisable learner state for checkpoints: JSON plus named tensors (caller disposes them). */
export interface LearnerState {
  readonly json: JsonValue;
  readonly tensors: Map<string, tf.Tensor>;
}

/** A method's learner for one run: learns tasks in order and predicts on any learned task. */
export interface Learner {
  /** Learns `task` with the method's full protocol (epochs, schedule, pruning, ...). */
  learnTask(task: Task, context: TaskContext): Promise<TaskSummary>;
  /**
   * Inference logits on task `taskIndex` (≤ the last learned task): that task's head for
   * task-IL, the heads of all learned tasks for class-IL. x is [B, H, W, C]; caller disposes.
   */
  predict(x: tf.Tensor4D, taskIndex: number): tf.Tensor2D;
  /** Storage cost after the tasks learned so far. */
  capacity(): CapacityReport;
  /** A copy of the state for checkpoints. */
  getState(): LearnerState;
  /** Restores {@link Learner.getState}'s output (tensors are copied). @throws CheckpointError */
  setState(state: LearnerState): void;
  /** Frees every tensor the learner owns. */
  dispose(): void;
}

/** A continual method: defaults, validation and a learner factory. */
export interface ContinualMethod<Options extends object = object> {
  /** Registry key (kebab-case). */
  readonly name: string;
  /** One line for tables and `--help`. */
  readonly description: string;
  readonly scenarios: readonly ScenarioKind[];
  /** The paper's settings; each option documented on the Options type. */
  readonly defaults: Options;
  /** Merges `options` over the defaults and validates them. @throws InvalidArgumentError */
  resolveOptions(options?: Partial<Options>): Options;
  /** Builds a learner. Options must come from {@link ContinualMethod.resolveOptions}. */
  create(setup: LearnerSetup, options: Options): Learner;
}
