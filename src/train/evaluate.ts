/**
 * Evaluation in inference mode (dropout off) with a fixed test batch size: 64, as in the WSN
 * protocols, since batch-statistics norm makes results depend on it (methods.md §1.8, P3).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Task } from '../data/types';
import type { ForwardOptions, Network } from '../models/types';
import { expectPositiveInt, InvalidArgumentError } from '../errors';
import { countCorrect, crossEntropy } from './cross-entropy';
import type { EpochMetrics } from './lr-schedule';

/** Options of {@link evaluate} and {@link evaluateAccuracy}. */
export interface EvaluateOptions {
  /** Test batch size passed to the batch factory. Default 64. */
  readonly batchSize?: number;
  /** Replacement of parameters in the forward pass (e.g. `W ⊙ m_j` for WSN task j). */
  readonly weight?: ForwardOptions['weight'];
  /** Head branch; default `main`. */
  readonly branch?: string;
  /** Class-incremental: logits of heads 0..task concatenated. Default false. */
  readonly concatUpTo?: boolean;
}

/** Loss and accuracy of one evaluation, plus the number of samples seen. */
export interface Evaluation extends EpochMetrics {
  readonly count: number;
}

/**
 * Mean cross-entropy and accuracy (%) of `network` on the batches from `batches(batchSize)`
 * (unshuffled, unaugmented; trainTask-style factories work). Batch tensors are disposed here.
 * @throws InvalidArgumentError for a bad batch size or when the factory yields no samples.
 * @example
 * ```ts
 * const { loss, accuracy } = await evaluate(net, task, (bs) => batches(task.val, task.transform, { batchSize: bs }));
 * ```
 */
export async function evaluate(
  network: Pick<Network, 'logits'>,
  task: number | Pick<Task, 'index'>,
  batches: (batchSize: number) => Iterable<Batch>,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const batchSize = expectPositiveInt('evaluate', 'batchSize', options.batchSize ?? 64);
  const index = typeof task === 'number' ? task : task.index;
  const forward = { training: false, weight: options.weight, branch: options.branch, concatUpTo: options.concatUpTo };
  let sums = tf.zeros([2]); // [summed loss, correct]
  let count = 0;
  let loss = 0;
  let correct = 0;
  try {
    for (const batch of batches(batchSize)) {
      try {
        const next = tf.tidy(() => {
          const logits = network.logits(batch.x, index, forward);
          const stats = tf.stack([crossEntropy(logits, batch.y, 'sum'), tf.cast(countCorrect(logits, batch.y), 'float32')]);
          return tf.add(sums, stats);
        });
        sums.dispose();
        sums = next;
        count += batch.x.shape[0];
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
    }
    [loss, correct] = await sums.data();
  } finally {
    sums.dispose();
  }
  if (count === 0) throw new InvalidArgumentError(`evaluate: the batch factory for task ${index} yielded no samples. Check the split.`);
  return { loss: loss / count, accuracy: (100 * correct) / count, count };
}

/**
 * Accuracy (%) of `network` on one task's batches; see {@link evaluate}.
 * @example
 * ```ts
 * const acc = await evaluateAccuracy(net, 0, (bs) => batches(task.test, task.transform, { batchSize: bs }));
 * ```
 */
export async function evaluateAccuracy(
  network: Pick<Network, 'logits'>,
  task: number | Pick<Task, 'index'>,
  batches: (batchSize: number) => Iterable<Batch>,
  options: EvaluateOptions = {},
): Promise<number> {
  return (await evaluate(network, task, batches, options)).accuracy;
}
