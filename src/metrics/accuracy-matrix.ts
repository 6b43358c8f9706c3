/**
 * The accuracy matrix of a continual-learning run and a builder that fills it task by task.
 *
 * Convention (methods.md §0 and §1.11, written there 1-based): `A[i][j]` is the test accuracy
 * in percent (0–100) on task `j` measured right after training task `i`. In code both indices
 * are **0-based** (task 1 of the paper is index 0) and only the lower triangle is stored: row
 * `i` has exactly `i + 1` entries, `A[i][0..i]`. Figures and printed tables show 1-based task
 * numbers.
 *
 * Every row must come from fresh evaluations of all tasks seen so far. Some official WSN mains
 * copy earlier rows instead of re-evaluating, which makes BWT = 0 automatic and hides bugs;
 * {@link AccuracyMatrixBuilder} therefore takes a whole new row per trained task and never
 * carries values over.
 */
import { describeValue, InvalidArgumentError, ShapeMismatchError } from '../errors';

/** Lower-triangular accuracy matrix: `matrix[i][j]` (0-based, `j ≤ i`) in percent, 0–100. */
export type AccuracyMatrix = readonly (readonly number[])[];

/**
 * Checks that `matrix` is a non-empty lower-triangular accuracy matrix of finite percentages.
 * @param fn the public function name used in error messages
 * @throws ShapeMismatchError when row `i` does not have `i + 1` entries
 * @throws InvalidArgumentError on NaN, ±Infinity, non-numbers or values outside [0, 100]
 * @example
 * ```ts
 * validateAccuracyMatrix('myMetric', [[90], [88, 91]]); // ok
 * ```
 */
export function validateAccuracyMatrix(fn: string, matrix: AccuracyMatrix): void {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new InvalidArgumentError(
      `${fn}: expected an accuracy matrix with at least one row (one per trained task); got ${describeValue(matrix)}.`,
    );
  }
  matrix.forEach((row, i) => validateRow(fn, row, i));
}

function validateRow(fn: string, row: readonly number[], i: number): void {
  if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
    throw new InvalidArgumentError(`${fn}: row ${i} of the accuracy matrix must be an array; got ${describeValue(row)}.`);
  }
  if (row.length !== i + 1) {
    throw new ShapeMismatchError(
      `${fn}: row ${i} of the accuracy matrix (after training task ${i}) must hold ${i + 1} accuracies, ` +
        `one per task 0..${i}; got ${row.length}. Re-evaluate every task seen so far after each task.`,
    );
  }
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100) {
      throw new InvalidArgumentError(
        `${fn}: A[${i}][${j}] (task ${j} after training task ${i}) must be a finite accuracy in percent, 0–100; ` +
          `got ${describeValue(v)}. Check the evaluation of task ${j}; pass percentages, not fractions.`,
      );
    }
  }
}

/**
 * Builds an {@link AccuracyMatrix} row by row as tasks finish.
 *
 * After training task `i`, call {@link AccuracyMatrixBuilder.recordTask} with the fresh
 * accuracies of tasks `0..i` (or {@link AccuracyMatrixBuilder.evaluateTask} with an evaluation
 * callback, which calls it for every task seen so far).
 *
 * @example
 * ```ts
 * const builder = new AccuracyMatrixBuilder(3);
 * builder.recordTask([91.2]);
 * builder.recordTask([90.8, 93.0]);
 * await builder.evaluateTask((task) => evaluate(model, testSets[task]));
 * averageAccuracy(builder.toMatrix());
 * ```
 */
export class AccuracyMatrixBuilder {
  private readonly rows: number[][] = [];

  /** @param numTasks optional planned number of tasks; recording more then throws */
  constructor(readonly numTasks?: number) {
    if (numTasks !== undefined && (!Number.isInteger(numTasks) || numTasks < 1)) {
      throw new InvalidArgumentError(
        `AccuracyMatrixBuilder: numTasks must be a whole number ≥ 1 or omitted; got ${describeValue(numTasks)}.`,
      );
    }
  }

  /** Number of tasks trained (rows recorded) so far. */
  get trainedTasks(): number {
    return this.rows.length;
  }

  /**
   * Records the row of the task just trained: `accuracies[j]` = accuracy (%) on task `j`,
   * freshly evaluated, for every `j` from 0 to the task's own index.
   * @throws ShapeMismatchError when the row length is not `trainedTasks + 1`
   * @throws InvalidArgumentError on NaN or values outside [0, 100], or beyond `numTasks`
   */
  recordTask(accuracies: readonly number[]): void {
    const i = this.rows.length;
    if (this.numTasks !== undefined && i >= this.numTasks) {
      throw new InvalidArgumentError(
        `AccuracyMatrixBuilder.recordTask: all ${this.numTasks} planned tasks are already recorded. ` +
          `Create a builder with a larger numTasks.`,
      );
    }
    validateRow('AccuracyMatrixBuilder.recordTask', Array.from(accuracies), i);
    this.rows.push(Array.from(accuracies));
  }

  /**
   * Evaluates every task seen so far with `evaluate(taskIndex)` (accuracy in %) and records
   * the row. Tasks are evaluated in order 0..i, one at a time.
   * @returns the recorded row
   */
  async evaluateTask(evaluate: (taskIndex: number) => number | Promise<number>): Promise<readonly number[]> {
    const row: number[] = [];
    for (let j = 0; j <= this.rows.length; j++) row.push(await evaluate(j));
    this.recordTask(row);
    return row;
  }

  /** A frozen copy of the matrix so far. @throws InvalidArgumentError when no row is recorded */
  toMatrix(): AccuracyMatrix {
    if (this.rows.length === 0) {
      throw new InvalidArgumentError(
        'AccuracyMatrixBuilder.toMatrix: no task recorded yet. Call recordTask after training the first task.',
      );
    }
    return Object.freeze(this.rows.map((row) => Object.freeze([...row])));
  }
}
