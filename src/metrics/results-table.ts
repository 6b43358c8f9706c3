/**
 * Results as tidy Arquero tables: one row per (run, trained task, evaluated task, metric).
 *
 * Columns, in this order: `run` (id), `seed`, `method` (registry key), `benchmark`,
 * `trainedTask` and `evalTask` (0-based task indices, `null` when not applicable), `metric`,
 * `value`. Accuracy-matrix entries use `metric = 'accuracy'` with both task columns set;
 * run-level metrics (ACC, BWT, CAP, ...) set `trainedTask` to the last trained task and leave
 * `evalTask` null. Units live in the metric name's documentation ({@link runMetricRows}).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describeValue, InvalidArgumentError } from '../errors';
import { type AccuracyMatrix, validateAccuracyMatrix } from './accuracy-matrix';
import { averageAccuracy } from './average-accuracy';
import { backwardTransfer, type TransferUnit } from './backward-transfer';
import { averageForgetting } from './forgetting';

/** Column names of a results table, in order. */
export const RESULT_COLUMNS = [
  'run',
  'seed',
  'method',
  'benchmark',
  'trainedTask',
  'evalTask',
  'metric',
  'value',
] as const;

/** Identifies one run (one method on one benchmark with one seed). */
export interface RunInfo {
  /** Run id, e.g. a hash of the non-default options plus the seed. */
  readonly run: string;
  readonly seed: number;
  /** Method registry key, e.g. `'wsn'`, or a label such as `'wsn c=0.03'`. */
  readonly method: string;
  /** Benchmark registry key, e.g. `'pmnist'`. */
  readonly benchmark: string;
}

/** One tidy result row. */
export interface ResultRow extends RunInfo {
  /** 0-based index of the task trained last when the value was measured; null if none. */
  readonly trainedTask: number | null;
  /** 0-based index of the evaluated task; null for run-level metrics. */
  readonly evalTask: number | null;
  readonly metric: string;
  readonly value: number;
}

function checkTask(i: number, row: ResultRow, key: 'trainedTask' | 'evalTask'): void {
  const v = row[key];
  if (v !== null && !(Number.isInteger(v) && v >= 0)) {
    throw new InvalidArgumentError(
      `resultsTable: rows[${i}].${key} must be a 0-based task index or null; got ${describeValue(v)}.`,
    );
  }
}

/**
 * Builds a tidy results table from rows, validating each.
 * @throws InvalidArgumentError on a missing field, a non-finite value or a bad task index
 * @example
 * ```ts
 * const info = { run: 'r1', seed: 0, method: 'wsn', benchmark: 'pmnist' };
 * const table = resultsTable([...accuracyMatrixRows(matrix, info), ...runMetricRows(matrix, info)]);
 * table.print();
 * ```
 */
export function resultsTable(rows: readonly ResultRow[]): ColumnTable {
  if (!Array.isArray(rows)) {
    throw new InvalidArgumentError(`resultsTable: expected an array of result rows; got ${describeValue(rows)}.`);
  }
  rows.forEach((row, i) => {
    for (const key of ['run', 'method', 'benchmark', 'metric'] as const) {
      if (typeof row[key] !== 'string' || row[key] === '') {
        throw new InvalidArgumentError(`resultsTable: rows[${i}].${key} must be a non-empty string; got ${describeValue(row[key])}.`);
      }
    }
    if (!Number.isInteger(row.seed)) {
      throw new InvalidArgumentError(`resultsTable: rows[${i}].seed must be a whole number; got ${describeValue(row.seed)}.`);
    }
    if (typeof row.value !== 'number' || !Number.isFinite(row.value)) {
      throw new InvalidArgumentError(
        `resultsTable: rows[${i}] (${row.method}, ${row.metric}) has value ${describeValue(row.value)}; expected a finite number. ` +
          'Drop metrics that are undefined for the run (e.g. BWT with one task) instead of storing NaN.',
      );
    }
    checkTask(i, row, 'trainedTask');
    checkTask(i, row, 'evalTask');
  });
  const columns: Record<string, unknown[]> = {};
  for (const key of RESULT_COLUMNS) columns[key] = rows.map((r) => r[key]);
  return aq.table(columns);
}

/**
 * One `'accuracy'` row per accuracy-matrix entry (percent, 0–100).
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * accuracyMatrixRows([[90], [88, 95]], info).length; // 3
 * ```
 */
export function accuracyMatrixRows(matrix: AccuracyMatrix, info: RunInfo): ResultRow[] {
  validateAccuracyMatrix('accuracyMatrixRows', matrix);
  const rows: ResultRow[] = [];
  matrix.forEach((row, i) =>
    row.forEach((value, j) => rows.push({ ...runInfo(info), trainedTask: i, evalTask: j, metric: 'accuracy', value })),
  );
  return rows;
}

/** Options of {@link runMetricRows}. */
export interface RunMetricOptions {
  /** Unit of the `'bwt'` and `'forgetting'` rows: `'percent'` (default) or `'fraction'`. */
  bwtUnit?: TransferUnit;
  /** Further run-level metrics to add, e.g. `{ cap: 19.87, alpha: 0.81 }`. */
  extra?: Readonly<Record<string, number>>;
}

/**
 * Run-level metric rows from an accuracy matrix: `'acc'` (ACC, %), and when at least two tasks
 * were trained `'bwt'` (BWT) and `'forgetting'` (mean forgetting), plus any `extra` metrics.
 * `trainedTask` is the last trained task, `evalTask` null.
 * @throws InvalidArgumentError | ShapeMismatchError when the matrix is invalid
 * @example
 * ```ts
 * runMetricRows([[90], [70, 95]], info, { extra: { cap: 100 } }).map((r) => r.metric);
 * // ['acc', 'bwt', 'forgetting', 'cap']
 * ```
 */
export function runMetricRows(matrix: AccuracyMatrix, info: RunInfo, options: RunMetricOptions = {}): ResultRow[] {
  const unit = options.bwtUnit ?? 'percent';
  const metrics: [string, number][] = [['acc', averageAccuracy(matrix)]];
  if (matrix.length >= 2) {
    metrics.push(['bwt', backwardTransfer(matrix, { unit })]);
    metrics.push(['forgetting', averageForgetting(matrix, { unit })]);
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) metrics.push([name, value]);
  const base = { ...runInfo(info), trainedTask: matrix.length - 1, evalTask: null };
  return metrics.map(([metric, value]) => ({ ...base, metric, value }));
}

function runInfo(info: RunInfo): RunInfo {
  return { run: info.run, seed: info.seed, method: info.method, benchmark: info.benchmark };
}

/**
 * CSV text of a table (header line, comma separated, RFC 4180 quoting, null as empty cell).
 * @example
 * ```ts
 * fs.writeFileSync('results.csv', toCSV(table));
 * ```
 */
export function toCSV(table: ColumnTable): string {
  return aq.toCSV(table);
}
