/**
 * Forgetting per task (Chaudhry et al. 2018, "Riemannian Walk"): for every task j except the
 * last, the best accuracy it ever had before the final task minus its final accuracy,
 * `f_j = max_{i = j..T−2} A[i][j] − A[T−1][j]` (0-based). Positive = forgotten points.
 */
import { expectOneOf, InvalidArgumentError } from '../errors';
import { type AccuracyMatrix, validateAccuracyMatrix } from './accuracy-matrix';
import { _mean } from './average-accuracy';
import { _toUnit, type TransferUnit } from './backward-transfer';

/** Options of {@link forgetting} and {@link averageForgetting}. */
export interface ForgettingOptions {
  /** `'percent'` (default) or `'fraction'`. */
  unit?: TransferUnit;
}

/**
 * Forgetting of each task 0..T−2 after the last task (the last task cannot be forgotten yet).
 * @returns T − 1 values, one per earlier task; empty when only one task was trained
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * forgetting([[90], [95, 80], [70, 85, 92]]); // [25, -5]: task 0 peaked at 95, task 1 rose
 * ```
 */
export function forgetting(matrix: AccuracyMatrix, options: ForgettingOptions = {}): number[] {
  validateAccuracyMatrix('forgetting', matrix);
  const unit = expectOneOf('unit', options.unit ?? 'percent', ['percent', 'fraction'] as const);
  const T = matrix.length;
  const last = matrix[T - 1];
  const out: number[] = [];
  for (let j = 0; j < T - 1; j++) {
    let best = -Infinity;
    for (let i = j; i < T - 1; i++) best = Math.max(best, matrix[i][j]);
    out.push(_toUnit(best - last[j], unit));
  }
  return out;
}

/**
 * Mean forgetting over tasks 0..T−2.
 * @throws InvalidArgumentError when fewer than 2 tasks were trained
 * @example
 * ```ts
 * averageForgetting([[90], [95, 80], [70, 85, 92]]); // 10
 * ```
 */
export function averageForgetting(matrix: AccuracyMatrix, options: ForgettingOptions = {}): number {
  const perTask = forgetting(matrix, options);
  if (perTask.length === 0) {
    throw new InvalidArgumentError(
      'averageForgetting: needs at least 2 trained tasks (the last task cannot be forgotten yet); got 1 row.',
    );
  }
  return _mean(perTask);
}
