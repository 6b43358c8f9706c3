/**
 * Task-incremental class split (WSN CIFAR-100 Split, TinyImageNet; methods.md §1.10): classes in
 * a given or seeded order are cut into `numTasks` equal groups; the task id is known at train
 * and test time and each task has its own head.
 *
 * Labels: `'local'` (default) maps a task's classes to 0..k−1 and a head of width k;
 * `'global'` keeps the position in the class order (the class id for `'ids'` order) and a head
 * over all classes, as WSN's CIFAR-100 Split and TinyImageNet do (methods.md P5).
 */
import type { DatasetSplits, Scenario } from '../types';
import { _splitByClasses, type ClassSplitOptions } from './split-by-classes';

/** Options of {@link taskSplit}. */
export interface TaskSplitOptions extends ClassSplitOptions {
  /** `'local'` targets 0..k−1 per task (default) or `'global'` targets over all classes. */
  readonly labels?: 'local' | 'global';
}

/**
 * Splits a dataset into task-incremental tasks of equal class groups.
 * @throws InvalidArgumentError when numTasks does not divide the classes, for a bad class
 *   order, validation fraction, normalisation or seed.
 * @example
 * ```ts
 * const scenario = taskSplit(offlineRgb({ seed: 1 }), { numTasks: 10, labels: 'global' });
 * ```
 */
export function taskSplit(data: DatasetSplits, options: TaskSplitOptions = {}): Scenario {
  return _splitByClasses('taskSplit', data, options, 'task-il', options.labels ?? 'local', {
    validation: { kind: 'random-fraction', fraction: 0.05 },
  });
}
