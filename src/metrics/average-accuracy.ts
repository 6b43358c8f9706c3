/**
 * ACC, the average accuracy after the last task (methods.md §1.11, WSN paper §4):
 * `ACC = (1/T) Σ_{j=0..T−1} A[T−1][j]`, the mean of the last row of the accuracy matrix.
 */
import { type AccuracyMatrix, validateAccuracyMatrix } from './accuracy-matrix';

/**
 * Average accuracy (%) over all tasks after training the last one: the mean of the last row.
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * averageAccuracy([[90], [80, 94]]); // 87
 * ```
 */
export function averageAccuracy(matrix: AccuracyMatrix): number {
  validateAccuracyMatrix('averageAccuracy', matrix);
  return _mean(matrix[matrix.length - 1]);
}

/**
 * The average accuracy (%) after each trained task: element `i` is the mean of row `i`
 * (the "accuracy as tasks are learned" curve, e.g. SA in the Lifelong-tickets Figure 4).
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * averageAccuracyCurve([[90], [80, 94]]); // [90, 87]
 * ```
 */
export function averageAccuracyCurve(matrix: AccuracyMatrix): number[] {
  validateAccuracyMatrix('averageAccuracyCurve', matrix);
  return matrix.map(_mean);
}

/**
 * The accuracies (%) of every task after the last task was trained: a copy of the last row.
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * finalAccuracies([[90], [80, 94]]); // [80, 94]
 * ```
 */
export function finalAccuracies(matrix: AccuracyMatrix): number[] {
  validateAccuracyMatrix('finalAccuracies', matrix);
  return [...matrix[matrix.length - 1]];
}

/** Mean of a non-empty list (unchecked). */
export function _mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
