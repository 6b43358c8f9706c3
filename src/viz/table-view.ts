/**
 * Arquero tables rendered for people: HTML (notebook `text/html`, the HTML report) and aligned
 * plain text (`text/plain`, CLI), with number formatting and a row limit followed by a
 * "… N more rows" note. No I/O: both return strings.
 */
import type { ColumnTable } from 'arquero';
import { describeValue, expectInRange, InvalidArgumentError } from '../errors';
import { formatTextTable } from '../metrics/text-table';

/** Options of {@link tableToHTML} and {@link tableToText}. */
export interface TableViewOptions {
  /** Maximum rows shown (default 20); the rest is summarised as "… N more rows". */
  limit?: number;
  /** Fraction digits of non-integer numbers: one value, or per column name (default 2). */
  digits?: number | Readonly<Record<string, number>>;
  /** Columns to show, in order (default all). */
  columns?: readonly string[];
}

interface View {
  columns: string[];
  shown: number;
  more: number;
  format: (column: string, value: unknown) => string;
}

function view(fn: string, table: ColumnTable, options: TableViewOptions): View {
  if (table === null || typeof table !== 'object' || typeof (table as ColumnTable).numRows !== 'function') {
    throw new InvalidArgumentError(`${fn}: expected an Arquero table; got ${describeValue(table)}.`);
  }
  const limit = expectInRange(fn, 'limit', options.limit ?? 20, { min: 0, integer: true });
  const names = table.columnNames();
  const columns = options.columns ? [...options.columns] : names;
  const unknown = columns.filter((c) => !names.includes(c));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`${fn}: unknown column(s) ${unknown.join(', ')}. Columns: ${names.join(', ')}.`);
  }
  const digitsOf = (column: string): number => {
    const d = typeof options.digits === 'number' ? options.digits : (options.digits?.[column] ?? 2);
    return expectInRange(fn, `digits of "${column}"`, d, { min: 0, max: 20, integer: true });
  };
  const digits = new Map(columns.map((c) => [c, digitsOf(c)]));
  const rows = table.numRows();
  const shown = Math.min(rows, limit);
  return {
    columns,
    shown,
    more: rows - shown,
    format: (column, value) => _formatCell(value, digits.get(column) ?? 2),
  };
}

/** Formats one cell: integers as is, other numbers with fixed digits, null as empty (unchecked). */
export function _formatCell(value: unknown, digits: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function moreNote(more: number): string {
  return `… ${more} more row${more === 1 ? '' : 's'}`;
}

/**
 * HTML `<table>` of the first `limit` rows (values HTML-escaped, numbers right-aligned),
 * inside `<div class="ticketlab-table">`, followed by a `<p>` "… N more rows" note when rows
 * were cut.
 * @throws InvalidArgumentError on a non-table, an unknown column or a bad limit/digits
 * @example
 * ```ts
 * tslab.display.html(tableToHTML(summarizeResults(results), { limit: 50, digits: { mean: 2 } }));
 * ```
 */
export function tableToHTML(table: ColumnTable, options: TableViewOptions = {}): string {
  const v = view('tableToHTML', table, options);
  const format: Record<string, (value: unknown) => string> = {};
  for (const c of v.columns) format[c] = (value) => v.format(c, value);
  const html = table.toHTML({ limit: v.shown, columns: v.columns, format, null: () => '' });
  const note = v.more > 0 ? `<p class="ticketlab-more">${moreNote(v.more)}</p>` : '';
  return `<div class="ticketlab-table">${html}${note}</div>`;
}

/**
 * Aligned plain-text table of the first `limit` rows (header, dashes, rows), followed by a
 * "… N more rows" line when rows were cut.
 * @throws InvalidArgumentError on a non-table, an unknown column or a bad limit/digits
 * @example
 * ```ts
 * console.log(tableToText(results, { limit: 10 }));
 * ```
 */
export function tableToText(table: ColumnTable, options: TableViewOptions = {}): string {
  const v = view('tableToText', table, options);
  const objects = table.objects({ limit: v.shown, columns: v.columns }) as Record<string, unknown>[];
  const rows = objects.map((o) => v.columns.map((c) => v.format(c, o[c])));
  const text = formatTextTable(v.columns, rows);
  return v.more > 0 ? `${text}\n${moreNote(v.more)}` : text;
}
