/**
 * Class-incremental class split (methods.md §0, §2.1): classes in a given or seeded order are
 * cut into equal groups; no task id at test time, one classifier over all classes seen so far.
 * Targets are global: the position of the class in the order (so task t holds targets
 * t·k..t·k+k−1); `headWidth` is the number of new classes per task.
 */
import type { DatasetSplits, Scenario } from '../types';
import { _splitByClasses, type ClassSplitOptions } from './split-by-classes';

/**
 * Splits a dataset into class-incremental tasks.
 * @throws InvalidArgumentError when numTasks does not divide the classes, for a bad class
 *   order, validation fraction, normalisation or seed.
 * @example
 * ```ts
 * const scenario = classSplit(offlineGrey({ seed: 1 }), { numTasks: 5, classOrder: 'seeded', seed: 3 });
 * ```
 */
export function classSplit(data: DatasetSplits, options: ClassSplitOptions = {}): Scenario {
  return _splitByClasses('classSplit', data, options, 'class-il', 'global', {
    validation: { kind: 'per-class-fraction', fraction: 0.1 },
  });
}
