/**
 * The per-task training protocol the WSN paper uses for every method it compares
 * (methods.md §1.5): a fresh optimizer per task (pitfall P1), mini-batches shuffled per epoch,
 * validation loss after each epoch driving the plateau rule (patience, lr/2, stop below
 * lrMin), and the best snapshot restored at the end. Methods differ only in what they pass in:
 * which variables train, the weight hook (masks), gradient transforms, update masks (exact
 * freezing) and extra loss terms (EWC, L1).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { Batch, Task } from '../data/types';
import type { ForwardOptions, HeadOptions, Network } from '../models/types';
import { adam } from '../train/adam';
import { crossEntropy } from '../train/cross-entropy';
import { evaluate } from '../train/evaluate';
import { constantSchedule, plateauSchedule } from '../train/lr-schedule';
import type { Optimizer } from '../train/optimizer';
import { sgd } from '../train/sgd';
import { trainTask, type DerivedWeights, type StepContext, type TrainTaskResult } from '../train/train-task';
import type { TaskContext, TrainingSettings } from './types';

/** Options of {@link trainOnTask}. */
export interface TrainOnTaskOptions {
  readonly network: Network;
  readonly task: Task;
  readonly training: TrainingSettings;
  readonly context: TaskContext;
  /** Variables to update, by name. Default: every parameter of the network. */
  readonly variables?: ReadonlyMap<string, tf.Variable>;
  /** Weight hook used in training forward passes (e.g. WSN's straight-through top-c mask). */
  readonly weight?: ForwardOptions['weight'];
  /** Weights derived before each step's tape and updated through their own gradients (WSN's W ⊙ m). */
  readonly derivedWeights?: DerivedWeights;
  /** Weight hook used for validation passes. Default: `weight`. */
  readonly validationWeight?: ForwardOptions['weight'];
  /** Head selection for this task's logits (class-IL: `concatUpTo`). */
  readonly head?: HeadOptions;
  /** Rewrites gradients before each step (inside the step's tidy). */
  readonly transformGradients?: (grads: ReadonlyMap<string, tf.Tensor>) => ReadonlyMap<string, tf.Tensor>;
  /** Entries that must not move at all: 0 = frozen (exact, whatever the optimizer state). */
  readonly updateMasks?: ReadonlyMap<string, tf.Tensor>;
  /** Extra loss terms added to the cross-entropy (EWC penalty, L1); inside the tape. */
  readonly extraLoss?: (step: StepContext) => tf.Scalar;
  /** Optimizer. Default Adam at `training.learningRate` (WSN); SGD takes momentum/decay. */
  readonly optimizer?: { readonly kind: 'adam' } | { readonly kind: 'sgd'; readonly momentum?: number; readonly weightDecay?: number };
  /** Learning-rate policy. Default `plateau` (WSN rule with the benchmark's lrMin/patience). */
  readonly schedule?: 'plateau' | 'constant';
  /** Epoch cap; default `training.epochs`. */
  readonly epochs?: number;
  /** Learning rate; default `training.learningRate`. */
  readonly learningRate?: number;
}

/** {@link TrainTaskResult} plus wall time. */
export interface TrainOnTaskResult extends TrainTaskResult {
  readonly seconds: number;
}

function createOptimizer(variables: ReadonlyMap<string, tf.Variable>, options: TrainOnTaskOptions, learningRate: number): Optimizer {
  const spec = options.optimizer ?? { kind: 'adam' as const };
  if (spec.kind === 'sgd') {
    return sgd(variables, { learningRate, momentum: spec.momentum ?? 0, weightDecay: spec.weightDecay ?? 0 });
  }
  return adam(variables, { learningRate });
}

/**
 * Trains `network` on `task` with the WSN-paper protocol and restores the best validation
 * snapshot (of every network parameter and every trained variable, e.g. WSN's scores). Tasks
 * without a validation split validate on their training split (the Omniglot protocol). The
 * optimizer is created and disposed here.
 * @example
 * ```ts
 * const result = await trainOnTask({ network, task, training, context: { seed: 1 } });
 * ```
 */
export async function trainOnTask(options: TrainOnTaskOptions): Promise<TrainOnTaskResult> {
  const { network, task, training, context } = options;
  const started = Date.now();
  const variables = options.variables ?? network.params;
  const learningRate = options.learningRate ?? training.learningRate;
  const optimizer = createOptimizer(variables, options, learningRate);
  for (const [name, mask] of options.updateMasks ?? []) {
    if (variables.has(name)) optimizer.setUpdateMask(name, mask);
  }
  const head = options.head ?? {};
  const validationSplit = task.val.count > 0 ? task.val : task.train;
  const validationWeight = options.validationWeight ?? options.weight;
  const plateau = (options.schedule ?? 'plateau') === 'plateau';
  try {
    const result = await trainTask({
      task: task.index,
      variables,
      optimizer,
      epochs: options.epochs ?? training.epochs,
      seed: context.seed,
      schedule: plateau
        ? plateauSchedule({ initial: learningRate, lrMin: Math.min(training.lrMin, learningRate), patience: training.patience })
        : constantSchedule(learningRate),
      select: plateau ? 'val-loss' : 'last',
      // Extra trainable variables outside the network (WSN/SupSup scores) are snapshotted too.
      snapshotVariables: new Map([...network.params, ...variables]),
      derivedWeights: options.derivedWeights,
      batches: ({ shuffleSeed }) =>
        batches(task.train, task.transform, {
          batchSize: training.batchSize,
          shuffleSeed,
          augment: training.augment ? { seed: shuffleSeed } : undefined,
        }),
      loss: (batch: Batch, step: StepContext) => {
        const logits = network.logits(batch.x, task.index, {
          training: true,
          weight: options.weight,
          dropoutSeed: step.seed,
          ...head,
        });
        const ce = crossEntropy(logits, batch.y);
        return { loss: options.extraLoss ? tf.add(ce, options.extraLoss(step)) : ce, logits };
      },
      validate: plateau
        ? () =>
            evaluate(network, task.index, (bs) => batches(validationSplit, task.transform, { batchSize: bs }), {
              batchSize: training.testBatchSize,
              weight: validationWeight,
              ...head,
            })
        : undefined,
      transformGradients: options.transformGradients,
      shouldStop: context.shouldStop,
      onProgress: context.onProgress,
    });
    return { ...result, seconds: (Date.now() - started) / 1000 };
  } finally {
    optimizer.dispose();
  }
}
