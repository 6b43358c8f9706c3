/**
 * Data contract: datasets say where arrays come from; scenarios say how arrays become tasks.
 * Pixels stay uint8 in typed arrays until a batch is made.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** A labelled image array, NHWC uint8. */
export interface ImageSet {
  /** Dataset name, e.g. `mnist`, `cifar100`, `offline-grey`. */
  readonly name: string;
  /** count·height·width·channels bytes, row-major NHWC. */
  readonly images: Uint8Array;
  /** One class id per image, in [0, numClasses). */
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  /** Optional human-readable class names. */
  readonly classNames?: readonly string[];
  /** Optional coarse label per image (CIFAR-100 superclasses). */
  readonly coarseLabels?: Int32Array;
}

/** A dataset's official splits. */
export interface DatasetSplits {
  readonly train: ImageSet;
  readonly test: ImageSet;
}

/** Per-channel normalisation: x = (u8 / 255 − mean[c]) / std[c]. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * How a task's stored images become network inputs, applied when a batch is made:
 * pad/resize and channel-expand to `outputShape`, optional quarter-turn rotation per row,
 * normalise, optional pixel permutation (of the H·W positions, same for every channel).
 */
export interface InputTransform {
  readonly outputShape: readonly [number, number, number];
  readonly normalization: Normalization;
  /** Zero padding added on each side before anything else (MNIST 28→32: 2). */
  readonly pad?: number;
  /** A bijection of 0..H·W−1: output position p takes input position permutation[p]. */
  readonly pixelPermutation?: Int32Array;
}

/** One split (train, validation or test) of one task: rows of a shared source. */
export interface TaskSplit {
  readonly source: ImageSet;
  /** Rows of `source` in this split. */
  readonly indices: Int32Array;
  /** Training target of each row: head-local (task-IL) or global (class-IL), per the scenario. */
  readonly targets: Int32Array;
  /** Optional quarter turns (0..3) per row, for rotation scenarios. */
  readonly rotations?: Uint8Array;
  readonly count: number;
}

/** One task of a scenario. */
export interface Task {
  /** 0-based position in the sequence. */
  readonly index: number;
  readonly name: string;
  /** Source class ids in this task, in target order. */
  readonly classes: readonly number[];
  /** Number of outputs of this task's head (task-IL) or new classes (class-IL). */
  readonly headWidth: number;
  readonly train: TaskSplit;
  readonly val: TaskSplit;
  readonly test: TaskSplit;
  readonly transform: InputTransform;
  /**
   * Optional fixed exemplar set of this task's classes, kept for replay while later tasks
   * train (Lifelong-Tickets CIL protocol); targets as in `train`.
   */
  readonly exemplars?: TaskSplit;
}

/** A continual-learning scenario: a plain, inspectable sequence of tasks. */
export interface Scenario {
  readonly name: string;
  readonly kind: 'task-il' | 'class-il';
  /** Network input shape after the transform, [H, W, C]. */
  readonly inputShape: readonly [number, number, number];
  readonly tasks: readonly Task[];
  /** Seed that built it. */
  readonly seed: number;
  /** Optional unlabeled pool for distillation (targets are all −1). */
  readonly unlabeled?: TaskSplit;
}

/** A batch on the backend. The caller disposes both tensors. */
export interface Batch {
  /** [B, H, W, C] float32, transformed and normalised. */
  readonly x: tf.Tensor4D;
  /** [B] int32 targets. */
  readonly y: tf.Tensor1D;
  /** Rows of the split this batch holds, in batch order. */
  readonly rows: Int32Array;
}
