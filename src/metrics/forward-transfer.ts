/**
 * FWT, forward transfer against a per-task reference accuracy.
 *
 * With a lower-triangular accuracy matrix the accuracy of a task before it is trained is not
 * recorded, so we use the diagonal form `FWT = (1/T) Σ_j (A[j][j] − b_j)`: how much better
 * task j is learned inside the continual run than by the reference `b_j`. With `b` = STL
 * accuracies (one network per task, from scratch) this is transfer relative to learning
 * alone; with `b` = random-initialisation accuracies it is the gain over chance. The GEM form
 * (Lopez-Paz & Ranzato 2017) `(1/(T−1)) Σ_{j≥1} (A[j−1][j] − b_j)` needs evaluations of
 * tasks before they are trained, which the matrix does not hold; it is not computed here.
 */
import { describeValue, expectOneOf, InvalidArgumentError, ShapeMismatchError } from '../errors';
import { type AccuracyMatrix, validateAccuracyMatrix } from './accuracy-matrix';
import { _toUnit, type TransferUnit } from './backward-transfer';

/** Options of {@link forwardTransfer}. */
export interface ForwardTransferOptions {
  /** `'percent'` (default) or `'fraction'`. */
  unit?: TransferUnit;
}

/**
 * Forward transfer (%) of a run relative to `reference[j]`, the accuracy (%) of the
 * reference learner on task j (STL or random init). Averaged over all T tasks.
 * @throws ShapeMismatchError when `reference` does not hold one value per trained task
 * @throws InvalidArgumentError on NaN or values outside [0, 100]
 * @example
 * ```ts
 * forwardTransfer([[90], [88, 95]], [91, 93]); // ((90-91) + (95-93)) / 2 = 0.5
 * ```
 */
export function forwardTransfer(
  matrix: AccuracyMatrix,
  reference: readonly number[],
  options: ForwardTransferOptions = {},
): number {
  validateAccuracyMatrix('forwardTransfer', matrix);
  const unit = expectOneOf('unit', options.unit ?? 'percent', ['percent', 'fraction'] as const);
  const T = matrix.length;
  if (reference.length !== T) {
    throw new ShapeMismatchError(
      `forwardTransfer: reference must hold one accuracy per trained task (${T}); got ${reference.length}.`,
    );
  }
  let sum = 0;
  for (let j = 0; j < T; j++) {
    const b = reference[j];
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b > 100) {
      throw new InvalidArgumentError(
        `forwardTransfer: reference[${j}] must be a finite accuracy in percent, 0–100; got ${describeValue(b)}.`,
      );
    }
    sum += matrix[j][j] - b;
  }
  return _toUnit(sum / T, unit);
}
