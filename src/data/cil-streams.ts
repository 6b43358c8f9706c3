/**
 * Balanced sub-batch streams of the Lifelong-Tickets class-incremental learner (methods.md §2.2).
 * While task k (1-based, k learned tasks including the new one) trains, every step draws:
 * 1. `random`: b rows of (new-task train ∪ exemplars of old classes);
 * 2. `balancedNew`: ⌊b/k⌋ new-task train rows;
 * 3. `balancedOld`: ⌊b(k−1)/k⌋ exemplar rows of old classes (absent for k = 1);
 * 4. `unlabeled`: b rows of the unlabeled pool (absent for k = 1 or without a pool).
 * An epoch is one pass over stream 1 (seeded shuffle, last partial batch kept); the other
 * streams cycle, reshuffling (seeded) at every wrap. Augmentation, when asked, applies to every
 * stream with its own seeded draws. Batch `rows` index the stream splits of
 * {@link cilStreamSplits} (use them to look up stored teacher logits of the unlabeled rows).
 */
import { expectInRange, expectThat } from '../errors';
import { deriveSeed, expectSeed, Rng } from '../random';
import { _batchFromRows, _resolveAugment, countBatches, type AugmentOptions } from './batches';
import { _normalizationTable, checkTransform } from './render-rows';
import type { Batch, Scenario, TaskSplit } from './types';

/** The four stream splits for one task. */
export interface CilStreamSplits {
  readonly random: TaskSplit;
  readonly balancedNew: TaskSplit;
  readonly balancedOld?: TaskSplit;
  readonly unlabeled?: TaskSplit;
}

/** One training step's sub-batches. The caller disposes every tensor. */
export interface CilStep {
  readonly random: Batch;
  readonly balancedNew: Batch;
  readonly balancedOld?: Batch;
  readonly unlabeled?: Batch;
}

/** Options of {@link cilSteps}. */
export interface CilStreamOptions {
  /** Sub-batch size b (the code: 256 / 4 = 64). Default 64. */
  readonly subBatchSize?: number;
  /** Seed of this epoch's shuffles (derive one per epoch). */
  readonly seed: number;
  /** Training augmentation (crop + flip); its seed is combined with each stream's name. */
  readonly augment?: AugmentOptions;
}

/** Sub-batch sizes for b and k learned tasks: b, ⌊b/k⌋, ⌊b(k−1)/k⌋, b. */
export function cilSubBatchSizes(b: number, k: number): { random: number; balancedNew: number; balancedOld: number; unlabeled: number } {
  return { random: b, balancedNew: Math.floor(b / k), balancedOld: Math.floor((b * (k - 1)) / k), unlabeled: b };
}

function _concat(a: TaskSplit, b: TaskSplit): TaskSplit {
  const indices = new Int32Array(a.count + b.count);
  indices.set(a.indices);
  indices.set(b.indices, a.count);
  const targets = new Int32Array(a.count + b.count);
  targets.set(a.targets);
  targets.set(b.targets, a.count);
  return { source: a.source, indices, targets, count: a.count + b.count };
}

/**
 * The stream splits for task `taskIndex` (0-based) of a class-incremental scenario whose tasks
 * carry `exemplars` (see lifelongCil).
 * @throws InvalidArgumentError for a task-IL scenario, a bad index, or old tasks without exemplars.
 */
export function cilStreamSplits(scenario: Scenario, taskIndex: number): CilStreamSplits {
  const fn = 'cilStreamSplits';
  expectThat(scenario.kind === 'class-il', `${fn}: needs a class-incremental scenario; "${scenario.name}" is ${scenario.kind}.`);
  expectInRange(fn, 'taskIndex', taskIndex, { min: 0, max: scenario.tasks.length - 1, integer: true });
  const task = scenario.tasks[taskIndex];
  if (taskIndex === 0) return { random: task.train, balancedNew: task.train };
  const old = scenario.tasks.slice(0, taskIndex).map((t) => t.exemplars);
  expectThat(
    old.every((e): e is TaskSplit => !!e && e.source === task.train.source),
    `${fn}: every earlier task needs exemplars from the same training set; build the scenario with lifelongCil.`,
  );
  const balancedOld = old.reduce((a, b) => _concat(a, b));
  return {
    random: _concat(task.train, balancedOld),
    balancedNew: task.train,
    balancedOld,
    ...(scenario.unlabeled ? { unlabeled: scenario.unlabeled } : {}),
  };
}

/** Draws rows from a split in seeded shuffled cycles. */
class _CyclingSampler {
  private order: Int32Array;
  private at = 0;
  private cycle = 0;
  constructor(
    private readonly count: number,
    private readonly seed: number,
  ) {
    this.order = new Rng(deriveSeed(seed, 'cycle', 0)).permutation(count);
  }
  take(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (this.at === this.count) {
        this.cycle++;
        this.order = new Rng(deriveSeed(this.seed, 'cycle', this.cycle)).permutation(this.count);
        this.at = 0;
      }
      out[i] = this.order[this.at++];
    }
    return out;
  }
}

/**
 * Yields one epoch of sub-batch steps for task `taskIndex` of a class-incremental scenario.
 * Same seed → identical steps. The caller disposes every tensor of every step.
 * @throws InvalidArgumentError as {@link cilStreamSplits}, or for a bad size or seed.
 * @example
 * ```ts
 * for (const step of cilSteps(cil, 1, { seed: deriveSeed(7, 'epoch', e) })) { ... }
 * ```
 */
export function* cilSteps(scenario: Scenario, taskIndex: number, options: CilStreamOptions): Generator<CilStep> {
  const fn = 'cilSteps';
  const splits = cilStreamSplits(scenario, taskIndex);
  const seed = expectSeed(fn, options.seed);
  const b = expectInRange(fn, 'subBatchSize', options.subBatchSize ?? 64, { min: 1, integer: true });
  const sizes = cilSubBatchSizes(b, taskIndex + 1);
  const transform = scenario.tasks[taskIndex].transform;
  checkTransform(fn, splits.random, transform);
  if (splits.unlabeled) checkTransform(fn, splits.unlabeled, transform);
  const aug = options.augment ? _resolveAugment(fn, options.augment) : undefined;
  const augFor = (stream: string) =>
    aug ? { rng: new Rng(deriveSeed(aug.seed, stream)), cropPadding: aug.cropPadding, flip: aug.flip } : undefined;
  const lut = _normalizationTable(transform);
  const order = new Rng(deriveSeed(seed, 'random')).permutation(splits.random.count);
  const samplers = {
    balancedNew: new _CyclingSampler(splits.balancedNew.count, deriveSeed(seed, 'balanced-new')),
    balancedOld: splits.balancedOld ? new _CyclingSampler(splits.balancedOld.count, deriveSeed(seed, 'balanced-old')) : undefined,
    unlabeled: splits.unlabeled ? new _CyclingSampler(splits.unlabeled.count, deriveSeed(seed, 'unlabeled')) : undefined,
  };
  const augs = { random: augFor('random'), balancedNew: augFor('balanced-new'), balancedOld: augFor('balanced-old'), unlabeled: augFor('unlabeled') };
  const steps = countBatches(splits.random.count, b);
  for (let s = 0; s < steps; s++) {
    const rows = order.slice(s * b, Math.min(order.length, (s + 1) * b));
    const step: { -readonly [K in keyof CilStep]: CilStep[K] } = {
      random: _batchFromRows(splits.random, transform, lut, rows, augs.random),
      balancedNew: _batchFromRows(splits.balancedNew, transform, lut, samplers.balancedNew.take(sizes.balancedNew), augs.balancedNew),
    };
    if (samplers.balancedOld && splits.balancedOld && sizes.balancedOld > 0) {
      step.balancedOld = _batchFromRows(splits.balancedOld, transform, lut, samplers.balancedOld.take(sizes.balancedOld), augs.balancedOld);
    }
    if (samplers.unlabeled && splits.unlabeled) {
      step.unlabeled = _batchFromRows(splits.unlabeled, transform, lut, samplers.unlabeled.take(sizes.unlabeled), augs.unlabeled);
    }
    yield step;
  }
}
