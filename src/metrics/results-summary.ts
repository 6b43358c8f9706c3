/**
 * Mean ± standard deviation over seeds of a tidy results table, and its "mean ± std" text
 * rendering for the CLI (the papers report mean ± std over 5 seeds).
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { describeValue, expectOneOf, InvalidArgumentError } from '../errors';
import { RESULT_COLUMNS } from './results-table';
import { formatTextTable } from './text-table';

/** Which standard deviation: sample (divide by n − 1, the default) or population (by n). */
export type StdKind = 'sample' | 'population';

/** Options of {@link summarizeResults}. */
export interface SummaryOptions {
  /** Default `'sample'` (n − 1; NaN when n = 1). */
  std?: StdKind;
}

const GROUP_KEYS = ['method', 'benchmark', 'metric', 'trainedTask', 'evalTask'] as const;

/**
 * Mean and standard deviation over runs (seeds) of every distinct
 * (method, benchmark, metric, trainedTask, evalTask), in first-seen order.
 * Columns: method, benchmark, metric, trainedTask, evalTask, n, mean, std.
 * @param table a table from {@link resultsTable}
 * @throws InvalidArgumentError when a results column is missing or `std` is unknown
 * @example
 * ```ts
 * summarizeResults(table).filter((d) => d.metric === 'acc').print();
 * ```
 */
export function summarizeResults(table: ColumnTable, options: SummaryOptions = {}): ColumnTable {
  const kind = expectOneOf('std kind', options.std ?? 'sample', ['sample', 'population'] as const);
  const names = table.columnNames();
  const missing = RESULT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      `summarizeResults: the table lacks column(s) ${missing.join(', ')}. Build it with resultsTable().`,
    );
  }
  const groups = new Map<string, { key: Record<string, unknown>; values: number[] }>();
  for (const row of table.objects() as Record<string, unknown>[]) {
    const key: Record<string, unknown> = {};
    for (const k of GROUP_KEYS) key[k] = row[k] ?? null;
    const id = JSON.stringify(GROUP_KEYS.map((k) => key[k]));
    let g = groups.get(id);
    if (!g) {
      g = { key, values: [] };
      groups.set(id, g);
    }
    g.values.push(row.value as number);
  }
  const rows = [...groups.values()].map(({ key, values }) => ({ ...key, n: values.length, ...meanStd(values, kind) }));
  const columns: Record<string, unknown[]> = {};
  for (const c of [...GROUP_KEYS, 'n', 'mean', 'std']) columns[c] = rows.map((r) => (r as Record<string, unknown>)[c]);
  return aq.table(columns);
}

function meanStd(values: readonly number[], kind: StdKind): { mean: number; std: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const denom = kind === 'sample' ? n - 1 : n;
  return { mean, std: denom === 0 ? NaN : Math.sqrt(ss / denom) };
}

/** Options of {@link formatSummary}. */
export interface FormatSummaryOptions {
  /** Metrics to show, as columns in this order. Default: every run-level metric, first-seen order. */
  metrics?: readonly string[];
  /** Fraction digits: one number for all, or per metric (default 2). */
  digits?: number | Readonly<Record<string, number>>;
}

/**
 * Renders run-level rows (`evalTask` null) of a summary as a text table: one line per
 * (method, benchmark), one column per metric, cells `"mean ± std"` (mean only when std is
 * NaN, i.e. a single seed; `–` when the metric is missing for that method).
 * @param summary a table from {@link summarizeResults}
 * @throws InvalidArgumentError on bad digits
 * @example
 * ```ts
 * console.log(formatSummary(summarizeResults(table), { metrics: ['acc', 'bwt', 'cap'] }));
 * // method  benchmark  acc           bwt          cap
 * // wsn     pmnist     94.84 ± 0.11  0.00 ± 0.00  19.87 ± 0.16
 * ```
 */
export function formatSummary(summary: ColumnTable, options: FormatSummaryOptions = {}): string {
  const rows = (summary.objects() as Record<string, unknown>[]).filter((r) => r.evalTask === null || r.evalTask === undefined);
  const metrics = options.metrics ?? [...new Set(rows.map((r) => String(r.metric)))];
  const digitsOf = (metric: string): number => {
    const d = typeof options.digits === 'number' ? options.digits : (options.digits?.[metric] ?? 2);
    if (!Number.isInteger(d) || d < 0 || d > 20) {
      throw new InvalidArgumentError(`formatSummary: digits for "${metric}" must be a whole number in [0, 20]; got ${describeValue(d)}.`);
    }
    return d;
  };
  const lines = new Map<string, { label: [string, string]; cells: Map<string, string> }>();
  for (const r of rows) {
    const id = JSON.stringify([r.method, r.benchmark]);
    let line = lines.get(id);
    if (!line) {
      line = { label: [String(r.method), String(r.benchmark)], cells: new Map() };
      lines.set(id, line);
    }
    const metric = String(r.metric);
    if (!metrics.includes(metric)) continue;
    const d = digitsOf(metric);
    const mean = (r.mean as number).toFixed(d);
    const std = r.std as number;
    line.cells.set(metric, Number.isNaN(std) ? mean : `${mean} ± ${std.toFixed(d)}`);
  }
  const body = [...lines.values()].map((l) => [...l.label, ...metrics.map((m) => l.cells.get(m) ?? '–')]);
  return formatTextTable(['method', 'benchmark', ...metrics], body, {
    align: ['l', 'l', ...metrics.map(() => 'r' as const)],
  });
}
