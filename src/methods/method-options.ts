/**
 * Option handling shared by the baselines: merge over defaults rejecting unknown keys, and the
 * optimizer choice (kind + learning rate, `null` = the benchmark's) that most of them expose.
 */
import { expectInRange, expectOneOf, InvalidArgumentError } from '../errors';
import type { TrainOnTaskOptions } from './train-on-task';
import type { TrainingSettings } from './types';

/** Optimizer options of a baseline. */
export interface OptimizerOptions {
  /** `adam` (the WSN protocol) or `sgd` (plain, no momentum). */
  readonly optimizer: 'adam' | 'sgd';
  /** Initial learning rate; `null` = the benchmark's `training.learningRate`. */
  readonly learningRate: number | null;
}

/**
 * `{ ...defaults, ...options }`, rejecting keys the method does not know.
 * @throws InvalidArgumentError naming the unknown key and the known ones.
 */
export function _mergeOptions<O extends object>(method: string, defaults: O, options: Partial<O> | undefined): O {
  for (const key of Object.keys(options ?? {})) {
    if (!(key in defaults)) {
      throw new InvalidArgumentError(`${method}: unknown option "${key}". Known options: ${Object.keys(defaults).sort().join(', ')}.`);
    }
  }
  return { ...defaults, ...(options ?? {}) };
}

/**
 * Validates {@link OptimizerOptions}.
 * @throws UnknownNameError for an unknown optimizer; InvalidArgumentError for a bad rate.
 */
export function _checkOptimizerOptions(method: string, options: OptimizerOptions): void {
  expectOneOf('optimizer', options.optimizer, ['adam', 'sgd'] as const, `Set ${method} option "optimizer".`);
  if (options.learningRate !== null) {
    expectInRange(method, 'learningRate', options.learningRate, { min: 0, minInclusive: false, hint: 'Use null for the benchmark rate.' });
  }
}

/** The `optimizer` and `learningRate` fields of {@link TrainOnTaskOptions}. */
export function _optimizerFields(options: OptimizerOptions, training: TrainingSettings): Pick<TrainOnTaskOptions, 'optimizer' | 'learningRate'> {
  return { optimizer: { kind: options.optimizer }, learningRate: options.learningRate ?? training.learningRate };
}
