/**
 * Mini-batches of a task split: seeded shuffles and augmentation on typed arrays, then one
 * `tf.tensor4d` per batch (see render-rows.ts for the pixel pipeline).
 *
 * @example
 * ```ts
 * for (const batch of batches(task.train, task.transform, { batchSize: 64, shuffleSeed: epoch })) {
 *   const loss = learner.trainStep(batch);
 *   batch.x.dispose(); batch.y.dispose();
 * }
 * ```
 */
import * as tf from '@tensorflow/tfjs-core';
import { expectInRange, expectPositiveInt } from '../errors';
import { expectSeed, Rng } from '../random';
import { _normalizationTable, _renderRows, checkTransform } from './render-rows';
import type { Batch, InputTransform, TaskSplit } from './types';

/** Training augmentation of the papers: random crop with zero padding, then horizontal flip. */
export interface AugmentOptions {
  /** Seed of the crop offsets and flips. */
  readonly seed: number;
  /** Zero padding of the random crop in pixels; 0 turns cropping off. Default 4. */
  readonly cropPadding?: number;
  /** Flip each image horizontally with probability 0.5. Default true. */
  readonly flip?: boolean;
}

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Images per batch, ≥ 1. */
  readonly batchSize: number;
  /** Seed of the row shuffle; absent: split order (evaluation). */
  readonly shuffleSeed?: number;
  /** Training augmentation; absent: none. */
  readonly augment?: AugmentOptions;
  /** Drop a last partial batch. Default false (the papers keep it). */
  readonly dropLast?: boolean;
}

/** Number of batches {@link batches} yields for `count` rows. */
export function countBatches(count: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/** Draws crop shifts and flips for `n` rows from `rng`, in row order. */
export function _drawAugmentation(
  rng: Rng,
  n: number,
  cropPadding: number,
  flip: boolean,
): { shifts: Int8Array; flips: Uint8Array } {
  const shifts = new Int8Array(2 * n);
  const flips = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (cropPadding > 0) {
      shifts[2 * i] = rng.int(2 * cropPadding + 1) - cropPadding;
      shifts[2 * i + 1] = rng.int(2 * cropPadding + 1) - cropPadding;
    }
    if (flip) flips[i] = rng.next() < 0.5 ? 1 : 0;
  }
  return { shifts, flips };
}

/** Checks augmentation options and returns them with defaults filled in. */
export function _resolveAugment(fn: string, augment: AugmentOptions): Required<AugmentOptions> {
  expectSeed(fn, augment.seed);
  const cropPadding = augment.cropPadding ?? 4;
  expectInRange(fn, 'augment.cropPadding', cropPadding, { min: 0, max: 127, integer: true });
  return { seed: augment.seed, cropPadding, flip: augment.flip ?? true };
}

/**
 * Makes one batch from explicit rows of a split. `rng`, when given, draws the augmentation.
 * The caller disposes `x` and `y`. Internal: trusts its inputs (checked by the callers).
 */
export function _batchFromRows(
  split: TaskSplit,
  transform: InputTransform,
  lut: Float32Array,
  rows: Int32Array,
  augment?: { rng: Rng; cropPadding: number; flip: boolean },
): Batch {
  const [H, W, C] = transform.outputShape;
  const aug = augment ? _drawAugmentation(augment.rng, rows.length, augment.cropPadding, augment.flip) : {};
  const pixels = _renderRows(split, transform, lut, rows, aug);
  const targets = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) targets[i] = split.targets[rows[i]];
  return {
    x: tf.tensor4d(pixels, [rows.length, H, W, C], 'float32'),
    y: tf.tensor1d(targets, 'int32'),
    rows,
  };
}

/**
 * Yields the batches of one pass over a split: x [B, H, W, C] float32 (transformed, augmented,
 * normalised), y [B] int32 targets, and the split rows. The last partial batch is kept unless
 * `dropLast`. The same seeds give identical batches. The caller disposes every `x` and `y`.
 * @throws InvalidArgumentError for a bad batch size or seed, or a transform that does not fit.
 */
export function* batches(split: TaskSplit, transform: InputTransform, options: BatchOptions): Generator<Batch> {
  const batchSize = expectPositiveInt('batches', 'batchSize', options.batchSize);
  checkTransform('batches', split, transform);
  const order =
    options.shuffleSeed === undefined
      ? Int32Array.from({ length: split.count }, (_, i) => i)
      : new Rng(expectSeed('batches', options.shuffleSeed)).permutation(split.count);
  const aug = options.augment ? _resolveAugment('batches', options.augment) : undefined;
  const augment = aug ? { rng: new Rng(aug.seed), cropPadding: aug.cropPadding, flip: aug.flip } : undefined;
  const lut = _normalizationTable(transform);
  const n = countBatches(split.count, batchSize, options.dropLast ?? false);
  for (let b = 0; b < n; b++) {
    const rows = order.subarray(b * batchSize, Math.min(split.count, (b + 1) * batchSize)).slice();
    yield _batchFromRows(split, transform, lut, rows, augment);
  }
}
