/**
 * The lifelong-tickets class-incremental base learner (Chen et al., ICLR 2021), methods.md §2.2:
 * two head branches (`random`: imbalanced, `main`: class-balanced), logits over k learned tasks =
 * heads 0..k−1 concatenated, and per step four sub-batch streams (src/data/cil-streams.ts).
 *
 * Task 1:  L = CE(main, x₁) + CE(random, x₁).
 * Task k ≥ 2:
 *   L = CE(random_k, s₁) + KD(random_{k−1}(s₄), teacher random)
 *     + 0.5 · [c_new·CE(main_k, s₂) + c_old·CE(main_k, s₃) + KD(main_{k−1}(s₄), teacher main)],
 *   c_new = ⌊b/k⌋/b, c_old = ⌊b(k−1)/k⌋/b, KD at T = 2 (§2.3). Without a teacher the KD terms
 *   are left out. Each stream has its own forward pass, as in the code.
 * SGD lr 0.01, momentum 0.9, weight decay 5e-4, ×0.1 at 60 % and 80 % of the epochs (60/80 of
 * 100); model selection on validation accuracy over all seen classes, main branch (P7).
 * A mask, when given, is held exactly (forward hook + update masks, see masked-network.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { cilSteps, cilSubBatchSizes, type CilStep } from '../data/cil-streams';
import { batches } from '../data/batches';
import type { Batch, Scenario, TaskSplit } from '../data/types';
import { expectInRange, expectThat } from '../errors';
import { deriveSeed, expectSeed } from '../random';
import type { Network } from '../models/types';
import type { Mask } from '../pruning/mask';
import { crossEntropy } from '../train/cross-entropy';
import { evaluate } from '../train/evaluate';
import { constantSchedule, stepSchedule } from '../train/lr-schedule';
import type { ProgressCallback } from '../train/progress';
import { sgd } from '../train/sgd';
import { takeSnapshot, type Snapshot } from '../train/snapshot';
import { trainTask, type EpochRecord } from '../train/train-task';
import { kdLoss } from './kd-loss';
import { applyMaskToNetwork, bindMask } from './masked-network';
import { seenSplit } from './seen-classes';

/** Stored teacher logits for the queried unlabeled images (§2.3 step 3). */
export interface TeacherLogits {
  /** The queried pool images: rows of the scenario's unlabeled source. */
  readonly split: TaskSplit;
  /** [M, classes of the k−1 learned tasks] teacher logits of each branch; owner disposes. */
  readonly main: tf.Tensor2D;
  readonly random: tf.Tensor2D;
}

/** Options of {@link trainCilTask}; defaults in {@link cilTrainDefaults}. */
export interface CilTrainOptions {
  /** Epochs (one epoch = one pass over stream 1). Default 100. */
  readonly epochs: number;
  /** Initial learning rate. Default 0.01 (retraining rounds: 1e-4 with `schedule: 'constant'`). */
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  /** `step`: ×0.1 at `milestones`; `constant`: no decay. Default `step`. */
  readonly schedule: 'step' | 'constant';
  /** Epochs (0-based) where the lr drops; default 60 % and 80 % of `epochs` ([60, 80] of 100). */
  readonly milestones?: readonly number[];
  /** Sub-batch size b (256 / 4 in the code). Default 64. */
  readonly subBatchSize: number;
  /** Crop-with-padding-4 + flip on every training stream. Default true. */
  readonly augment: boolean;
  /** KD temperature T. Default 2. */
  readonly temperature: number;
  /** `val-accuracy` (default, P7) or `last`. */
  readonly select: 'val-accuracy' | 'last';
}

/** The paper's settings (methods.md §2.2). */
export const cilTrainDefaults: CilTrainOptions = Object.freeze({
  epochs: 100,
  learningRate: 0.01,
  momentum: 0.9,
  weightDecay: 5e-4,
  schedule: 'step',
  subBatchSize: 64,
  augment: true,
  temperature: 2,
  select: 'val-accuracy',
});

/** Per-call context of {@link trainCilTask}. */
export interface CilTaskContext {
  /** Seed of shuffles and augmentation. */
  readonly seed: number;
  /** Binary mask held during training (pruned entries stay exactly zero). */
  readonly mask?: Mask;
  /** Teacher logits for the KD terms (tasks k ≥ 2). */
  readonly teacher?: TeacherLogits;
  /** Save θ(step) after this many optimizer steps (0: before training), for late rewinding. */
  readonly captureAtStep?: number;
  readonly onProgress?: ProgressCallback;
  readonly shouldStop?: () => boolean;
}

/** What {@link trainCilTask} did. */
export interface CilTaskResult {
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number | null;
  /** Best (or last) validation accuracy over all seen classes, main branch (%). */
  readonly valAccuracy: number;
  /** θ(captureAtStep) of every parameter, when asked and reached; caller disposes. */
  readonly captured: Snapshot | null;
  readonly interrupted: boolean;
}

/** Fills and checks {@link CilTrainOptions}. @throws InvalidArgumentError */
export function resolveCilTrainOptions(options: Partial<CilTrainOptions> = {}): CilTrainOptions {
  const fn = 'resolveCilTrainOptions';
  const o = { ...cilTrainDefaults, ...options };
  expectInRange(fn, 'epochs', o.epochs, { min: 1, integer: true });
  expectInRange(fn, 'learningRate', o.learningRate, { min: 0, minInclusive: false });
  expectInRange(fn, 'subBatchSize', o.subBatchSize, { min: 1, integer: true });
  expectInRange(fn, 'temperature', o.temperature, { min: 0, minInclusive: false });
  expectThat(o.schedule === 'step' || o.schedule === 'constant', `${fn}: schedule must be "step" or "constant"; got ${JSON.stringify(o.schedule)}.`);
  return o;
}

/**
 * Trains task `taskIndex` (0-based; k = taskIndex + 1 learned tasks) of a class-incremental
 * scenario with the §2.2 objective. Adds missing heads (both branches) first. The network needs
 * branches `main` and `random` (preact-resnet18's default; other architectures: pass
 * `branches: ['main', 'random']`). Restores the best-validation epoch unless `select: 'last'`.
 * @throws InvalidArgumentError for a task-IL scenario, a network without both branches or bad options
 * @example
 * ```ts
 * const net = createNetwork('preact-resnet18', { seed: 0 });
 * await trainCilTask(net, cil, 0, { seed: 1 }, { epochs: 2 });
 * ```
 */
export async function trainCilTask(
  network: Network,
  scenario: Scenario,
  taskIndex: number,
  context: CilTaskContext,
  options: Partial<CilTrainOptions> = {},
): Promise<CilTaskResult> {
  const fn = 'trainCilTask';
  const o = resolveCilTrainOptions(options);
  const seed = expectSeed(fn, context.seed);
  expectThat(scenario.kind === 'class-il', `${fn}: needs a class-incremental scenario (lifelongCil); "${scenario.name}" is ${scenario.kind}.`);
  expectInRange(fn, 'taskIndex', taskIndex, { min: 0, max: scenario.tasks.length - 1, integer: true });
  expectThat(
    network.branches.includes('main') && network.branches.includes('random'),
    `${fn}: the network needs head branches "main" and "random"; it has ${JSON.stringify(network.branches)}. Create it with branches: ['main', 'random'].`,
  );
  while (network.headWidths.length <= taskIndex) network.addHead(scenario.tasks[network.headWidths.length].headWidth);
  const k = taskIndex + 1;
  const teacher = k >= 2 ? context.teacher : undefined;
  const streams: Scenario = { ...scenario, unlabeled: teacher?.split };
  const sizes = cilSubBatchSizes(o.subBatchSize, k);
  const cNew = sizes.balancedNew / o.subBatchSize;
  const cOld = sizes.balancedOld / o.subBatchSize;
  const transform = scenario.tasks[taskIndex].transform;
  const valSplit = seenSplit(scenario, k, 'val');

  if (context.mask) applyMaskToNetwork(network, context.mask);
  const bound = context.mask ? bindMask(network, context.mask) : null;
  const optimizer = sgd(network.params, { learningRate: o.learningRate, momentum: o.momentum, weightDecay: o.weightDecay });
  bound?.attach(optimizer);
  const weight = bound?.weight;
  // Short runs: drop milestones that coincide or fall outside the epochs.
  const milestones = o.milestones ?? [...new Set([Math.round(0.6 * o.epochs), Math.round(0.8 * o.epochs)])].filter((m) => m > 0 && m < o.epochs);
  const schedule = o.schedule === 'step' && milestones.length > 0 ? stepSchedule({ initial: o.learningRate, milestones, gamma: 0.1 }) : constantSchedule(o.learningRate);

  let captured: Snapshot | null = context.captureAtStep === 0 ? takeSnapshot(network.params) : null;
  let stepsDone = 0;
  let current: CilStep | null = null;
  const extras = (s: CilStep): tf.Tensor[] => [s.balancedNew, s.balancedOld, s.unlabeled].flatMap((b) => (b && b !== s.random ? [b.x, b.y] : []));
  function* epochBatches(shuffleSeed: number): Generator<Batch> {
    try {
      for (const step of cilSteps(streams, taskIndex, {
        seed: shuffleSeed,
        subBatchSize: o.subBatchSize,
        ...(o.augment ? { augment: { seed: deriveSeed(shuffleSeed, 'augment') } } : {}),
      })) {
        if (current) tf.dispose(extras(current));
        current = step;
        if (captured === null && context.captureAtStep === stepsDone) captured = takeSnapshot(network.params);
        yield step.random;
        stepsDone++;
      }
    } finally {
      if (current) tf.dispose(extras(current));
      current = null;
    }
  }

  const head = (f: tf.Tensor2D, upTo: number, branch: string) => network.headLogits(f, upTo, { branch, concatUpTo: true, weight });
  const loss = (batch: Batch) => {
    const s = current!;
    const fw = { training: true, weight };
    const f1 = network.features(batch.x, fw);
    if (k === 1) {
      const main = head(f1, 0, 'main');
      return { loss: tf.add(crossEntropy(main, batch.y), crossEntropy(head(f1, 0, 'random'), batch.y)) as tf.Scalar, logits: main };
    }
    const random = head(f1, taskIndex, 'random');
    let total: tf.Tensor = crossEntropy(random, batch.y);
    let balanced: tf.Tensor = tf.mul(cNew, crossEntropy(head(network.features(s.balancedNew.x, fw), taskIndex, 'main'), s.balancedNew.y));
    if (s.balancedOld) {
      balanced = tf.add(balanced, tf.mul(cOld, crossEntropy(head(network.features(s.balancedOld.x, fw), taskIndex, 'main'), s.balancedOld.y)));
    }
    if (teacher && s.unlabeled) {
      const fu = network.features(s.unlabeled.x, fw);
      const rows = tf.tensor1d(s.unlabeled.rows, 'int32');
      total = tf.add(total, kdLoss(head(fu, taskIndex - 1, 'random'), tf.gather(teacher.random, rows) as tf.Tensor2D, o.temperature));
      balanced = tf.add(balanced, kdLoss(head(fu, taskIndex - 1, 'main'), tf.gather(teacher.main, rows) as tf.Tensor2D, o.temperature));
    }
    return { loss: tf.add(total, tf.mul(0.5, balanced)) as tf.Scalar, logits: random };
  };

  try {
    const result = await trainTask({
      task: taskIndex,
      variables: network.params,
      snapshotVariables: new Map([...network.params, ...network.state]),
      optimizer,
      epochs: o.epochs,
      seed,
      schedule,
      batches: ({ shuffleSeed }) => epochBatches(shuffleSeed),
      loss,
      validate: () => evaluate(network, taskIndex, (bs) => batches(valSplit, transform, { batchSize: bs }), { batchSize: 256, concatUpTo: true, weight }),
      select: o.select,
      onProgress: context.onProgress,
      shouldStop: context.shouldStop,
    });
    const vals = result.history.map((h) => h.val?.accuracy ?? 0);
    const valAccuracy = result.bestEpoch !== null ? vals[result.bestEpoch] : vals[vals.length - 1] ?? 0;
    return { history: result.history, bestEpoch: result.bestEpoch, valAccuracy, captured, interrupted: result.stopped === 'interrupted' };
  } catch (error) {
    if (captured) tf.dispose([...(captured as Snapshot).values()]);
    throw error;
  } finally {
    optimizer.dispose();
    bound?.dispose();
  }
}
