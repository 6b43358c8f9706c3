/**
 * Display outside a kernel (plain Node: scripts, tests, `npm start`): each displayed value is
 * printed as text on stdout (tables as aligned text, figures as a one-line note) and recorded
 * in the {@link reportRecorder}, so a headless run of a notebook can still write a report.
 */
import type { ColumnTable } from 'arquero';
import { tableToText } from '../src/viz/table-view';
import type { MimeBundle } from './display';
import { plotlySummary, type PlotlyFigure } from './plotly';
import { reportRecorder, type RecordedItem } from './report-recorder';
import { isArqueroTable, type TableViewOptions } from './table';

const DISPLAY = Symbol.for('Jupyter.display');

function hasDisplay(value: unknown): value is Record<string | symbol, unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Record<symbol, unknown>)[DISPLAY] === 'function';
}

function asFigure(value: unknown): PlotlyFigure | null {
  if (value === null || typeof value !== 'object') return null;
  const fig = value as Partial<PlotlyFigure>;
  return Array.isArray(fig.data) ? (fig as PlotlyFigure) : null;
}

function tableItem(table: ColumnTable, options: TableViewOptions): RecordedItem {
  return { kind: 'table', table, options, text: tableToText(table, options) };
}

/**
 * What a displayed value is, for the report: a figure from `plotly()` or a Plotly bundle, a
 * table from `table()` or a bare Arquero table, markdown, HTML, or plain text.
 * @param toBundle the value's MIME bundle (only computed when the value is none of the above)
 */
export function recordedItem(value: unknown, toBundle: () => MimeBundle): RecordedItem {
  if (hasDisplay(value)) {
    const figure = asFigure(value['figure']);
    if (figure) return { kind: 'figure', figure, text: plotlySummary(figure) };
    if (isArqueroTable(value['table'])) return tableItem(value['table'], (value['options'] ?? {}) as TableViewOptions);
  }
  if (isArqueroTable(value)) return tableItem(value, {});
  const bundle = toBundle();
  const text = typeof bundle['text/plain'] === 'string' ? bundle['text/plain'] : '';
  const plotlyJson = asFigure(bundle['application/vnd.plotly.v1+json']);
  if (plotlyJson) return { kind: 'figure', figure: { ...plotlyJson, layout: plotlyJson.layout ?? {} }, text: text || plotlySummary(plotlyJson) };
  if (typeof bundle['text/markdown'] === 'string') return { kind: 'markdown', text: bundle['text/markdown'] };
  if (typeof bundle['text/html'] === 'string') return { kind: 'html', html: bundle['text/html'], text };
  return { kind: 'text', text };
}

/** The stdout line(s) for a recorded item: figures as a one-line note, the rest as text. */
export function headlessText(item: RecordedItem): string {
  return item.kind === 'figure' ? `[figure] ${item.text}` : item.text;
}

/** Prints and records one display (or update, which replaces the recorded item in place). */
export function showHeadless(update: boolean, value: unknown, displayId: string | undefined, toBundle: () => MimeBundle): void {
  const item = recordedItem(value, toBundle);
  if (update && displayId) reportRecorder().update(item, displayId);
  else reportRecorder().add(item, displayId);
  const text = headlessText(item);
  if (text !== '') process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}
