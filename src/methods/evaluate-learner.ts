/**
 * Test accuracy of a learner on one task, through its own `predict` (so masks, heads and
 * class-incremental logits are the method's), at a fixed test batch size (P3).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batches } from '../data/batches';
import type { Task, TaskSplit } from '../data/types';
import { expectPositiveInt } from '../errors';
import { countCorrect } from '../train/cross-entropy';
import type { Learner } from './types';

/**
 * Accuracy (%) of `learner` on `split` (default the task's test split), unshuffled and
 * unaugmented, in batches of `batchSize` (default 64).
 * @throws InvalidArgumentError for a bad batch size.
 * @example
 * ```ts
 * const acc = evaluateLearner(learner, scenario.tasks[0]); // e.g. 97.1
 * ```
 */
export function evaluateLearner(learner: Pick<Learner, 'predict'>, task: Task, batchSize = 64, split: TaskSplit = task.test): number {
  expectPositiveInt('evaluateLearner', 'batchSize', batchSize);
  let correct = 0;
  for (const batch of batches(split, task.transform, { batchSize })) {
    try {
      const hits = tf.tidy(() => countCorrect(learner.predict(batch.x, task.index), batch.y));
      correct += hits.dataSync()[0];
      hits.dispose();
    } finally {
      batch.x.dispose();
      batch.y.dispose();
    }
  }
  return split.count === 0 ? 0 : (100 * correct) / split.count;
}
