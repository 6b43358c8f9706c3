/**
 * BWT, backward transfer (Lopez-Paz & Ranzato 2017; methods.md §1.11, WSN paper §4):
 * `BWT = (1/(T−1)) Σ_{j=0..T−2} (A[T−1][j] − A[j][j])` (0-based). Negative = forgetting.
 * WSN Table 1 prints it as a fraction (−0.21 = −21 points), Table 2 in percent points.
 */
import { expectOneOf, InvalidArgumentError } from '../errors';
import { type AccuracyMatrix, validateAccuracyMatrix } from './accuracy-matrix';

/** Unit of a transfer or forgetting value: percent points (as A) or a fraction (points / 100). */
export type TransferUnit = 'percent' | 'fraction';

/** Options of {@link backwardTransfer}. */
export interface BackwardTransferOptions {
  /** `'percent'` (default; Table 2) or `'fraction'` (Table 1: divided by 100). */
  unit?: TransferUnit;
}

/**
 * Backward transfer over a whole run. Exactly 0 for forget-free methods (WSN, PackNet) when
 * old tasks are re-evaluated.
 * @throws InvalidArgumentError when fewer than 2 tasks were trained or the unit is unknown
 * @throws ShapeMismatchError when a row is ragged
 * @example
 * ```ts
 * backwardTransfer([[90], [70, 95]]);                       // -20
 * backwardTransfer([[90], [70, 95]], { unit: 'fraction' }); // -0.2
 * ```
 */
export function backwardTransfer(matrix: AccuracyMatrix, options: BackwardTransferOptions = {}): number {
  validateAccuracyMatrix('backwardTransfer', matrix);
  const unit = expectOneOf('unit', options.unit ?? 'percent', ['percent', 'fraction'] as const);
  const T = matrix.length; // number of trained tasks
  if (T < 2) {
    throw new InvalidArgumentError(
      'backwardTransfer: BWT needs at least 2 trained tasks (it compares old tasks with their accuracy ' +
        'right after training); got 1 row. Report BWT only for runs with T ≥ 2.',
    );
  }
  const last = matrix[T - 1];
  let sum = 0;
  for (let j = 0; j < T - 1; j++) sum += last[j] - matrix[j][j];
  return _toUnit(sum / (T - 1), unit);
}

/** Converts percent points to the requested unit (unchecked). */
export function _toUnit(points: number, unit: TransferUnit): number {
  return unit === 'fraction' ? points / 100 : points;
}
