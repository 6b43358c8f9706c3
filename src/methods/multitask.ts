/**
 * Multitask (MTL), the joint-training upper bound of the WSN tables (Kang et al., ICML 2022,
 * Tables 1–2, numbers copied from GPM / FS-DGPM; methods.md §4): one multi-head network
 * trained on all tasks at once. CAP = 100 %.
 *
 * In a sequential runner, learning task t trains jointly on tasks 0..t: every step takes one
 * mini-batch of `batchSize` from each seen task (shuffled per epoch, shorter tasks restart
 * with a new shuffle), runs each through the body and its own head, and minimises the mean of
 * the per-task cross-entropies. An epoch is as many steps as the largest seen task has
 * batches. The plateau rule and best snapshot use the mean validation loss over seen tasks;
 * the optimizer (Adam at the benchmark's rate by default) is fresh for every t. The row for
 * the last task is the paper's MTL number; earlier rows are joint training on a prefix.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { Batch, Task } from '../data/types';
import { InvalidArgumentError } from '../errors';
import { deriveSeed } from '../random';
import { adam } from '../train/adam';
import { crossEntropy } from '../train/cross-entropy';
import { evaluate } from '../train/evaluate';
import { plateauSchedule } from '../train/lr-schedule';
import { sgd } from '../train/sgd';
import { trainTask } from '../train/train-task';
import { _ensureHead } from './learner-network';
import { _checkOptimizerOptions, _mergeOptions, type OptimizerOptions } from './method-options';
import { _MultiHeadLearner } from './multi-head-learner';
import type { ContinualMethod, LearnerSetup, TaskContext, TaskSummary } from './types';

/** Options of {@link multitask}. */
export interface MultitaskOptions extends OptimizerOptions {}

const defaults: MultitaskOptions = Object.freeze({ optimizer: 'adam', learningRate: null });

/**
 * One epoch of joint batches: each yielded batch concatenates one batch of every task in
 * `tasks` (task order); `sizes` receives the per-task row counts of the batch just yielded.
 */
function* jointBatches(tasks: readonly Task[], batchSize: number, shuffleSeed: number, augment: boolean, sizes: number[]): Generator<Batch> {
  const steps = Math.max(...tasks.map((t) => Math.ceil(t.train.count / batchSize)));
  const open = (t: Task, round: number): Iterator<Batch> => {
    const seed = deriveSeed(shuffleSeed, t.index, round);
    return batches(t.train, t.transform, { batchSize, shuffleSeed: seed, augment: augment ? { seed } : undefined })[Symbol.iterator]();
  };
  const rounds = tasks.map(() => 0);
  const iterators = tasks.map((t) => open(t, 0));
  for (let step = 0; step < steps; step++) {
    const parts: Batch[] = tasks.map((t, j) => {
      let next = iterators[j].next();
      if (next.done) {
        iterators[j] = open(t, ++rounds[j]);
        next = iterators[j].next();
      }
      return next.value as Batch;
    });
    sizes.splice(0, sizes.length, ...parts.map((p) => p.x.shape[0]));
    const x = tf.concat(parts.map((p) => p.x)) as tf.Tensor4D;
    const y = tf.concat(parts.map((p) => p.y)) as tf.Tensor1D;
    tf.dispose(parts.flatMap((p) => [p.x, p.y]));
    yield { x, y, rows: new Int32Array(0) };
  }
}

class MultitaskLearner extends _MultiHeadLearner {
  constructor(
    setup: LearnerSetup,
    private readonly options: MultitaskOptions,
  ) {
    super('multitask', setup, multitask.scenarios);
  }

  async learnTask(task: Task, context: TaskContext): Promise<TaskSummary> {
    _ensureHead(this.method, this.network, task);
    const started = Date.now();
    const { training, scenario } = this.setup;
    const seen = [...scenario.tasks.slice(0, task.index), task];
    if (seen.some((t) => t.index !== seen.indexOf(t))) {
      throw new InvalidArgumentError(`multitask.learnTask: task ${task.index} is not task ${task.index} of scenario "${scenario.name}". Pass the setup's own tasks.`);
    }
    const variables = new Map([...this.network.params].filter(([name]) => {
      const info = this.network.paramInfo.find((p) => p.name === name)!;
      return info.kind !== 'head' || info.head!.task <= task.index;
    }));
    const learningRate = this.options.learningRate ?? training.learningRate;
    const optimizer = this.options.optimizer === 'sgd' ? sgd(variables, { learningRate }) : adam(variables, { learningRate });
    const sizes: number[] = [];
    try {
      const result = await trainTask({
        task: task.index,
        variables,
        optimizer,
        epochs: training.epochs,
        seed: context.seed,
        schedule: plateauSchedule({ initial: learningRate, lrMin: Math.min(training.lrMin, learningRate), patience: training.patience }),
        select: 'val-loss',
        snapshotVariables: this.network.params,
        batches: ({ shuffleSeed }) => jointBatches(seen, training.batchSize, shuffleSeed, training.augment, sizes),
        loss: (batch, step) => {
          const xs = tf.split(batch.x, sizes);
          const ys = tf.split(batch.y, sizes);
          const losses = seen.map((t, j) =>
            crossEntropy(this.network.logits(xs[j] as tf.Tensor4D, t.index, { training: true, dropoutSeed: deriveSeed(step.seed, j) }), ys[j] as tf.Tensor1D),
          );
          return tf.div(tf.addN(losses), seen.length) as tf.Scalar;
        },
        validate: async () => {
          let loss = 0;
          let accuracy = 0;
          for (const t of seen) {
            const split = t.val.count > 0 ? t.val : t.train;
            const e = await evaluate(this.network, t.index, (bs) => batches(split, t.transform, { batchSize: bs }), { batchSize: training.testBatchSize });
            loss += e.loss / seen.length;
            accuracy += e.accuracy / seen.length;
          }
          return { loss, accuracy };
        },
        shouldStop: context.shouldStop,
        onProgress: context.onProgress,
      });
      this.learned = Math.max(this.learned, task.index + 1);
      return { epochs: result.history.length, seconds: (Date.now() - started) / 1000, interrupted: result.stopped === 'interrupted' };
    } finally {
      optimizer.dispose();
    }
  }
}

/**
 * Multitask: joint training of one multi-head network on every task seen so far.
 * @example
 * ```ts
 * const learner = multitask.create(setup, multitask.resolveOptions());
 * ```
 */
export const multitask: ContinualMethod<MultitaskOptions> = Object.freeze({
  name: 'multitask',
  description: 'Multitask: one multi-head network trained jointly on all tasks seen (upper bound)',
  scenarios: ['task-il'] as const,
  defaults,
  resolveOptions(options?: Partial<MultitaskOptions>): MultitaskOptions {
    const merged = _mergeOptions('multitask', defaults, options);
    _checkOptimizerOptions('multitask', merged);
    return merged;
  },
  create(setup: LearnerSetup, options: MultitaskOptions) {
    return new MultitaskLearner(setup, multitask.resolveOptions(options));
  },
});
