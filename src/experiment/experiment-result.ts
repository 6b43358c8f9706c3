/**
 * The value `runExperiment` returns: per-seed results, a tidy Arquero results table, its
 * mean ± std summary, and a Jupyter display method (`text/plain` + `text/html` bundle) so a
 * notebook cell that ends with the result shows the summary and the accuracy matrices.
 */
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { accuracyMatrixRows, resultsTable, runMetricRows, type ResultRow } from '../metrics/results-table';
import { formatSummary, summarizeResults } from '../metrics/results-summary';
import { _escapeHtml } from '../viz/render-report';
import { tableToHTML } from '../viz/table-view';
import type { BenchmarkOptions } from './benchmark-types';
import type { SeedResult } from './experiment-types';

/** Run-level metrics shown by {@link ExperimentResult} views, in order. */
export const SUMMARY_METRICS = ['acc', 'bwt', 'cap', 'capPaper', 'density', 'seconds'] as const;

/** What `runExperiment` returns. */
export interface ExperimentResult {
  readonly benchmark: string;
  readonly method: string;
  /** Display name, e.g. `wsn c=0.1`. */
  readonly label: string;
  /** Resolved method options and benchmark options. */
  readonly methodOptions: Readonly<Record<string, unknown>>;
  readonly benchmarkOptions: BenchmarkOptions;
  readonly seeds: readonly SeedResult[];
  /**
   * Tidy table (src/metrics `resultsTable`): accuracy-matrix rows plus run-level rows `acc` (%),
   * `bwt` and `forgetting` (percentage points), `cap` (%, measured), `capPaper` (%, paper
   * convention), `density` (0–1, when the method has masks), `seconds` (wall time of all tasks)
   * and `taskSeconds` per trained task.
   */
  readonly table: ColumnTable;
  /** Mean ± std over seeds of every metric (`summarizeResults`). */
  readonly summary: ColumnTable;
  /** The summary as text, one line per method: acc, bwt, cap, ... as `mean ± std`. */
  toString(): string;
  /** Jupyter/tslab display bundle. */
  [key: symbol]: unknown;
}

/** Tidy rows of one seed. */
function seedRows(result: SeedResult, info: { method: string; benchmark: string }): ResultRow[] {
  const run = { run: result.runId, seed: result.seed, method: info.method, benchmark: info.benchmark };
  const extra: Record<string, number> = { cap: result.capacity.capPercent, seconds: result.taskSeconds.reduce((a, b) => a + b, 0) };
  if (result.capacity.capPaperPercent !== undefined) extra.capPaper = result.capacity.capPaperPercent;
  if (result.capacity.density !== undefined) extra.density = result.capacity.density;
  const rows = [...accuracyMatrixRows(result.accuracyMatrix, run), ...runMetricRows(result.accuracyMatrix, run, { extra })];
  result.taskSeconds.forEach((value, t) => rows.push({ ...run, trainedTask: t, evalTask: null, metric: 'taskSeconds', value }));
  return rows;
}

/**
 * Builds the result object from per-seed results.
 * @example
 * ```ts
 * const result = _experimentResult({ benchmark, method, label, methodOptions, benchmarkOptions, seeds });
 * console.log(String(result));
 * ```
 */
export function _experimentResult(parts: Omit<ExperimentResult, 'table' | 'summary' | 'toString'>): ExperimentResult {
  const info = { method: parts.label, benchmark: parts.benchmark };
  const table = resultsTable(parts.seeds.flatMap((s) => seedRows(s, info)));
  const summary = summarizeResults(table);
  const runLevel = aq.from((summary.objects() as Record<string, unknown>[]).filter((d) => d.evalTask === null && d.metric !== 'taskSeconds'));
  const present = new Set(runLevel.array('metric') as string[]);
  const metrics = SUMMARY_METRICS.filter((m) => present.has(m));
  const text = (): string => formatSummary(runLevel, { metrics, digits: { density: 3, seconds: 1 } });
  const html = (): string => {
    const matrices = parts.seeds
      .map((s) => {
        const columns: Record<string, unknown[]> = { 'after task': s.accuracyMatrix.map((_, i) => i + 1) };
        const n = s.accuracyMatrix.length;
        for (let j = 0; j < n; j++) columns[`task ${j + 1}`] = s.accuracyMatrix.map((row) => row[j] ?? null);
        return `<h4>Seed ${s.seed}${s.cached ? ' (cached)' : ''}: accuracy matrix (%)</h4>${tableToHTML(aq.table(columns), { limit: 100, digits: 1 })}`;
      })
      .join('\n');
    const heading = `<h3>${_escapeHtml(parts.label)} on ${_escapeHtml(parts.benchmark)}: ${parts.seeds.length} seed(s)</h3>`;
    return `${heading}<pre>${_escapeHtml(text())}</pre>\n${matrices}`;
  };
  return {
    ...parts,
    table,
    summary,
    toString: text,
    [Symbol.for('Jupyter.display')]: () => ({ 'text/plain': text(), 'text/html': html() }),
  };
}
